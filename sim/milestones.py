"""The plans' milestones made measurable, criterion by criterion.

The plans state goals in words (``shared/brief/BRIEF.md``). Each goal is read here as a few
criteria, and each criterion is a threshold on an indicator that has a published counterpart
(``shared/data``, read through :func:`sim.targets.load_series`), so that the same criterion can be
scored on the real figure once it is published. A threshold is one of:

* **the 2016-2021 pace sustained**: the latest real value (2021) carried forward at its own
  2016-2021 pace to the milestone year: compound growth for counts and money, a constant yearly
  step in percentage points for shares (:func:`paced`, :func:`stepped`);
* **a benchmark cluster**: the place of a rival cluster ranked above Beijing in WIPO's ranking.

The milestones (thresholds as computed below; docs/model.md, section 1, "Milestones", gives the
reasoning):

* **2025, an international science, technology and innovation centre**: among the top three
  clusters (Seoul's place); R&D intensity at least 7.36 % of GDP; at least 135,000 invention
  patents granted; at least 110,000 SCI papers; at least 1,110 bn yuan of technology contracts.
* **2030, an important force in the global innovation network**: still among the top three; at
  least 264 multinational regional headquarters; at least 173,000 SCI papers; at least 1,970 bn
  yuan of technology contracts; basic research at least 19.4 % of R&D.
* **2035, creativity, competitiveness and influence at the top level globally**: top two
  (Shenzhen-Hong Kong-Guangzhou's place); basic research at least 21.2 % of R&D; R&D intensity
  held at least at the level asked of 2025.

Each criterion is reported on its own: where the data cover its year it is *scored on data*
(the real value, met or not met); otherwise it is a *forecast*: the share of replicates meeting it
(:func:`criterion_probability`), the chance that the real value meets it once the model's
structural error is added (:func:`probability_with_discrepancy`; runs on the calibrated posterior;
a ratio takes its two indicators' errors as independent; a rank's applies to its continuous position)
and the median's distance to the threshold
(:func:`distance_to_threshold`). The share of replicates meeting all of a milestone's criteria
is kept as a secondary figure (:func:`all_criteria_probability`). A criterion whose indicator is
missing from the results (an older run) is skipped with a note, never a crash.
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from sim.calibration.discrepancy import median_and_band
from sim.world.clusters import POSITION_INDICATOR

OPS = {"<=": operator.le, ">=": operator.ge}

SCORED_ON_DATA = "scored on data"
FORECAST = "forecast"
SKIPPED = "skipped"

#: Indicators with a published yearly counterpart (shared/data); every criterion uses these only.
PUBLISHED: tuple[str, ...] = (
    "rd_expenditure_bn_yuan", "rd_share_of_gdp", "basic_research_bn_yuan", "rd_personnel_fte",
    "researchers_fte", "patents_granted", "invention_patents_granted", "sci_papers", "high_tech_enterprises",
    "tech_contract_turnover_bn_yuan", "multinational_regional_hq", "cluster_rank",
)

#: Real values of the first model year, 2016 (shared/data; R&D intensity over census-revised GDP).
#: The cluster rank is WIPO's first comparable ranking (2018; 2017's counted patent filings only).
#: No criterion may be met by these (:func:`check_not_trivial`).
REAL_2016: Mapping[str, float] = {
    "rd_expenditure_bn_yuan": 148.46, "rd_share_of_gdp": 0.0549, "basic_research_bn_yuan": 21.12,
    "rd_personnel_fte": 289_650, "researchers_fte": 177_590, "patents_granted": 100_578,
    "invention_patents_granted": 40_602, "sci_papers": 48_578, "high_tech_enterprises": 16_000,
    "tech_contract_turnover_bn_yuan": 394.1, "multinational_regional_hq": 161, "cluster_rank": 5,
}
#: Real values of the latest year the data cover in full, 2021 (multinational HQ: 2019, the last
#: year before the recognition criteria were tightened).
REAL_2021: Mapping[str, float] = {
    "rd_expenditure_bn_yuan": 262.93, "rd_share_of_gdp": 0.0653, "basic_research_bn_yuan": 42.25,
    "invention_patents_granted": 79_210, "patents_granted": 198_778, "sci_papers": 76_505,
    "tech_contract_turnover_bn_yuan": 700.57, "high_tech_enterprises": 27_600, "cluster_rank": 4,
}


def paced(start: float, start_year: int, end: float, end_year: int, year: int, digits: int = 3) -> float:
    """``end`` carried from ``end_year`` to ``year`` at the compound yearly growth of ``start`` to
    ``end``, rounded to ``digits`` significant figures."""
    rate = (end / start) ** (1 / (end_year - start_year))
    return _round(end * rate ** (year - end_year), digits)


def stepped(start: float, start_year: int, end: float, end_year: int, year: int, digits: int = 3) -> float:
    """``end`` carried from ``end_year`` to ``year`` by the yearly step of ``start`` to ``end``
    (for shares: percentage points a year), rounded to ``digits`` significant figures."""
    step = (end - start) / (end_year - start_year)
    return _round(end + step * (year - end_year), digits)


def _round(x: float, digits: int) -> float:
    return float(f"{x:.{digits}g}")


@dataclass(frozen=True)
class Criterion:
    """``indicator`` (divided by ``per`` where given) ``comparison`` ``threshold``; ``source``
    says where the threshold comes from."""

    indicator: str
    comparison: str     # "<=" or ">="
    threshold: float
    source: str
    per: str | None = None      # a denominator indicator: the criterion is on the ratio
    #: for a rank, the continuous indicator that rounds to it (:meth:`sim.world.clusters.ClusterRace.position`):
    #: the model error (a factor exp(delta)) applies to it, not to the whole places (:func:`probability_with_discrepancy`)
    position: str | None = None

    def __post_init__(self) -> None:
        if self.comparison not in OPS:
            raise ValueError(f"comparison must be one of {sorted(OPS)}, not {self.comparison!r}")

    @property
    def name(self) -> str:
        """The quantity compared: an indicator, or ``indicator/per``."""
        return f"{self.indicator}/{self.per}" if self.per else self.indicator

    @property
    def indicators(self) -> tuple[str, ...]:
        return (self.indicator, self.per) if self.per else (self.indicator,)

    @property
    def is_share(self) -> bool:
        return self.per is not None or "share" in self.indicator

    def met(self, value: float) -> bool:
        return bool(OPS[self.comparison](value, self.threshold))

    def describe(self) -> str:
        value = f"{100 * self.threshold:.3g} %" if self.is_share else f"{self.threshold:,.6g}"
        return f"{self.name} {self.comparison} {value}"

    def values(self, table: pd.DataFrame, year: int) -> np.ndarray:
        """The simulated values in ``year``, one per replicate (the ratio where ``per`` is set)."""
        return self.of(table.loc[table["year"] == year])

    def positions(self, table: pd.DataFrame, year: int) -> np.ndarray | None:
        """A rank's continuous positions in ``year``, one per replicate; None for a criterion that is
        not a rank, or for results without the position (a run of an older model)."""
        if self.position is None or self.position not in table.columns:
            return None
        return table.loc[table["year"] == year, self.position].to_numpy(dtype=float)

    def of(self, rows: pd.DataFrame) -> np.ndarray:
        """The compared quantity in each row (the ratio where ``per`` is set)."""
        v = rows[self.indicator].to_numpy(dtype=float)
        return v / rows[self.per].to_numpy(dtype=float) if self.per else v

    def missing(self, columns: Iterable[str]) -> list[str]:
        cols = set(columns)
        return [i for i in self.indicators if i not in cols]

    def observed(self, series: Sequence, year: int) -> float | None:
        """The real value in ``year`` from published series (``indicator`` and ``values``), or None."""
        real = {s.indicator: s.values for s in series}
        try:
            values = [float(real[i][year]) for i in self.indicators]
        except KeyError:
            return None
        return values[0] / values[1] if self.per else values[0]


@dataclass(frozen=True)
class Milestone:
    id: str
    year: int
    goal: str
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class CriterionResult:
    """One criterion in its milestone's year: scored on data, forecast, or skipped (``note`` says why)."""

    milestone: Milestone
    criterion: Criterion
    status: str                          # SCORED_ON_DATA, FORECAST or SKIPPED
    real_value: float | None = None      # scored on data
    met: bool | None = None              # on data: the real value; forecast: the simulated median
    probability: float | None = None     # forecast: share of replicates meeting the criterion
    median: float | None = None
    p05: float | None = None
    p95: float | None = None
    distance: float | None = None        # (real or median simulated value) minus threshold
    relative_distance: float | None = None
    note: str = ""
    #: forecast: the probability with the model discrepancy (:func:`probability_with_discrepancy`);
    #: None where there is none to add (no calibrated discrepancy, no real series, a rank without its position)
    probability_with_discrepancy: float | None = None


# -- thresholds: the rules above applied to the real series ------------------------------------------
_RD_SHARE_2025 = stepped(0.0549, 2016, 0.0653, 2021, 2025)                              # 0.0736
_BASIC_SHARE_2016 = 21.12 / 148.46                                                      # 0.142
_BASIC_SHARE_2021 = 42.25 / 262.93                                                      # 0.161
PACE = "the 2016-2021 pace sustained"
TOP3 = ("benchmark: Seoul, third among the five clusters in WIPO's rankings of 2018 and 2020 behind Tokyo-Yokohama "
        "and Shenzhen-Hong Kong-Guangzhou, with Beijing fifth (2018) and fourth (2020) (shared/data BJ0215, "
        "BJ0216, BJ0240; documented wipo_cluster_rank)")

MILESTONES: tuple[Milestone, ...] = (
    Milestone("international_centre", 2025, "An international science, technology and innovation centre", (
        Criterion("cluster_rank", "<=", 3, TOP3, position=POSITION_INDICATOR),
        Criterion("rd_share_of_gdp", ">=", _RD_SHARE_2025,
                  f"{PACE}: 6.53 % in 2021 plus the 2016-2021 rise of 0.21 percentage points a year (5.49 % in 2016, "
                  "R&D over census-revised GDP; shared/data via calibration/targets.yaml)"),
        Criterion("invention_patents_granted", ">=", paced(40_602, 2016, 79_210, 2021, 2025),
                  f"{PACE}: 79,210 in 2021 grown at 14.3 % a year (40,602 in 2016; city IP office, shared/data "
                  "BJ0099, BJ0106)"),
        Criterion("sci_papers", ">=", paced(48_578, 2016, 76_505, 2021, 2025),
                  f"{PACE}: 76,505 in 2021 grown at 9.5 % a year (48,578 in 2016; ISTIC/S&T yearbook, shared/data "
                  "BJ0197, BJ0203)"),
        Criterion("tech_contract_turnover_bn_yuan", ">=", paced(394.1, 2016, 700.57, 2021, 2025),
                  f"{PACE}: 700.6 bn yuan in 2021 grown at 12.2 % a year, nominal (394.1 in 2016; S&T yearbook "
                  "table 8-37, shared/data BJ0152, BJ0160)"),
    )),
    Milestone("global_force", 2030, "An important force in the global innovation network", (
        Criterion("cluster_rank", "<=", 3, f"held: {TOP3}", position=POSITION_INDICATOR),
        Criterion("multinational_regional_hq", ">=", paced(161, 2016, 179, 2019, 2030),
                  "the 2016-2019 pace sustained: 179 in 2019 grown at 3.6 % a year (161 in 2016; shared/data BJ0188, "
                  "BJ0190; no later year: recognition criteria were tightened in 2021)"),
        Criterion("sci_papers", ">=", paced(48_578, 2016, 76_505, 2021, 2030),
                  f"{PACE}: 76,505 in 2021 grown at 9.5 % a year to 2030 (shared/data BJ0197, BJ0203)"),
        Criterion("tech_contract_turnover_bn_yuan", ">=", paced(394.1, 2016, 700.57, 2021, 2030),
                  f"{PACE}: 700.6 bn yuan in 2021 grown at 12.2 % a year to 2030, nominal (shared/data BJ0152, "
                  "BJ0160)"),
        Criterion("basic_research_bn_yuan", ">=", stepped(_BASIC_SHARE_2016, 2016, _BASIC_SHARE_2021, 2021, 2030),
                  f"{PACE}: basic research 16.1 % of R&D in 2021 plus the 2016-2021 rise of 0.37 percentage points "
                  "a year (14.2 % in 2016; R&D bulletins, shared/data BJ0021, BJ0052, BJ0032, BJ0058); the plans' "
                  "lever 'more money for basic research' (BRIEF.md)", per="rd_expenditure_bn_yuan"),
    )),
    Milestone("top_level", 2035, "Creativity, competitiveness and influence at the top level globally", (
        Criterion("cluster_rank", "<=", 2,
                  "benchmark: Shenzhen-Hong Kong-Guangzhou, second in every WIPO ranking 2017-2021 (shared/data "
                  "BJ0231-BJ0234); only Tokyo-Yokohama ranked above it", position=POSITION_INDICATOR),
        Criterion("basic_research_bn_yuan", ">=", stepped(_BASIC_SHARE_2016, 2016, _BASIC_SHARE_2021, 2021, 2035),
                  f"{PACE}: basic research 16.1 % of R&D in 2021 plus 0.37 percentage points a year to 2035 "
                  "(shared/data BJ0021, BJ0052, BJ0032, BJ0058)", per="rd_expenditure_bn_yuan"),
        Criterion("rd_share_of_gdp", ">=", _RD_SHARE_2025,
                  "held: the level asked of 2025 (the 2016-2021 pace to 2025), kept while GDP grows; intensity is "
                  "already well above the 2.5 % benchmark of innovative countries (documented rd_share_of_gdp, "
                  "doc-2020-12), so beyond 2025 the goal is to hold it, not to raise it without end"),
    )),
)


# -- scoring ---------------------------------------------------------------------------------------------
def criterion_probability(criterion: Criterion, values: Sequence[float] | np.ndarray) -> float:
    """Share of the replicates' ``values`` that meet the criterion (NaN without values)."""
    v = np.asarray(values, dtype=float)
    if v.size == 0:
        return math.nan
    return float(np.mean(OPS[criterion.comparison](v, criterion.threshold)))


def probability_with_discrepancy(criterion: Criterion, values: Sequence[float] | np.ndarray, sd: float) -> float:
    """Chance that the *real* value meets the criterion: each replicate's value times
    ``exp(delta)``, ``delta ~ Normal(0, sd**2)`` the model discrepancy of the indicator in the
    milestone's year (:mod:`sim.calibration.discrepancy`), averaged over replicates and a fixed
    grid of normal quantiles. With ``sd = 0`` it is :func:`criterion_probability`.

    For a rank (``criterion.position`` set) ``values`` are the continuous positions, which round to
    the rank: the rank is at most ``k`` when the position is below ``k + 1/2`` (at least ``k``: above
    ``k - 1/2``). Whole places cannot take a relative error (a rank of 3 times ``exp(delta)`` meets
    "at most 3" for every negative ``delta`` and no positive one, whatever its distance to fourth
    place); the position knows how near the next place is.

    >>> c = Criterion("sci_papers", ">=", 100.0, "why")
    >>> probability_with_discrepancy(c, [90.0, 110.0], 0.0), round(probability_with_discrepancy(c, [110.0], 0.1), 2)
    (0.5, 0.83)
    >>> rank = Criterion("cluster_rank", "<=", 3, "why", position="cluster_position")
    >>> probability_with_discrepancy(rank, [3.2], 0.0), round(probability_with_discrepancy(rank, [3.2], 0.2), 2)
    (1.0, 0.67)
    """
    from sim.calibration.discrepancy import mixture

    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if v.size == 0 or not math.isfinite(sd):
        return math.nan
    threshold = criterion.threshold
    if criterion.position is not None:
        threshold += 0.5 if criterion.comparison == "<=" else -0.5
    draws = v if sd <= 0 else mixture(v, sd)
    return float(np.mean(OPS[criterion.comparison](draws, threshold)))


def discrepancy_sd(criterion: Criterion, year: int, series: Sequence, discrepancy: Mapping | None) -> float | None:
    """The discrepancy's standard deviation for ``criterion`` in ``year`` (log scale), or None where
    it has none: no calibrated discrepancy, a rank without a continuous position, or no real series
    of an indicator. A rank takes its series' discrepancy, applied to its position
    (:func:`probability_with_discrepancy`).

    A ratio of two indicators (basic research's share of R&D) takes ``sqrt(sd_a**2 + sd_b**2)``:
    their errors taken as independent. Six years cannot estimate their correlation; a positive one
    (the likelier, since the numerator is part of the denominator) would narrow the ratio's error,
    so independence gives the widest of those cases, and the probability it yields the least
    confident."""
    if discrepancy is None or ("rank" in criterion.indicator and criterion.position is None):
        return None
    from sim.calibration.discrepancy import for_published

    sds = []
    for name in (criterion.indicator,) if criterion.per is None else (criterion.indicator, criterion.per):
        match = [s for s in series if s.indicator == name]
        if not match:
            return None
        sds.append(for_published(discrepancy, match[-1]).sd(year))   # the series Criterion.observed reads (the last)
    return math.hypot(*sds)


def distance_to_threshold(criterion: Criterion, values: Sequence[float] | np.ndarray | float) -> tuple[float, float]:
    """Median of ``values`` minus the threshold, absolute and relative to the threshold's size.

    For a ``>=`` criterion a negative distance is a shortfall; for a ``<=`` one (a rank) a
    positive distance is.
    """
    v = np.atleast_1d(np.asarray(values, dtype=float))
    if v.size == 0:
        return math.nan, math.nan
    d = float(np.median(v)) - criterion.threshold
    return d, (d / abs(criterion.threshold) if criterion.threshold else math.nan)


def scored_against_data(milestone: Milestone, series: Sequence) -> bool:
    """Whether the data reach the milestone's year: some criterion has a real value in it.

    Each criterion that has one is then scored on it; any other stays a forecast, with a note.
    """
    return any(c.observed(series, milestone.year) is not None for c in milestone.criteria)


def evaluate(milestone: Milestone, table: pd.DataFrame, series: Sequence = (),
             discrepancy: Mapping | None = None) -> list[CriterionResult]:
    """Each criterion of ``milestone``: scored on data where a real value exists for its year,
    otherwise forecast from ``table`` (one row per replicate and year), or skipped (with a note)
    where the results lack the indicator or the year. With ``discrepancy`` (a calibration's
    :func:`sim.calibration.discrepancy.from_frame`), a forecast also gets its probability with
    the model discrepancy (:func:`probability_with_discrepancy`) where the criterion has one."""
    out = []
    on_data = scored_against_data(milestone, series)
    for c in milestone.criteria:
        real = c.observed(series, milestone.year)
        if real is not None:
            d, rel = distance_to_threshold(c, real)
            out.append(CriterionResult(milestone, c, SCORED_ON_DATA, real_value=real, met=c.met(real),
                                       distance=d, relative_distance=rel,
                                       note=f"the published {milestone.year} value"))
            continue
        missing = c.missing(table.columns)
        if missing:
            out.append(CriterionResult(milestone, c, SKIPPED, note=f"indicator {', '.join(missing)} is not in the "
                                                                   "results (a run of an older model): not scored"))
            continue
        v = c.values(table, milestone.year)
        v = v[np.isfinite(v)]
        if v.size == 0:
            out.append(CriterionResult(milestone, c, SKIPPED, note=f"{milestone.year} is not simulated in this run"))
            continue
        median, p05, p95 = median_and_band(v, rank=c.position is not None)    # a rank's in whole places
        d, rel = distance_to_threshold(c, median)
        notes = [f"no published {milestone.year} value for this indicator yet"] if on_data else []
        start = _met_at_start(c, table, milestone.year)
        if start:
            notes.append(start)
        gap = _off_the_data(c, table, series, milestone.year)
        if gap:
            notes.append(gap)
        sd = discrepancy_sd(c, milestone.year, series, discrepancy)
        erring = v if c.position is None else c.positions(table, milestone.year)   # a rank errs on its position
        out.append(CriterionResult(
            milestone, c, FORECAST, met=c.met(median), probability=criterion_probability(c, v), median=median,
            p05=p05, p95=p95, distance=d, relative_distance=rel,
            note="; ".join(notes),
            probability_with_discrepancy=None if sd is None or erring is None
            else probability_with_discrepancy(c, erring, sd)))
    return out


def _met_at_start(c: Criterion, table: pd.DataFrame, year: int) -> str:
    """A warning when every replicate meets the criterion already in the run's first year (2016):
    the model starts off the data (no criterion is met by the real 2016 values), and the
    probability then says nothing about the scenario."""
    first = int(table["year"].min())
    if first >= year:
        return ""
    v = c.values(table, first)
    v = v[np.isfinite(v)]
    if v.size == 0 or criterion_probability(c, v) < 1.0:
        return ""
    real = REAL_2016.get(c.indicator) if c.per is None else None
    real_text = f"; real 2016: {real:g}" if real is not None and first == 2016 else ""
    return (f"met in every replicate already in {first} (simulated median {float(np.median(v)):g}{real_text}): "
            "the run starts off the data and this probability cannot discriminate")


def _off_the_data(c: Criterion, table: pd.DataFrame, series: Sequence, year: int) -> str:
    """A note when the run's median misses the latest published value before ``year`` by more than
    that series' tolerance: the distance to the threshold then holds the model's miss of the
    history as well as the scenario's path (``calibration/report.md`` lists the series the fit
    misses). Ranks are left out (a place is not a relative miss)."""
    if c.position is not None or "rank" in c.indicator:
        return ""
    simulated = set(int(y) for y in table["year"].unique())
    known = [y for y in sorted(simulated) if y < year and c.observed(series, y) is not None]
    if not known:
        return ""
    last = known[-1]
    real = float(c.observed(series, last))
    v = c.values(table, last)
    v = v[np.isfinite(v)]
    if v.size == 0 or real == 0:
        return ""
    gap = float(np.median(v)) / real - 1.0
    tolerance = max((float(getattr(s, "tolerance", 0.0) or 0.0) for s in series if s.indicator in c.indicators),
                    default=0.0)
    if c.is_share and c.per is None:                 # a share's tolerance is in share points
        if abs(float(np.median(v)) - real) <= tolerance:
            return ""
    elif abs(gap) <= tolerance:
        return ""
    return (f"the run's {last} median is {abs(gap):.0%} {'below' if gap < 0 else 'above'} the published {last} value "
            f"({real:,.6g}): part of the distance is the model's miss of the history, not the scenario")


def all_criteria_probability(milestone: Milestone, table: pd.DataFrame, series: Sequence = (),
                             results: Sequence[CriterionResult] | None = None) -> float:
    """Secondary figure: share of replicates meeting every scored criterion at once (a criterion
    scored on data counts as met or not met in every replicate; skipped ones are left out)."""
    results = evaluate(milestone, table, series) if results is None else results
    scored = [r for r in results if r.status != SKIPPED]
    if not scored:
        return math.nan
    if any(r.status == SCORED_ON_DATA and not r.met for r in scored):
        return 0.0
    forecast = [r.criterion for r in scored if r.status == FORECAST]
    if not forecast:
        return 1.0
    met = np.logical_and.reduce([OPS[c.comparison](c.values(table, milestone.year), c.threshold) for c in forecast])
    return float(np.mean(met))


# -- validation ------------------------------------------------------------------------------------------
class TrivialCriterion(ValueError):
    """A criterion met at the start: it cannot tell scenarios apart."""


def check_not_trivial(milestone: Milestone, start_values: Mapping[str, float] | pd.DataFrame) -> None:
    """Reject criteria met already at the start.

    ``start_values`` is either one value per indicator (the real 2016 values, :data:`REAL_2016`)
    or a table of draws at the start (one row per replicate): a criterion is rejected if the start
    value meets it, or if every draw does (its probability would be 1 whatever the scenario).
    """
    trivial = []
    for c in milestone.criteria:
        if isinstance(start_values, pd.DataFrame):
            if c.missing(start_values.columns):
                continue
            v = c.of(start_values)
            if v.size and criterion_probability(c, v) == 1.0:
                trivial.append(f"{c.describe()} (met in every draw at the start)")
        else:
            if any(i not in start_values for i in c.indicators):
                raise TrivialCriterion(f"{milestone.id}: no start value for {c.name}")
            v = start_values[c.indicator] / start_values[c.per] if c.per else start_values[c.indicator]
            if c.met(float(v)):
                trivial.append(f"{c.describe()} (met by the start value {v:g})")
    if trivial:
        raise TrivialCriterion(f"{milestone.id} ({milestone.year}): criteria met at the start cannot discriminate: "
                               + "; ".join(trivial))


def check_milestones(milestones: Sequence[Milestone] = MILESTONES,
                     start_values: Mapping[str, float] = REAL_2016) -> None:
    """Every criterion uses a published indicator and is not met at the start."""
    for m in milestones:
        for c in m.criteria:
            unknown = [i for i in c.indicators if i not in PUBLISHED]
            if unknown:
                raise ValueError(f"{m.id}: {c.name}: no published counterpart for {', '.join(unknown)}")
            if not c.source.strip():
                raise ValueError(f"{m.id}: {c.name}: the threshold needs a source")
        check_not_trivial(m, start_values)
