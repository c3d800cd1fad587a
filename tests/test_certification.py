"""The certification rules in force and the 2016 reform working through the certified stock."""

import numpy as np
import pytest

from sim.agents.firm import HTE
from sim.parameters import Parameters
from sim.policy.certification import RECOGNITION_QUARTER, REFORM_YEAR, RULES_2008, RULES_2016, rules_in_force, yearly_share

from conftest import make_model


def test_the_rules_in_force_switch_on_1_january_2016_and_the_burn_in_stands_for_the_years_before():
    assert rules_in_force(2015) is RULES_2008
    assert rules_in_force(REFORM_YEAR) is RULES_2016 and rules_in_force(2030) is RULES_2016
    assert rules_in_force(2016, before_2016=True) is RULES_2008


def test_thresholds_read_revenue_bands_as_the_rules_state_them():
    revenue = np.array([0.0, 49.9, 50.0, 199.9, 200.0, 1e6])
    assert list(RULES_2016.threshold(revenue)) == [0.05, 0.05, 0.04, 0.04, 0.03, 0.03]
    assert list(RULES_2008.threshold(revenue)) == [0.06, 0.06, 0.04, 0.04, 0.03, 0.03]
    assert RULES_2008.staff_test and not RULES_2016.staff_test


def _certified(model) -> float:
    c = model.firms.cols
    return float(c["weight"][model.firms.alive & (c["kind"] == HTE)].sum())


def test_the_reform_raises_the_certified_stock_at_the_pace_firms_apply(baseline_schedules):
    """Started under the 2008 rules, the stock rises after 2016 as newly qualifying firms apply:
    by more with a staff test that bound harder, and faster with a higher apply rate. Under a
    staff test that never bound and a scope that offsets the 6 % to 5 % cut, it barely moves."""
    def path(**changes):
        p = Parameters.defaults().replace(**changes)
        model = make_model(baseline_schedules, seed=3, horizon=2021, parameters=p)
        start = _certified(model)
        out = []
        for _ in range(4 * 4):
            model.step()
            if model.quarter % 4 == 0:
                out.append(_certified(model))
        return start, out

    start, reform = path(firm_hte_2008_staff_share=0.4, firm_hte_apply_rate=0.06)
    assert reform[-1] > 1.4 * start                            # the reform works through
    assert reform[0] < reform[-1]                               # gradually, not at once
    _, fast = path(firm_hte_2008_staff_share=0.4, firm_hte_apply_rate=0.15)
    assert fast[0] - start > reform[0] - start                  # faster with more applications
    start_same, same = path(firm_hte_2008_staff_share=1.0)
    assert same[-1] < 1.2 * start_same                          # only the 6 % to 5 % cut


def test_a_years_round_takes_the_applications_four_quarters_would_have_brought():
    assert yearly_share(0.0) == 0.0 and yearly_share(1.0) == 1.0
    assert yearly_share(0.06) == pytest.approx(1 - 0.94 ** 4)
    assert yearly_share(-0.5) == 0.0 and yearly_share(2.0) == 1.0


def test_certificates_are_issued_only_in_the_yearly_round_and_the_stock_drifts_down_between(baseline_schedules):
    """Recognition is a yearly round in the last quarter: between rounds no firm is certified and
    the stock can only fall (audits, closures); the indicators read the stock before the round and
    count the round's certificates, new and renewed."""
    model = make_model(baseline_schedules, seed=5, horizon=2019)
    stock = [_certified(model)]
    while model.running:
        model.step()
        stock.append(_certified(model))
    rounds = [q for q in range(len(stock) - 1) if q % 4 == RECOGNITION_QUARTER]
    for q in range(len(stock) - 1):
        if q not in rounds:
            assert stock[q + 1] <= stock[q], f"the stock rose in quarter {q}, outside a round"
    assert all(stock[q + 1] > stock[q] for q in rounds[:2])      # the 2016 reform works through
    records = {int(r["year"]): r for r in model.records}
    for year, q in zip(sorted(records), rounds):
        # before the round: the stock at the start of the last quarter, less that quarter's audits
        assert stock[q + 1] - records[year]["high_tech_recognitions"] <= records[year]["high_tech_enterprises_before_round"] <= stock[q]
        assert records[year]["high_tech_enterprises"] == pytest.approx(stock[q + 1])
        assert records[year]["high_tech_recognitions"] > 0
