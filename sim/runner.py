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

import hashlib
import json
import multiprocessing
import os
import shutil
import sys
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from sim import indicators
from sim.errors import InputError
from sim.parameters import Parameters
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
    """Run one replicate; returns its yearly indicators with ``replicate`` and ``seed`` first."""
    model = model_of(job)
    try:
        records = model.run()
    finally:
        model.release()
    frame = pd.DataFrame.from_records(records)
    frame.insert(0, "seed", np.uint64(job.seed))
    frame.insert(0, "replicate", job.replicate)
    frame["year"] = frame["year"].astype(int)
    return frame[["replicate", "seed", "year", *indicators.NAMES]]


#: Files that write tables, reports and the command line, or post-process a calibration's
#: journal: they never change a simulated number or a calibration proposal.
PRESENTATION = ("report/", "cli.py", "compare.py", "results.py", "__main__.py", "runner.py",
                "calibration/adjust.py", "calibration/posterior.py", "calibration/run.py")


def source_fingerprint(model_only: bool = False) -> str:
    """Hash of the package's source files: partial results from other code are not reused.

    ``model_only`` leaves out the presentation and post-processing files (:data:`PRESENTATION`),
    so that a long calibration can be resumed after a fix to its report or its adjustment.
    """
    h = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        if model_only and path.relative_to(PACKAGE_DIR).as_posix().startswith(PRESENTATION):
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
    source = parameters + (" with scenario overrides" if scenario.parameters else "")
    return RunSettings(scenario=scenario, parameters=Parameters.defaults().replace(**scenario.parameters),
                       replicates=replicates, seed=seed, scale=float(run["scale"]), horizon=int(run["horizon"]),
                       workers=workers or max(1, min(replicates, os.cpu_count() or 1)), agents=agents,
                       parameter_source=source, replicate_parameters=draws.parameters,
                       parameter_provenance=draws.provenance, parameter_table=draws.table)


def _pool(workers: int) -> ProcessPoolExecutor:
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method))


def run_jobs(jobs: list[Job], workers: int, done: Callable[[Job, pd.DataFrame], None]) -> None:
    """Run ``jobs``, calling ``done`` in the parent as each finishes (in completion order)."""
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            done(job, run_replicate(job))
        return
    with _pool(min(workers, len(jobs))) as pool:
        pending = {pool.submit(run_replicate, job): job for job in jobs}
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                job = pending.pop(future)
                done(job, future.result())


def write_atomic(path: Path, write: Callable[[Path], None]) -> None:
    """Write a file through a temporary name and a rename, so it is whole or absent."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    write(tmp)
    os.replace(tmp, path)


def refuse_existing(out: Path, overwrite: bool) -> Path:
    """``out`` as a Path, after refusing an existing folder unless ``overwrite``; makes its parent."""
    out = Path(out)
    if out.exists() and not overwrite:
        raise InputError("already exists; use --overwrite to replace it, or --out for another folder", file=out)
    out.parent.mkdir(parents=True, exist_ok=True)
    return out


def execute(settings: RunSettings, out: Path, *, overwrite: bool = False,
            progress: bool = True, finish: Callable[[pd.DataFrame, RunSettings, Path], None]) -> Path:
    """Run every replicate and publish the results folder at ``out``.

    ``finish(indicators, settings, folder)`` writes the derived tables, plots and report into the
    staging folder before it is moved into place.
    """
    out = refuse_existing(out, overwrite)
    partial = out.parent / f".{out.name}.partial-{settings.fingerprint()}"
    parts = partial / "replicates"
    parts.mkdir(parents=True, exist_ok=True)

    started = time.perf_counter()
    jobs = settings.jobs()
    frames: dict[int, pd.DataFrame] = {}
    for job in jobs:
        path = parts / f"replicate_{job.replicate:05d}.parquet"
        if path.exists():
            frames[job.replicate] = pd.read_parquet(path)
    todo = [j for j in jobs if j.replicate not in frames]

    from tqdm import tqdm

    bar = tqdm(total=len(jobs), initial=len(frames), desc=settings.scenario.name, unit="replicate",
               file=sys.stderr, disable=not progress, dynamic_ncols=True)

    def done(job: Job, frame: pd.DataFrame) -> None:
        write_atomic(parts / f"replicate_{job.replicate:05d}.parquet", lambda p: frame.to_parquet(p, index=False))
        frames[job.replicate] = frame
        bar.update(1)

    try:
        run_jobs(todo, settings.workers, done)
    finally:
        bar.close()
    settings.timings["replicates_s"] = time.perf_counter() - started
    settings.timings["replicates_reused"] = float(len(jobs) - len(todo))

    table = pd.concat([frames[i] for i in sorted(frames)], ignore_index=True)
    publish(out, lambda stage: finish(table, settings, stage), overwrite=overwrite, staging=partial / "complete")
    shutil.rmtree(partial, ignore_errors=True)
    return out


def publish(out: Path, write: Callable[[Path], object], *, overwrite: bool = False, staging: Path | None = None) -> Path:
    """Write a folder in a staging place, then move it to ``out`` with one rename.

    ``out`` is either absent or complete: a failure while writing leaves it untouched; an
    existing ``out`` is replaced only with ``overwrite``.
    """
    out = refuse_existing(out, overwrite)
    stage = staging or out.parent / f".{out.name}.staging-{os.getpid()}"
    if stage.exists():
        shutil.rmtree(stage)
    stage.mkdir(parents=True)
    try:
        write(stage)
    except BaseException:
        if staging is None:               # a run's own staging stays beside its finished replicates
            shutil.rmtree(stage, ignore_errors=True)
        raise
    if out.exists():
        trash = out.parent / f".{out.name}.old-{os.getpid()}"
        os.replace(out, trash)
        os.replace(stage, out)
        shutil.rmtree(trash, ignore_errors=True)
    else:
        os.replace(stage, out)
    return out

