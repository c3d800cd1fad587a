"""Prior distributions of the free behavioural parameters.

``calibration/priors.yaml`` divides the parameter catalogue (:mod:`sim.parameters`) in three:

* **free** parameters, fitted to the documented figures. Each has a prior: ``uniform`` or
  ``loguniform`` between ``low`` and ``high`` (inside the catalogue's plausible range), and the
  ``reason`` for that range.
* **fixed** parameters, set from data (a documented figure, a law, a published count) and not
  fitted. The catalogue holds the value and its source; the file says why it is fixed.
* every other parameter keeps its catalogue value: no documented figure informs it. Its effect
  on projections is what sensitivity sweeps (``innovsim sweep``) are for.

Calibration works in the *unit cube*: each free parameter is mapped to [0, 1] (linearly for a
uniform prior, through its logarithm for a log-uniform one), where every prior is uniform. The
proposal kernels of :mod:`sim.calibration.abc_smc` then need no knowledge of units.

Example
-------
>>> p = Prior("ft_settle_rate", 0.005, 0.05, "loguniform", "why")
>>> round(float(p.to_value(0.5)), 5)        # the geometric mid-point
0.01581
>>> round(float(p.to_unit(0.05)), 6)
1.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sim.errors import InputError
from sim.inputs import FiniteFloat
from sim.parameters import SPECS
from sim.resources import data_file

DEFAULT_PRIORS = data_file("calibration/priors.yaml")
CATALOGUE = {p.name: p for p in SPECS}


@dataclass(frozen=True)
class Prior:
    """A uniform or log-uniform prior on one parameter."""

    name: str
    low: float
    high: float
    shape: Literal["uniform", "loguniform"]
    reason: str

    def to_value(self, u: float | np.ndarray) -> float | np.ndarray:
        """The parameter value at position ``u`` in [0, 1]."""
        if self.shape == "loguniform":
            return np.exp(math.log(self.low) + np.asarray(u) * (math.log(self.high) - math.log(self.low)))[()]
        return (self.low + np.asarray(u) * (self.high - self.low))[()]

    def to_unit(self, value: float | np.ndarray) -> float | np.ndarray:
        """Position of ``value`` in [0, 1]; the inverse of :meth:`to_value`."""
        v = np.asarray(value, dtype=float)
        if self.shape == "loguniform":
            return ((np.log(v) - math.log(self.low)) / (math.log(self.high) - math.log(self.low)))[()]
        return ((v - self.low) / (self.high - self.low))[()]


@dataclass(frozen=True)
class Priors:
    """The free parameters (in a fixed order) and the fixed ones with their reasons."""

    free: tuple[Prior, ...]
    fixed: dict[str, str]
    path: Path | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.free)

    def __len__(self) -> int:
        return len(self.free)

    def values(self, unit: np.ndarray) -> dict[str, float]:
        """Parameter values at one point of the unit cube."""
        return {p.name: float(p.to_value(u)) for p, u in zip(self.free, unit)}

    def unit(self, values: dict[str, float]) -> np.ndarray:
        return np.array([p.to_unit(values[p.name]) for p in self.free], dtype=float)

    def draw(self, rng: np.random.Generator) -> dict[str, float]:
        """One draw from the prior."""
        return self.values(rng.random(len(self.free)))

    def sha256(self) -> str:
        """Hash of the priors' content (what draws from them depend on), whatever file they came from."""
        import hashlib
        import json

        return hashlib.sha256(json.dumps(self.describe(), sort_keys=True).encode()).hexdigest()

    def describe(self) -> dict:
        """JSON-ready content, for fingerprints and reports."""
        return {"free": [vars(p) for p in self.free], "fixed": dict(self.fixed)}


class _FreeSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    low: FiniteFloat
    high: FiniteFloat
    prior: Literal["uniform", "loguniform"] = "uniform"
    reason: str = Field(min_length=1)


class _PriorsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    free: dict[str, _FreeSpec] = Field(min_length=1)
    fixed: dict[str, str] = Field(default_factory=dict)


def load_priors(path: str | Path = DEFAULT_PRIORS) -> Priors:
    """Read and check a priors file; every problem is an :class:`InputError` naming the field."""
    from sim.scenario.loader import pydantic_error, read_yaml

    path = Path(path)
    raw = read_yaml(path)
    if not isinstance(raw, dict):
        raise InputError("must be a mapping with `free` (and optionally `fixed`)", file=path, field="(top level)")
    try:
        spec = _PriorsFile.model_validate(raw)
    except ValidationError as exc:
        raise pydantic_error(exc, path, _PriorsFile) from None
    free = []
    for name, s in spec.free.items():
        field = f"free.{name}"
        if name not in CATALOGUE:
            raise InputError(f"unknown parameter; see `innovsim parameters` for the {len(CATALOGUE)} names",
                             file=path, field=field)
        cat = CATALOGUE[name]
        if not s.low < s.high:
            raise InputError(f"low ({s.low:g}) must be below high ({s.high:g})", file=path, field=field)
        if s.low < cat.low or s.high > cat.high:
            raise InputError(f"prior range {s.low:g} to {s.high:g} must lie within the parameter's plausible "
                             f"range {cat.low:g} to {cat.high:g}", file=path, field=field)
        if s.prior == "loguniform" and s.low <= 0:
            raise InputError("a loguniform prior needs low > 0", file=path, field=f"{field}.low")
        free.append(Prior(name, float(s.low), float(s.high), s.prior, s.reason.strip()))
    for name, reason in spec.fixed.items():
        if name not in CATALOGUE:
            raise InputError("unknown parameter; see `innovsim parameters`", file=path, field=f"fixed.{name}")
        if name in spec.free:
            raise InputError("is both free and fixed; name it once", file=path, field=f"fixed.{name}")
        if not str(reason).strip():
            raise InputError("needs the reason it is fixed", file=path, field=f"fixed.{name}")
    return Priors(tuple(free), {k: str(v).strip() for k, v in spec.fixed.items()}, path)
