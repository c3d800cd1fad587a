"""Scoring a forecast against the real series: bands, errors, and two naive forecasters to beat.

A model meant to forecast should be judged on years it has not seen (Hyndman & Athanasopoulos,
*Forecasting: Principles and Practice*, 3rd ed., 2021, sections 5.4 and 5.8): the calibration sees
the years up to ``train_until`` only, and the posterior predictive replicates of the later years
are its forecast. Each real value of a later year (a *point*) is scored on four counts:

* **coverage**: whether the real value lies in the 90 % forecast band: the replicates' values
  (each with its own posterior draw) widened by the model discrepancy that the calibration
  estimated from the training years, growing with the years since the series' last training year
  (:mod:`sim.calibration.discrepancy`). A well-calibrated band covers about 90 % of points; the
  project asks for 80 % (:data:`COVERAGE_TARGET`), the same bar as the fit of the training years
  (:mod:`sim.calibration.history`). The replicates' own band (5th to 95th percentile: parameters
  and dice only) is scored beside it (``covered_by_model``), so the report shows what the
  discrepancy adds;
* **error**: the absolute percentage error of the median, ``|median - real| / |real|``, averaged
  over points into the mean absolute percentage error (MAPE);
* **interval score** of the band (Gneiting & Raftery 2007, eq. 43, alpha = 0.1), on the logarithm
  of the values so that series of every size weigh alike: the band's log width plus ``2 / alpha``
  times the log distance by which the real value falls outside it (lower is better). Coverage
  alone rewards wide bands; this proper score weighs coverage against width, and it decided the
  discrepancy's estimator (docs/calibration.md, section 4.2);
* **tolerance**: whether the median is within the series' tolerance, read as the targets file
  reads it (:meth:`sim.targets.Target.bounds`): relative for counts and amounts,
  ``|median - real| / |real| <= tolerance``; absolute for shares (real values below 1 in
  magnitude, whose tolerance is in share points), ``|median - real| <= tolerance``; for ranks, the
  median rounded to a whole place equals the real rank.

An error means little without a yardstick, so each point is also forecast by two naive methods
fitted by ordinary least squares to the series' own training years: a **straight line** (constant
yearly increase) and a **log-linear trend** (constant growth rate, OLS on the logarithm). These
are the simple benchmarks a structural model must beat to earn its complexity (Makridakis,
Spiliotis & Assimakopoulos 2018, "Statistical and Machine Learning forecasting methods", PLoS ONE
13(3)). A series needs two training years for a trend; with fewer its naive forecasts are missing
and its points say so in ``note``.

Ranks (the WIPO cluster rank, 1 best) are small whole numbers: a percentage error on them is
crude (one place from 4 is 25 %, from 5 is 20 %), and the log-linear trend of a rank means
little. They are scored like the rest so nothing is hidden, and their rows are marked. Their
medians and bands are whole places, the model error widening the continuous position that rounds
to the rank, as in a run's forecast table.

Gneiting, T. & Raftery, A. E. (2007). Strictly proper scoring rules, prediction, and estimation.
*Journal of the American Statistical Association* 102(477), 359-378.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from sim.calibration.discrepancy import SeriesDiscrepancy, for_series, yearly_bands
from sim.world.clusters import PLACES, POSITION_INDICATOR, place_method

#: Share of forecast points the 90 % bands should cover.
COVERAGE_TARGET = 0.8
#: Share of the real values a 90 % band leaves out (the interval score's alpha).
BAND_ALPHA = 0.1
#: Columns of :func:`score_points`.
POINT_COLUMNS = ("series", "indicator", "year", "observed", "median", "p05", "p95", "covered", "model_p05", "model_p95",
                 "covered_by_model", "discrepancy_sd", "interval_score", "ape_model", "line", "ape_line", "loglinear",
                 "ape_loglinear", "within_tolerance", "note")
#: Columns of :func:`summarise`.
SUMMARY_COLUMNS = ("series", "points", "coverage", "coverage_model_only", "interval_score", "mape_model", "mape_line",
                   "mape_loglinear", "beats_line")
POOLED = "all"


@dataclass(frozen=True)
class Observed:
    """A real yearly series as the scorer reads it; ``tolerance`` as in the targets file."""

    series: str
    indicator: str
    values: Mapping[int, float]          # year -> real value
    tolerance: float
    is_rank: bool = False
    measured_on: Mapping[int, str] = field(default_factory=dict)   # year -> its own indicator, where it differs

    def indicator_of(self, year: int) -> str:
        """The indicator ``year`` is compared with (a count dated before the year's round has its own)."""
        return self.measured_on.get(year, self.indicator)


def _training(values: Mapping[int, float], train_years: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    years = [y for y in train_years if y in values]
    if not years:
        raise ValueError("no training year has a value")
    return np.array(years, dtype=float), np.array([values[y] for y in years], dtype=float)


def _ols(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Intercept and slope of the least-squares line; the slope is 0 for a single distinct ``x``."""
    centre = x.mean()
    spread = float(((x - centre) ** 2).sum())
    slope = float(((x - centre) * (y - y.mean())).sum() / spread) if spread > 0 else 0.0
    return float(y.mean() - slope * centre), slope


def straight_line(values: Mapping[int, float], train_years: Sequence[int], years: Sequence[int]) -> dict[int, float]:
    """The OLS line through the training years' values, evaluated at ``years`` (flat for one year)."""
    x, y = _training(values, train_years)
    a, b = _ols(x, y)
    return {int(t): a + b * t for t in years}


def log_linear(values: Mapping[int, float], train_years: Sequence[int], years: Sequence[int]) -> dict[int, float]:
    """``exp`` of the OLS line through the logarithms of the training values: a constant growth rate.

    Raises ``ValueError`` when a training value is zero or negative (no logarithm)."""
    x, y = _training(values, train_years)
    if not (y > 0).all():
        raise ValueError("a log-linear trend needs positive values")
    a, b = _ols(x, np.log(y))
    return {int(t): math.exp(a + b * t) for t in years}


def forecast_bands(draws: pd.DataFrame, indicator: str, is_rank: bool = False) -> pd.DataFrame:
    """Per year, ``year, p05, median, p95`` of ``indicator`` across replicates (missing values left
    out); for a rank, whole places (:func:`sim.world.clusters.place_method`).

    ``draws`` is the long table the model writes: one row per replicate and year."""
    if indicator not in draws.columns:
        raise ValueError(f"the draws have no indicator {indicator!r}")
    grouped = draws[["year", indicator]].dropna().groupby("year")[indicator]
    how = {q: place_method(q) if is_rank else "linear" for q in (0.05, 0.5, 0.95)}
    out = pd.DataFrame({"p05": grouped.quantile(0.05, interpolation=how[0.05]),
                        "median": grouped.quantile(0.5, interpolation=how[0.5]),
                        "p95": grouped.quantile(0.95, interpolation=how[0.95])})
    return out.reset_index().astype({"year": int})[["year", "p05", "median", "p95"]]


def discrepancy_bands(draws: pd.DataFrame, obs: Observed, delta: SeriesDiscrepancy) -> pd.DataFrame:
    """The yearly bands of ``obs`` widened by ``delta`` (:func:`sim.calibration.discrepancy.yearly_bands`);
    a rank's from its continuous position, in whole places, as a run's forecast table gives them."""
    return yearly_bands(draws, obs.indicator, delta, position=POSITION_INDICATOR if obs.is_rank else None,
                        places=PLACES)


def series_discrepancy(discrepancy: Mapping[str, SeriesDiscrepancy] | None, obs: Observed,
                       train_until: int) -> SeriesDiscrepancy | None:
    """The training calibration's discrepancy of ``obs``, drifting from the series' last training
    year (None without a discrepancy)."""
    if discrepancy is None:
        return None
    train = [y for y in obs.values if y <= train_until]
    return for_series(discrepancy, obs.series, obs.indicator, max(train) if train else train_until)


def ape(forecast: float, observed: float) -> float:
    """Absolute percentage error as a fraction, ``|forecast - observed| / |observed|`` (NaN if undefined)."""
    if not (math.isfinite(forecast) and math.isfinite(observed)) or observed == 0:
        return math.nan
    return abs(forecast - observed) / abs(observed)


def covered(observed: float, p05: float, p95: float) -> bool:
    """Whether the real value lies in the band (ends included); False when the band is missing."""
    return bool(p05 <= observed <= p95) if math.isfinite(p05) and math.isfinite(p95) else False


def interval_score(observed: float, p05: float, p95: float, alpha: float = BAND_ALPHA) -> float:
    """Interval score of the band ``[p05, p95]`` for the real value, on the log scale (Gneiting &
    Raftery 2007, eq. 43; lower is better): the log width plus ``2 / alpha`` times the log distance
    outside the band. NaN when a value is missing or not positive.

    >>> round(interval_score(100.0, 90.0, 110.0), 4)        # inside: the log width
    0.2007
    >>> round(interval_score(121.0, 90.0, 110.0), 4)        # 10 % above: plus 20 times log(1.1)
    2.1069
    """
    values = [float(v) for v in (observed, p05, p95)]
    if not all(math.isfinite(v) and v > 0 for v in values):
        return math.nan
    x, lo, hi = (math.log(v) for v in values)
    return (hi - lo) + (2 / alpha) * (max(lo - x, 0.0) + max(x - hi, 0.0))


def within_tolerance(median: float, observed: float, tolerance: float, is_rank: bool = False) -> bool:
    """Whether the median matches the real value within the series' tolerance (see the module)."""
    if not math.isfinite(median):
        return False
    if is_rank:
        return bool(math.floor(median + 0.5) == observed)
    if abs(observed) < 1:
        return bool(abs(median - observed) <= tolerance)
    return bool(abs(median - observed) <= tolerance * abs(observed))


def _naive(obs: Observed, train: list[int], test: list[int]) -> tuple[dict[int, float], dict[int, float], list[str]]:
    nan = {y: math.nan for y in test}
    if len(train) < 2:
        return nan, nan, [f"fewer than 2 training years ({len(train)}): no naive forecast"]
    line = straight_line(obs.values, train, test)
    try:
        return line, log_linear(obs.values, train, test), []
    except ValueError:
        return line, nan, ["a training value is not positive: no log-linear trend"]


def _series_points(draws: pd.DataFrame, obs: Observed, train_until: int,
                   discrepancy: Mapping[str, SeriesDiscrepancy] | None) -> list[dict]:
    train = sorted(y for y in obs.values if y <= train_until)
    test = sorted(y for y in obs.values if y > train_until)
    if not test:
        return []
    line, loglin, notes = _naive(obs, train, test)
    if obs.indicator not in draws.columns:
        notes = [f"the model has no indicator {obs.indicator}", *notes]
    if obs.is_rank:
        notes = ["rank: percentage errors are crude", *notes]
    delta = series_discrepancy(discrepancy, obs, train_until)
    empty = pd.DataFrame(columns=["p05", "median", "p95"], dtype=float)
    by_indicator = {}
    for name in dict.fromkeys(obs.indicator_of(y) for y in test):
        as_measured = replace(obs, indicator=name)
        present = name in draws.columns
        by_indicator[name] = (forecast_bands(draws, name, obs.is_rank).set_index("year") if present else empty,
                              discrepancy_bands(draws, as_measured, delta).set_index("year")
                              if delta is not None and present else None)
    rows = []
    for year in test:
        real = float(obs.values[year])
        bands, wide = by_indicator[obs.indicator_of(year)]
        p05, median, p95 = (float(bands.at[year, c]) if year in bands.index else math.nan
                            for c in ("p05", "median", "p95"))
        sd, lo, hi = math.nan, p05, p95
        if wide is not None and year in wide.index:
            sd, lo, hi = (float(wide.at[year, c]) for c in ("discrepancy_sd", "p05", "p95"))
        rows.append({"series": obs.series, "indicator": obs.indicator_of(year), "year": year, "observed": real,
                     "median": median, "p05": lo, "p95": hi, "covered": covered(real, lo, hi), "model_p05": p05,
                     "model_p95": p95, "covered_by_model": covered(real, p05, p95), "discrepancy_sd": sd,
                     "interval_score": interval_score(real, lo, hi),
                     "ape_model": ape(median, real), "line": line[year], "ape_line": ape(line[year], real),
                     "loglinear": loglin[year], "ape_loglinear": ape(loglin[year], real),
                     "within_tolerance": within_tolerance(median, real, obs.tolerance, obs.is_rank),
                     "note": "; ".join(notes)})
    return rows


def score_points(draws: pd.DataFrame, observed: Sequence[Observed], train_until: int,
                 discrepancy: Mapping[str, SeriesDiscrepancy] | None = None) -> pd.DataFrame:
    """One row per series and test year (a year after ``train_until`` with a real value); see
    :data:`POINT_COLUMNS`. Training years are the series' real years up to ``train_until``.
    ``discrepancy`` (the training calibration's, :func:`sim.calibration.discrepancy.from_frame`)
    widens the bands ``p05``/``p95``; without it they are the replicates' own."""
    rows = [row for obs in observed for row in _series_points(draws, obs, train_until, discrepancy)]
    frame = pd.DataFrame(rows, columns=list(POINT_COLUMNS))
    return frame.astype({"year": int, "covered": bool, "covered_by_model": bool, "within_tolerance": bool})


def _mean(values: pd.Series) -> float:
    finite = values.astype(float).dropna()
    return float(finite.mean()) if len(finite) else math.nan


def _summary_row(name: str, points: pd.DataFrame) -> dict:
    # The forecasters are compared on the same points: those where both the model and the straight
    # line forecast (a series with one training year has no line; the model's error there is not
    # counted against it or for it). Coverage counts every point.
    common = points["ape_model"].notna() & points["ape_line"].notna()
    scored = points[common] if common.any() else points
    mape_model, mape_line = _mean(scored["ape_model"]), _mean(scored["ape_line"])
    return {"series": name, "points": len(points),
            "coverage": float(points["covered"].astype(bool).mean()) if len(points) else math.nan,
            "coverage_model_only": float(points["covered_by_model"].astype(bool).mean()) if len(points) else math.nan,
            "interval_score": _mean(points["interval_score"]),
            "mape_model": mape_model, "mape_line": mape_line, "mape_loglinear": _mean(scored["ape_loglinear"]),
            "beats_line": bool(mape_model < mape_line)}


def summarise(points: pd.DataFrame) -> pd.DataFrame:
    """Per series (in order of appearance) and pooled over all points (``series == "all"``): the
    number of points, the share covered by the 90 % band, the band's mean interval score (over the
    points where it exists), and each forecaster's MAPE (a fraction),
    averaged over the points where both the model and the straight line forecast (so that they are
    compared on the same points; a series with a single training year has no line); ``beats_line`` is
    ``mape_model < mape_line`` (False when either is missing)."""
    rows = [_summary_row(str(name), group) for name, group in points.groupby("series", sort=False)]
    rows.append(_summary_row(POOLED, points))
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))


def pooled(summary: pd.DataFrame) -> pd.Series:
    """The pooled row of :func:`summarise`."""
    return summary[summary["series"] == POOLED].iloc[0]


def _pct(x: float) -> str:
    return f"{100 * x:.1f} %"


def coverage_sentence(row: pd.Series, target: float = COVERAGE_TARGET) -> str:
    n = int(row["points"])
    if n == 0 or not math.isfinite(row["coverage"]):
        return "There are no forecast points to score."
    hit = int(round(row["coverage"] * n))
    side = "at or above" if row["coverage"] >= target else "below"
    own = row.get("coverage_model_only", math.nan)
    alone = (f" Without the model discrepancy the replicates' own bands would cover {int(round(own * n))} "
             f"({_pct(own)})." if own is not None and math.isfinite(own) and own != row["coverage"] else "")
    return (f"The model's 90 % forecast bands cover {hit} of {n} forecast points ({_pct(row['coverage'])}), "
            f"{side} the {100 * target:.0f} % target.{alone}")


def error_sentence(row: pd.Series) -> str:
    model, line, loglin = (float(row[c]) for c in ("mape_model", "mape_line", "mape_loglinear"))
    if not (math.isfinite(model) and math.isfinite(line)):
        return "The model's error cannot be compared with the straight line's: one of them has no forecast point."
    trend = f" (log-linear trend: {_pct(loglin)})" if math.isfinite(loglin) else ""
    gap = 100 * (line - model)
    if model < line:
        return (f"The model's mean absolute percentage error, {_pct(model)}, is below the straight line's, "
                f"{_pct(line)}, by {gap:.1f} percentage points{trend}.")
    return (f"The model does not beat the straight line: its mean absolute percentage error is {_pct(model)} "
            f"against the straight line's {_pct(line)}{trend}, so the model's error is {-gap:.1f} points above "
            f"the straight line's.")


def verdict(summary: pd.DataFrame, coverage_target: float = COVERAGE_TARGET) -> list[str]:
    """Plain sentences on the pooled row: band coverage against the target, then the model's MAPE
    against the straight line's (with the difference in percentage points)."""
    row = pooled(summary)
    return [coverage_sentence(row, coverage_target), error_sentence(row)]
