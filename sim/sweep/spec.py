"""The sweep file: which scenario, which design, which parameters and outputs.

::

    name: talent_levers
    scenario: ../baseline.yaml        # relative to this file
    design: {method: sobol, samples: 256, seed: 7}   # grid | lhs | sobol | morris
    replicates: 2
    run: {scale: 10}                  # optional: overrides of the scenario's run settings
    base_parameters: median           # parameters not swept: calibrated posterior median (default) or catalogue
    parameters:                       # levers (held from `from` onward) or behavioural parameters
      visa_processing_days: {low: 5, high: 90, from: 2026}
      ft_visa_weight: {low: 0.2, high: 0.8}
    outputs:
      - {indicator: foreign_talent, year: 2035}

A grid takes ``levels: [...]`` per parameter instead of ``low``/``high``. ``design: {dummy: true}``
adds a parameter that only re-seeds each run, whose sensitivity index is the noise floor. Names are checked
against the lever and parameter catalogues, values against their allowed ranges, years against
the horizon; every problem is one line naming the file and the field.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Union

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, ValidationError

from sim import indicators, levers, parameters
from sim.calendar import START_YEAR, parse_date
from sim.errors import InputError
from sim.inputs import MAX_SWEEP_RUNS, MIN_SOBOL_SAMPLES, resolve_path
from sim.scenario import Scenario, load_scenario

Number = Union[StrictInt, StrictFloat]


class DesignSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    method: Literal["grid", "lhs", "sobol", "morris"]
    samples: int | None = Field(default=None, ge=1, le=1_000_000, strict=True)
    seed: int = Field(default=1, ge=0, le=2**63 - 1, strict=True)
    second_order: bool = Field(default=False, strict=True)
    levels: int = Field(default=4, ge=2, le=100, strict=True)
    dummy: bool = Field(default=False, strict=True)


class ParameterRange(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    low: Number | None = None
    high: Number | None = None
    levels: list[Number] | None = Field(default=None, min_length=1, max_length=1000)
    from_: Union[StrictInt, dt.date, str, None] = Field(default=None, alias="from")


class OutputSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    indicator: str
    year: int = Field(strict=True)


class RunOverrides(BaseModel):
    model_config = ConfigDict(extra="forbid")
    scale: Number | None = Field(default=None, ge=1, le=100_000)
    horizon: int | None = Field(default=None, ge=2020, le=2060, strict=True)
    seed: int | None = Field(default=None, ge=0, le=2**63 - 1, strict=True)


class SweepFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=80)
    description: str = ""
    scenario: str
    design: DesignSpec
    replicates: int = Field(default=1, ge=1, le=10_000, strict=True)
    run: RunOverrides = Field(default_factory=RunOverrides)
    parameters: dict[str, ParameterRange] = Field(min_length=1)
    outputs: list[OutputSpec] = Field(min_length=1)
    base_parameters: Literal["median", "default"] = "median"


#: Name of the optional dummy parameter: sampled like the others, it only re-seeds the run, so its
#: index is what noise alone produces (after Khorashadi Zadeh et al. 2017, Environ. Model. Softw. 91;
#: see :func:`sim.sweep.execute.dummy_seed` for why it re-seeds rather than does nothing).
DUMMY = "dummy"


@dataclass(frozen=True)
class SweepParameter:
    """One swept input: a lever held at the sampled value from ``start`` on, or a behavioural parameter."""

    name: str
    kind: str                     # "lever", "exogenous", "parameter" or "dummy"
    low: float
    high: float
    levels: tuple[float, ...] | None
    start: dt.date | None         # levers only

    @property
    def bounds(self) -> tuple[float, float]:
        return (self.low, self.high)


@dataclass(frozen=True)
class Sweep:
    """A validated sweep: the resolved scenario and everything needed to build and run the design."""

    name: str
    description: str
    path: Path
    scenario: Scenario
    method: str
    samples: int | None
    seed: int
    second_order: bool
    morris_levels: int
    replicates: int
    parameters: tuple[SweepParameter, ...]
    outputs: tuple[tuple[str, int], ...]
    dummy: bool = False
    base_parameters: str = "median"      # behavioural parameters not swept: posterior median or catalogue

    @property
    def output_names(self) -> list[str]:
        return [f"{ind}_{year}" for ind, year in self.outputs]


def _fail(message: str, path: Path, field: str) -> InputError:
    return InputError(message, file=path, field=field)


def load_sweep(path: str | Path) -> Sweep:
    """Read and validate a sweep file (and the scenario it names)."""
    from sim.scenario.loader import pydantic_error, read_yaml

    path = Path(path)
    raw = read_yaml(path)
    if not isinstance(raw, dict):
        raise _fail("a sweep file must be a mapping with name, scenario, design, parameters and outputs", path, "(top level)")
    try:
        spec = SweepFile.model_validate(raw)
    except ValidationError as exc:
        raise pydantic_error(exc, path, SweepFile) from None

    scenario_path = resolve_path(path.parent / spec.scenario, file=path, field="scenario")
    if not scenario_path.exists():
        raise _fail(f"names a scenario that does not exist: {scenario_path}", path, "scenario")
    if not scenario_path.is_file():
        raise _fail(f"must name a scenario file; {scenario_path} is not a file", path, "scenario")
    run = spec.run.model_dump(exclude_none=True)
    scenario = load_scenario(scenario_path, **run)
    horizon = scenario.horizon

    params = []
    for name, rng in spec.parameters.items():
        where = f"parameters.{name}"
        lever = levers.BY_NAME.get(name)
        pspec = parameters.BY_NAME.get(name)
        if lever is None and pspec is None:
            raise _fail("is neither a lever, an exogenous input nor a behavioural parameter "
                        "(see `innovsim levers` and `innovsim parameters`)", path, where)
        allowed_low, allowed_high, unit = (lever.low, lever.high, lever.unit) if lever else (pspec.low, pspec.high, pspec.unit)
        if spec.design.method == "grid":
            if rng.levels is None:
                raise _fail("a grid needs `levels: [...]` for every parameter", path, where)
            if rng.low is not None or rng.high is not None:
                raise _fail("give either `levels` (grid) or `low` and `high`, not both", path, where)
            values = [float(v) for v in rng.levels]
            low, high = min(values), max(values)
        else:
            if rng.levels is not None:
                raise _fail(f"`levels` is for grids; a {spec.design.method} design needs `low` and `high`", path, where)
            if rng.low is None or rng.high is None:
                raise _fail("needs `low` and `high`", path, where)
            low, high, values = float(rng.low), float(rng.high), None
            if not low < high:
                raise _fail(f"low ({low:g}) must be below high ({high:g})", path, where)
        for v in (low, high):
            if not (math.isfinite(v) and allowed_low <= v <= allowed_high):
                raise _fail(f"{v:g} is outside the allowed range {allowed_low:g} to {allowed_high:g} ({unit})", path, where)
        start = None
        if rng.from_ is not None:
            if lever is None:
                raise _fail("`from` applies to levers and exogenous inputs; a behavioural parameter holds for the whole run",
                            path, f"{where}.from")
            try:
                start = parse_date(rng.from_)
            except ValueError as exc:
                raise _fail(str(exc), path, f"{where}.from") from None
            if not dt.date(START_YEAR, 1, 1) <= start <= dt.date(horizon, 12, 31):
                raise _fail(f"{start.isoformat()} is outside the simulated period {START_YEAR} to {horizon}", path, f"{where}.from")
        elif lever is not None:
            start = dt.date(START_YEAR, 1, 1)
        params.append(SweepParameter(name, lever.kind if lever else "parameter", low, high,
                                     tuple(values) if values else None, start))

    outputs = []
    for i, out in enumerate(spec.outputs):
        if out.indicator not in indicators.BY_NAME:
            raise _fail(f"unknown indicator {out.indicator!r}; allowed: {', '.join(indicators.NAMES)}", path, f"outputs[{i}].indicator")
        if not START_YEAR <= out.year <= horizon:
            raise _fail(f"{out.year} is outside the simulated years {START_YEAR} to {horizon}", path, f"outputs[{i}].year")
        outputs.append((out.indicator, out.year))
    if len(set(outputs)) != len(outputs):
        raise _fail("the same output is listed twice", path, "outputs")

    method, n = spec.design.method, spec.design.samples
    if method == "grid":
        if n is not None:
            raise _fail("a grid's size comes from the levels; remove `samples`", path, "design.samples")
    elif n is None:
        raise _fail(f"a {method} design needs `samples`", path, "design.samples")
    if method == "sobol" and (n & (n - 1)) != 0:
        lower, upper = 1 << (n.bit_length() - 1), 1 << n.bit_length()
        raise _fail(f"Sobol' designs need a power of two (SALib's rule for the sequence's balance), "
                    f"got {n}; use {lower} or {upper}", path, "design.samples")
    if method == "sobol" and n < MIN_SOBOL_SAMPLES:
        raise _fail(f"a Sobol' design needs at least {MIN_SOBOL_SAMPLES} samples for its confidence intervals "
                    f"to mean anything, got {n}", path, "design.samples")
    if method in ("sobol", "morris") and len(params) < 2:
        raise _fail(f"a {method} analysis needs at least two parameters", path, "parameters")
    if spec.design.dummy:
        if method not in ("sobol", "morris"):
            raise _fail("a dummy parameter measures the noise floor of Sobol' or Morris indices; "
                        f"it has no use in a {method} design", path, "design.dummy")
        params.append(SweepParameter(DUMMY, "dummy", 0.0, 1.0, None, None))
    d = len(params)
    rows = {"grid": math.prod(len(p.levels or ()) for p in params), "lhs": n,
            "sobol": (n or 0) * ((2 * d + 2) if spec.design.second_order else (d + 2)),
            "morris": (n or 0) * (d + 1)}[method]
    if rows * spec.replicates > MAX_SWEEP_RUNS:
        raise _fail(f"asks for {rows:,} design rows x {spec.replicates} replicates = {rows * spec.replicates:,} runs; "
                    f"at most {MAX_SWEEP_RUNS:,} are allowed", path, "design")
    return Sweep(spec.name, spec.description.strip(), path, scenario, method, n, spec.design.seed,
                 spec.design.second_order, spec.design.levels, spec.replicates, tuple(params), tuple(outputs),
                 spec.design.dummy, spec.base_parameters)
