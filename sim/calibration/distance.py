"""How far a simulation lies from the documented figures.

Each fitted target ``i`` (comparable, not held out) is summarised by one simulated value
``x_i``: its indicator in its year. The target's accepted range (:meth:`sim.targets.Target.bounds`)
has centre ``c_i`` and half-width ``h_i`` (half a place for a rank), so

    z_i = (x_i - c_i) / h_i

is the deviation in units of the tolerance: ``|z_i| <= 1`` exactly when the figure is matched.
A rank is fitted on its continuous ``fit_on`` position (:meth:`sim.world.clusters.ClusterRace.position`),
which rounds to the rank: one place off is two tolerances, half a place off one. The distance of a
simulation is the weighted root mean square

    d = sqrt( sum_i w_i z_i^2 / sum_i w_i )

with the weights ``w_i`` of ``calibration/targets.yaml``. Aiming at the centre of the range
rather than at the figure itself matters for one-sided figures ("over 3,500"), whose documented
value is the edge of what is accepted. A distance below one means a simulation matches the
figures on average, to within their tolerances.

Example
-------
>>> from sim.targets import load_targets
>>> d = Distance.of(load_targets())
>>> d({fit_key(t): c for t, c in zip(d.targets, d.centres)})
0.0
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

import numpy as np

from sim.errors import InputError
from sim.targets import Target


@dataclass(frozen=True)
class Distance:
    """Weighted RMS of the fitted targets' deviations, in tolerances."""

    targets: tuple[Target, ...]

    @classmethod
    def of(cls, targets: Iterable[Target]) -> "Distance":
        fitted = tuple(t for t in targets if t.comparable and not t.holdout and t.weight > 0)
        if not fitted:
            raise InputError("no comparable target with a weight above zero is left to fit", field="targets")
        for t in fitted:
            if t.half_width() <= 0:
                raise InputError("a fitted figure needs a tolerance above zero (ranks excepted)",
                                 field=f"targets.{t.id}.tolerance")
        return cls(fitted)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.targets)

    @property
    def centres(self) -> np.ndarray:
        return np.array([t.centre() for t in self.targets])

    @property
    def widths(self) -> np.ndarray:
        return np.array([t.half_width() for t in self.targets])

    @property
    def weights(self) -> np.ndarray:
        return np.array([t.weight for t in self.targets])

    def deviations(self, stats: Mapping[str, float]) -> np.ndarray:
        """``z_i`` for each fitted target, in the order of :attr:`ids` (on ``fit_on`` where a target has one)."""
        x = np.array([stats[fit_key(t)] for t in self.targets], dtype=float)
        return (x - self.centres) / self.widths

    def __call__(self, stats: Mapping[str, float]) -> float:
        z = self.deviations(stats)
        if not np.all(np.isfinite(z)):
            return float("inf")
        w = self.weights
        return float(np.sqrt(np.sum(w * z * z) / np.sum(w)))


def fit_key(target: Target) -> str:
    """The key of the value a target is fitted on: its id, or ``id:fit_on``."""
    return f"{target.id}:{target.fit_on}" if target.fit_on else target.id


def observe(records: Sequence[Mapping], targets: Iterable[Target]) -> dict[str, float]:
    """The simulated value of every comparable target (and of its ``fit_on`` indicator), from a
    model's yearly records."""
    by_year = {int(r["year"]): r for r in records}
    out = {}
    for t in targets:
        if t.comparable:
            row = by_year.get(int(t.year))
            out[t.id] = float(row[t.indicator]) if row is not None else float("nan")
            if t.fit_on:
                out[fit_key(t)] = float(row[t.fit_on]) if row is not None else float("nan")
    return out
