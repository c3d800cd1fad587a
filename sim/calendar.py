"""Model time: quarters from 2016 Q1.

The model steps one quarter at a time. Quarter index 0 is 2016 Q1; index ``4 * (y - 2016) + k``
is quarter ``k + 1`` of year ``y``. Scenario dates are either a year (``2026``, meaning
1 January) or an ISO date (``2024-03-01``); a date is placed in time as a fraction of quarters
since 2016-01-01, so that a lever changing mid-quarter is weighted by the days it is in force.
"""

from __future__ import annotations

import datetime as _dt

START_YEAR = 2016
QUARTERS_PER_YEAR = 4

_EPOCH = _dt.date(START_YEAR, 1, 1)


def quarter_start(q: int) -> _dt.date:
    """First day of quarter index ``q``."""
    year, k = divmod(q, QUARTERS_PER_YEAR)
    return _dt.date(START_YEAR + year, 3 * k + 1, 1)


def year_of(q: int) -> int:
    """Calendar year of quarter index ``q``."""
    return START_YEAR + q // QUARTERS_PER_YEAR


def n_quarters(horizon: int) -> int:
    """Quarters from 2016 Q1 to the end of ``horizon`` inclusive."""
    return (horizon - START_YEAR + 1) * QUARTERS_PER_YEAR


def parse_date(value: object) -> _dt.date:
    """Turn a scenario date (``2026``, ``"2026"``, ``"2024-03-01"`` or a ``date``) into a date.

    Raises ``ValueError`` with a message fit for the user when the value is not a date.
    """
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a date; use a year (2026) or YYYY-MM-DD")
    if isinstance(value, int):
        if 1900 <= value <= 2200:
            return _dt.date(value, 1, 1)
        raise ValueError(f"{value} is not a plausible year; use a four-digit year (2026) or YYYY-MM-DD")
    if isinstance(value, str):
        text = value.strip()
        if text.isdigit() and len(text) == 4:
            return parse_date(int(text))
        try:
            return _dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise ValueError(f"{value!r} is not a date; use a year (2026) or YYYY-MM-DD")


def quarter_position(date: _dt.date) -> float:
    """Position of ``date`` in quarters since 2016-01-01 (2016-04-01 is 1.0; mid-quarter is fractional)."""
    q = (date.year - START_YEAR) * QUARTERS_PER_YEAR + (date.month - 1) // 3
    start = quarter_start(q)
    end = quarter_start(q + 1)
    return q + (date - start).days / (end - start).days
