"""Documented figures and real yearly series as targets: which indicator each is compared with,
and how closely.

Targets live in ``calibration/targets.yaml`` (the format is described at its top). It holds three
kinds: single documented figures (``targets:``, from the news reports of the brief), official
yearly series (``series:``, from ``shared/data``), each series a list of years with one
confidence, tolerance and weight, and regimes (``regimes:``): bounds of reasoning on a measure of
a mechanism's state, which keep the calibration in the regime that the evidence's lever responses
presuppose (the research labour market's posts binding: ``docs/calibration.md``, section 2).
:func:`load_targets` expands each series and regime into one :class:`Target` per year (id
``<series>@<year>``, the weight shared equally by its years, so a series or a regime counts as much
as one documented figure), and :func:`load_series` returns the series whole, for the history
report, the backtest and the milestones. A target is *met* when the simulated value lies within its
bounds, which follow from the qualifier:

============  =========================================================
qualifier     bounds
============  =========================================================
``around``,   value x (1 - tol) to value x (1 + tol) for counts;
``about``,    value - tol to value + tol for shares (values below 1
``exact``     that are not ranks); exactly the value for ranks
``over``      value to value x (1 + tol)
``nearly``    value x (1 - tol) to value
============  =========================================================
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal, Mapping, Union

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, ValidationError, model_validator

from sim import indicators
from sim.errors import InputError
from sim.inputs import FiniteFloat
from sim.resources import data_file

DEFAULT_TARGETS = data_file("calibration/targets.yaml")
Confidence = Literal["high", "medium", "low"]
#: Tolerance of a series' year by the source's confidence, where the series does not state one:
#: relative for counts and money, absolute for shares (a share's figure is below 1), none for ranks.
TOLERANCE_BY_CONFIDENCE = {"high": 0.10, "medium": 0.15, "low": 0.20}
SHARE_TOLERANCE_BY_CONFIDENCE = {"high": 0.005, "medium": 0.0075, "low": 0.01}


def _known_indicators(*names: str | None) -> None:
    """Raise (for pydantic to report) if a name given is not an indicator of the model."""
    for name in names:
        if name is not None and name not in indicators.BY_NAME:
            raise ValueError(f"unknown indicator {name!r}; allowed: {', '.join(indicators.NAMES)}")


class TargetSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    year: int = Field(ge=2016, le=2060, strict=True)
    value: FiniteFloat
    qualifier: Literal["around", "about", "exact", "over", "nearly"]
    source: str
    comparable: bool = True
    indicator: str | None = None
    tolerance: FiniteFloat | None = Field(default=None, ge=0)
    weight: FiniteFloat = Field(default=1.0, ge=0)
    holdout: bool = False
    fit_on: str | None = None      # a continuous indicator the calibration distance uses instead (ranks)
    reason: str | None = None
    note: str | None = None
    series: str | None = None      # the series a yearly target belongs to
    series_indicator: str | None = None   # that series' indicator (``indicator`` may be the year's own)
    regime: str | None = None      # the regime a yearly bound belongs to
    confidence: Confidence | None = None
    published: FiniteFloat | None = None     # the published figure, where ``value`` adjusts it (a splice)

    @model_validator(mode="after")
    def _complete(self) -> "TargetSpec":
        if self.comparable:
            if self.indicator is None or self.tolerance is None:
                raise ValueError("a comparable target needs `indicator` and `tolerance`")
            _known_indicators(self.indicator, self.fit_on)
        elif not self.reason:
            raise ValueError("a target that is not comparable needs a `reason`")
        return self


class YearSpec(BaseModel):
    """One year of a series, where it differs from the series' defaults."""

    model_config = ConfigDict(extra="forbid")
    value: FiniteFloat
    qualifier: Literal["around", "about", "exact", "over", "nearly"] | None = None
    confidence: Confidence | None = None
    tolerance: FiniteFloat | None = Field(default=None, ge=0)
    published: FiniteFloat | None = None
    source: str | None = None
    note: str | None = None
    #: The indicator this year is compared with, where the figure is dated so that another measure
    #: of the same quantity matches it (a count dated before the year's recognition round).
    indicator: str | None = None

    @model_validator(mode="after")
    def _known(self) -> "YearSpec":
        _known_indicators(self.indicator)
        return self


#: A series' year: a bare figure, or a mapping that states what differs (errors then come from the
#: mapping's fields, not from its failing to be a number).
YearValue = Annotated[Union[Annotated[FiniteFloat, Tag("figure")], Annotated[YearSpec, Tag("year")]],
                      Discriminator(lambda v: "year" if isinstance(v, (dict, YearSpec)) else "figure")]


class SeriesSpec(BaseModel):
    """A real yearly series: its indicator, the source's confidence, and its years."""

    model_config = ConfigDict(extra="forbid")
    id: str
    indicator: str
    unit: str
    source: str
    confidence: Confidence
    values: dict[int, YearValue] = Field(min_length=1)
    qualifier: Literal["around", "about", "exact", "over", "nearly"] = "around"
    tolerance: FiniteFloat | None = Field(default=None, ge=0)
    weight: FiniteFloat = Field(default=1.0, ge=0)
    holdout: bool = False
    fit_on: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _known(self) -> "SeriesSpec":
        _known_indicators(self.indicator, self.fit_on)
        for year in self.values:
            if not 2016 <= year <= 2060:
                raise ValueError(f"year {year} outside 2016-2060")
        return self

    def years(self) -> list[TargetSpec]:
        """One target per year; the series' weight is shared equally by its years."""
        out = []
        for year, item in sorted(self.values.items()):
            y = item if isinstance(item, YearSpec) else YearSpec(value=item)
            confidence = y.confidence or self.confidence
            out.append(TargetSpec(
                id=f"{self.id}@{year}", indicator=y.indicator or self.indicator, year=year, value=y.value,
                qualifier=y.qualifier or self.qualifier, tolerance=self._tolerance(y, confidence),
                weight=self.weight / len(self.values), source=y.source or self.source, holdout=self.holdout,
                fit_on=self.fit_on, note=y.note, series=self.id, series_indicator=self.indicator,
                confidence=confidence, published=y.published))
        return out

    def _tolerance(self, year: YearSpec, confidence: str) -> float:
        if year.tolerance is not None:
            return year.tolerance
        if "rank" in self.indicator:
            return 0.0
        if year.confidence is None and self.tolerance is not None:
            return self.tolerance
        table = SHARE_TOLERANCE_BY_CONFIDENCE if abs(year.value) < 1 else TOLERANCE_BY_CONFIDENCE
        return table[confidence]


class RegimeSpec(BaseModel):
    """A regime: a bound of reasoning on a measure of a mechanism's state, year by year.

    Not a published figure: ``source`` gives the reasoning and the evidence it serves. Every year
    gets the regime's qualifier and (required) tolerance; its weight is shared equally by its years.
    """

    model_config = ConfigDict(extra="forbid")
    id: str
    indicator: str
    unit: str
    source: str
    values: dict[int, FiniteFloat] = Field(min_length=1)
    qualifier: Literal["around", "about", "exact", "over", "nearly"]
    tolerance: FiniteFloat = Field(gt=0)
    weight: FiniteFloat = Field(default=1.0, ge=0)
    note: str | None = None

    @model_validator(mode="after")
    def _known(self) -> "RegimeSpec":
        _known_indicators(self.indicator)
        if "rank" in self.indicator:
            raise ValueError("a regime bounds a continuous measure, not a rank")
        for year in self.values:
            if not 2016 <= year <= 2060:
                raise ValueError(f"year {year} outside 2016-2060")
        return self

    def years(self) -> list[TargetSpec]:
        return [TargetSpec(id=f"{self.id}@{year}", indicator=self.indicator, year=year, value=value,
                           qualifier=self.qualifier, tolerance=self.tolerance, weight=self.weight / len(self.values),
                           source=self.source, note=self.note, regime=self.id)
                for year, value in sorted(self.values.items())]


@dataclass(frozen=True)
class Series:
    """A real yearly series as the history report, the backtest and the milestones read it."""

    id: str
    indicator: str
    unit: str
    values: Mapping[int, float]          # year -> value (adjusted where a year says so)
    tolerances: Mapping[int, float]      # year -> tolerance (relative; absolute for shares; 0 for ranks)
    confidence: str
    tolerance: float                     # the series' usual tolerance (its most common year's)
    weight: float
    source: str
    note: str | None
    holdout: bool = False
    measured_on: Mapping[int, str] = field(default_factory=dict)   # year -> its own indicator, where it differs

    @property
    def is_rank(self) -> bool:
        return "rank" in self.indicator

    @property
    def years(self) -> list[int]:
        return sorted(self.values)


@dataclass(frozen=True)
class Target:
    spec: TargetSpec

    def __getattr__(self, name: str):
        if name.startswith("__") or name == "spec":     # not yet set while unpickling
            raise AttributeError(name)
        return getattr(self.spec, name)

    @property
    def is_rank(self) -> bool:
        return self.spec.indicator is not None and "rank" in self.spec.indicator

    @property
    def is_share(self) -> bool:
        return not self.is_rank and abs(self.spec.value) < 1

    @property
    def kind(self) -> str:
        """``documented`` (a figure of the brief), ``series`` (a year of a real series) or ``regime``."""
        return "series" if self.spec.series else "regime" if self.spec.regime else "documented"

    def bounds(self) -> tuple[float, float]:
        """Lowest and highest simulated values that count as a match."""
        v, tol, q = self.spec.value, self.spec.tolerance or 0.0, self.spec.qualifier
        if self.is_rank:
            return v, v
        width = tol if self.is_share else abs(v) * tol
        low, high = v - width, v + width
        if q == "over":
            low = v
        elif q == "nearly":
            high = v
        return low, high

    def centre(self) -> float:
        """Middle of the accepted range: where calibration aims."""
        low, high = self.bounds()
        return (low + high) / 2

    def half_width(self) -> float:
        """Half the accepted range (half a place for a rank): the unit of calibration distances."""
        low, high = self.bounds()
        return 0.5 if self.is_rank else (high - low) / 2

    def covered(self, p05: float, p95: float) -> bool:
        """Whether a 90 % band contains the documented value itself."""
        return p05 - 1e-12 <= self.spec.value <= p95 + 1e-12

    def consistent(self, p05: float, p95: float) -> bool:
        """Whether a 90 % band reaches what the document states.

        For ``around``, ``about`` and ``exact`` that is the value, as in :meth:`covered`. ``over``
        and ``nearly`` state a bound ("over 3,500" means at least 3,500), so a band lying wholly
        inside the stated side is consistent with the document even when it does not touch the
        bound: the band must reach ``value`` or beyond (``p95 >= value`` for ``over``,
        ``p05 <= value`` for ``nearly``).
        """
        v, q, eps = self.spec.value, self.spec.qualifier, 1e-12
        if q == "over":
            return p95 >= v - eps
        if q == "nearly":
            return p05 <= v + eps
        return self.covered(p05, p95)

    def within(self, simulated: float) -> bool:
        low, high = self.bounds()
        return low - 1e-12 <= simulated <= high + 1e-12


def load_targets(path: str | Path = DEFAULT_TARGETS) -> list[Target]:
    """Read and validate a targets file: the documented figures, then every series' years, then
    every regime's years as targets. Errors name the file and the target."""
    path = Path(path)
    raw = _read(path)
    out = _documented(raw, path)
    seen = {t.id for t in out}
    regimes = _validated(raw.get("regimes") or [], RegimeSpec, path, "regimes")
    for section, specs in (("series", _series_specs(raw, path)), ("regimes", regimes)):
        for spec in specs:
            for year in spec.years():
                if year.id in seen:
                    raise InputError(f"duplicate target id {year.id!r}", file=path, field=f"{section}.{spec.id}")
                seen.add(year.id)
                out.append(Target(year))
    return out


def load_series(path: str | Path = DEFAULT_TARGETS) -> tuple[Series, ...]:
    """The real yearly series of a targets file, whole."""
    path = Path(path)
    out = []
    for spec in _series_specs(_read(path), path):
        years = spec.years()
        tolerances = {t.year: float(t.tolerance) for t in years}
        usual = max(set(tolerances.values()), key=list(tolerances.values()).count)
        out.append(Series(id=spec.id, indicator=spec.indicator, unit=spec.unit,
                          values={t.year: float(t.value) for t in years}, tolerances=tolerances,
                          confidence=spec.confidence, tolerance=usual, weight=spec.weight, source=spec.source,
                          note=spec.note, holdout=spec.holdout,
                          measured_on={t.year: t.indicator for t in years if t.indicator != spec.indicator}))
    return tuple(out)


def _read(path: Path) -> dict:
    from sim.scenario.loader import read_yaml

    raw = read_yaml(path)
    if not isinstance(raw, dict) or not isinstance(raw.get("targets"), list):
        raise InputError("must be a mapping with a list `targets`", file=path, field="targets")
    unknown = set(raw) - {"targets", "series", "regimes"}
    if unknown:
        raise InputError(f"unknown section {sorted(unknown)[0]!r}; allowed: targets, series, regimes", file=path,
                         field=sorted(unknown)[0])
    for section in ("series", "regimes"):
        if section in raw and not isinstance(raw[section], list):
            raise InputError(f"must be a list of {section}", file=path, field=section)
    return raw


def _series_specs(raw: dict, path: Path) -> list[SeriesSpec]:
    return _validated(raw.get("series") or [], SeriesSpec, path, "series")


def _documented(raw: dict, path: Path) -> list[Target]:
    return [Target(spec) for spec in _validated(raw["targets"], TargetSpec, path, "targets")]


def _validated(items: list, model: type[BaseModel], path: Path, section: str) -> list:
    """Each item of a section validated by ``model``, ids unique; errors name ``section[i].field``."""
    from sim.scenario.loader import pydantic_error

    out, seen = [], set()
    for i, item in enumerate(items):
        try:
            spec = model.model_validate(item)
        except ValidationError as exc:
            err = pydantic_error(exc, path, model)
            inner = "" if err.field == "(top level)" else f".{err.field}"
            raise InputError(err.detail, file=path, field=f"{section}[{i}]{inner}") from None
        if spec.id in seen:
            what = {"series": "series", "regimes": "regime"}.get(section, "target")
            raise InputError(f"duplicate {what} id {spec.id!r}", file=path, field=f"{section}[{i}].id")
        seen.add(spec.id)
        out.append(spec)
    return out
