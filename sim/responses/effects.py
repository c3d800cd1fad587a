"""Effects of the experiments: paired percentage differences from the baseline, and the check.

Replicate ``r`` of the baseline and of each experiment share a seed and a parameter draw, so
their difference is the lever's effect on that replicate (common random numbers). For each
experiment, outcome and reading year the table gives the median of the paired percentage
differences with a 90 % band (5th to 95th percentile across replicates), the implied
elasticity at the median, the evidence range, whether the median lies inside it (``inside``),
and whether the range is consistent with the estimate given the replicates' noise
(``consistent``: the median's band of two standard errors, ``2 x 1.2533 x sd / sqrt(n)``, the
large-sample standard error of a median, overlaps the range). With few replicates a small true
effect near a range's edge can put the median just outside; ``consistent`` says whether the
replicates could tell.

Two standard errors is a 95 % test for one row; the table has about 160, so a few rows whose true
effect sits at a range's edge (an effect of nil against "never down") fail it by chance alone.
``consistent_familywise`` repeats the check with the band widened to ``z_m`` standard errors, the
Bonferroni bound for the ``m`` checked rows at a 5 % family-wise error rate
(``z_m = Phi^-1(1 - 0.05 / 2m)``, 3.6 for ``m = 160``; Dunn 1961): a row that fails it is outside
its range beyond what chance across the whole table explains. The ranges are the same in both.
"""

from __future__ import annotations

import math
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from sim import indicators
from sim import levers as catalogue
from sim.responses.experiments import HORIZONS, Experiment, reading_year

BASELINE = "baseline"
COLUMNS = ("lever", "kind", "change", "outcome", "year_index", "year", "replicates", "baseline_median",
           "effect_median_pct", "effect_p05_pct", "effect_p95_pct", "lever_change_pct", "elasticity",
           "elasticity_unit", "range_low_pct", "range_high_pct", "median_se_pct", "inside", "consistent",
           "consistent_familywise",
           "source", "note")


def paired_pct(table: pd.DataFrame, arm: str, indicator: str, year: int) -> np.ndarray:
    """Per replicate, 100 x (experiment - baseline) / baseline (0 where both are 0, NaN where only the base is)."""
    def values(name: str) -> pd.Series:
        rows = table[(table["arm"] == name) & (table["year"] == year)]
        return rows.set_index("replicate")[indicator].astype(float).sort_index()

    base, exp = values(BASELINE), values(arm)
    base, exp = base.align(exp, join="inner")
    b, e = base.to_numpy(), exp.to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(b != 0, 100.0 * (e - b) / b, np.where(e == b, 0.0, np.nan))
    return pct


def missing_indicators(chosen: Sequence[Experiment]) -> list[str]:
    """Outcome indicators the model does not (yet) report, in order of first use."""
    out: list[str] = []
    for e in chosen:
        for o in e.outcomes:
            if o.indicator not in indicators.NAMES and o.indicator not in out:
                out.append(o.indicator)
    return out


def effects(table: pd.DataFrame, chosen: Sequence[Experiment], base: Mapping[str, np.ndarray]) -> pd.DataFrame:
    """The response table: one row per experiment, outcome and reading year (see :data:`COLUMNS`)."""
    rows = []
    for e in chosen:
        for o in e.outcomes:
            for k in HORIZONS:
                year = reading_year(k)
                change = e.lever_change_pct(base, k)
                low, high = o.bounds(k, change)
                row = {"lever": e.lever, "kind": catalogue.BY_NAME[e.lever].kind, "change": e.describe(base),
                       "outcome": o.indicator, "year_index": k, "year": year, "lever_change_pct": change,
                       "elasticity_unit": e.elasticity_unit(), "range_low_pct": low, "range_high_pct": high,
                       "source": o.source, "note": e.note}
                if o.indicator not in indicators.NAMES:
                    row["note"] = "; ".join(filter(None, [f"skipped: the model has no indicator {o.indicator} yet "
                                                          "(not in sim.indicators.NAMES)", e.note]))
                    rows.append(row)
                    continue
                pct = paired_pct(table, e.lever, o.indicator, year)
                ok = pct[np.isfinite(pct)]
                base_values = table[(table["arm"] == BASELINE) & (table["year"] == year)][o.indicator]
                median = float(np.median(ok)) if len(ok) else math.nan
                se = 1.2533 * float(np.std(ok, ddof=1)) / math.sqrt(len(ok)) if len(ok) > 1 else math.nan
                row.update(replicates=len(ok), baseline_median=float(base_values.median()), effect_median_pct=median,
                           effect_p05_pct=float(np.quantile(ok, 0.05)) if len(ok) else math.nan,
                           effect_p95_pct=float(np.quantile(ok, 0.95)) if len(ok) else math.nan,
                           elasticity=median / change if change and math.isfinite(change) else math.nan,
                           inside=bool(low <= median <= high) if math.isfinite(median) else False,
                           median_se_pct=se,
                           consistent=bool(median + 2 * se >= low and median - 2 * se <= high)
                           if math.isfinite(median) and math.isfinite(se) else bool(low <= median <= high))
                rows.append(row)
    frame = pd.DataFrame(rows).reindex(columns=list(COLUMNS))
    frame["inside"] = frame["inside"].astype("boolean")
    frame["consistent"] = frame["consistent"].astype("boolean")
    frame["consistent_familywise"] = consistent_familywise(frame).astype("boolean")
    frame["replicates"] = frame["replicates"].astype("Int64")
    return frame


def familywise_z(m: int, alpha: float = 0.05) -> float:
    """Standard errors a two-sided band needs so that ``m`` checks together err with probability at
    most ``alpha`` (Bonferroni: each at ``alpha / m``; Dunn 1961). ``familywise_z(1)`` is 1.96."""
    from scipy.stats import norm

    return float(norm.ppf(1.0 - alpha / (2.0 * max(m, 1))))


def consistent_familywise(frame: pd.DataFrame, alpha: float = 0.05) -> pd.Series:
    """For each checked row, whether its range meets the median's band of ``familywise_z(m)``
    standard errors, ``m`` the number of checked rows; missing for skipped rows."""
    checked = frame["inside"].notna()
    z = familywise_z(int(checked.sum()), alpha)
    median, se = frame["effect_median_pct"].astype(float), frame["median_se_pct"].astype(float)
    low, high = frame["range_low_pct"].astype(float), frame["range_high_pct"].astype(float)
    band = (median + z * se >= low) & (median - z * se <= high)
    out = band.where(se.notna(), (low <= median) & (median <= high))
    return out.astype(object).where(checked, None)
