"""Documented figures as targets: which indicator each is compared with, and how closely.

Targets live in ``calibration/targets.yaml`` (the format is described at its top). A target
is *met* when the simulated value lies within its bounds, which follow from the qualifier:

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

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from sim import indicators
from sim.errors import InputError
from sim.inputs import FiniteFloat
from sim.resources import data_file

DEFAULT_TARGETS = data_file("calibration/targets.yaml")


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

    @model_validator(mode="after")
    def _complete(self) -> "TargetSpec":
        if self.comparable:
            if self.indicator is None or self.tolerance is None:
                raise ValueError("a comparable target needs `indicator` and `tolerance`")
            for name in (self.indicator, self.fit_on):
                if name is not None and name not in indicators.BY_NAME:
                    raise ValueError(f"unknown indicator {name!r}; allowed: {', '.join(indicators.NAMES)}")
        elif not self.reason:
            raise ValueError("a target that is not comparable needs a `reason`")
        return self


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
    """Read and validate a targets file; errors name the file and the target."""
    from sim.scenario.loader import pydantic_error, read_yaml

    path = Path(path)
    raw = read_yaml(path)
    if not isinstance(raw, dict) or not isinstance(raw.get("targets"), list):
        raise InputError("must be a mapping with a list `targets`", file=path, field="targets")
    out, seen = [], set()
    for i, item in enumerate(raw["targets"]):
        try:
            spec = TargetSpec.model_validate(item)
        except ValidationError as exc:
            err = pydantic_error(exc, path)
            inner = "" if err.field == "(top level)" else f".{err.field}"
            raise InputError(err.detail, file=path, field=f"targets[{i}]{inner}") from None
        if spec.id in seen:
            raise InputError(f"duplicate target id {spec.id!r}", file=path, field=f"targets[{i}].id")
        seen.add(spec.id)
        out.append(Target(spec))
    return out
