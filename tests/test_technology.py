"""The technology market: sellers sell at most their capacity, money moves from buyers to sellers,
and the 2016 turnover is Beijing's registered figure."""

import numpy as np
import pytest

from conftest import make_model, run_table
from sim.markets import technology

CAPACITY = np.array([10.0, 40.0, 5.0, 0.0, 25.0])
QUALITY = np.array([1.0, 0.5, 2.0, 1.0, 1.5])
APPEAL = CAPACITY * QUALITY


def test_no_seller_sells_above_its_capacity_and_demand_beyond_it_lapses():
    for demand in (0.0, 10.0, 50.0, 80.0, 1e6):
        sold = technology.sales(demand, CAPACITY, APPEAL)
        assert (sold <= CAPACITY + 1e-12).all() and (sold >= 0).all()
        assert sold.sum() <= min(demand, CAPACITY.sum()) + 1e-9
    assert technology.sales(1e6, CAPACITY, APPEAL) == pytest.approx(CAPACITY)


def test_payments_equal_receipts():
    rng = np.random.default_rng(4)
    buyers = rng.exponential(3.0, 50)
    for outside in (0.0, 20.0, 500.0):
        deal = technology.clear(buyers, outside, CAPACITY, APPEAL)
        assert deal.payments.sum() + deal.outside_paid == pytest.approx(deal.sales.sum())
        assert deal.turnover == pytest.approx(deal.sales.sum())
        # every buyer, inside or outside, is served the same share of what it asked
        assert (deal.payments <= buyers + 1e-12).all()
        assert deal.payments == pytest.approx(buyers * deal.fill)
        assert deal.outside_paid == pytest.approx(outside * deal.fill)


def test_demand_is_allocated_in_proportion_to_attractiveness_while_no_capacity_binds():
    demand = 10.0
    allocated = technology.allocate(demand, APPEAL)
    assert allocated == pytest.approx(demand * APPEAL / APPEAL.sum())
    sold = technology.sales(demand, CAPACITY, APPEAL)
    assert (sold < CAPACITY)[CAPACITY > 0].all()
    assert sold == pytest.approx(allocated)


def test_zero_demand_gives_zero_turnover():
    deal = technology.clear(np.zeros(5), 0.0, CAPACITY, APPEAL)
    assert deal.turnover == 0.0 and (deal.sales == 0).all() and (deal.payments == 0).all()
    assert technology.local_demand(np.array([5.0, 0.0]), np.array([100.0, 100.0]), share_of_rd=0.0,
                                   period_years=0.25) == pytest.approx([0.0, 0.0])


def test_more_demand_raises_turnover_until_capacity_binds():
    levels = np.linspace(0.0, 200.0, 81)
    turnover = np.array([technology.clear(np.array([d]), 0.0, CAPACITY, APPEAL).turnover for d in levels])
    assert (np.diff(turnover) >= -1e-12).all()
    assert (np.diff(turnover[levels <= 30.0]) > 0).all()
    assert turnover[-1] == pytest.approx(CAPACITY.sum())
    # once every seller is at capacity, more demand sells nothing more
    assert turnover[levels >= 160.0] == pytest.approx(np.full((levels >= 160.0).sum(), CAPACITY.sum()))


def test_local_buyers_ask_for_a_share_of_rd_within_spare_cash():
    asked = technology.local_demand(np.array([40.0, 40.0, 40.0]), np.array([100.0, 1.0, -5.0]),
                                    share_of_rd=0.5, period_years=0.25)
    assert asked == pytest.approx([5.0, 1.0, 0.0])


def test_solved_demand_gives_the_target_turnover():
    for target in (1.0, 20.0, 55.0, 79.9):
        demand = technology.demand_for_turnover(target, CAPACITY, APPEAL)
        assert technology.sales(demand, CAPACITY, APPEAL).sum() == pytest.approx(target)
    with pytest.raises(ValueError):
        technology.demand_for_turnover(CAPACITY.sum(), CAPACITY, APPEAL)
    saturating = technology.demand_for_turnover(1e6, CAPACITY, APPEAL, strict=False)
    assert technology.sales(saturating, CAPACITY, APPEAL) == pytest.approx(CAPACITY)


def test_outside_demand_grows_with_nominal_gdp_at_its_elasticity():
    assert technology.outside_demand(100.0, 1.0, 1.4) == pytest.approx(100.0)
    assert technology.outside_demand(100.0, 1.5, 1.4) == pytest.approx(100.0 * 1.5 ** 1.4)


# -- in the model ------------------------------------------------------------------------------------


def test_money_moves_between_buyers_and_sellers_in_the_model(baseline_schedules):
    m = make_model(baseline_schedules, scale=50, horizon=2018)
    for _ in range(8):
        m.step()
        flows = m.ledger.flows
        paid = flows["tech_contracts_bought_by_firms"] + flows["tech_contracts_bought_outside"]
        received = flows["tech_contracts_sold_by_firms"] + flows["tech_contracts_sold_by_orgs"]
        assert paid == pytest.approx(received, rel=1e-9)
        # firms' cash moves by exactly what they sold, less its delivery, less what they bought
        assert flows["tech_firm_cash_change"] == pytest.approx(
            flows["tech_contracts_sold_by_firms"] - flows["tech_contract_delivery"] - flows["tech_contracts_bought_by_firms"],
            rel=1e-6, abs=1e-6)
        assert (m.firms["cash"][m.firms.alive] >= 0).all()
    assert flows["tech_contracts_bought_by_firms"] > 0 and flows["tech_contracts_sold_by_orgs"] > 0
    assert m.orgs["contract_income"].sum() > 0


@pytest.fixture(scope="module")
def scale5_baseline(baseline_schedules):
    return [run_table(baseline_schedules, seed=seed, scale=5, horizon=2021) for seed in (1, 2)]


def test_2016_turnover_is_beijings_registered_figure(scale5_baseline):
    for table in scale5_baseline:
        assert table.loc[2016, "tech_contract_turnover_bn_yuan"] == pytest.approx(394.1, rel=0.05)


def test_turnover_grows_from_2016_to_2021_in_the_baseline(scale5_baseline):
    for table in scale5_baseline:
        turnover = table["tech_contract_turnover_bn_yuan"]
        assert turnover.loc[2021] > 1.3 * turnover.loc[2016]
