"""The scenario file's schema, checked with pydantic.

A scenario file is YAML with these top-level fields, all optional but ``name``::

    name: open_door
    description: Faster visas and more amenities from 2026
    extends: baseline.yaml          # path relative to this file
    levers:
      visa_processing_days: {2016: 60, 2026: 10}
      research_grants_bn_yuan: 40
      international_amenities: {interpolation: linear, values: {2026: 1.3, 2030: 2.0}}
    exogenous:
      geopolitical_pressure: {2016: 0.2, 2025: 0.6}
    parameters:                      # behavioural parameters, see `sim.parameters`
      foreign_visa_weight: 0.4
    run: {horizon: 2035, replicates: 10, seed: 1, scale: 1}

Names and value ranges are checked against :mod:`sim.levers` and :mod:`sim.parameters` by the
loader, which knows the file each value came from.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, Union

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt

Number = Union[StrictInt, StrictFloat]
DateKey = Union[StrictInt, dt.date, str]


class Ramp(BaseModel):
    """A schedule with explicit interpolation."""

    model_config = ConfigDict(extra="forbid")
    interpolation: Literal["step", "linear"] = "step"
    values: dict[DateKey, Number] = Field(min_length=1)


ScheduleSpec = Union[Number, Ramp, dict[DateKey, Number]]


class RunSpec(BaseModel):
    """Run settings; every field may be overridden on the command line."""

    model_config = ConfigDict(extra="forbid")
    horizon: int | None = Field(default=None, ge=2020, le=2060, strict=True)
    replicates: int | None = Field(default=None, ge=1, le=10_000, strict=True)   # as --replicates
    seed: int | None = Field(default=None, ge=0, le=2**63 - 1, strict=True)
    scale: Number | None = Field(default=None, ge=1, le=100_000)


class ScenarioFile(BaseModel):
    """One scenario file as written (before ``extends`` is resolved)."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=80)
    description: str = ""
    extends: str | None = None
    levers: dict[str, ScheduleSpec] = Field(default_factory=dict)
    exogenous: dict[str, ScheduleSpec] = Field(default_factory=dict)
    parameters: dict[str, Number] = Field(default_factory=dict)
    run: RunSpec = Field(default_factory=RunSpec)


#: Defaults for run settings a scenario chain leaves unset.
RUN_DEFAULTS = {"horizon": 2035, "replicates": 10, "seed": 1, "scale": 1}
