import datetime as dt

import pytest

from sim.calendar import n_quarters, parse_date, quarter_position, quarter_start, year_of


def test_quarters_count_from_2016():
    assert n_quarters(2035) == 80
    assert year_of(0) == 2016 and year_of(79) == 2035
    assert quarter_start(5) == dt.date(2017, 4, 1)


@pytest.mark.parametrize("value, expected", [
    (2026, dt.date(2026, 1, 1)), ("2026", dt.date(2026, 1, 1)),
    ("2024-03-01", dt.date(2024, 3, 1)), (dt.date(2020, 7, 1), dt.date(2020, 7, 1)),
])
def test_parse_date_accepts_years_and_iso_dates(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["soon", True, 12, "2024-13-01", 3.5])
def test_parse_date_rejects_non_dates(value):
    with pytest.raises(ValueError):
        parse_date(value)


def test_quarter_position_is_fractional_within_a_quarter():
    assert quarter_position(dt.date(2016, 1, 1)) == 0
    assert quarter_position(dt.date(2016, 4, 1)) == 1
    # 1 March 2024 is 60 of 91 days into 2024 Q1 (a leap year).
    assert quarter_position(dt.date(2024, 3, 1)) == pytest.approx(32 + 60 / 91)
