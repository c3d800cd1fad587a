import datetime as dt

import numpy as np
import pytest

from sim.scenario.schedule import Schedule, changes

D = dt.date


def test_step_schedule_holds_each_value_until_the_next():
    s = Schedule(points=((D(2016, 1, 1), 60.0), (D(2018, 1, 1), 10.0)))
    q = s.quarterly(2019)
    assert q[:8].tolist() == [60.0] * 8 and q[8:].tolist() == [10.0] * 8


def test_step_change_mid_quarter_is_weighted_by_days():
    s = Schedule(points=((D(2024, 3, 1), 1.3),), before=Schedule.constant(1.0))
    q = s.quarterly(2024)
    # 60 days at 1.0 and 31 days at 1.3 in 2024 Q1.
    assert q[32] == pytest.approx((60 * 1.0 + 31 * 1.3) / 91)
    assert q[31] == 1.0 and q[33] == 1.3


def test_linear_schedule_interpolates_at_quarter_midpoints_and_holds_after():
    s = Schedule(points=((D(2016, 1, 1), 0.0), (D(2017, 1, 1), 4.0)), interpolation="linear")
    q = s.quarterly(2018)
    assert q[:4] == pytest.approx([0.5, 1.5, 2.5, 3.5])
    assert q[4:].tolist() == [4.0] * 8


def test_override_keeps_parent_before_child_first_date():
    parent = Schedule(points=((D(2016, 1, 1), 30.0), (D(2021, 1, 1), 10.0)))
    child = Schedule(points=((D(2026, 1, 1), 5.0),))
    q = parent.override_from(child).quarterly(2030)
    assert q[0] == 30 and q[20] == 10 and q[39] == 10 and q[40] == 5


def test_constant_child_replaces_the_parent_entirely():
    parent = Schedule(points=((D(2016, 1, 1), 30.0), (D(2021, 1, 1), 10.0)))
    q = parent.override_from(Schedule.constant(7.0)).quarterly(2025)
    assert np.all(q == 7.0)


def test_before_first_point_uses_the_fallback():
    s = Schedule(points=((D(2020, 1, 1), 2.0),), before=Schedule.constant(1.0))
    q = s.quarterly(2021)
    assert q[15] == 1.0 and q[16] == 2.0


def test_changes_lists_only_change_points():
    assert changes(np.array([1.0, 1.0, 2.0, 2.0, 2.0, 3.0])) == {"2016Q1": 1.0, "2016Q3": 2.0, "2017Q2": 3.0}


def test_child_interpolation_does_not_change_how_the_parent_is_compiled():
    parent = Schedule(points=((D(2024, 3, 1), 1.3),), before=Schedule.constant(1.0))
    child = Schedule(points=((D(2026, 1, 1), 1.3), (D(2030, 1, 1), 2.6)), interpolation="linear")
    merged = parent.override_from(child).quarterly(2031)
    assert np.array_equal(merged[:40], parent.quarterly(2031)[:40])   # 2016-2025 untouched
    assert merged[40] == pytest.approx(1.3 + 1.3 * 0.5 / 16) and merged[-1] == 2.6


def test_child_starting_mid_quarter_blends_that_quarter_by_days():
    parent = Schedule.constant(30.0)
    child = Schedule(points=((D(2024, 3, 1), 10.0),))
    q = parent.override_from(child).quarterly(2025)
    assert q[31] == 30 and q[33] == 10
    assert q[32] == pytest.approx((60 * 30 + 31 * 10) / 91)
