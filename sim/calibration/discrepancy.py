"""Model discrepancy: the part of the gap between model and reality that no parameter closes.

A calibrated model still misses its data by systematic amounts: in our fit the posterior
predictive medians miss the real series by 5-14 % on average by series, and the posterior's own
bands cover 48 % of the real points, because those bands hold only the uncertainty of the
parameters and of the dice. A band meant to
contain the *real* value must also hold the model's structural error (Kennedy & O'Hagan 2001;
Brynjarsdottir & O'Hagan 2014). Following them, a real value ``y`` of series ``s`` in year ``t``
is written on the log scale (relative errors, since the series run from shares of a percent to
hundreds of thousands) as

    log y[s,t] = log f[s,t](theta) + delta[s,t]

where ``f(theta)`` is the model's predictive draw and ``delta`` its discrepancy, which also
absorbs the statistics' own measurement error. ``delta`` is a random walk in the years after the
last one the calibration saw, so that a forecast grows less certain the further it reaches:

    delta[s,t] ~ Normal(0, level_sd[s]**2 + h * drift_sd[s]**2),  h = max(0, t - last_year[s])

**Estimated from the training years only, by method of moments.** With ``r[s,t] = log y[s,t] -
log median f[s,t]`` the residual of a fitted year and ``v[s,t]`` the variance of ``log f[s,t]``
across the predictive draws (what the model's own band already holds):

* ``level_sd[s]**2`` is the mean excess ``r**2 - v`` over the series' years, truncated at zero
  (a variance; random-effects estimators truncate their pooled between-group variance the same
  way, DerSimonian & Laird 1986) *before* pooling, so that one series' wide replicates do not take
  from another series' level;
* ``drift_sd[s]**2`` is the mean squared change of the residual from one year to the next. It also
  holds twice the year-to-year noise, so it errs on the wide side;
* each is pooled partially towards its mean over all fitted series (weighted by their years),
  with the pool counting as :data:`POOL_YEARS` years of the series' own (a precision-weighted
  average, as in Gelman et al. 2013, ch. 5). Three training years (the backtest's) give the series
  and the pool equal say; six (the whole history) give the series two thirds. A series with no
  fitted years (held out) takes the pool.

Truncating each series before pooling (:data:`TRUNCATE_THEN_POOL`) replaced pooling the points'
raw excesses and truncating after (:data:`POOL_THEN_TRUNCATE`, kept for comparison) by a test
registered before its figures were computed: a lower mean interval score of the 90 % bands
(Gneiting & Raftery 2007) on the held-out years of both committed backtests. It passed by a thin
margin, which docs/calibration.md, section 4.2, gives with the test.

The median is left as the model's: the discrepancy widens the band, it does not correct the
forecast towards the data, so the model's error is still scored as its own.

**What its tests are worth.** The estimator is fixed above and reads only the fitted years.
It was written after the earlier backtest's misses were known, so that test was not blind
(docs/calibration.md, section 4.1, gives how coverage depends on its choices). The backtest
(:mod:`sim.backtest`) is its test: trained to 2018, the discrepancy of 2016-2018 widens the
forecasts of 2019-2021, which it never saw. For the years the calibration fitted, a band built
from residuals that include the point itself would cover it partly by construction, so the fit
table scores each point with the discrepancy estimated *without* it (leave one out,
:meth:`Residuals.estimate` with ``leave_out``).

References
----------
Kennedy, M. C. & O'Hagan, A. (2001). Bayesian calibration of computer models. *Journal of the
Royal Statistical Society B* 63(3), 425-464.

Brynjarsdottir, J. & O'Hagan, A. (2014). Learning about physical parameters: the importance of
model discrepancy. *Inverse Problems* 30(11), 114007.

DerSimonian, R. & Laird, N. (1986). Meta-analysis in clinical trials. *Controlled Clinical
Trials* 7(3), 177-188.

Gelman, A., Carlin, J. B., Stern, H. S., Dunson, D. B., Vehtari, A. & Rubin, D. B. (2013).
*Bayesian Data Analysis*, 3rd ed., chapter 5 (hierarchical models, partial pooling).

Gneiting, T. & Raftery, A. E. (2007). Strictly proper scoring rules, prediction, and estimation.
*Journal of the American Statistical Association* 102(477), 359-378.

Example
-------
A series the model misses by +10 % and -10 % in turn, from draws with no spread of their own:

>>> import numpy as np
>>> res = Residuals.from_points([("x", "x", 2016, 110.0, np.full(5, 100.0)),
...                              ("x", "x", 2017, 90.0, np.full(5, 100.0))])
>>> d = res.estimate(pool_years=0.0)["x"]
>>> round(d.level_sd, 3), d.last_year
(0.1, 2017)
>>> round(d.sd(2017), 3), round(d.sd(2019), 3)      # two years on, two steps of drift
(0.1, 0.301)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
from scipy.special import ndtri    # the normal quantile function; scipy.stats costs 0.3 s to import

from sim.resources import data_file

#: Weight of the pool in a series' estimate, in years of the series' own (see the module).
POOL_YEARS = 3.0
#: Standard normal quantiles at which a band is widened (a fixed grid: the band is deterministic).
GRID = ndtri((np.arange(201) + 0.5) / 201)
#: The committed calibration's discrepancy (beside ``calibration/posterior.parquet``).
DEFAULT_DISCREPANCY = data_file("calibration/discrepancy.csv")
#: Level estimators (docs/calibration.md, section 4.2): pool the points' excesses ``r**2 - v`` and
#: truncate the result at zero, or truncate each series' mean excess at zero and pool those.
POOL_THEN_TRUNCATE = "pool_then_truncate"
TRUNCATE_THEN_POOL = "truncate_then_pool"
METHODS = (POOL_THEN_TRUNCATE, TRUNCATE_THEN_POOL)
#: The estimator a calibration publishes.
METHOD = TRUNCATE_THEN_POOL
#: The row of the pooled estimate in a discrepancy table.
POOLED = "all"
COLUMNS = ["series", "indicator", "years", "level_sd", "increments", "drift_sd", "last_year"]


@dataclass(frozen=True)
class SeriesDiscrepancy:
    """The discrepancy of one series: its level and yearly drift (log scale) and the last year fitted."""

    series: str
    indicator: str
    level_sd: float
    drift_sd: float
    last_year: int | None      # None: no fitted year (the pool's values, no drift before the first year)
    years: int = 0             # fitted years behind the estimate
    increments: int = 0        # year-to-year changes behind the drift

    def sd(self, year: int) -> float:
        """Standard deviation of ``delta`` in ``year`` (log scale)."""
        h = 0 if self.last_year is None else max(0, year - self.last_year)
        return math.sqrt(self.level_sd ** 2 + h * self.drift_sd ** 2)


def mixture(values: np.ndarray, sd: float) -> np.ndarray:
    """Each value times ``exp(sd z)`` at every quantile ``z`` of :data:`GRID`: the draws with the
    discrepancy added, one row per value (deterministic, so bands and probabilities are too)."""
    return np.asarray(values, float)[:, None] * np.exp(sd * GRID[None, :])


def widen(values: np.ndarray, sd: float, quantiles: Sequence[float] = (0.05, 0.95)) -> list[float]:
    """Quantiles of ``values * exp(delta)``, ``delta ~ Normal(0, sd**2)``: the draws' band with the
    discrepancy added. Values that are not positive (no log scale) are returned as they are.

    >>> [round(q, 1) for q in widen(np.array([100.0]), 0.1)]
    [85.0, 117.6]
    """
    v = np.asarray(values, float)
    v = v[np.isfinite(v)]
    if not len(v):
        return [math.nan] * len(quantiles)
    if sd <= 0 or (v <= 0).any():
        return [float(np.quantile(v, q)) for q in quantiles]
    mixed = mixture(v, sd).ravel()
    return [float(np.quantile(mixed, q)) for q in quantiles]


@dataclass(frozen=True)
class Point:
    """A fitted year: its series, real value, the model's log residual and own log variance."""

    series: str
    indicator: str
    year: int
    residual: float
    model_var: float


class Residuals:
    """The fitted years' residuals, from which the discrepancy is estimated."""

    def __init__(self, points: Iterable[Point]):
        self.points = sorted(points, key=lambda p: (p.series, p.year))

    @classmethod
    def from_points(cls, rows: Iterable[tuple[str, str, int, float, np.ndarray]]) -> "Residuals":
        """From ``(series, indicator, year, real value, predictive draws)``; points whose value or
        draws are not positive are left out (no log scale)."""
        out = []
        for series, indicator, year, real, draws in rows:
            v = np.asarray(draws, float)
            v = v[np.isfinite(v)]
            if not len(v) or real <= 0 or (v <= 0).any():
                continue
            logs = np.log(v)
            out.append(Point(series, indicator, int(year), math.log(real) - float(np.median(logs)),
                             float(np.var(logs, ddof=1)) if len(v) > 1 else 0.0))
        return cls(out)

    @classmethod
    def from_fit(cls, fit: pd.DataFrame, draws: pd.DataFrame) -> "Residuals":
        """From a calibration's fit table (its fitted series rows) and its predictive draws."""
        from sim.calibration.history import series_rows

        rows = series_rows(fit)
        return cls.from_points(
            (r.series, r.indicator, int(r.year), float(r.documented),
             draws.loc[draws["year"] == r.year, r.indicator].to_numpy(float) if r.indicator in draws else [])
            for r in rows.itertuples())

    def estimate(self, pool_years: float = POOL_YEARS, leave_out: tuple[str, int] | None = None,
                 method: str = METHOD) -> dict[str, SeriesDiscrepancy]:
        """Each series' discrepancy, and the pool's under :data:`POOLED`; ``leave_out`` drops one
        ``(series, year)`` from every sum (the point is then scored on the others). ``method`` says
        where the level's excess is truncated at zero (:data:`METHODS`)."""
        if method not in METHODS:
            raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
        points = [p for p in self.points if (p.series, p.year) != leave_out]
        by_series: dict[str, list[Point]] = {}
        for p in points:
            by_series.setdefault(p.series, []).append(p)
        excess = {s: [p.residual ** 2 - p.model_var for p in ps] for s, ps in by_series.items()}
        if method == TRUNCATE_THEN_POOL:      # each series' mean excess is a variance: not below zero
            excess = {s: [max(_mean(es), 0.0)] * len(es) for s, es in excess.items()}
        steps = {s: [(b.residual - a.residual) ** 2 for a, b in zip(ps, ps[1:]) if b.year - a.year == 1]
                 for s, ps in by_series.items()}
        pool_level = _mean([e for es in excess.values() for e in es])
        pool_drift = _mean([d for ds in steps.values() for d in ds])
        out = {POOLED: SeriesDiscrepancy(POOLED, "", _sd(pool_level), _sd(pool_drift), None,
                                         sum(map(len, excess.values())), sum(map(len, steps.values())))}
        for s, ps in by_series.items():
            out[s] = SeriesDiscrepancy(s, ps[0].indicator, _sd(_shrink(excess[s], pool_level, pool_years)),
                                       _sd(_shrink(steps[s], pool_drift, pool_years)), ps[-1].year,
                                       len(excess[s]), len(steps[s]))
        return out


def _mean(values: list[float]) -> float:
    return float(np.mean(values)) if values else 0.0


def _shrink(own: list[float], pool: float, pool_years: float) -> float:
    """Precision-weighted mean of a series' own values and the pool (worth ``pool_years`` values)."""
    n = len(own)
    return (sum(own) + pool_years * pool) / (n + pool_years) if n + pool_years > 0 else 0.0


def _sd(variance: float) -> float:
    return math.sqrt(max(variance, 0.0))


# --- the table a calibration publishes, and what reads it -----------------------------------------
def to_frame(estimates: Mapping[str, SeriesDiscrepancy]) -> pd.DataFrame:
    """``discrepancy.csv``: one row per series and the pool (``series == "all"``) last."""
    rows = [e for k, e in estimates.items() if k != POOLED] + [estimates[POOLED]]
    return pd.DataFrame([{"series": e.series, "indicator": e.indicator, "years": e.years,
                          "level_sd": round(e.level_sd, 6), "increments": e.increments,
                          "drift_sd": round(e.drift_sd, 6),
                          "last_year": e.last_year if e.last_year is not None else pd.NA} for e in rows],
                        columns=COLUMNS).astype({"last_year": "Int64"})


def from_frame(frame: pd.DataFrame) -> dict[str, SeriesDiscrepancy]:
    """Read ``discrepancy.csv`` back (see :func:`to_frame`)."""
    return {str(r.series): SeriesDiscrepancy(str(r.series), "" if pd.isna(r.indicator) else str(r.indicator),
                                             float(r.level_sd), float(r.drift_sd),
                                             None if pd.isna(r.last_year) else int(r.last_year),
                                             int(r.years), int(r.increments))
            for r in frame.itertuples()}


def for_published(estimates: Mapping[str, SeriesDiscrepancy], series) -> SeriesDiscrepancy:
    """The discrepancy of a published series (:class:`sim.targets.Series`: ``id``, ``indicator``,
    ``values``), a series the calibration did not fit drifting from its last published year."""
    return for_series(estimates, series.id, series.indicator, max(series.values) if series.values else None)


def for_series(estimates: Mapping[str, SeriesDiscrepancy], series: str, indicator: str,
               last_year: int | None) -> SeriesDiscrepancy:
    """The discrepancy of ``series``: its own estimate, or the pool's for a series the calibration
    did not fit (drifting from ``last_year``, the last year the calibration saw)."""
    if series in estimates:
        return estimates[series]
    pool = estimates[POOLED]
    seen = [e.last_year for e in estimates.values() if e.last_year is not None]
    if seen and last_year is not None:
        last_year = min(last_year, max(seen))    # data the calibration did not see are not fitted years
    return SeriesDiscrepancy(series, indicator, pool.level_sd, pool.drift_sd, last_year)


# --- a run's forecast bands ---------------------------------------------------------------------------
FORECAST_COLUMNS = ["indicator", "series", "year", "median", "p05", "p95", "model_p05", "model_p95", "discrepancy_sd"]
BAND_COLUMNS = ["year", "median", "p05", "p95", "model_p05", "model_p95", "discrepancy_sd"]


def whole_place_quantiles(places: np.ndarray, quantiles: Sequence[float] = (0.5, 0.05, 0.95)) -> tuple[float, ...]:
    """Quantiles of ranks that are themselves places (:func:`sim.world.clusters.place_method`):
    the median and 90 % band of a rank read "fourth, third to fifth", never "3 to 4.05".

    >>> whole_place_quantiles(np.array([3.0, 4, 4, 4, 5]), (0.5, 0.05, 0.95))
    (4.0, 3.0, 5.0)
    """
    from sim.world.clusters import place_method

    v = np.asarray(places, float)
    v = v[np.isfinite(v)]
    if not len(v):
        return tuple(math.nan for _ in quantiles)
    return tuple(float(np.quantile(v, q, method=place_method(q))) for q in quantiles)


def median_and_band(values: np.ndarray, rank: bool = False) -> tuple[float, float, float]:
    """Median, 5th and 95th percentile of replicates' ``values``: for a rank, places the replicates
    took (:func:`whole_place_quantiles`); otherwise numpy's median and linear percentiles."""
    if rank:
        return whole_place_quantiles(values)
    v = np.asarray(values, float)
    return float(np.median(v)), float(np.quantile(v, 0.05)), float(np.quantile(v, 0.95))


def place_band(positions: np.ndarray, sd: float, places: int | None = None) -> tuple[float, float]:
    """The 90 % band of a rank with the model error: each continuous position (which rounds to the
    rank) times ``exp(delta)`` at every quantile of the error (:func:`mixture`), rounded to a whole
    place from 1 to ``places``, and the band's ends taken as places (:func:`whole_place_quantiles`).
    The error is relative, as for every other indicator, so it acts on the position, not on the
    whole place (third place times ``exp(delta)`` is still third for any small ``delta``). A
    position at or below zero (far ahead of the second) stays first, as in
    :func:`sim.milestones.probability_with_discrepancy`. With no error the band is the replicates'
    own band of places; with some it is never narrower. NaN for a year without positions.

    >>> place_band(np.array([3.6, 3.8, 4.1]), 0.0, 5)
    (4.0, 4.0)
    """
    v = np.asarray(positions, float)
    v = v[np.isfinite(v)]
    if not len(v):
        return math.nan, math.nan
    top = places or np.inf
    own = np.clip(np.rint(v), 1, top)
    wide = np.clip(np.rint(mixture(v, sd).ravel()), 1, top) if sd > 0 else own
    lo, hi = whole_place_quantiles(wide, (0.05, 0.95))
    own_lo, own_hi = whole_place_quantiles(own, (0.05, 0.95))
    return min(lo, own_lo), max(hi, own_hi)


def yearly_bands(draws: pd.DataFrame, indicator: str, delta: SeriesDiscrepancy,
                 position: str | None = None, places: int | None = None) -> pd.DataFrame:
    """Per year of ``draws`` (one row per replicate and year): the replicates' median and own 90 %
    band (``model_p05``, ``model_p95``), and the band widened by ``delta`` of that year (``p05``,
    ``p95``, :func:`widen`), with the ``discrepancy_sd`` used.

    For a rank, ``position`` names the continuous indicator that rounds to it: the error widens the
    position, and the band is given in whole places from 1 to ``places`` (a rank of 5.73 among five
    clusters does not exist; :func:`place_band`); results without the position (an older model's)
    widen the places themselves, still in whole places."""
    rows = []
    rank = position is not None
    on_position = rank and position in draws.columns
    columns = ["year", indicator, *([position] if on_position else [])]
    for year, group in draws[columns].dropna().groupby("year"):
        v = group[indicator].to_numpy(float)
        sd = delta.sd(int(year))
        if rank:
            lo, hi = place_band(group[position].to_numpy(float) if on_position else v, sd, places)
        else:
            lo, hi = widen(v, sd)
        own = median_and_band(v, rank)
        rows.append((int(year), own[0], lo, hi, own[1], own[2], sd))
    return pd.DataFrame(rows, columns=BAND_COLUMNS)


def forecast_table(table: pd.DataFrame, estimates: Mapping[str, SeriesDiscrepancy], series: Sequence) -> pd.DataFrame:
    """``forecast.csv`` of a run: for every indicator with a real series (``series``, as
    :func:`sim.targets.load_series` returns them) and every simulated year, the replicates' median,
    their own 90 % band (``model_p05``, ``model_p95``) and the band widened by the series'
    discrepancy (``p05``, ``p95``), which grows with the years after the last fitted one. A rank's
    band is in whole places, from its position widened by the error (:func:`yearly_bands`).

    The discrepancy is the structural error of the model as calibrated on the baseline; a scenario
    changes levers, not the model's structure, so the same error applies to it. The *difference*
    between two scenarios' paired replicates holds no discrepancy (the shared error cancels), which is
    why comparisons use the replicates' own bands.
    """
    from sim.world.clusters import PLACES, POSITION_INDICATOR

    parts = [yearly_bands(table, s.indicator, for_published(estimates, s),
                          position=POSITION_INDICATOR if s.is_rank else None, places=PLACES)
             .assign(indicator=s.indicator, series=s.id)
             for s in series if s.indicator in table.columns]
    if not parts:
        return pd.DataFrame(columns=FORECAST_COLUMNS)
    out = pd.concat(parts, ignore_index=True)[FORECAST_COLUMNS]
    out["discrepancy_sd"] = [round(float(sd), 6) for sd in out["discrepancy_sd"]]
    return out


def beside(posterior: str | Path) -> Path:
    """Where a calibration keeps the discrepancy of ``posterior``: ``discrepancy.csv`` in its folder."""
    return Path(posterior).parent / "discrepancy.csv"
