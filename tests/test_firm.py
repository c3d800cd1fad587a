"""Firms' rules: own tax price, R&D within cash, relabelling, certification thresholds, taxes."""

import numpy as np
import pytest

from sim.agents.firm import HTE, SME, Firm
from sim.parameters import Parameters
from sim.policy.certification import RULES_2008, RULES_2016
from sim.population import Population


class _Model:
    """Just enough of a model for a Population (Mesa agents are created lazily)."""


@pytest.fixture
def firms():
    pop = Population(_Model(), Firm, Firm.COLUMNS, 8)
    pop.add(4, kind=np.array([SME, SME, HTE, SME], dtype=np.int8), staff=10.0, revenue=9.0, weight=1.0,
            rd_propensity=1.0, rd_effort=1.0, cash=5.0, taxable=np.array([True, False, True, True]))
    return pop


def test_loss_makers_face_a_higher_tax_price_and_respond_less(firms):
    p = Parameters.defaults()
    before = Firm.effort_target(firms, p, 0.5)
    after = Firm.effort_target(firms, p, 1.0)
    assert np.allclose(before[:4], 1.0)                     # 2016 rules: effort one for everyone
    taxpayer, loss_maker, certified = after[0], after[1], after[2]
    assert taxpayer > certified > loss_maker > 1.0          # 25 % > 15 % > carry-forward only
    # a full-rate taxpayer: tax price 1 - 0.25 x 2 = 0.5 against 0.625
    assert taxpayer == pytest.approx((0.625 / 0.5) ** p.firm_rd_price_elasticity)


def test_rd_never_spends_cash_below_the_buffer(firms):
    p = Parameters.defaults()
    c = firms.cols
    c["cash"][:4] = [0.0, 0.05, 100.0, 0.3]
    Firm.spend_on_rd(firms, p, super_deduction=3.0, centre_budget_myuan=30.0,
                     operating_myuan=np.zeros(firms.capacity), deflator=1.0)
    spare = np.maximum(c["cash"] - Firm.buffer(firms, p, 1.0), 0.0)
    assert (c["rd_spend"][:4] / 4.0 <= spare[:4] + 1e-12).all()
    assert c["rd_spend"][2] > 0 and c["rd_spend"][0] == 0


def test_relabelling_lifts_reported_rd_to_the_threshold_only_from_just_below(firms):
    p = Parameters.defaults().replace(firm_hte_rd_scope=1.0)
    c = firms.cols
    c["revenue"][:4] = 40.0                                 # under 50 m yuan: 5 % threshold = 2.0
    c["rd_spend"][:4] = [2.5, 1.8, 1.0, 0.0]
    Firm.report_rd(firms, p)
    assert list(c["rd_reported"][:4]) == [2.5, 2.0, 1.0, 0.0]   # 1.8 is within 25 % below; 1.0 is not


def test_relabelling_aims_at_the_threshold_on_certifications_broader_scope(firms):
    """With certification R&D 1.25 times reported, 1.6 of survey R&D already meets a 2.0 threshold:
    1.7 needs no relabelling, 1.4 is lifted to 1.6 (not 2.0), 1.0 is too far below."""
    p = Parameters.defaults().replace(firm_hte_rd_scope=1.25)
    c = firms.cols
    c["revenue"][:4] = 40.0
    c["rd_spend"][:4] = [1.7, 1.4, 1.0, 0.0]
    Firm.report_rd(firms, p)
    assert np.allclose(c["rd_reported"][:4], [1.7, 1.6, 1.0, 0.0])


def test_certification_thresholds_fall_with_revenue_and_the_2016_rules_lowered_the_smallest():
    assert list(RULES_2016.threshold(np.array([10.0, 100.0, 500.0]))) == [0.05, 0.04, 0.03]
    assert list(RULES_2008.threshold(np.array([10.0, 100.0, 500.0]))) == [0.06, 0.04, 0.03]


def test_the_2008_rules_add_a_staff_test_that_the_2016_rules_dropped(firms):
    p = Parameters.defaults().replace(firm_hte_rd_scope=1.0, firm_hte_2008_staff_share=0.5)
    c = firms.cols
    c["revenue"][:4] = 40.0
    c["rd_spend"][:4] = c["rd_reported"][:4] = [2.2, 2.2, 2.6, 1.0]   # 5.5 %, 5.5 %, 6.5 %, 2.5 %
    c["age"][:4] = [8, 8, 8, 2]
    c["staff_test_draw"][:4] = [0.9, 0.1, 0.1, 0.1]
    assert list(Firm.qualifies(firms, p, RULES_2016)[:4]) == [True, True, True, False]
    # 2008: 5.5 % is below the 6 % threshold; only the third meets it and the staff test
    assert list(Firm.qualifies(firms, p, RULES_2008)[:4]) == [False, False, True, False]
    c["staff_test_draw"][2] = 0.7
    assert not Firm.qualifies(firms, p, RULES_2008)[2]


def test_losses_are_carried_forward_and_the_deduction_is_worth_nothing_without_profit(firms):
    p = Parameters.defaults()
    c = firms.cols
    c["rd_spend"][:4] = c["rd_reported"][:4] = 4.0
    c["tax_loss"][:4] = 0.0
    operating = np.array([3.0, 0.2, 3.0, 3.0, 0, 0, 0, 0])
    tax, forgone = Firm.taxes(firms, p, operating_myuan=operating, super_deduction=1.0)
    assert tax[1] == 0 and forgone[1] == 0 and c["tax_loss"][1] > 0 and not c["taxable"][1]
    assert tax[0] == pytest.approx(0.25 * (3.0 - 1.0 - 1.0))


def test_initial_patent_stocks_follow_each_firms_history():
    """The stock is what quarterly Poisson patents leave after the firm's age, depreciated since:
    its mean is lambda x sum of keep^k over the age (at most 120 quarters); a new firm has none."""
    p = Parameters.defaults()
    keep = (1.0 - p.firm_ip_depreciation) ** 0.25
    rng = np.random.default_rng(5)
    age = np.array([0, 8, 40, 400] * 20_000)
    stock = Firm.stationary_ip_stock(rng, p, np.full(age.size, 0.3), age)
    for a in (0, 8, 40, 400):
        expected = 0.3 * sum(keep ** k for k in range(min(a, 120)))
        assert stock[age == a].mean() == pytest.approx(expected, rel=0.02, abs=1e-9)
    # a single old patent (quarterly rate far below one) rarely counts as held after 26 quarters
    few = Firm.stationary_ip_stock(rng, p, np.full(50_000, 0.002), np.full(50_000, 400))
    held = (few >= 0.5).mean()
    assert held == pytest.approx(1 - np.exp(-0.002 * 26.3), rel=0.15)


def test_the_size_effect_on_rd_is_relative_to_the_years_typical_firm(firms):
    """Firms growing together (size index up with every staff count) keep their intensity."""
    p = Parameters.defaults()
    before = Firm.base_rd(firms, p, 0.0)
    firms.cols["staff"][:4] *= 1.5
    assert np.allclose(Firm.base_rd(firms, p, 0.0, size_index=1.5)[:4], before[:4])
    assert np.all(Firm.base_rd(firms, p, 0.0)[:4] < before[:4])


def test_the_funds_screen_reads_patents_over_staff_to_its_exponent():
    """fund_screen_size_exponent: 0 ranks by patents per firm (size wins), 1 by patents per worker
    (the small firm wins), the catalogue's 0.5 by patents per root staff."""
    pop = Population(_Model(), Firm, Firm.COLUMNS, 4)
    pop.add(2, kind=np.array([SME, SME], dtype=np.int8), staff=np.array([100.0, 4.0]), revenue=9.0, weight=1.0,
            ip_stock=np.array([20.0, 2.0]), age=4.0, cash=1.0)
    p = Parameters.defaults().replace(fund_screening_noise=0.0)
    for exponent, expected in ((0.0, [20.0, 2.0]), (0.5, [2.0, 1.0]), (1.0, [0.2, 0.5])):
        rows, promise = Firm.fund_candidates(pop, np.random.default_rng(0), p.replace(fund_screen_size_exponent=exponent))
        assert list(rows) == [0, 1] and promise == pytest.approx(expected)


def test_the_certified_rate_holds_for_whole_tax_years(firms):
    """Certified in the round: refunded 25 - 15 points on the year's taxable income; certificate
    lost: the same paid back; everyone else: nothing. Income accrues quarter by quarter in taxes."""
    p = Parameters.defaults()
    c = firms.cols
    operating = np.zeros(firms.capacity)
    operating[:4] = [2.0, 2.0, 2.0, -1.0]
    c["rd_spend"][:4] = c["rd_reported"][:4] = 0.0
    Firm.new_tax_year(firms)
    for _ in range(4):
        Firm.taxes(firms, p, operating_myuan=operating, super_deduction=0.0)
    assert list(c["income_year"][:4]) == [8.0, 8.0, 8.0, 0.0]
    cash = c["cash"].copy()
    out = Firm.settle_tax_year(firms, p, gained=np.array([0, 3]), lost=np.array([2]))
    gap = p.econ_tax_rate - p.econ_hte_tax_rate
    assert out[:4] == pytest.approx([gap * 8.0, 0.0, -gap * 8.0, 0.0])      # a loss-maker gets nothing back
    assert c["cash"][:4] == pytest.approx(cash[:4] + out[:4])
    Firm.new_tax_year(firms)
    assert not c["income_year"].any()


def test_a_firm_that_loses_its_certificate_does_not_apply_again_in_the_same_round(firms):
    """In the round, an audited certificate is withdrawn and one due for renewal lapses when the firm
    no longer qualifies; neither firm is certified anew in that round, though every draw falls below
    every rate (the audited firm still qualifies). Outside the round only audits act."""
    class Low:                                                  # every draw zero: every rate fires
        @staticmethod
        def random(n):
            return np.zeros(n)

    p = Parameters.defaults()
    c = firms.cols
    c["age"][:4] = 40
    c["revenue"][:4] = 40.0
    c["rd_reported"][:4] = [3.0, 0.0, 3.0, 3.0]     # firm 1 does not qualify; 0, 2 (certified) and 3 do
    c["kind"][:4] = [SME, HTE, HTE, SME]
    c["cert_quarters"][:4] = [0, 1, 5, 0]            # firm 1 is due in this round
    new, renewed, lapsed = Firm.certification(firms, Low(), p, RULES_2016, recognition_round=True)
    assert sorted(lapsed) == [1, 2] and renewed.size == 0 and sorted(new) == [0, 3]
    assert list(c["kind"][:4]) == [HTE, SME, SME, HTE]
    new, renewed, lapsed = Firm.certification(firms, Low(), p, RULES_2016, recognition_round=False)
    assert new.size == renewed.size == 0 and sorted(lapsed) == [0, 3]   # audits only
