"""A whole calibration, from targets and priors to the committed outputs.

1. **Fit.** ABC-SMC (:mod:`sim.calibration.abc_smc`) on the baseline scenario, run to the last
   target year at a coarse ``scale`` (cheap, and its extra noise only makes the posterior more
   cautious). Every simulation is journalled as it finishes (:mod:`sim.calibration.journal`),
   so ``--resume`` continues where a crash or a spent budget stopped. The published population
   is the last generation with an effective sample (:func:`published_generation`), regression-
   adjusted (:mod:`sim.calibration.adjust`) if the check finds the adjustment nearer the targets.
2. **Check.** The baseline is rerun at the check scale (persons per agent, 1 by default, as
   planners run it) exactly as ``innovsim run`` would run it: ``check_replicates`` replicates
   from the baseline's seed, each with its own posterior draw; and again at the posterior
   median. These runs are journalled too.
3. **Outputs**, written to a staging folder and moved into ``out`` file by file:
   ``posterior.parquet`` (particles in natural units, with weights), ``fit.csv`` (every
   comparable figure against the posterior predictive), ``discrepancy.csv`` (the model's
   structural error on each series, estimated from the fitted years' residuals:
   :mod:`sim.calibration.discrepancy`), ``generations.csv``, ``summary.json``, ``report.md`` and
   its figures in ``img/``.
"""

from __future__ import annotations


import contextlib
import json
import os
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from sim.calibration.abc_smc import ABCSMC, METHOD, Result, SMCSettings
from sim.calibration.adjust import regression_adjust
from sim.calibration.discrepancy import Residuals, for_series, place_band, to_frame, whole_place_quantiles, widen
from sim.calibration.distance import Distance, observe
from sim.calibration.history import fitted_points, pooled_coverage, series_summary
from sim.calibration.journal import Journal
from sim.calibration.posterior import Posterior, for_replicates
from sim.calibration.priors import DEFAULT_PRIORS, Priors, load_priors
from sim.calibration.simulate import SimulationContext, evaluate_with
from sim.errors import InputError
from sim.inputs import check_output, locked, publish_files, resolve_path, staged
from sim.resources import data_file
from sim.runner import Job, read_replicate, replicate_seeds, run_replicate, source_fingerprint, write_atomic
from sim.results import WHOLE_PLACES
from sim.targets import DEFAULT_TARGETS, Target, load_targets
from sim.world.clusters import PLACES

DEFAULT_SCENARIO = data_file("scenarios/baseline.yaml")
#: Files a calibration writes into its output folder (``img/`` holds the report's figures).
OUTPUTS = ("posterior.parquet", "fit.csv", "generations.csv", "summary.json", "report.md", "predictive.parquet",
           "discrepancy.csv")
FIT_COLUMNS = ["target_id", "indicator", "year", "documented", "simulated_median", "simulated_p05", "simulated_p95",
               "tolerance", "within"]


@dataclass(frozen=True)
class CalibrationSettings:
    """Everything that determines the posterior, and how the fit is checked."""

    smc: SMCSettings = SMCSettings()
    scale: float = 5.0                   # persons per agent while fitting
    check_replicates: int = 40           # baseline replicates of the fit check (each a posterior draw)
    check_scale: float = 1.0             # persons per agent of the fit check, as planners run it
    adjust: bool = True                  # regression-adjust the final population (Beaumont et al. 2002)
    min_ess_share: float = 0.1           # publish the last generation whose ESS is at least this share of particles

    def flat(self) -> dict:
        """All settings in one mapping (for summaries and the journal's identity)."""
        return asdict(self.smc) | {"scale": self.scale, "check_replicates": self.check_replicates,
                                   "check_scale": self.check_scale, "adjust": self.adjust,
                                   "min_ess_share": self.min_ess_share}


def calibrate(evaluator, *, budget: int, settings: CalibrationSettings, work: Path, out: Path,
              targets_path: Path = DEFAULT_TARGETS, priors_path: Path = DEFAULT_PRIORS,
              scenario_path: Path = DEFAULT_SCENARIO, resume: bool = False, progress: bool = True,
              workers: int = 1, overwrite: bool = False, train_until: int | None = None) -> dict:
    """Run (or resume) a calibration and write its outputs; returns the summary.

    With ``train_until`` only the targets of that year and before are fitted (the backtest,
    :mod:`sim.backtest`); the check runs still go to the last year of the targets file, so that
    ``predictive.parquet`` holds the forecast of the later years.

    Both folders are checked before any work (``out`` must not hold a calibration unless
    ``overwrite``) and locked throughout, so two calibrations never share a journal or an output.
    """
    from sim.scenario import load_scenario

    inputs = load_targets(targets_path), load_priors(priors_path), load_scenario(scenario_path)   # checked first
    every = inputs[0]
    if not any(t.comparable and not t.holdout and t.weight > 0 for t in every):
        raise InputError("holds no target to fit; allowed: at least one comparable target or series year "
                         "with a weight above 0 that is not held out", file=targets_path, field="targets")
    last_year = max(t.year for t in every if t.comparable)
    if train_until is not None:
        inputs = ([t for t in every if t.year <= train_until], *inputs[1:])
        if not any(t.comparable and not t.holdout and t.weight > 0 for t in inputs[0]):
            raise InputError(f"leaves no target to fit: the first fitted year is "
                             f"{min(t.year for t in every if t.comparable)}", field="--train-until")
    work, out = check_output(Path(work), "--work"), check_output(Path(out), "--out")
    Journal(work).refuse_without_resume(resume)
    _refuse_calibration(out, overwrite)
    if resolve_path(work, field="--work") == resolve_path(out, field="--out"):
        raise InputError("must differ from --out: the journal and the outputs are separate folders", file=work,
                         field="--work")
    with locked(work), locked(out):
        _refuse_calibration(out, overwrite)
        if budget < settings.smc.particles:
            raise InputError(f"must be at least --particles ({settings.smc.particles}): the first generation alone "
                             f"takes that many simulations, got {budget}", field="--budget")
        return _calibrate(evaluator, budget, settings, work, out, *inputs, scenario_path, resume, progress, workers,
                          last_year)


def _refuse_calibration(out: Path, overwrite: bool) -> None:
    if not overwrite and any((out / name).exists() for name in OUTPUTS):
        raise InputError("already holds a calibration; use --overwrite to replace it, or --out for another folder",
                         file=out, field="--out")


def _calibrate(evaluator, budget, settings, work, out, targets, priors, scenario, scenario_path, resume, progress,
               workers, last_year) -> dict:
    started = time.perf_counter()
    distance = Distance.of(targets)
    overridden = sorted(set(priors.names) & set(scenario.parameters))
    if overridden:
        raise InputError(f"sets free parameter {overridden[0]!r}; the calibrated scenario must leave free "
                         f"parameters to the priors", file=scenario_path, field=f"parameters.{overridden[0]}")
    horizon = max(t.year for t in targets if t.comparable)
    context = SimulationContext(scenario.quarterly(horizon), dict(scenario.parameters),
                                tuple(t for t in targets if t.comparable), settings.scale, horizon)
    journal = Journal(work)
    with contextlib.ExitStack() as cleanup:     # the staging folder outlives the evaluator, not the function
        with evaluator:                      # connect first: an unreachable scheduler leaves no journal behind
            journal.prepare(_identity(targets, priors, settings, scenario), resume)
            smc = ABCSMC(len(priors), distance, settings.smc, journal)
            result = smc.run(evaluate_with(evaluator, priors, context), budget, progress=progress, workers=workers)
            result = published_generation(result, settings)
            if result.population is None:
                raise InputError(f"is too small to finish even the first generation ({budget} simulations; "
                                 f"{settings.smc.particles} particles need at least that many); raise it and use "
                                 f"--resume", field="--budget")
            stage = cleanup.enter_context(staged(out))
            (stage / "img").mkdir()
            posterior, checks, adjustment = _checked_posterior(evaluator, result, priors, distance, scenario, settings,
                                                               journal, max(horizon, last_year), stage, progress)
        seconds = _sessions(journal, time.perf_counter() - started, result)
        summary = write_outputs(stage, result, priors, targets, distance, posterior, checks, settings, seconds,
                                journal, budget, adjustment)
        publish_files(stage, out)
    return summary


def _identity(targets: list[Target], priors: Priors, settings: CalibrationSettings, scenario) -> dict:
    s = settings.flat()
    for key in ("check_replicates", "check_scale", "adjust", "min_ess_share"):   # post-processing, no refitting
        s.pop(key)
    for key in ("max_generations", "hold_generations"):   # stopping rules, like the budget: they change no
        s.pop(key)                                        # generation's computation
    return {"targets": [t.spec.model_dump() for t in targets], "priors": priors.describe(), "settings": s
            | {"scenario": {k: v for k, v in scenario.resolved().items() if k not in ("files", "run")}},
            "sampler": METHOD, "source": source_fingerprint(model_only=True)}


def _sessions(journal: Journal, seconds: float, result: Result) -> dict:
    """Append this session's wall time and runs to ``sessions.jsonl``; return the totals."""
    path = journal.folder / "sessions.jsonl"
    cut = path.exists() and path.stat().st_size > 0 and not path.read_bytes().endswith(b"\n")
    with path.open("a") as f:
        f.write(("\n" if cut else "") + json.dumps({"seconds": round(seconds, 2), "runs_now": result.runs_now}) + "\n")
    sessions = []
    for line in path.read_text().splitlines():
        try:
            record = json.loads(line)
            sessions.append({"seconds": float(record["seconds"]), "runs_now": int(record["runs_now"])})
        except (ValueError, KeyError, TypeError):       # a line cut short by a crash: only the timing is lost
            continue
    return {"wall_seconds_total": round(sum(s["seconds"] for s in sessions), 1), "sessions": len(sessions),
            "wall_seconds_this_session": round(seconds, 1)}


def _checked_posterior(evaluator, result, priors, distance, scenario, settings, journal, horizon, stage,
                       progress):
    """The posterior to publish, and its check runs.

    The regression adjustment assumes that, within the final population, the simulated figures
    are close to linear in the parameters' logits. With many fitted points and parameters the data
    do not identify, that can fail: the adjusted particles then fit *worse* than the sampled ones.
    So when ``settings.adjust`` is on, both are checked (the check runs of each are journalled), and
    the adjustment is kept only if the posterior predictive medians of its check lie nearer the
    fitted targets (:class:`Distance`); otherwise the sampled population is published. The choice
    uses the fitted targets only (in a backtest, the training years), and ``summary.json`` records
    both distances.
    """
    outcomes = []                            # (adjusted, file, checks, check distance)
    for adjust in ((True, False) if settings.adjust else (False,)):
        path = stage / f".posterior_{'adjusted' if adjust else 'sampled'}.parquet"
        posterior_frame(result, priors, distance, adjust).to_parquet(path, index=False)
        checks = run_checks(evaluator, Posterior.load(path), scenario, settings, journal, horizon, progress=progress)
        outcomes.append((adjust, path, checks, check_distance(checks["posterior"], distance)))
    adjust, chosen, checks, _ = min(outcomes, key=lambda o: o[3])
    os.replace(chosen, stage / "posterior.parquet")
    for _, path, _, _ in outcomes:
        path.unlink(missing_ok=True)
    adjustment = {"tried": bool(settings.adjust), "kept": bool(adjust)}
    for adjusted, _, _, d in outcomes:
        adjustment["check_distance_adjusted" if adjusted else "check_distance_sampled"] = round(float(d), 4)
    return Posterior.load(stage / "posterior.parquet"), checks, adjustment


def published_generation(result: Result, settings: CalibrationSettings) -> Result:
    """The generation to publish: the last whose effective sample size is at least
    ``min_ess_share`` of the particles.

    A population can stop being a sample while still having ``N`` rows: importance weights
    collapse onto a few particles (the population Monte Carlo sampler we used before, in our
    25-parameter fit: ESS 42, then 9, then 1-2 of 200), or moves stop being accepted and the
    particles become copies of a few ancestors (the present sampler;
    :attr:`~sim.calibration.abc_smc.Population.ess` pools copies). Such a population is a point
    estimate that calls itself a posterior: its bands would carry no parameter uncertainty. So
    the fit keeps its record of every generation (``generations.csv``), and publishes the last
    one that still has a sample (if none has, the last generation); ``stopped`` says so. The
    choice reads only the weights and copies, never the targets or the test years.
    """
    if result.population is None:
        return result
    floor = settings.min_ess_share * settings.smc.particles
    usable = [p for p in result.history if p.ess >= floor]
    if not usable or usable[-1] is result.population:
        return result
    chosen = usable[-1]
    note = (f"{result.stopped}; generations {chosen.generation + 1}-{result.history[-1].generation} fell below an "
            f"effective sample size of {floor:g} (the sample collapsed), so generation {chosen.generation} "
            f"(ESS {chosen.ess:.0f}) is published")
    return replace(result, population=chosen, stopped=note)


def check_distance(table: pd.DataFrame, distance: Distance) -> float:
    """The distance of the check's posterior predictive medians (over replicates, year by year)
    from the fitted targets."""
    medians = table.groupby("year").median(numeric_only=True).reset_index()
    return distance(observe(medians.to_dict("records"), distance.targets))


def posterior_frame(result: Result, priors: Priors, distance: Distance, adjust: bool = True) -> pd.DataFrame:
    """The last complete generation in natural units, with weights; regression-adjusted if ``adjust``
    (:mod:`sim.calibration.adjust`). ``distance`` is each particle's simulated distance before adjustment."""
    pop = result.population
    unit, weights = pop.unit, pop.weights
    if adjust:
        deviations = np.array([distance.deviations(r.stats) for r in pop.records])
        unit, weights = regression_adjust(pop.unit, deviations, pop.weights, pop.distances, pop.epsilon)
    frame = pd.DataFrame({"particle": np.arange(len(weights)), "weight": weights})
    for k, prior in enumerate(priors.free):
        frame[prior.name] = prior.to_value(unit[:, k])
    return frame.assign(distance=pop.distances, generation=pop.generation, epsilon=pop.epsilon)


# --- the check: the baseline as `innovsim run` runs it --------------------------------------------
#: Package paths the check runs do not depend on: drawing the report.
CHECK_LEAVES_OUT = ("report/",)


def check_folder(journal_folder: Path, source: str, posterior_sha256: str, scale: float) -> Path:
    """Where a check's finished replicates are kept for ``--resume``: one folder per posterior (its
    hash), scale and version of the code the runs depend on. The journal's own identity leaves out
    :data:`sim.runner.PRESENTATION`, which holds the check's seeds and draws (``sim/runner.py``,
    ``sim/calibration/posterior.py``) and this module; so the folder is keyed on all the package
    but the report code, and a change to any of those runs the check again."""
    code = source_fingerprint(leave_out=CHECK_LEAVES_OUT)[:12]
    return journal_folder / f"check_{source}_{posterior_sha256[:12]}_scale{scale:g}_code{code}"


def run_checks(evaluator, posterior: Posterior, scenario, settings: CalibrationSettings, journal: Journal,
               horizon: int, *, progress: bool) -> dict[str, pd.DataFrame]:
    """Yearly indicators of the baseline to ``horizon`` under posterior draws and at the posterior median."""
    seeds = replicate_seeds(int(scenario.run["seed"]), settings.check_replicates)
    schedules = scenario.quarterly(horizon)
    tables = {}
    for source in ("posterior", "median"):
        reps = for_replicates(source, seeds, scenario.parameters, posterior=posterior.path)
        folder = check_folder(journal.folder, source, posterior.sha256(), settings.check_scale)
        folder.mkdir(parents=True, exist_ok=True)
        jobs = [Job(r, s, schedules, reps.parameters[r], settings.check_scale, horizon) for r, s in enumerate(seeds)]
        # a part cut short or damaged is run again (read_replicate removes it)
        todo = [j for j in jobs if not (folder / f"replicate_{j.replicate:05d}.parquet").exists()
                or read_replicate(folder / f"replicate_{j.replicate:05d}.parquet", j.replicate) is None]
        bar = _bar(progress, f"check ({source})", len(jobs), len(jobs) - len(todo))
        for frame in evaluator.imap_unordered(run_replicate, todo):
            r = int(frame["replicate"].iloc[0])
            write_atomic(folder / f"replicate_{r:05d}.parquet", lambda p: frame.to_parquet(p, index=False))
            bar.update(1)
        bar.close()
        table = pd.concat([pd.read_parquet(folder / f"replicate_{j.replicate:05d}.parquet") for j in jobs],
                          ignore_index=True)
        tables[source] = table
        tables[f"{source}_parameters"] = reps.table
    return tables


def _bar(progress: bool, label: str, total: int, initial: int):
    import sys

    from tqdm import tqdm

    return tqdm(total=total, initial=initial, desc=label, unit="replicate", file=sys.stderr, disable=not progress,
                dynamic_ncols=True)


def _linear_quantiles(values: np.ndarray, quantiles: tuple[float, ...] = (0.5, 0.05, 0.95)) -> tuple[float, ...]:
    """numpy's (linear) quantiles of ``values``, in the order :func:`whole_place_quantiles` gives them."""
    return tuple(float(np.quantile(values, q)) for q in quantiles)


def fit_table(targets: list[Target], checks: dict[str, pd.DataFrame], prior_stats: pd.DataFrame,
              residuals: Residuals | None = None) -> pd.DataFrame:
    """``fit.csv``: every comparable figure against the posterior predictive and the posterior median.

    ``simulated_p05``/``simulated_p95`` are the model's own band (parameters and dice);
    ``predictive_p05``/``predictive_p95`` add the model discrepancy (:mod:`sim.calibration.discrepancy`)
    to the years of a real series, estimated from ``residuals`` without the year itself (leave one
    out), so that no point is covered by its own residual. ``covered`` and ``consistent`` read the
    predictive band, ``covered_by_model`` the model's own. Documented single figures have no
    discrepancy estimate: their two bands are the same. A rank's medians and bands are whole places,
    its error widening the continuous position it is fitted on, as in a run's forecast table
    (:func:`sim.calibration.discrepancy.yearly_bands`).
    """
    rows = []
    post, med = checks["posterior"], checks["median"]
    for t in targets:
        if not t.comparable:
            continue
        v = post.loc[post["year"] == t.year, t.indicator].to_numpy(float)
        m = med.loc[med["year"] == t.year, t.indicator].to_numpy(float)
        low, high = t.bounds()
        # A rank's quantiles are whole places, and the model error widens its continuous position
        # (the places themselves where the checks lack it), as in a run's forecast table
        # (sim.calibration.discrepancy.yearly_bands).
        rank = t.indicator in WHOLE_PLACES
        quantiles = whole_place_quantiles if rank else _linear_quantiles
        p50, p05, p95 = quantiles(v)
        sd, (lo, hi) = np.nan, (p05, p95)
        if residuals is not None and t.series:
            held = None if t.holdout or t.weight <= 0 else (t.series, t.year)
            sd = for_series(residuals.estimate(leave_out=held), t.series, t.indicator, None).sd(t.year)
            if rank:
                has_position = t.fit_on is not None and t.fit_on in post.columns
                positions = post.loc[post["year"] == t.year, t.fit_on].to_numpy(float) if has_position else v
                lo, hi = place_band(positions, sd, PLACES)
            else:
                lo, hi = widen(v, sd)
        at_median = quantiles(m, (0.5,))[0]
        prior = prior_stats[t.id].to_numpy(float) if t.id in prior_stats else np.array([np.nan])
        prior = prior[np.isfinite(prior)]
        prior_q = quantiles(prior, (0.05, 0.5, 0.95)) if len(prior) else (np.nan, np.nan, np.nan)
        rows.append({
            "target_id": t.id, "indicator": t.indicator, "year": t.year, "documented": t.value,
            "simulated_median": p50, "simulated_p05": p05, "simulated_p95": p95, "tolerance": t.tolerance,
            "within": t.within(p50),
            "qualifier": t.qualifier, "low": low, "high": high, "covered": t.covered(lo, hi),
            "consistent": t.consistent(lo, hi), "covered_by_model": t.covered(p05, p95),
            "discrepancy_sd": sd, "predictive_p05": lo, "predictive_p95": hi,
            "at_posterior_median": at_median, "within_at_posterior_median": t.within(at_median),
            "holdout": t.holdout, "weight": t.weight, "kind": t.kind, "series": t.series or "",
            "regime": t.regime or "", "confidence": t.confidence or "",
            "published": t.published if t.published is not None else np.nan,
            "prior_p05": prior_q[0], "prior_median": prior_q[1], "prior_p95": prior_q[2],
        })
    return pd.DataFrame(rows)


def prior_predictive(journal: Journal) -> pd.DataFrame:
    """Simulated figures of generation 0 (draws from the prior), at the fitting scale."""
    records = journal.records(0)
    return pd.DataFrame([r.stats for r in records.values() if r.ok])


def write_outputs(stage: Path, result: Result, priors: Priors, targets: list[Target], distance: Distance,
                  posterior: Posterior, checks: dict[str, pd.DataFrame], settings: CalibrationSettings,
                  seconds: dict, journal: Journal, budget: int, adjustment: dict | None = None) -> dict:
    from sim.report.calibration import identification, write_report

    prior_stats = prior_predictive(journal)
    residuals = Residuals.from_fit(fit_table(targets, checks, prior_stats), checks["posterior"])
    fit = fit_table(targets, checks, prior_stats, residuals)
    fit.to_csv(stage / "fit.csv", index=False)
    to_frame(residuals.estimate()).to_csv(stage / "discrepancy.csv", index=False)
    checks["posterior"].to_parquet(stage / "predictive.parquet", index=False)
    history = result.history_frame()
    history.to_csv(stage / "generations.csv", index=False)
    regimes = fit[fit["kind"] == "regime"]
    fitted = fitted_points(fit)
    summary = {
        "settings": settings.flat(), "budget": budget, "stopped": result.stopped,
        "generations": len(result.history), "published_generation": result.population.generation,
        "particles": settings.smc.particles,
        "effective_sample_size": round(posterior.ess(), 1), "distinct_particles": posterior.distinct(),
        "final_epsilon": result.population.epsilon,
        "simulations": {"fitting": result.runs, "this_session": result.runs_now, "failed": result.failed,
                        "check": 2 * settings.check_replicates * (2 if (adjustment or {}).get("tried") else 1)},
        **seconds,
        "fit": {"targets": int(len(fitted)), "within": int(fitted["within"].sum()),
                "within_at_posterior_median": int(fitted["within_at_posterior_median"].sum()),
                "covered": int(fitted["covered"].sum()), "covered_by_model": int(fitted["covered_by_model"].sum()),
                "consistent": int(fitted["consistent"].sum())},
        "holdout": {"targets": int(fit["holdout"].sum()), "within": int(fit.loc[fit["holdout"], "within"].sum())},
        "regimes": {"targets": int(len(regimes)), "within": int(regimes["within"].sum()),
                    "within_at_posterior_median": int(regimes["within_at_posterior_median"].sum())},
        "posterior_median": posterior.median(),
        "partial_generation": result.partial,
        "history": _history(fit),
        "adjustment": adjustment or {"tried": bool(settings.adjust), "kept": bool(settings.adjust)},
        "identification": {k: round(v, 3) for k, v in identification(priors, posterior).items()},
    }
    (stage / "summary.json").write_text(json.dumps(summary, indent=1, default=float) + "\n")
    # a new fit's report shows no backtest or responses: any beside it in ``out`` predate the fit
    write_report(stage, summary, fit, history, priors, posterior, checks, targets)
    return summary


#: Outputs a calibration's report is written from (:func:`rewrite_report`).
REPORT_SOURCES = ("summary.json", "fit.csv", "generations.csv", "posterior.parquet", "predictive.parquet")


def rewrite_report(out: Path, targets_path: Path = DEFAULT_TARGETS, priors_path: Path = DEFAULT_PRIORS) -> dict:
    """Write ``report.md`` and its figures again from the calibration's outputs in ``out``, with the
    backtests and lever responses now beside it (:func:`sim.report.calibration.companion_sections`).
    Runs no model and changes no other file: the report of the same results, brought up to date
    with what was measured after the calibration (a new calibration's own report shows none of
    them, since any found beside it were computed before it). The targets and priors must be the
    ones the calibration used (its fit table and identification are checked against them), and every
    input is read before anything is replaced. Returns the calibration's summary."""
    from sim.report.calibration import companion_sections, write_report

    out = check_output(Path(out), "--out", whole=False)     # files replaced one by one: ``--out .`` is fine
    if not out.is_dir():
        raise InputError("does not exist; allowed: a folder written by innovsim calibrate", file=out, field="--out")
    missing = [name for name in REPORT_SOURCES if not (out / name).is_file()]
    if missing:
        raise InputError(f"holds no calibration to report (missing {', '.join(missing)}); allowed: a folder "
                         f"written by innovsim calibrate", file=out, field="--out")
    targets, priors = load_targets(targets_path), load_priors(priors_path)
    with locked(out):
        summary, fit, history, posterior, checks = _read_outputs(out)
        _same_inputs(out, summary, fit, posterior, targets, priors, targets_path, priors_path)
        companions = companion_sections(out)          # every companion read (or refused) before any file is replaced
        with staged(out, inside=True) as stage:      # inside ``out``: each file replaced by one rename
            (stage / "img").mkdir()
            try:
                write_report(stage, summary, fit, history, priors, posterior, checks, targets, companions)
            except (KeyError, ValueError, TypeError, AttributeError, IndexError) as exc:
                reason = " ".join(f"{exc.__class__.__name__}: {exc}".split())[:200]
                raise InputError(f"its outputs cannot be reported ({reason}); allowed: the files innovsim "
                                 f"calibrate writes", file=out, field="--out") from None
            publish_files(stage, out)
    return summary


def _read_outputs(out: Path) -> tuple:
    """The five outputs :func:`rewrite_report` reads, each checked as far as the report needs it;
    a file that cannot be read is the one-line error naming it."""
    from sim.report.calibration import read_table

    allowed = "what innovsim calibrate writes"
    try:
        summary = json.loads((out / "summary.json").read_text())
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot be read as JSON ({exc.__class__.__name__}); allowed: {allowed}",
                         file=out / "summary.json") from None
    needed = ("settings", "budget", "fit", "holdout", "generations", "simulations", "stopped", "final_epsilon",
              "effective_sample_size", "wall_seconds_total", "sessions", "identification")
    if not isinstance(summary, dict) or any(k not in summary for k in needed):
        absent = next((k for k in needed if not isinstance(summary, dict) or k not in summary), "")
        raise InputError(f"key missing; allowed: {allowed}", file=out / "summary.json", field=absent)
    fit_columns = FIT_COLUMNS + ["holdout", "series", "confidence", "published", "covered", "predictive_p05",
                                 "predictive_p95", "at_posterior_median"]
    fit = read_table(out / "fit.csv", fit_columns, allowed, keep_default_na=False, na_values=[""])
    history = read_table(out / "generations.csv", ["generation", "epsilon", "runs", "ess"], allowed,
                         keep_default_na=False, na_values=[""])
    for column in ("series", "confidence"):       # empty for documented figures, as fit_table writes them
        fit[column] = fit[column].fillna("")
    if "kind" not in fit:                         # a calibration written before regimes were targets
        fit["kind"] = np.where(fit["series"] != "", "series", "documented")
    fit["regime"] = fit["regime"].fillna("") if "regime" in fit else ""
    posterior = Posterior.load(out / "posterior.parquet")
    try:
        predictive = pd.read_parquet(out / "predictive.parquet")
    except Exception as exc:  # noqa: BLE001 - any unreadable file gets the same one-line answer
        raise InputError(f"cannot be read as Parquet ({exc.__class__.__name__}); allowed: {allowed}",
                         file=out / "predictive.parquet") from None
    if predictive.empty or "year" not in predictive or "weight" in predictive:
        raise InputError(f"is not a calibration's predictive draws (one row per replicate and year); allowed: "
                         f"{allowed}", file=out / "predictive.parquet")
    return summary, fit, history, posterior, {"posterior": predictive}


def _same_inputs(out: Path, summary: dict, fit: pd.DataFrame, posterior: Posterior, targets: list[Target],
                 priors: Priors, targets_path: Path, priors_path: Path) -> None:
    """Refuse targets or priors other than the ones the calibration in ``out`` was fitted with: the
    report would set its results beside ranges, targets or identification they were not computed on."""
    from sim.report.calibration import identification

    if set(posterior.names) != set(priors.names):
        raise InputError(f"does not match the calibration in {out}: its posterior has the free parameters "
                         f"{', '.join(sorted(posterior.names))}", file=priors_path, field="free")
    recorded = summary["identification"]
    recomputed = identification(priors, posterior)
    if set(recomputed) != set(recorded) or any(abs(v - float(recorded[k])) > 0.002 for k, v in recomputed.items()):
        raise InputError(f"does not match the calibration in {out}: its priors' ranges gave other widths "
                         f"(summary.json, identification)", file=priors_path, field="free")
    fitted = {(str(i), int(y)) for i, y in zip(fit["target_id"], fit["year"])}
    listed = {(t.id, int(t.year)) for t in targets if t.comparable}
    if fitted != listed:
        raise InputError(f"does not match the calibration in {out}: its fit.csv has {len(fitted)} targets, this "
                         f"file {len(listed)} (a backtest's calibration fits the years to its training year only)",
                         file=targets_path, field="targets")


def _history(fit: pd.DataFrame) -> dict:
    """The fit to the real series in brief (:mod:`sim.calibration.history`)."""
    per_series = series_summary(fit)
    return {"series": int(len(per_series)), "passing": int(per_series["passes"].sum()),
            "failing": per_series.loc[~per_series["passes"], "series"].tolist(),
            "pooled_coverage": round(pooled_coverage(fit), 3),
            "pooled_coverage_model_only": round(pooled_coverage(fit, "covered_by_model"), 3)}
