"""The results folder: tables derived from the replicates' yearly indicators.

A results folder holds ``indicators.csv`` and ``indicators.parquet`` (one row per replicate and
year), ``patterns.csv`` (the stylised facts of :mod:`sim.patterns`, one row per replicate and year), ``summary.csv`` (quantiles across replicates), ``forecast.csv`` (for indicators with a real
series, the bands widened by the calibrated model discrepancy, :mod:`sim.calibration.discrepancy`;
runs on the posterior only), ``milestones.csv`` (the plans' milestones
and the documented figures against the simulation), ``manifest.json`` (everything needed to
reproduce the run), ``plots/`` and ``report.html``. Reports read only these files, never a live
model, so runs, comparisons, sweeps and calibration share one format.
"""

from __future__ import annotations

import datetime as dt
import json
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from sim import __version__, indicators
from sim.calibration.discrepancy import median_and_band
from sim.milestones import MILESTONES, SCORED_ON_DATA, SKIPPED, all_criteria_probability, evaluate
from sim.targets import Series, Target, load_series, load_targets
from sim.world.clusters import place_method

QUANTILES = {"p05": 0.05, "p25": 0.25, "median": 0.5, "p75": 0.75, "p95": 0.95}
FILES = ("indicators.csv", "indicators.parquet", "patterns.csv", "summary.csv", "milestones.csv", "manifest.json", "report.html")


def warnings(table: pd.DataFrame) -> list[str]:
    """What a reader must know about how the run went: levers the budgets could not deliver."""
    out = []
    if "permit_budget_binding_quarters" in table:
        bound = table[table["permit_budget_binding_quarters"] > 0]
        if len(bound):
            out.append(f"the immigration budget bound in {len(bound)} of {len(table)} replicate-years (first in "
                       f"{int(bound['year'].min())}): permits took longer than the target visa_processing_days "
                       "(see permit_processing_days); raise immigration_budget_myuan to deliver the target")
    return out


#: Indicators counted in whole places: their quantiles are places too (the lower of two
#: neighbouring values below the median, the higher above it), never 3.55 of a ranking.
WHOLE_PLACES = tuple(i.name for i in indicators.INDICATORS if i.unit.startswith("rank (1"))


def summarise(table: pd.DataFrame) -> pd.DataFrame:
    """``indicator, year, mean, median, p05, p25, p75, p95`` across replicates (whole places for
    ranks, :data:`WHOLE_PLACES`)."""
    long = table.melt(id_vars=["replicate", "seed", "year"], value_vars=list(indicators.NAMES),
                      var_name="indicator", value_name="value")
    grouped = long.groupby(["indicator", "year"], sort=False)["value"]
    out = grouped.mean().rename("mean").to_frame()
    ranks = out.index.get_level_values("indicator").isin(WHOLE_PLACES)
    for name, q in QUANTILES.items():
        out[name] = grouped.quantile(q)
        if ranks.any():
            out.loc[ranks, name] = grouped.quantile(q, interpolation=place_method(q))[ranks]
    out = out.reset_index()[["indicator", "year", "mean", "median", "p05", "p25", "p75", "p95"]]
    order = {name: i for i, name in enumerate(indicators.NAMES)}
    return out.sort_values(["indicator", "year"], key=lambda s: s.map(order) if s.name == "indicator" else s,
                           kind="stable").reset_index(drop=True)


def _values(table: pd.DataFrame, indicator: str, year: int) -> np.ndarray:
    return table.loc[table["year"] == year, indicator].to_numpy(dtype=float)


#: Columns of ``milestones.csv`` that only milestone criteria fill (after the shared ones).
MILESTONE_COLUMNS = ("criterion", "basis", "real_value", "distance", "relative_distance", "note",
                     "probability_with_discrepancy")


def milestone_table(table: pd.DataFrame, targets: list[Target] | None = None,
                    series: Sequence[Series] | None = None, discrepancy=None) -> pd.DataFrame:
    """Milestones (each criterion, and all of a year's criteria together) and documented figures.

    A milestone criterion is *scored on data* where the real series (``series``, by default
    :func:`sim.targets.load_series`) has its year, otherwise a *forecast* (``basis``); its row
    gives the threshold and its ``source``, the probability (share of replicates meeting it), the
    simulated median and band, the real value where scored on data, the distance to the
    threshold (median or real value minus threshold, and relative to it), and, with
    ``discrepancy``, the forecast's probability with the model discrepancy
    (:func:`sim.milestones.probability_with_discrepancy`). A criterion whose
    indicator the results lack is kept with ``basis`` ``skipped`` and a ``note``.

    ``met`` is true or false (a nullable boolean); where it cannot be judged (a documented figure
    not comparable with an indicator, or of a year the run does not reach; a skipped criterion)
    it is empty and ``status`` says why; otherwise ``status`` is ``met`` or ``not met``.
    """
    targets = load_targets() if targets is None else targets
    series = load_series() if series is None else series
    years = set(table["year"].unique())
    rows: list[dict] = []
    for m in MILESTONES:
        results = evaluate(m, table, series, discrepancy)
        if m.year not in years and all(r.status != SCORED_ON_DATA for r in results):
            continue
        for r in results:
            c = r.criterion
            row = {"kind": "milestone", "id": m.id, "description": m.goal, "year": m.year, "indicator": c.name,
                   "comparison": c.comparison, "target": c.threshold, "simulated_median": r.median,
                   "simulated_p05": r.p05, "simulated_p95": r.p95, "probability_met": r.probability,
                   "met": r.met, "source": c.source, "criterion": c.describe(), "basis": r.status,
                   "real_value": r.real_value, "distance": r.distance, "relative_distance": r.relative_distance,
                   "probability_with_discrepancy": r.probability_with_discrepancy, "note": r.note}
            if r.status == SKIPPED:
                row["status"] = f"not applicable: {r.note}"
            rows.append(row)
        p_all = all_criteria_probability(m, table, series, results)
        bases = {r.status for r in results if r.status != SKIPPED}
        rows.append({"kind": "milestone", "id": m.id, "description": m.goal, "year": m.year,
                     "indicator": "all criteria", "comparison": "all", "probability_met": p_all,
                     "met": None if np.isnan(p_all) else bool(p_all >= 0.5),
                     "status": "not applicable: no criterion could be scored" if np.isnan(p_all) else None,
                     "criterion": "all criteria together (secondary figure)",
                     "basis": bases.pop() if len(bases) == 1 else ("mixed" if bases else SKIPPED),
                     "note": "share of replicates meeting every scored criterion at once"})
    for t in targets:
        row = {"kind": t.kind, "id": t.id, "description": t.note or "", "year": t.year,
               "indicator": t.indicator or "", "comparison": t.qualifier, "target": t.value,
               "tolerance": t.tolerance, "source": t.source, "holdout": t.holdout}
        if not t.comparable:
            row.update(description=t.reason, met=None, status="not applicable: not comparable with a simulated "
                                                              "indicator (see description)")
        elif t.year not in years:
            row.update(met=None, status=f"not applicable: {t.year} is not simulated in this run")
        else:
            v = _values(table, t.indicator, t.year)
            low, high = t.bounds()
            # a rank's median and band are places (ties: the better)
            median, p05, p95 = median_and_band(v, rank=t.indicator in WHOLE_PLACES)
            row.update(simulated_median=median, simulated_p05=p05, simulated_p95=p95, low=low, high=high,
                       probability_met=float(np.mean([t.within(x) for x in v])), met=t.within(median))
        rows.append(row)
    cols = ["kind", "id", "description", "year", "indicator", "comparison", "target", "tolerance", "low", "high",
            "simulated_median", "simulated_p05", "simulated_p95", "probability_met", "met", "status", "source", "holdout",
            *MILESTONE_COLUMNS]
    out = pd.DataFrame(rows).reindex(columns=cols)
    out["met"] = out["met"].astype("boolean")        # true or false; empty only where `status` says why
    out["status"] = out["status"].where(out["met"].isna(), out["met"].map({True: "met", False: "not met"}))
    return out


def package_versions() -> dict[str, str]:
    out = {"python": platform.python_version(), "innovsim": __version__}
    for name in ("mesa", "numpy", "scipy", "pandas", "pyarrow", "pydantic", "matplotlib", "pyyaml"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def git_commit(where: Path) -> dict[str, object]:
    """Commit of the code that ran, and whether the work tree had uncommitted changes."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=where, capture_output=True, text=True, timeout=10).stdout.strip()
    try:
        commit = git("rev-parse", "HEAD")
        dirty = bool(git("status", "--porcelain", "--untracked-files=no"))
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}
    return {"commit": commit or None, "dirty": dirty if commit else None}


def write_tables(table: pd.DataFrame, settings, folder: Path) -> dict[str, pd.DataFrame]:
    """Write the tables and the manifest into ``folder``; returns the tables for the report."""
    from sim.runner import PACKAGE_DIR, replicate_seeds
    from sim.parameters import SPECS

    from sim import patterns

    found = [name for name in patterns.NAMES if name in table]
    table[["replicate", "seed", "year", *found]].to_csv(folder / "patterns.csv", index=False)
    table = table.drop(columns=found)
    table.to_csv(folder / "indicators.csv", index=False)
    table.to_parquet(folder / "indicators.parquet", index=False)
    summary = summarise(table)
    summary.to_csv(folder / "summary.csv", index=False)
    estimates, forecast_note = run_discrepancy(settings)
    milestones = milestone_table(table, discrepancy=estimates)
    milestones.to_csv(folder / "milestones.csv", index=False)
    defaults = {p.name: p.default for p in SPECS}
    files = list(FILES)
    forecast = None
    if estimates is not None:
        from sim.calibration.discrepancy import forecast_table

        forecast = forecast_table(table, estimates, load_series())
        forecast.to_csv(folder / "forecast.csv", index=False)
        files.append("forecast.csv")
    if settings.parameter_table is not None and len(settings.parameter_table.columns) > 2:
        settings.parameter_table.to_csv(folder / "parameters.csv", index=False)
        files.append("parameters.csv")
    manifest = {
        "innovsim": __version__,
        "created_utc": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "scenario": settings.scenario.resolved(),
        "run": {"replicates": settings.replicates, "seed": settings.seed, "scale": settings.scale,
                "horizon": settings.horizon, "workers": settings.workers, "agents": settings.agents},
        "replicate_seeds": replicate_seeds(settings.seed, settings.replicates),
        "parameters": {**settings.parameter_provenance, "source": settings.parameter_source,
                       "changed_from_default": {k: v for k, v in settings.parameters.items() if v != defaults[k]}
                       if settings.replicate_parameters is None else "per replicate: see parameters.csv"},
        "packages": package_versions(),
        "git": git_commit(PACKAGE_DIR.parent),
        "timings_s": {k: round(v, 3) for k, v in settings.timings.items()},
        "warnings": warnings(table),
        "forecast": forecast_note,
        "files": files + ["plots/"],
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str) + "\n")
    return {"indicators": table, "summary": summary, "milestones": milestones, "manifest": manifest,
            "forecast": forecast}


def run_discrepancy(settings) -> tuple[dict | None, dict]:
    """The model discrepancy a run applies (``forecast.csv``, milestone probabilities), and a note
    for the manifest. The discrepancy is estimated against the posterior predictive, so it is used
    only when every replicate draws from a posterior whose calibration left a ``discrepancy.csv``
    beside it; otherwise the note says why there is none."""
    from sim.calibration.discrepancy import beside, from_frame

    provenance = settings.parameter_provenance or {}
    if provenance.get("source") != "posterior" or not provenance.get("posterior"):
        return None, {"written": False, "why": "the model discrepancy applies to runs that draw every replicate "
                                               "from the calibrated posterior (--parameters posterior)"}
    path = beside(provenance["posterior"])
    if not path.exists():
        return None, {"written": False, "why": f"no {path.name} beside the posterior {provenance['posterior']}"}
    try:
        estimates = from_frame(pd.read_csv(path))
    except (ValueError, KeyError, AttributeError, OSError) as exc:
        return None, {"written": False, "why": f"{path} could not be read ({exc.__class__.__name__})"}
    return estimates, {"written": True, "discrepancy": str(path)}


def read_results(folder: Path) -> dict[str, object]:
    """Read a results folder written by ``innovsim run``, in full.

    Anything that cannot be read, or is not whole (a table cut short, a manifest without its
    scenario, a summary that lacks indicators or years the indicators have), is an
    :class:`~sim.errors.InputError` naming the file: a comparison never rests on part of a run.
    """
    from sim.errors import InputError

    folder = Path(folder)
    missing = [f for f in ("indicators.parquet", "summary.csv", "milestones.csv", "manifest.json")
               if not (folder / f).is_file()]
    if not folder.is_dir() or missing:
        raise InputError(f"is not an innovsim results folder (missing {', '.join(missing) or 'folder'})", file=folder)

    def read(name: str, reader):
        try:
            return reader(folder / name)
        except Exception as exc:  # noqa: BLE001 - any unreadable file gets the same one-line answer
            raise InputError(f"cannot be read ({exc.__class__.__name__}); the results folder is damaged, "
                             f"run the scenario again", file=folder / name) from None

    table = read("indicators.parquet", pd.read_parquet)
    summary = read("summary.csv", pd.read_csv)
    milestones = read("milestones.csv", lambda p: pd.read_csv(p, dtype={"met": "boolean"}))
    manifest = read("manifest.json", lambda p: json.loads(p.read_text()))

    def damaged(name: str, what: str) -> InputError:
        return InputError(f"is incomplete or damaged ({what}); run the scenario again", file=folder / name)

    if not isinstance(manifest, dict) or not isinstance(manifest.get("scenario"), dict) \
            or not isinstance(manifest["scenario"].get("name"), str) \
            or not all(isinstance(manifest["scenario"].get(k), dict) for k in ("levers", "exogenous")):
        raise damaged("manifest.json", "no scenario name, levers and exogenous inputs")
    columns = ["replicate", "seed", "year", *indicators.NAMES]
    if [c for c in columns if c not in table.columns] or table.empty:
        raise damaged("indicators.parquet", "indicator columns missing")
    n = manifest.get("run", {}).get("replicates") if isinstance(manifest.get("run"), dict) else None
    years = sorted(set(table["year"].tolist()))
    if n is not None and (table["replicate"].nunique() != n or len(table) != n * len(years)):
        raise damaged("indicators.parquet", f"{len(table)} rows, not {n} replicates x {len(years)} years")
    expected = {(name, int(y)) for name in indicators.NAMES for y in years}
    summary_years = pd.to_numeric(summary["year"], errors="coerce") if "year" in summary.columns else None
    if list(summary.columns) != ["indicator", "year", "mean", "median", "p05", "p25", "p75", "p95"] or \
            summary_years.isna().any() or \
            set(zip(summary["indicator"], summary_years.astype(int))) != expected or len(summary) != len(expected) \
            or summary[["mean", "median", "p05", "p25", "p75", "p95"]].isna().any().any():
        raise damaged("summary.csv", "not one complete row per indicator and year")
    if "kind" not in milestones.columns or "id" not in milestones.columns:
        raise damaged("milestones.csv", "columns missing")
    return {"indicators": table, "summary": summary, "milestones": milestones, "manifest": manifest}
