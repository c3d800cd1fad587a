"""Directional responses: each lever moves its outcome the way the rules say it should.

Each comparison changes one lever from 2020 (the 2016 state is a steady state of that year's
levers, so a change must come after it), holds everything else fixed, uses the same seeds in
both arms, and averages over three of them, at test scale. Sizes against the evidence are
checked by ``innovsim responses`` (tests/test_responses.py).
"""

import pytest

from conftest import mean_over_seeds, with_lever

KW = {"horizon": 2026}
FROM_2020 = 16


def test_shorter_visa_processing_raises_foreign_talent(baseline_schedules):
    slow = mean_over_seeds(with_lever(baseline_schedules, "visa_processing_days", 90.0, FROM_2020), "foreign_talent", 2026, **KW)
    fast = mean_over_seeds(with_lever(baseline_schedules, "visa_processing_days", 5.0, FROM_2020), "foreign_talent", 2026, **KW)
    assert fast > slow * 1.03


@pytest.mark.parametrize("indicator", ["foreign_talent", "multinational_corporations", "intl_coauthored_papers"])
def test_geopolitical_pressure_lowers_foreign_talent_multinationals_and_coauthorship(baseline_schedules, indicator):
    calm = mean_over_seeds(with_lever(baseline_schedules, "geopolitical_pressure", 0.0, FROM_2020), indicator, 2026, **KW)
    tense = mean_over_seeds(with_lever(baseline_schedules, "geopolitical_pressure", 1.0, FROM_2020), indicator, 2026, **KW)
    assert tense < calm * 0.95


def test_higher_super_deduction_raises_business_rd(baseline_schedules):
    low = mean_over_seeds(with_lever(baseline_schedules, "rd_super_deduction_rate", 0.5, FROM_2020), "rd_business_bn_yuan", 2024, horizon=2024)
    high = mean_over_seeds(with_lever(baseline_schedules, "rd_super_deduction_rate", 2.0, FROM_2020), "rd_business_bn_yuan", 2024, horizon=2024)
    assert high > low * 1.05


def test_higher_loan_guarantee_raises_ip_pledge_lending(baseline_schedules):
    low = mean_over_seeds(with_lever(baseline_schedules, "ip_pledge_loan_guarantee_share", 0.0, FROM_2020), "ip_pledge_loans_bn_yuan", 2024, horizon=2024)
    high = mean_over_seeds(with_lever(baseline_schedules, "ip_pledge_loan_guarantee_share", 0.9, FROM_2020), "ip_pledge_loans_bn_yuan", 2024, horizon=2024)
    assert high > low * 1.3


def test_more_grants_raise_papers(baseline_schedules):
    few = mean_over_seeds(with_lever(baseline_schedules, "research_grants_bn_yuan", 15.0, FROM_2020), "papers", 2024, horizon=2024)
    many = mean_over_seeds(with_lever(baseline_schedules, "research_grants_bn_yuan", 60.0, FROM_2020), "papers", 2024, horizon=2024)
    assert many > few * 1.05


def test_more_settlement_support_and_amenities_keep_more_foreign_talent(baseline_schedules):
    base = mean_over_seeds(baseline_schedules, "foreign_talent", 2026, **KW)
    generous = with_lever(with_lever(baseline_schedules, "talent_settlement_support_kyuan", 200.0, FROM_2020),
                          "international_amenities", 2.5, FROM_2020)
    assert mean_over_seeds(generous, "foreign_talent", 2026, **KW) > base * 1.05


def test_a_target_the_budget_cannot_pay_for_slows_nothing_and_shows_in_the_results(baseline_schedules):
    """Very fast permits on half the baseline's budget: processing takes as long as the budget
    allows (longer than the target, reported), and arrivals are never below those at the slower
    target on the same budget. (On the full budget a one-day target costs about what the agency
    has, about 4,000 cases a year at 2024 prices, so whether it binds there is a matter of draws.)"""
    lean = with_lever(baseline_schedules, "immigration_budget_myuan", 40.0, FROM_2020)
    fast = with_lever(lean, "visa_processing_days", 1.0, FROM_2020)
    days = mean_over_seeds(fast, "permit_processing_days", 2024, horizon=2024)
    binding = mean_over_seeds(fast, "permit_budget_binding_quarters", 2024, horizon=2024)
    assert days > 1.0 and binding > 0
    assert mean_over_seeds(fast, "foreign_arrivals", 2024, horizon=2024) >= \
        mean_over_seeds(lean, "foreign_arrivals", 2024, horizon=2024) * 0.99
    assert mean_over_seeds(lean, "permit_budget_binding_quarters", 2024, horizon=2024) == 0
    assert mean_over_seeds(baseline_schedules, "permit_budget_binding_quarters", 2024, horizon=2024) == 0
