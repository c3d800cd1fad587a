"""Running a sweep so that nothing finished is ever lost.

Each run (one sample of the design, one replicate) is a :class:`Task` with its own seed. Tasks
go to an evaluator; as each finishes, the parent process writes it to disk at once, through a
temporary name and a rename, so a file is whole or absent:

* ``indicators/sample_id=S/replicate=R.parquet``: the run's yearly indicators with ``run_id`` and
  ``replicate`` (a Parquet dataset partitioned by sample: ``pandas.read_parquet("indicators")``
  or ``pyarrow.dataset.dataset("indicators", partitioning="hive")`` adds ``sample_id``);
* ``failures/run_N.json``: a run that raised, with its error; the sweep goes on.

``--resume`` skips every run already on disk (finished or failed) and runs the rest; because
each run's numbers depend only on its task, the final tables equal those of an uninterrupted
sweep. ``sweep.json`` records what the folder holds (the resolved sweep, the design and the
model's source fingerprint); resuming with anything different is refused.

Seeds: replicate ``r`` of every sample uses the same seed, ``SeedSequence(run seed).spawn(R)[r]``
(common random numbers across samples), so differences between samples are due to the
parameters, not to the dice, and sensitivity indices converge faster.
"""

from __future__ import annotations

import json
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np
import pandas as pd

from sim.errors import InputError
from sim.runner import replicate_seeds, source_fingerprint, write_atomic
from sim.sweep.designs import Design
from sim.sweep.spec import DUMMY


@dataclass(frozen=True)
class Task:
    run_id: int
    sample_id: int
    replicate: int
    seed: int
    values: dict[str, float]
    context: Any = None          # what the task function needs besides values and seed


@dataclass(frozen=True)
class ModelContext:
    """The scenario, run settings and swept-lever start dates shared by every run of a sweep."""

    scenario: Any
    scale: float
    horizon: int
    starts: dict[str, Any]       # lever name -> date from which the sampled value holds
    base: dict[str, float] = field(default_factory=dict)   # parameters under the scenario's (posterior median)


def make_tasks(design: Design, replicates: int, seed: int, context: Any = None) -> list[Task]:
    seeds = replicate_seeds(seed, replicates)
    return [Task(s * replicates + r, s, r, seeds[r], design.sample(s), context)
            for s in range(len(design)) for r in range(replicates)]


def model_task(task: Task) -> dict:
    """Run the model for one task; never raises (a failure is returned with its error)."""
    try:
        from sim.model import InnovationModel
        from sim.parameters import Parameters
        from sim.scenario.schedule import Schedule

        ctx: ModelContext = task.context
        scenario = ctx.scenario
        schedules = scenario.quarterly(ctx.horizon)
        params = ctx.base | dict(scenario.parameters)
        seed = task.seed
        for name, value in task.values.items():
            if name == DUMMY:                 # changes nothing but the dice: its index is the noise floor
                seed = dummy_seed(seed, value)
                continue
            if name in ctx.starts:
                held = Schedule(points=((ctx.starts[name], value),))
                schedules[name] = scenario.schedules[name].override_from(held).quarterly(ctx.horizon)
            else:
                params[name] = value
        model = InnovationModel(schedules, Parameters.defaults().replace(**params), scale=ctx.scale,
                                horizon=ctx.horizon, rng=seed)
        try:
            records = model.run()
        finally:
            model.release()
        return {"run_id": task.run_id, "status": "ok", "error": "", "table": pd.DataFrame.from_records(records)}
    except Exception as exc:  # noqa: BLE001 - recorded and reported, the sweep goes on
        return {"run_id": task.run_id, "status": "failed",
                "error": f"{exc.__class__.__name__}: {exc}", "traceback": traceback.format_exc(), "table": None}


def dummy_seed(seed: int, value: float) -> int:
    """The seed of a run whose dummy parameter takes ``value``.

    Under common random numbers a parameter the model ignores would leave every run unchanged and
    its index would be exactly zero, which says nothing. The dummy instead re-seeds the run: its
    index is then what the dice alone produce when the random streams diverge completely, an
    upper bound on the noise inside any real parameter's index.
    """
    mixed = np.random.SeedSequence([seed, int(round(value * 2**40))])
    return int(mixed.generate_state(1, np.uint64)[0])


class Store:
    """The sweep's folder on disk."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def part(self, task: Task) -> Path:
        return self.folder / "indicators" / f"sample_id={task.sample_id}" / f"replicate={task.replicate}.parquet"

    def failure(self, task: Task) -> Path:
        return self.folder / "failures" / f"run_{task.run_id:07d}.json"

    def done(self, task: Task) -> bool:
        """Whether ``task`` is on disk, whole; a damaged file (cut short, or not what this store
        writes) is removed so the task runs again: its numbers depend only on the task."""
        import pyarrow.parquet as pq

        part, failure = self.part(task), self.failure(task)
        if part.exists():
            try:
                if {"run_id", "replicate", "year"} <= set(pq.read_schema(part).names):
                    return True
            except Exception:  # noqa: BLE001 - any unreadable file is recomputed
                pass
            part.unlink()
        if failure.exists():
            try:
                if isinstance(json.loads(failure.read_text()).get("error"), str):
                    return True
            except Exception:  # noqa: BLE001
                pass
            failure.unlink()
        return False

    def has_runs(self) -> bool:
        return any((self.folder / "indicators").rglob("*.parquet")) or any((self.folder / "failures").glob("*.json"))

    def write(self, task: Task, result: dict) -> None:
        if result["status"] == "ok":
            path = self.part(task)
            table = result["table"].copy()
            table.insert(0, "replicate", task.replicate)
            table.insert(0, "run_id", task.run_id)
            if "year" in table:
                table["year"] = table["year"].astype(int)
            write_atomic(path, lambda p: table.to_parquet(p, index=False))
        else:
            record = {"run_id": task.run_id, "sample_id": task.sample_id, "replicate": task.replicate,
                      "seed": task.seed, "values": task.values, "error": result["error"],
                      "traceback": result.get("traceback", "")}
            write_atomic(self.failure(task), lambda p: p.write_text(json.dumps(record, indent=1)))

    def prepare(self, identity: dict, resume: bool) -> None:
        """Create the folder, or check that a resumed folder holds the same sweep."""
        marker = self.folder / "sweep.json"
        if self.folder.exists() and any(self.folder.iterdir()):
            if not resume:
                raise InputError("already exists; use --resume to continue that sweep, or --out for another folder",
                                 file=self.folder)
            if not marker.exists():
                raise InputError("is not a sweep folder (no sweep.json); cannot resume it", file=self.folder)
            try:
                old = json.loads(marker.read_text())
            except (OSError, ValueError):
                old = None
            if not isinstance(old, dict):
                raise InputError("cannot be read; cannot resume this sweep, use --out for a new folder", file=marker)
            now = json.loads(json.dumps(identity, default=str))    # as written: tuples read back as lists
            for key in ("sweep", "design", "base", "source"):
                if old.get(key) != now.get(key):
                    what = {"sweep": "the sweep file", "design": "the design", "source": "the model's code",
                            "base": "the posterior that sets the parameters not swept"}[key]
                    raise InputError(f"cannot resume: {what} changed since this sweep started; "
                                     f"use --out for a new folder", file=self.folder)
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        write_atomic(marker, lambda p: p.write_text(json.dumps(identity, indent=1, default=str)))


def execute(tasks: Sequence[Task], fn: Callable[[Task], dict], store: Store, evaluator, *,
            progress: bool = True, label: str = "sweep") -> dict[str, float]:
    """Run every task not yet on disk; write each as it finishes. Returns counts and timings."""
    from tqdm import tqdm

    todo = [t for t in tasks if not store.done(t)]
    by_id = {t.run_id: t for t in todo}
    failed = 0
    started = time.perf_counter()
    bar = tqdm(total=len(tasks), initial=len(tasks) - len(todo), desc=label, unit="run", file=sys.stderr,
               disable=not progress, dynamic_ncols=True, postfix={"failed": 0})
    try:
        with evaluator:
            for result in evaluator.imap_unordered(fn, todo):
                store.write(by_id[result["run_id"]], result)
                failed += result["status"] != "ok"
                bar.set_postfix(failed=failed, refresh=False)
                bar.update(1)
    finally:
        bar.close()
    return {"runs": len(tasks), "ran": len(todo), "reused": len(tasks) - len(todo), "failed_now": failed,
            "seconds": time.perf_counter() - started}


def assemble(tasks: Sequence[Task], store: Store, design: Design, outputs: Sequence[tuple[str, int]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The run table (one row per run) and all yearly indicators, from what is on disk."""
    rows, tables = [], []
    for t in sorted(tasks, key=lambda t: t.run_id):
        row = {"run_id": t.run_id, "sample_id": t.sample_id, "replicate": t.replicate, "seed": t.seed}
        row.update(t.values)
        if store.part(t).exists():
            table = pd.read_parquet(store.part(t))
            table.insert(1, "sample_id", t.sample_id)
            tables.append(table)
            row["status"], row["error"] = "ok", ""
            by_year = table.set_index("year")
            for ind, year in outputs:
                row[f"{ind}_{year}"] = float(by_year.loc[year, ind]) if year in by_year.index else np.nan
        else:
            failure = json.loads(store.failure(t).read_text()) if store.failure(t).exists() else {"error": "missing"}
            row["status"], row["error"] = "failed", failure["error"]
            for ind, year in outputs:
                row[f"{ind}_{year}"] = np.nan
        rows.append(row)
    runs = pd.DataFrame(rows)
    first = ["run_id", "sample_id", "replicate", "seed", "status"]
    runs = runs[[*first, *design.names, *[f"{i}_{y}" for i, y in outputs], "error"]]
    yearly = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()
    return runs, yearly


#: Package paths a sweep's resume identity leaves out: what draws the plots and report, which are
#: written again from the stored runs on every resume.
REWRITTEN = ("report/",)


def identity(sweep_dict: dict, design: Design, base: dict | None = None) -> dict:
    """What a sweep folder holds, for checking a resume: the sweep, its design, where the parameters
    not swept come from (``base``, with the posterior file's hash) and the package's code, all of
    it but :data:`REWRITTEN`: the plots and report are drawn again from the finished runs on every
    resume, so a fix to them does not throw away the runs. (Not :data:`sim.runner.PRESENTATION`:
    it holds code a sweep's runs depend on, such as the replicate seeds and the posterior median.)"""
    return {"sweep": sweep_dict, "base": base,
            "design": {"method": design.method, "names": list(design.names), "rows": len(design),
                       "matrix_sha": _sha(design.matrix)},
            "source": source_fingerprint(leave_out=REWRITTEN)}


def _sha(matrix: np.ndarray) -> str:
    import hashlib
    return hashlib.sha256(np.ascontiguousarray(matrix, dtype=float).tobytes()).hexdigest()[:16]
