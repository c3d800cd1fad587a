"""Comparing results folders: aligned years, differences from a baseline, milestone criteria.

Differences are *paired by replicate seed*: replicate ``i`` of two runs made with the same master
seed uses the same random numbers until the scenarios diverge, so the difference between them
removes the noise they share (common random numbers). For each indicator and year we take the
difference replicate by replicate and report its median and its 5th, 25th, 75th and 95th
percentiles. When two runs share no seeds, the differences of every pair of replicates are used
instead (the distribution of X - Y for independent runs) and the table says ``paired = False``.

Runs with different horizons are compared over the years they have in common, and the note
returned by :func:`common_years` says so; :func:`mismatches` warns when runs differ in scale or in
where their behavioural parameters come from, which changes their numbers beyond the scenario.

The generated summary states a difference as a finding only when its 90 % band excludes zero *and*
it rests on at least :data:`MIN_PAIRS` paired replicates. Why five: with n pairs and no effect
(a difference as likely positive as negative), all n differences share a sign with probability
2 / 2^n; the empirical 90 % band of so few values spans all of them, so "the band excludes zero"
is that event. It happens by chance 50 % of the time at n = 2, 25 % at 3, 12.5 % at 4 and
6.25 % at 5: five pairs is the fewest at which a band excluding zero is at least roughly as
rare under no effect as a 90 % band claims. Unpaired runs (no shared seeds) need five replicates each.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from sim import indicators
from sim.errors import InputError
from sim.inputs import resolve_path
from sim.results import milestone_table, read_results
from sim.targets import load_series

#: Fewest paired replicates (or, unpaired, replicates per run) for a difference to be a finding.
MIN_PAIRS = 5
QUANTILES = {"p05_diff": 0.05, "p25_diff": 0.25, "median_diff": 0.5, "p75_diff": 0.75, "p95_diff": 0.95}


@dataclass
class Run:
    """One results folder, read."""

    label: str
    folder: Path
    indicators: pd.DataFrame
    summary: pd.DataFrame
    manifest: dict
    #: the run's own milestones.csv: its probabilities with the model error, computed by the run
    milestones: pd.DataFrame | None = None

    @property
    def scenario(self) -> dict:
        return self.manifest["scenario"]


def load_runs(folders: Sequence[Path]) -> list[Run]:
    """Read results folders (each in full, see :func:`sim.results.read_results`).

    Labels are scenario names; runs that share a name are told apart by their folder's name, then
    by its path, then by their position, so every label is unique.
    """
    runs: list[Run] = []
    seen: set[Path] = set()
    for folder in folders:
        folder = Path(folder)
        where = resolve_path(folder, field="RESULT_DIR")
        if where in seen:
            continue
        seen.add(where)
        data = read_results(folder)
        runs.append(Run(data["manifest"]["scenario"]["name"], folder, data["indicators"], data["summary"],
                        data["manifest"], data["milestones"]))
    names = {id(r): r.label for r in runs}
    for tell_apart in (lambda r: f"{names[id(r)]} ({r.folder.name})", lambda r: f"{names[id(r)]} ({r.folder})"):
        for label in {r.label for r in runs if sum(o.label == r.label for o in runs) > 1}:
            for r in runs:
                if r.label == label:
                    r.label = tell_apart(r)
    counts: dict[str, int] = {}
    for r in runs:
        if sum(o.label == r.label for o in runs) > 1:
            counts[r.label] = counts.get(r.label, 0) + 1
            r.label = f"{r.label} #{counts[r.label]}"
    return runs


def common_years(runs: Sequence[Run]) -> tuple[list[int], str | None]:
    """Years every run has, and a note when the runs' horizons differ."""
    spans = {r.label: set(r.indicators["year"].unique().tolist()) for r in runs}
    common = sorted(set.intersection(*spans.values()))
    if not common:
        raise InputError("the results folders share no simulated year", field="RESULT_DIR")
    ends = {label: max(years) for label, years in spans.items()}
    note = None
    if len(set(ends.values())) > 1:
        listed = ", ".join(f"{k} to {v}" for k, v in ends.items())
        note = f"Runs end in different years ({listed}); compared over {common[0]}-{common[-1]}, the years all have."
    return common, note


def mismatches(runs: Sequence[Run]) -> list[str]:
    """Warnings when runs differ in scale, horizon or parameter source (or posterior file)."""
    out: list[str] = []

    def differ(what: str, values: dict[str, object], consequence: str) -> None:
        if len({json.dumps(v, sort_keys=True, default=str) for v in values.values()}) > 1:
            listed = ", ".join(f"{k}: {v}" for k, v in values.items())
            out.append(f"Runs differ in {what} ({listed}); {consequence}.")

    differ("scale", {r.label: r.manifest["run"]["scale"] for r in runs},
           "differences mix the scenario's effect with the effect of scale (and the replicates no longer share random numbers)")
    _, horizons = common_years(runs)
    if horizons:
        out.append(horizons)
    # a scenario's own parameter overrides are part of the scenario (levers.csv lists them), not a mismatch
    from sim.runner import WITH_OVERRIDES

    differ("parameter source", {r.label: str(r.manifest["parameters"].get("source")).replace(WITH_OVERRIDES, "")
                                for r in runs},
           "differences mix the scenario's effect with that of the behavioural parameters")
    differ("posterior file", {r.label: (r.manifest["parameters"].get("posterior_sha256") or "none")[:12] for r in runs},
           "replicates with the same seed drew their parameters from different posteriors")
    return out


def check_indicators(names: Sequence[str]) -> list[str]:
    if not names:
        raise InputError(f"names no indicator; give one or more of: {', '.join(indicators.NAMES)}", field="--indicators")
    if len(set(names)) != len(names):
        raise InputError("names an indicator twice", field="--indicators")
    unknown = [n for n in names if n not in indicators.BY_NAME]
    if unknown:
        raise InputError(f"unknown indicator {unknown[0][:60]!r}; allowed: {', '.join(indicators.NAMES)}", field="--indicators")
    return list(names)


def paired_differences(run: Run, base: Run, names: Sequence[str], years: Sequence[int]) -> pd.DataFrame:
    """``scenario, indicator, year, median_diff, p05_diff, p25_diff, p75_diff, p95_diff, paired, pairs``.

    ``pairs``: replicates paired by seed; for unpaired runs, the smaller run's replicates (the
    independent information, although the quantiles use every pair of replicates)."""
    cols = ["seed", "year", *names]
    a = run.indicators.loc[run.indicators["year"].isin(years), cols]
    b = base.indicators.loc[base.indicators["year"].isin(years), cols]
    merged = a.merge(b, on=["seed", "year"], suffixes=("", "__base"))
    rows = []
    paired = not merged.empty
    for name in names:
        if paired:
            diff = merged[name] - merged[f"{name}__base"]
            grouped = pd.DataFrame({"year": merged["year"], "d": diff}).groupby("year")["d"]
            q = {k: grouped.quantile(v) for k, v in QUANTILES.items()}
            n = grouped.size()
        else:
            q = {k: {} for k in QUANTILES}
            n = {}
            for year in years:
                x = a.loc[a["year"] == year, name].to_numpy(float)
                y = b.loc[b["year"] == year, name].to_numpy(float)
                d = (x[:, None] - y[None, :]).ravel()
                for k, v in QUANTILES.items():
                    q[k][year] = float(np.quantile(d, v))
                n[year] = min(x.size, y.size)      # independent replicates, not the x.size * y.size pairs
        for year in years:
            rows.append({"scenario": run.label, "indicator": name, "year": int(year),
                         **{k: float(q[k][year]) for k in QUANTILES}, "paired": paired, "pairs": int(n[year])})
    out = pd.DataFrame(rows)
    return out[["scenario", "indicator", "year", "median_diff", "p05_diff", "p25_diff", "p75_diff", "p95_diff", "paired", "pairs"]]


def milestone_probabilities(runs: Sequence[Run], years: Sequence[int], base: Run | None = None,
                            series: Sequence | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """All-criteria probabilities (``scenario, milestone, year, probability_met``, a secondary
    figure) and each criterion per scenario (``milestone_criteria.csv``: the columns of
    :func:`sim.results.milestone_table`, then ``baseline_probability`` and ``probability_diff``,
    the scenario's share of replicates minus the baseline's; empty for criteria scored on data,
    which scenarios share). Every run is scored on the same real series. The differences are of
    the replicates' shares: a structural error the scenarios share does not tell them apart. Each
    scenario's ``probability_with_discrepancy`` is its own run's (``milestones.csv``), shown beside
    its share as the chance that the real value meets the criterion."""
    series = load_series() if series is None else series
    overall, detail = [], []
    for r in runs:
        table = milestone_table(r.indicators[r.indicators["year"].isin(years)], targets=[], series=series)
        table["probability_with_discrepancy"] = _own_with_error(r, table)
        table.insert(0, "scenario", r.label)
        all_rows = table[table["indicator"] == "all criteria"]
        overall.append(all_rows.rename(columns={"id": "milestone"})[["scenario", "milestone", "year", "probability_met"]])
        detail.append(table[table["indicator"] != "all criteria"])
    overall_t, detail_t = pd.concat(overall, ignore_index=True), pd.concat(detail, ignore_index=True)
    base_label = (base or runs[0]).label if runs else None
    ref = detail_t[detail_t["scenario"] == base_label].set_index(["id", "indicator"])["probability_met"]
    keys = list(zip(detail_t["id"], detail_t["indicator"]))
    detail_t["baseline_probability"] = [ref.get(k, np.nan) for k in keys]
    detail_t["probability_diff"] = detail_t["probability_met"] - detail_t["baseline_probability"]
    return overall_t, detail_t


def _own_with_error(run: Run, table: pd.DataFrame) -> list[float]:
    """Each criterion's probability with the model error from the run's own ``milestones.csv``
    (NaN where the run has none: a run not on the posterior, or an older one)."""
    own = run.milestones
    if own is None or "probability_with_discrepancy" not in own.columns:
        return [np.nan] * len(table)
    rows = own[own["kind"] == "milestone"]
    found = dict(zip(zip(rows["id"], rows["indicator"], rows["year"].astype(int)), rows["probability_with_discrepancy"]))
    return [float(found.get((i, n, int(y)), np.nan)) for i, n, y in zip(table["id"], table["indicator"], table["year"])]


def lever_table(runs: Sequence[Run], base: Run) -> pd.DataFrame:
    """Every lever, input or parameter override that some run sets differently from the baseline, per run."""
    rows = []
    for section in ("levers", "exogenous"):
        names = base.scenario[section].keys()
        for name in names:
            values = {r.label: r.scenario[section].get(name, {}) for r in runs}
            if all(v == values[base.label] for v in values.values()):
                continue
            rows.append({"input": name, "kind": "lever" if section == "levers" else "exogenous",
                         **{label: compact_changes(changes) for label, changes in values.items()}})
    # behavioural parameters a scenario sets itself (otherwise each replicate's posterior draw)
    overridden = sorted({n for r in runs for n in (r.scenario.get("parameters") or {})})
    for name in overridden:
        values = {r.label: (r.scenario.get("parameters") or {}).get(name) for r in runs}
        if all(v == values[base.label] for v in values.values()):
            continue
        rows.append({"input": name, "kind": "parameter",
                     **{label: "not set (calibrated)" if v is None else f"{v:g}" for label, v in values.items()}})
    return pd.DataFrame(rows)


def compact_changes(changes: dict[str, float], keep: int = 6) -> str:
    """Change points as text; a long run of quarterly changes (a ramp) is shortened to its ends."""
    items = [f"{q}: {v:.4g}" for q, v in changes.items()]
    if len(items) > keep:
        items = [*items[:2], f"\u2026 ({len(items) - 4} more quarterly steps) \u2026", *items[-2:]]
    return "; ".join(items)


def describe_differences(differences: pd.DataFrame, base: Run, milestones: pd.DataFrame, year: int, top: int = 3,
                         criteria: pd.DataFrame | None = None) -> list[str]:
    """Plain-language sentences: each scenario's largest relative differences in ``year`` among
    those whose 90 % band of paired differences excludes zero with at least :data:`MIN_PAIRS`
    pairs (noise is not news), then the milestone criteria whose probability moved by ten points
    or more and by at least :data:`MIN_PAIRS` replicates net (``criteria``, from
    :func:`milestone_probabilities`; without it, the all-criteria probabilities)."""
    base_median = base.summary[base.summary["year"] == year].set_index("indicator")["median"]
    sentences = []
    d = differences[differences["year"] == year]
    for scenario, rows in d.groupby("scenario", sort=False):
        rel = []
        if rows["pairs"].min() < MIN_PAIRS:
            sentences.append(f"{scenario} against {base.label} in {year}: {int(rows['pairs'].min())} paired "
                             f"replicate(s) are too few to tell a difference from noise (at least {MIN_PAIRS} "
                             f"needed; run both with more --replicates and the same --seed).")
            continue
        for _, r in rows.iterrows():
            ref = base_median.get(r["indicator"], np.nan)
            if r["indicator"] == "cluster_rank":
                # places, not percent; news only when the band of paired differences excludes zero
                if r["median_diff"] != 0 and (r["p05_diff"] > 0 or r["p95_diff"] < 0):
                    rel.append((abs(r["median_diff"]) * 0.25, f"cluster rank {'better' if r['median_diff'] < 0 else 'worse'} "
                                                               f"(median paired difference {r['median_diff']:+g} place(s), "
                                                               f"90 % band {r['p05_diff']:+g} to {r['p95_diff']:+g})"))
                continue
            if not np.isfinite(ref) or ref == 0:
                continue
            share = r["median_diff"] / abs(ref)
            clear = r["p05_diff"] > 0 or r["p95_diff"] < 0      # the 90 % band excludes zero
            if abs(share) < 0.005 or not clear:
                continue
            band = f"{100 * r['p05_diff'] / abs(ref):+.0f} % to {100 * r['p95_diff'] / abs(ref):+.0f} %"
            rel.append((abs(share), f"{r['indicator'].replace('_', ' ')} {100 * share:+.0f} % (90 % band {band})"))
        rel.sort(key=lambda x: -x[0])
        text = "; ".join(t for _, t in rel[:top]) or \
            "no indicator differs by more than half a percent with a 90 % band that excludes zero"
        if criteria is not None and "probability_diff" in criteria:
            # the same rule as for indicators: a criterion moved only when at least MIN_PAIRS replicates
            # more (or fewer) meet it, net; one replicate of six is not a finding
            pairs = int(rows["pairs"].min())
            c = criteria[(criteria["scenario"] == scenario) & (criteria["probability_diff"].abs() >= 0.1)
                         & ((criteria["probability_diff"].abs() * pairs).round() >= MIN_PAIRS)]
            moved = [f"{int(r['year'])} {r['criterion']} {100 * r['baseline_probability']:.0f} % → "
                     f"{100 * r['probability_met']:.0f} %" for _, r in c.iterrows()]
            tail = f" Milestone criteria: {'; '.join(moved)}." if moved else ""
        else:
            m = milestones[(milestones["scenario"] == scenario)]
            mb = milestones[(milestones["scenario"] == base.label)].set_index("milestone")["probability_met"]
            moved = [f"the {int(r['year'])} milestone {100 * mb.get(r['milestone'], np.nan):.0f} % → {100 * r['probability_met']:.0f} %"
                     for _, r in m.iterrows() if abs(r["probability_met"] - mb.get(r["milestone"], np.nan)) >= 0.1]
            tail = f" Milestones: {', '.join(moved)}." if moved else ""
        sentences.append(f"{scenario} against {base.label} in {year}: {text}.{tail}")
    return sentences
