"""Directional responses: each lever moves its outcome the way the rules say it should.

Each comparison holds everything else fixed, uses the same seeds in both arms, and averages
over three of them, at test scale to 2026 (or 2024).
"""

import pytest

from conftest import mean_over_seeds, with_lever

KW = {"horizon": 2026}


def test_shorter_visa_processing_raises_foreign_talent(baseline_schedules):
    slow = mean_over_seeds(with_lever(baseline_schedules, "visa_processing_days", 90.0), "foreign_talent", 2026, **KW)
    fast = mean_over_seeds(with_lever(baseline_schedules, "visa_processing_days", 5.0), "foreign_talent", 2026, **KW)
    assert fast > slow * 1.1


@pytest.mark.parametrize("indicator", ["foreign_talent", "multinational_corporations"])
def test_geopolitical_pressure_lowers_foreign_talent_and_multinationals(baseline_schedules, indicator):
    calm = mean_over_seeds(with_lever(baseline_schedules, "geopolitical_pressure", 0.0), indicator, 2026, **KW)
    tense = mean_over_seeds(with_lever(baseline_schedules, "geopolitical_pressure", 1.0), indicator, 2026, **KW)
    assert tense < calm * 0.9


def test_higher_super_deduction_raises_rd_spending(baseline_schedules):
    low = mean_over_seeds(with_lever(baseline_schedules, "rd_super_deduction_rate", 0.0), "rd_expenditure_bn_yuan", 2024, horizon=2024)
    high = mean_over_seeds(with_lever(baseline_schedules, "rd_super_deduction_rate", 2.0), "rd_expenditure_bn_yuan", 2024, horizon=2024)
    assert high > low * 1.05


def test_higher_loan_guarantee_raises_ip_pledge_lending(baseline_schedules):
    low = mean_over_seeds(with_lever(baseline_schedules, "ip_pledge_loan_guarantee_share", 0.0), "ip_pledge_loans_bn_yuan", 2024, horizon=2024)
    high = mean_over_seeds(with_lever(baseline_schedules, "ip_pledge_loan_guarantee_share", 0.9), "ip_pledge_loans_bn_yuan", 2024, horizon=2024)
    assert high > low * 1.3


def test_more_grants_raise_papers(baseline_schedules):
    few = mean_over_seeds(with_lever(baseline_schedules, "research_grants_bn_yuan", 10.0), "papers", 2024, horizon=2024)
    many = mean_over_seeds(with_lever(baseline_schedules, "research_grants_bn_yuan", 60.0), "papers", 2024, horizon=2024)
    assert many > few * 1.1


def test_more_settlement_support_and_amenities_keep_more_foreign_talent(baseline_schedules):
    base = mean_over_seeds(baseline_schedules, "foreign_talent", 2026, **KW)
    generous = with_lever(with_lever(baseline_schedules, "talent_settlement_support_kyuan", 200.0, 8),
                          "international_amenities", 2.5, 8)
    assert mean_over_seeds(generous, "foreign_talent", 2026, **KW) > base * 1.1


def test_very_fast_permits_on_a_fixed_budget_build_a_backlog(baseline_schedules):
    fast = with_lever(baseline_schedules, "visa_processing_days", 2.0, 8)
    assert mean_over_seeds(fast, "permit_backlog", 2024, horizon=2024) > 1000
    assert mean_over_seeds(baseline_schedules, "permit_backlog", 2024, horizon=2024) == 0
