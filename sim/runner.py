"""Running replicates: seeds, processes, and a results folder that is either complete or absent.

* **Seeds.** Replicate ``i`` of a run with seed ``s`` uses the integer seed drawn from
  ``SeedSequence(s).spawn(n)[i]``. Children of a SeedSequence do not depend on how many are
  spawned, so replicate ``i`` is the same whether a run has 10 replicates or 1,000, and the
  integer in the ``seed`` column reproduces that replicate alone.
* **Processes.** Replicates run in worker processes (``workers``); results are gathered by
  replicate index, so the output does not depend on the number of workers.
* **Durability.** Each finished replicate is written at once to a partial folder beside the
  destination, named by a hash of everything that determines the numbers (resolved scenario,
  parameters, seed, scale, horizon, model source). A run that is interrupted and started again
  with the same inputs reuses the finished replicates. The complete folder is assembled inside
  the partial folder and moved into place with one rename; an existing folder is replaced only
  with ``overwrite=True``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import time
from concurrent.futures import FIRST_COMPLETED, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from sim import indicators
from sim.errors import InputError
from sim.inputs import check_output, locked, remove_tree, rename_no_replace, staged
from sim.parameters import Parameters
from sim.processes import make_pool, stop_pool
from sim.resources import PACKAGE_DIR
from sim.scenario import Scenario


def replicate_seeds(seed: int, n: int) -> list[int]:
    """Integer seeds of replicates 0..n-1 of a run with master seed ``seed``."""
    return [int(child.generate_state(1, np.uint64)[0]) for child in np.random.SeedSequence(seed).spawn(n)]


@dataclass(frozen=True)
class Job:
    """Everything one replicate needs; small and picklable."""

    replicate: int
    seed: int
    schedules: dict[str, np.ndarray]
    parameters: Parameters
    scale: float
    horizon: int
    agents: str = "lazy"


def model_of(job: Job, model_class: type | None = None):
    """The model of one replicate, not yet run (``model_class``: InnovationModel or a subclass)."""
    if model_class is None:
        from sim.model import InnovationModel as model_class

    return model_class(job.schedules, job.parameters, scale=job.scale, horizon=job.horizon,
                       rng=job.seed, agents=job.agents)


def run_replicate(job: Job) -> pd.DataFrame:
    """Run one replicate; returns its yearly indicators, then its patterns (:mod:`sim.patterns`),
    with ``replicate`` and ``seed`` first."""
    from sim import patterns

    model = model_of(job)
    try:
        records = model.run()
    finally:
        model.release()
    frame = pd.DataFrame.from_records(records)
    found = pd.DataFrame.from_records(model.pattern_records)
    frame[list(patterns.NAMES)] = found[list(patterns.NAMES)].to_numpy()
    frame.insert(0, "seed", np.uint64(job.seed))
    frame.insert(0, "replicate", job.replicate)
    frame["year"] = frame["year"].astype(int)
    return frame[["replicate", "seed", "year", *indicators.NAMES, *patterns.NAMES]]


#: Files that write tables, reports and the command line, or post-process a calibration's
#: journal: they never change a simulated number or a calibration proposal.
PRESENTATION = ("report/", "backtest/", "cli.py", "compare.py", "results.py", "__main__.py", "runner.py",
                "calibration/adjust.py", "calibration/posterior.py", "calibration/run.py", "calibration/history.py",
                "calibration/discrepancy.py", "milestones.py")


def source_fingerprint(model_only: bool = False, *, leave_out: tuple[str, ...] = ()) -> str:
    """Hash of the package's source files: partial results from other code are not reused.

    ``model_only`` leaves out the presentation and post-processing files (:data:`PRESENTATION`),
    so that a long calibration can be resumed after a fix to its report or its adjustment;
    ``leave_out`` leaves out the given paths (relative to the package) instead.
    """
    skip = PRESENTATION if model_only else leave_out
    h = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        if skip and path.relative_to(PACKAGE_DIR).as_posix().startswith(skip):
            continue
        h.update(path.relative_to(PACKAGE_DIR).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


@dataclass
class RunSettings:
    """A resolved run: scenario, parameters and run settings."""

    scenario: Scenario
    parameters: Parameters
    replicates: int
    seed: int
    scale: float
    horizon: int
    workers: int = 1
    agents: str = "lazy"
    parameter_source: str = "default"
    #: Each replicate's own parameters (posterior or prior draws); ``parameters`` for all if None.
    replicate_parameters: tuple[Parameters, ...] | None = None
    #: Where the parameters came from, for the manifest (source, posterior file and hash, ...).
    parameter_provenance: dict = field(default_factory=dict)
    #: One row per replicate: seed, posterior particle and the drawn values (``parameters.csv``).
    parameter_table: pd.DataFrame | None = None
    timings: dict[str, float] = field(default_factory=dict)

    def parameters_of(self, replicate: int) -> Parameters:
        return self.parameters if self.replicate_parameters is None else self.replicate_parameters[replicate]

    def fingerprint(self) -> str:
        payload = {
            "scenario": self.scenario.resolved() | {"run": None},
            "parameters": dict(self.parameters),
            # per-replicate draws depend only on the replicate's seed and on where they come from
            "parameter_draws": self.parameter_provenance if self.replicate_parameters is not None else None,
            "seed": self.seed, "scale": self.scale, "horizon": self.horizon,
            "source": source_fingerprint(),
        }
        return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()[:12]

    def jobs(self) -> list[Job]:
        schedules = self.scenario.quarterly(self.horizon)
        return [Job(i, s, schedules, self.parameters_of(i), self.scale, self.horizon, self.agents)
                for i, s in enumerate(replicate_seeds(self.seed, self.replicates))]


#: What a run's parameter source says when its scenario sets parameters itself.
WITH_OVERRIDES = " with scenario overrides"


def resolve(scenario: Scenario, *, parameters: str = "posterior", posterior: Path | None = None,
            workers: int | None = None, agents: str = "lazy") -> RunSettings:
    """The settings of a run of ``scenario`` (its ``run`` block already holds any command-line
    overrides), each replicate's behavioural parameters drawn from ``parameters``: what
    ``innovsim run`` runs and :meth:`InnovationModel.from_scenario` builds one replicate of."""
    from sim.calibration.posterior import DEFAULT_POSTERIOR, for_replicates

    run = scenario.run
    replicates, seed = int(run["replicates"]), int(run["seed"])
    draws = for_replicates(parameters, replicate_seeds(seed, replicates), scenario.parameters,
                           posterior=posterior or DEFAULT_POSTERIOR)
    source = parameters + (WITH_OVERRIDES if scenario.parameters else "")
    return RunSettings(scenario=scenario, parameters=Parameters.defaults().replace(**scenario.parameters),
                       replicates=replicates, seed=seed, scale=float(run["scale"]), horizon=int(run["horizon"]),
                       workers=workers or max(1, min(replicates, os.cpu_count() or 1)), agents=agents,
                       parameter_source=source, replicate_parameters=draws.parameters,
                       parameter_provenance=draws.provenance, parameter_table=draws.table)


def run_jobs(jobs: list[Job], workers: int, done: Callable[[Job, pd.DataFrame], None]) -> None:
    """Run ``jobs``, calling ``done`` in the parent as each finishes (in completion order)."""
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            done(job, run_replicate(job))
        return
    pool = make_pool(min(workers, len(jobs)))
    try:
        pending = {pool.submit(run_replicate, job): job for job in jobs}
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                job = pending.pop(future)
                done(job, future.result())
    except BaseException:
        stop_pool(pool, kill=True)          # an interrupt or a failure: no worker runs on
        raise
    stop_pool(pool, kill=False)


def write_atomic(path: Path, write: Callable[[Path], None]) -> None:
    """Write a file through a temporary name and a rename, so it is whole or absent."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    write(tmp)
    os.replace(tmp, path)


def refuse_existing(out: Path, overwrite: bool) -> Path:
    """``out`` as a Path, after refusing an existing folder unless ``overwrite`` and an output path
    that cannot be written (:func:`sim.inputs.check_output`)."""
    out = check_output(Path(out))
    if out.exists() and not overwrite:
        raise InputError("already exists; use --overwrite to replace it, or --out for another folder", file=out)
    if out.exists() and any(out.iterdir()) and not (out / "report.html").is_file():
        # --overwrite replaces what innovsim wrote, never a home folder, a project or a calibration
        raise InputError("is not a folder innovsim wrote (no report.html); --overwrite replaces only results "
                         "and comparison folders: choose another --out", file=out, field="--out")
    return out


def read_replicate(path: Path, replicate: int) -> pd.DataFrame | None:
    """A finished replicate from a partial folder, or None when it is unreadable or not what it
    should be (then it is run again: a replicate's numbers depend only on its job)."""
    from sim import patterns

    try:
        frame = pd.read_parquet(path)
    except Exception:  # noqa: BLE001 - truncated or foreign files are recomputed, never trusted
        frame = None
    expected = ["replicate", "seed", "year", *indicators.NAMES, *patterns.NAMES]
    if frame is None or list(frame.columns) != expected or frame.empty or set(frame["replicate"]) != {replicate}:
        path.unlink(missing_ok=True)
        return None
    return frame


def run_resumable(jobs: list[Job], path_of: Callable[[Job], Path], workers: int, *,
                  progress: bool = True, desc: str = "") -> tuple[list[pd.DataFrame], int]:
    """Each job's yearly table, in the order of ``jobs``, and how many were reused from disk.

    A job whose file (``path_of(job)``) exists and reads back whole (:func:`read_replicate`) is not
    run again; every other job's table is written there as soon as it finishes, so an interrupted
    run loses at most the jobs in flight.
    """
    frames: dict[int, pd.DataFrame] = {}
    for i, job in enumerate(jobs):
        if path_of(job).exists():
            frame = read_replicate(path_of(job), job.replicate)
            if frame is not None:
                frames[i] = frame
    reused = len(frames)
    index = {id(job): i for i, job in enumerate(jobs)}
    todo = [job for i, job in enumerate(jobs) if i not in frames]

    from tqdm import tqdm

    bar = tqdm(total=len(jobs), initial=reused, desc=desc, unit="replicate", file=sys.stderr,
               disable=not progress, dynamic_ncols=True)

    def done(job: Job, frame: pd.DataFrame) -> None:
        write_atomic(path_of(job), lambda p: frame.to_parquet(p, index=False))
        frames[index[id(job)]] = frame
        bar.update(1)

    try:
        run_jobs(todo, workers, done)
    finally:
        bar.close()
    return [frames[i] for i in range(len(jobs))], reused


def execute(settings: RunSettings, out: Path, *, overwrite: bool = False,
            progress: bool = True, finish: Callable[[pd.DataFrame, RunSettings, Path], None]) -> Path:
    """Run every replicate and publish the results folder at ``out``.

    ``finish(indicators, settings, folder)`` writes the derived tables, plots and report into the
    staging folder before it is moved into place. The whole run holds the lock of ``out``
    (:func:`sim.inputs.locked`), so a second run into the same folder is refused.
    """
    out = refuse_existing(out, overwrite)
    with locked(out):
        out = refuse_existing(out, overwrite)          # again, now that no other innovsim can write it
        return _execute(settings, out, overwrite, progress, finish)


def _execute(settings: RunSettings, out: Path, overwrite: bool, progress: bool, finish) -> Path:
    partial = out.parent / f".{out.name}.partial-{settings.fingerprint()}"
    parts = partial / "replicates"
    parts.mkdir(parents=True, exist_ok=True)

    started = time.perf_counter()
    jobs = settings.jobs()
    frames, reused = run_resumable(jobs, lambda job: parts / f"replicate_{job.replicate:05d}.parquet",
                                   settings.workers, progress=progress, desc=settings.scenario.name)
    settings.timings["replicates_s"] = time.perf_counter() - started
    settings.timings["replicates_reused"] = float(reused)

    table = pd.concat(frames, ignore_index=True)
    publish(out, lambda stage: finish(table, settings, stage), overwrite=overwrite, staging=partial / "complete",
            lock=False)
    for stale in out.parent.glob(f".{out.name}.partial-*"):     # ours, and any left by other settings
        remove_tree(stale)
    return out


def publish(out: Path, write: Callable[[Path], object], *, overwrite: bool = False, staging: Path | None = None,
            lock: bool = True) -> Path:
    """Write a folder in a staging place, then move it to ``out`` with one rename.

    ``out`` is either absent or complete: a failure while writing leaves it untouched; an
    existing ``out`` is replaced only with ``overwrite``, checked again just before the rename.
    With ``lock`` (unless the caller holds it already) the target is locked throughout. The folder
    is written in ``staging`` if given (a run's, inside its partial folder), else beside ``out``
    (:func:`sim.inputs.staged`); it is gone afterwards, whether published or not.
    """
    out = refuse_existing(out, overwrite)
    with locked(out) if lock else contextlib.nullcontext():
        out = refuse_existing(out, overwrite)
        with staged(out, at=staging) as stage:
            write(stage)
            if out.exists() and overwrite:
                trash = out.parent / f".{out.name}.old-{os.getpid()}"
                os.replace(out, trash)
                os.replace(stage, out)
                remove_tree(trash)
                return out
            try:
                rename_no_replace(stage, out)     # refuses a folder made by something else while we worked
            except FileExistsError:
                raise InputError("appeared while this command ran; use --overwrite to replace it", file=out) from None
    return out
