"""How well the model reproduces Beijing's real yearly series, 2016-2021.

The calibration's fit table (``fit.csv``) has one row per target; the rows of a series
(``calibration/targets.yaml``, ``series:``) share its id in the ``series`` column. A series is
judged on two counts, as the project's acceptance criteria state them:

* **level, year by year**: at the posterior median (replicates run at the posterior's marginal
  medians) a year is *within* when the simulated value lies within that year's tolerance; a series
  passes when at least ``min(5, years)`` of its years are within (a series with fewer than five
  published years must be within in all of them);
* **bands**: the share of all fitted points whose real value lies inside the posterior predictive
  90 % band, which should be at least 80 %. That band is the model's own (parameters and dice)
  widened by the model discrepancy (:mod:`sim.calibration.discrepancy`), estimated for each point
  from the other points' residuals; the model's own band is scored beside it
  (``covered_by_model``), so the report shows how much of the coverage the discrepancy supplies.

Nothing here changes a tolerance: a series that misses is reported as a miss.
"""

from __future__ import annotations

import pandas as pd

#: Years within tolerance a series needs (fewer when it has fewer published years).
YEARS_REQUIRED = 5
#: Share of fitted points a 90 % band should cover.
COVERAGE_REQUIRED = 0.8


def fitted_points(fit: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``fit`` the calibration counts as its fitted points: documented figures and series
    years, neither held out nor a regime's year (regimes are fitted but reported apart)."""
    return fit[~fit["holdout"].astype(bool) & (fit["kind"] != "regime")]


def series_rows(fit: pd.DataFrame, *, fitted_only: bool = True) -> pd.DataFrame:
    """The rows of ``fit`` that belong to a series (not held out, weight above zero if ``fitted_only``)."""
    rows = fit[fit["series"].fillna("").astype(str) != ""]
    if fitted_only:
        rows = rows[~rows["holdout"].astype(bool) & (rows["weight"] > 0)]
    return rows


def series_summary(fit: pd.DataFrame) -> pd.DataFrame:
    """Per series: ``points``, ``within_at_median``, ``required``, ``passes``, ``covered``, ``coverage``,
    and ``missed_years`` (the years outside tolerance at the posterior median)."""
    out = []
    for name, rows in series_rows(fit).groupby("series", sort=False):
        within = rows["within_at_posterior_median"].astype(bool)
        required = min(YEARS_REQUIRED, len(rows))
        out.append({"series": name, "indicator": rows["indicator"].iloc[0], "points": len(rows),
                    "within_at_median": int(within.sum()), "required": required,
                    "passes": bool(within.sum() >= required), "covered": int(rows["covered"].astype(bool).sum()),
                    "coverage": float(rows["covered"].astype(bool).mean()),
                    "coverage_model_only": float(rows["covered_by_model"].astype(bool).mean())
                    if "covered_by_model" in rows else float("nan"),
                    "missed_years": " ".join(str(int(y)) for y in rows.loc[~within, "year"])})
    return pd.DataFrame(out, columns=["series", "indicator", "points", "within_at_median", "required", "passes",
                                      "covered", "coverage", "coverage_model_only", "missed_years"])


def pooled_coverage(fit: pd.DataFrame, column: str = "covered") -> float:
    """Share of all fitted series points inside the posterior predictive 90 % band (``covered``:
    with the model discrepancy; ``covered_by_model``: the model's own band)."""
    rows = series_rows(fit)
    return float(rows[column].astype(bool).mean()) if len(rows) else float("nan")
