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
        """One value per quarter from 2016 Q1 to the end of ``horizon``.

        The fallback (``before``) is compiled by its own rules and this schedule's points by
        theirs; the quarter in which the first point falls is the day-weighted blend of the two.
        """
        n = n_quarters(horizon)
        start = quarter_position(self.points[0][0])
        after = np.clip(np.arange(n) + 1.0 - start, 0.0, 1.0)       # share of each quarter from the first point on
        if isinstance(self.before, Schedule):
            prior = self.before.quarterly(horizon)
        else:
            prior = np.full(n, float(self.before))
        own = self._own(n, start)
        blended = np.where(after >= 1.0, own, (1.0 - after) * prior + after * own)
        return np.where(after <= 0.0, prior, blended)

    def _own(self, n: int, start: float) -> np.ndarray:
        """This schedule's own value for each quarter, over the part of the quarter from ``start`` on."""
        pos = np.array([quarter_position(d) for d, _ in self.points])
        val = np.array([v for _, v in self.points])
        lo = np.maximum(np.arange(n, dtype=float), start)
        hi = np.arange(1, n + 1, dtype=float)
        if self.interpolation == "linear":
            return np.interp(0.5 * (lo + np.maximum(hi, lo)), pos, val)
        # Step: integrate the piecewise-constant function over [lo, hi] of each quarter.
        cuts = np.unique(np.concatenate([np.arange(n + 1, dtype=float), np.clip(pos, 0, n)]))
        mids = 0.5 * (cuts[:-1] + cuts[1:])
        widths = np.diff(cuts) * (mids >= start)
        values = val[np.maximum(np.searchsorted(pos, mids, side="right") - 1, 0)]
        quarter_of = np.minimum(np.floor(mids).astype(int), n - 1)
        total = np.bincount(quarter_of, weights=values * widths, minlength=n)
        width = np.bincount(quarter_of, weights=widths, minlength=n)
        return np.divide(total, width, out=np.full(n, val[0]), where=width > 0)

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
