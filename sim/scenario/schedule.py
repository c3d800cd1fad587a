"""Schedules: a lever's value over time, compiled to one value per quarter.

A schedule is a constant, or a set of dated points. By default each value holds from its date
until the next (a *step* schedule); with ``interpolation: linear`` the value moves in a straight
line between points and holds after the last. Before its first point a schedule takes the value
it is given (``before``): the catalogue default, or the parent scenario's schedule when a
scenario ``extends`` another.

Compiling to quarters: a step schedule contributes to each quarter the average of its values
weighted by the days each is in force (so a regulation in force from 1 March counts for one
third of the first quarter); a linear schedule is read at the middle of each quarter.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from sim.calendar import n_quarters, quarter_position

Interpolation = Literal["step", "linear"]


@dataclass(frozen=True)
class Schedule:
    """A lever's value over time.

    >>> s = Schedule(points=((dt.date(2016, 1, 1), 60.0), (dt.date(2017, 1, 1), 10.0)))
    >>> s.quarterly(2017).tolist()
    [60.0, 60.0, 60.0, 60.0, 10.0, 10.0, 10.0, 10.0]
    """

    points: tuple[tuple[dt.date, float], ...]
    interpolation: Interpolation = "step"
    before: "Schedule | float" = field(default=float("nan"))

    @classmethod
    def constant(cls, value: float) -> "Schedule":
        return cls(points=((dt.date(1900, 1, 1), float(value)),))

    def override_from(self, child: "Schedule") -> "Schedule":
        """``child`` from its first date onward, this schedule before it (the ``extends`` rule)."""
        return Schedule(points=child.points, interpolation=child.interpolation, before=self)

    def quarterly(self, horizon: int) -> np.ndarray:
        """One value per quarter from 2016 Q1 to the end of ``horizon``."""
        n = n_quarters(horizon)
        if self.interpolation == "linear":
            return self._sample(np.arange(n) + 0.5)
        # Step: integrate the piecewise-constant function over each quarter, on a fine grid of
        # breakpoints (quarter edges and the schedule's own dates).
        edges = np.arange(n + 1, dtype=float)
        cuts = np.unique(np.concatenate([edges, self._positions(n)]))
        mids = 0.5 * (cuts[:-1] + cuts[1:])
        values = self._sample(mids)
        widths = np.diff(cuts)
        quarter_of = np.minimum(np.floor(mids).astype(int), n - 1)
        total = np.bincount(quarter_of, weights=values * widths, minlength=n)
        return total / np.bincount(quarter_of, weights=widths, minlength=n)

    # -- helpers -----------------------------------------------------------------------------
    def _positions(self, n: int) -> np.ndarray:
        pos = [quarter_position(d) for d, _ in self.points]
        extra = self.before._positions(n) if isinstance(self.before, Schedule) else []
        return np.clip(np.concatenate([pos, extra]), 0, n)

    def _sample(self, t: np.ndarray) -> np.ndarray:
        """Value at positions ``t`` (quarters since 2016-01-01)."""
        pos = np.array([quarter_position(d) for d, _ in self.points])
        val = np.array([v for _, v in self.points])
        if isinstance(self.before, Schedule):
            prior = self.before._sample(t)
        else:
            prior = np.full_like(t, self.before, dtype=float)
        if self.interpolation == "linear":
            here = np.interp(t, pos, val)
        else:
            idx = np.searchsorted(pos, t, side="right") - 1
            here = val[np.maximum(idx, 0)]
        return np.where(t < pos[0], prior, here)


def changes(values: np.ndarray) -> dict[str, float]:
    """A quarterly series as its change points, ``{"2016Q1": 30.0, "2018Q1": 20.0, ...}``.

    This is how a resolved schedule is written to the manifest and shown in reports: exact, and
    short enough to read.
    """
    out: dict[str, float] = {}
    previous = None
    for q, v in enumerate(values.tolist()):
        if previous is None or not np.isclose(v, previous, rtol=0, atol=1e-12):
            out[f"{2016 + q // 4}Q{q % 4 + 1}"] = round(v, 10)
            previous = v
    return out
