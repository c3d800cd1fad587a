import numpy as np
import pytest

import mesa

from sim.agents.agency import Agency
from sim.ledger import Ledger


@pytest.fixture
def agency():
    model = mesa.Model(rng=1)
    model.ledger = Ledger()
    a = Agency(model, "science")
    a.open_quarter(10.0)
    return a


def test_spend_never_exceeds_budget(agency):
    assert agency.spend(4) == 4
    assert agency.spend(8) == 6
    assert agency.spend(1) == 0 and agency.remaining == 0


def test_fund_in_order_stops_at_first_request_that_does_not_fit(agency):
    paid = agency.fund_in_order(np.array([3.0, 3.0, 5.0, 1.0]))
    assert paid.tolist() == [True, True, False, False]
    assert agency.spent == 6


def test_unspent_budget_lapses_and_year_totals_accumulate(agency):
    agency.spend(4)
    agency.open_quarter(2.0)
    assert agency.spent == 0 and agency.remaining == 2
    agency.spend(5)
    assert agency.spent_year == 6 and agency.model.ledger.paid["science"] == 6


def test_unknown_role_is_refused():
    model = mesa.Model(rng=1)
    with pytest.raises(ValueError):
        Agency(model, "lottery")
