"""Researchers' output: a grant raises its holder's papers by the 5-15 % the studies find."""

import numpy as np

from sim.agents.researcher import APPLIED, BASIC, NO_GRANT, Researcher
from sim.parameters import Parameters
from sim.population import Population


class _Model:
    pass


def test_a_grant_raises_its_holders_expected_papers_by_5_to_15_percent():
    p = Parameters.defaults()
    pop = Population(_Model(), Researcher, Researcher.COLUMNS, 4)
    pop.add(3, org=0, firm=-1, field=0, zone=0, productivity=1.0,
            grant_kind=np.array([NO_GRANT, BASIC, APPLIED], dtype=np.int8))
    Researcher.accrue_output(pop, p, np.array([1.0]), np.zeros(55), np.ones(4, dtype=np.int64))
    base, basic, applied = pop.cols["expected_papers"][:3]
    assert 1.05 <= basic / base <= 1.15 and 1.05 <= applied / base <= 1.15


def test_year_end_draws_are_individual_and_reset_the_expectations():
    pop = Population(_Model(), Researcher, Researcher.COLUMNS, 2000)
    pop.add(2000, org=0, firm=-1, productivity=1.0)
    pop.cols["expected_papers"][:] = 0.5
    pop.cols["expected_intl"][:] = 0.25
    papers, intl, _ = Researcher.draw_output(pop, np.random.default_rng(1))
    assert 900 < papers < 1100 and 0.4 < intl / papers < 0.6
    assert pop.cols["papers_last_year"].sum() == papers and (pop.cols["expected_papers"] == 0).all()
