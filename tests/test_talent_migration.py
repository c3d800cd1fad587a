"""Talent migration: the destination logit and the steady-state constant."""

import numpy as np

from sim.agents.foreign_talent import ForeignTalent
from sim.markets import talent_migration as tm
from sim.parameters import Parameters


def test_solved_constant_gives_the_target_arrivals_and_better_pay_draws_more():
    p = Parameters.defaults()
    u = ForeignTalent.reference_utility(p)
    rivals = tm.rival_utilities(p, beijing_real_pay_index=1.0, years_since_2016=0)
    constant = tm.solve_constant(p, 3000.0, u, rivals)
    assert np.isclose(tm.expected_arrivals(p, constant, u, rivals, 1.0).sum(), 3000.0, rtol=1e-6)
    richer = ForeignTalent.utility(p, real_pay_kyuan=1.1 * p.ft_pay_2016_kyuan, support_kyuan=0, days=30, amenities=1.0,
                                   foreign_led=0.0, lab_quality=1.0, pressure=0.1)
    ratio = tm.expected_arrivals(p, constant, richer, rivals, 1.0).sum() / 3000.0 - 1
    assert 0.10 <= ratio <= 0.20            # 10 % more net pay: 10-20 % more arrivals (EVIDENCE.md s.5)


def test_pressure_deters_north_americans_most():
    p = Parameters.defaults()
    calm = ForeignTalent.utility(p, real_pay_kyuan=400, support_kyuan=0, days=30, amenities=1, foreign_led=0, lab_quality=1, pressure=0.0)
    tense = ForeignTalent.utility(p, real_pay_kyuan=400, support_kyuan=0, days=30, amenities=1, foreign_led=0, lab_quality=1, pressure=1.0)
    loss = calm - tense
    assert loss[0] == loss.max() and (loss > 0).all()


def test_project_leads_are_academics_above_the_productivity_bar_within_the_open_share():
    from sim.population import Population

    class _Host:
        pass

    pop = Population(_Host(), ForeignTalent, ForeignTalent.COLUMNS, 4)
    pop.add(4, academic=np.array([True, True, True, False]), productivity=np.float32([0.8, 1.2, 2.5, 2.5]),
            lead_draw=np.float32([0.1, 0.1, 0.1, 0.1]))
    p = Parameters.defaults()
    assert list(ForeignTalent.leads(pop, p, 0.2)[:4]) == [False, True, True, False]   # the bar at average (1)
    assert not ForeignTalent.leads(pop, p, 0.05).any()                                 # draws above the open share
    assert list(ForeignTalent.leads(pop, p.replace(ft_lead_min_productivity=2.0), 0.2)[:4]) == [False, False, True, False]
