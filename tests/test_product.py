"""The product market: demand follows real GDP, shares sum to one, shocks are tent-shaped."""

import numpy as np

from conftest import make_model
from sim.markets import product
from sim.parameters import Parameters
from sim.patterns import excess_kurtosis


def test_demand_follows_real_gdp_and_prices():
    p = Parameters.defaults()
    assert product.demand_bn_yuan(100.0, p, 1.0, 1.0) == 100.0
    assert np.isclose(product.demand_bn_yuan(100.0, p, 1.1, 1.05), 100.0 * 1.1 ** p.firm_demand_gdp_elasticity * 1.05)


def test_weighted_shares_sum_to_one_every_quarter(baseline_schedules):
    m = make_model(baseline_schedules, scale=40, horizon=2019)
    for _ in range(8):
        m.step()
        c = m.firms.cols
        assert np.isclose(float((c["share"] * c["weight"]).sum()), 1.0)


def test_growth_shocks_are_laplace_and_shrink_with_size(baseline_schedules):
    m = make_model(baseline_schedules, scale=10, horizon=2017)
    product.draw_shocks(m.firms, np.random.default_rng(3), m.p)
    c, alive = m.firms.cols, m.firms.alive
    shock = c["shock"][alive]
    assert excess_kurtosis(shock.astype(float)) > 2.0          # Laplace: 3; a normal: 0
    small = shock[c["staff"][alive] < 20]
    large = shock[c["staff"][alive] > 500]
    assert large.std() < 0.7 * small.std()
