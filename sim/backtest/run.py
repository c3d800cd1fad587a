"""The backtest: fit the past up to a year, forecast the years after it, and score the forecast.

``innovsim backtest --train-until YEAR`` is the honest test of a model meant to forecast:

1. **Train.** A whole calibration (:func:`sim.calibration.run.calibrate`) on the targets of
   ``YEAR`` and before only: the real series' early years and the documented figures of those
   years. Its outputs (posterior, fit, report) go to ``OUT/calibration/``, its journal to
   ``OUT/work/`` (or ``--work``), so an interrupted backtest resumes with ``--resume``.
2. **Forecast.** The calibration's check runs go on to the last year of the targets file: the
   posterior predictive replicates (each with its own posterior draw, at the check scale) are the
   forecast of the later years, with no knowledge of them. Their bands are widened by the model
   discrepancy the calibration estimated from the training years' residuals
   (:mod:`sim.calibration.discrepancy`), growing with the years since training.
3. **Score** (:mod:`sim.backtest.score`, :mod:`sim.report.backtest`): for every series, the
   coverage of the 90 % bands and the mean absolute percentage error of the median over the
   forecast years, beside two naive forecasters fitted to the training years (a straight line and
   a log-linear trend). A table, a figure per series and ``report.md`` in ``OUT``.

Exogenous inputs (GDP, deflator, rivals' growth, levers) stay those of the baseline scenario,
which records what happened to 2021: the backtest tests the model's mechanisms given the
outside world, not a forecast of the outside world itself (docs/calibration.md, "Backtest").
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pandas as pd

from sim.backtest.score import Observed
from sim.calibration.discrepancy import from_frame
from sim.calibration.priors import DEFAULT_PRIORS
from sim.calibration.run import DEFAULT_SCENARIO, CalibrationSettings, calibrate
from sim.errors import InputError
from sim.inputs import check_output, locked, publish_files, staged
from sim.targets import DEFAULT_TARGETS, Series, load_series, load_targets

#: Files the backtest writes into its output folder (besides ``calibration/`` and ``img/``).
OUTPUTS = ("backtest.csv", "backtest_summary.csv", "report.md", "backtest.json")


def observed(series: tuple[Series, ...]) -> list[Observed]:
    """The real series as the scorer reads them (held-out series included: they are data too)."""
    return [Observed(series=s.id, indicator=s.indicator, values=dict(s.values), tolerance=s.tolerance,
                     is_rank=s.is_rank, measured_on=dict(s.measured_on)) for s in series]


def check_train_until(year: int, series: tuple[Series, ...], targets_path: Path) -> int:
    """``year`` must leave at least one year of real data to forecast and one to fit."""
    years = sorted({y for s in series for y in s.values})
    if not years:
        raise InputError("holds no series to forecast", file=targets_path, field="series")
    if not years[0] <= year < years[-1]:
        raise InputError(f"must be a year from {years[0]} to {years[-1] - 1} (the series run from {years[0]} to "
                         f"{years[-1]}; later years are forecast)", field="--train-until")
    return year


def backtest(evaluator, *, train_until: int, budget: int, settings: CalibrationSettings, out: Path,
             work: Path | None = None, targets_path: Path = DEFAULT_TARGETS, priors_path: Path = DEFAULT_PRIORS,
             scenario_path: Path = DEFAULT_SCENARIO, resume: bool = False, progress: bool = True, workers: int = 1,
             overwrite: bool = False) -> dict:
    """Train to ``train_until``, forecast the later years, score; returns the scores in brief."""
    started = time.perf_counter()
    from sim.calibration.priors import load_priors
    from sim.scenario import load_scenario

    load_targets(targets_path), load_priors(priors_path), load_scenario(scenario_path)   # checked first
    series = load_series(targets_path)
    check_train_until(train_until, series, targets_path)
    out = check_output(Path(out), "--out")
    work = Path(work) if work is not None else out / "work"
    if not overwrite and any((out / name).exists() for name in OUTPUTS):
        raise InputError("already holds a backtest; use --overwrite to replace it, or --out for another folder",
                         file=out, field="--out")
    created = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    try:
        return _backtest(evaluator, train_until, budget, settings, out, work, targets_path, priors_path, scenario_path,
                         resume, progress, workers, overwrite, series, started)
    except InputError:
        if created and out.is_dir() and not any(out.iterdir()):     # refused before any work: leave nothing
            out.rmdir()
        raise


def _backtest(evaluator, train_until, budget, settings, out, work, targets_path, priors_path, scenario_path, resume,
              progress, workers, overwrite, series, started) -> dict:
    from sim.report.backtest import write_backtest

    with locked(out):
        summary = calibrate(evaluator, budget=budget, settings=settings, work=work, out=out / "calibration",
                            targets_path=targets_path, priors_path=priors_path, scenario_path=scenario_path,
                            resume=resume, progress=progress, workers=workers, overwrite=overwrite,
                            train_until=train_until)
        calibrated = time.perf_counter()
        draws = pd.read_parquet(out / "calibration" / "predictive.parquet")
        # wall time of all the calibration's sessions (a resumed backtest counts the earlier ones),
        # plus this session's time outside the calibration
        seconds = summary["wall_seconds_total"] + (calibrated - started - summary["wall_seconds_this_session"])
        meta = {"budget": budget, "runs": summary["simulations"]["fitting"], "seconds": round(seconds, 1),
                "calibration_seconds": summary["wall_seconds_total"], "check_replicates": settings.check_replicates,
                "check_scale": settings.check_scale, "units": {s.id: s.unit for s in series},
                "generations": summary["generations"], "final_epsilon": summary["final_epsilon"]}
        with staged(out) as stage:
            discrepancy = from_frame(pd.read_csv(out / "calibration" / "discrepancy.csv"))
            scores = write_backtest(stage, draws, observed(series), train_until, meta, discrepancy)
            (stage / "backtest.json").write_text(json.dumps({"train_until": train_until, **meta, **scores},
                                                            indent=1, default=float) + "\n")
            publish_files(stage, out)
    return {"train_until": train_until, **meta, **scores}
