"""One calibration simulation: the baseline to the last target year at given parameters.

Simulations are :class:`sim.sweep.execute.Task` objects sent to the same evaluators as sweeps
(:mod:`sim.sweep.evaluators`): worker processes here, or a Dask cluster. The task's ``values``
are the free parameters in natural units; its ``context`` is a :class:`SimulationContext`.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from typing import Iterable, Iterator

import numpy as np

from sim.calibration.abc_smc import Batch
from sim.calibration.distance import observe
from sim.calibration.priors import Priors
from sim.sweep.execute import Task
from sim.targets import Target


@dataclass(frozen=True)
class SimulationContext:
    """What every calibration simulation shares."""

    schedules: dict[str, np.ndarray]     # the baseline's levers, quarter by quarter
    overrides: dict[str, float]          # the baseline scenario's own parameter overrides, if any
    targets: tuple[Target, ...]
    scale: float
    horizon: int


def simulate(task: Task) -> dict:
    """Run the model for one task and return the simulated figures; never raises."""
    try:
        from sim.model import InnovationModel
        from sim.parameters import Parameters

        ctx: SimulationContext = task.context
        params = Parameters.defaults().replace(**(dict(task.values) | ctx.overrides))
        model = InnovationModel(ctx.schedules, params, scale=ctx.scale, horizon=ctx.horizon, rng=task.seed)
        try:
            records = model.run()
        finally:
            model.release()
        return {"run_id": task.run_id, "stats": observe(records, ctx.targets), "error": ""}
    except Exception as exc:  # noqa: BLE001 - a failed run is recorded and rejected, the calibration goes on
        return {"run_id": task.run_id, "stats": None,
                "error": f"{exc.__class__.__name__}: {exc}\n{traceback.format_exc(limit=3)}"}


def evaluate_with(evaluator, priors: Priors, context: SimulationContext):
    """An ``evaluate(batch)`` function for :class:`sim.calibration.abc_smc.ABCSMC` on ``evaluator``."""
    def evaluate(batch: Batch) -> Iterator[tuple[int, dict | None, str]]:
        tasks: Iterable[Task] = [Task(i, i, 0, seed, priors.values(unit), context) for i, unit, seed in batch]
        for result in evaluator.imap_unordered(simulate, tasks):
            yield result["run_id"], result["stats"], result["error"]
    return evaluate
