"""Research organisations: money, spending per head and its measurement in a run."""

import numpy as np
import pytest
from conftest import make_model

from sim.agents.research_org import ResearchOrganisation
from sim.markets import labour


def test_spending_per_head_is_money_over_staff_in_researcher_years():
    money = np.array([300.0, 600.0, 150.0, 500.0])
    staff = np.array([3, 3, 3, 0])
    out = ResearchOrganisation.spending_per_head(money, staff, cost_myuan=100.0)
    # exactly paid for; money outran hiring (vacant posts); money short of the staff (shedding);
    # nobody to spend it on: 1 by convention, read by no one
    assert out.tolist() == pytest.approx([1.0, 2.0, 0.5, 1.0])


def test_the_indicator_is_the_model_s_money_over_its_academic_staff(baseline_schedules):
    m = make_model(baseline_schedules, horizon=2017)
    m.step()                                           # one quarter, then measure by hand
    money = m.org_money_myuan()
    staff = labour.staff(m.researchers.cols["org"], m.orgs.capacity)
    by_hand = money.sum() / (staff.sum() * m.cost_academic_2016 * m.world.research_cost_index * m.scale)
    assert m.flows["academic_spending_per_head"] == pytest.approx(by_hand / 4.0, rel=1e-9)
    # 2016: block shares were set so that each organisation's money paid for the staff it had
    assert 0.9 < by_hand < 1.1
