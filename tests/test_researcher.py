"""Researchers' output: a grant raises its holder's papers by the 5-15 % the studies find."""

import numpy as np
import pytest

from sim.agents.researcher import APPLIED, BASIC, FOUND, NO_GRANT, Researcher
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


def test_papers_rise_with_the_hosts_spending_per_head_by_the_elasticity_and_nothing_else_does():
    p = Parameters.defaults().replace(org_spending_paper_elasticity=0.3)
    pop = Population(_Model(), Researcher, Researcher.COLUMNS, 4)
    pop.add(3, org=np.array([0, 1, -1], dtype=np.int32), firm=np.array([-1, -1, 0], dtype=np.int32),
            field=0, zone=0, productivity=1.0)
    Researcher.accrue_output(pop, p, np.array([1.0, 1.0]), np.zeros(55), np.ones(4, dtype=np.int64),
                             spending_per_head=np.array([1.0, 2.0]))
    c = pop.cols
    assert c["expected_papers"][1] / c["expected_papers"][0] == pytest.approx(2.0 ** 0.3, rel=1e-6)
    assert c["expected_papers"][2] == pytest.approx(p.res_paper_rate_firm / 4.0)       # firms' staff: no host money
    assert c["expected_patents"][1] == pytest.approx(c["expected_patents"][0])          # patents do not follow it


def test_without_spending_per_head_the_output_is_that_of_money_paying_exactly_for_the_staff():
    p = Parameters.defaults()
    runs = []
    for spending in (None, np.array([1.0])):
        pop = Population(_Model(), Researcher, Researcher.COLUMNS, 2)
        pop.add(1, org=0, firm=-1, field=0, zone=0, productivity=1.0)
        Researcher.accrue_output(pop, p, np.array([1.0]), np.zeros(55), np.ones(2, dtype=np.int64), spending)
        runs.append(float(pop.cols["expected_papers"][0]))
    assert runs[0] == runs[1] > 0


@pytest.mark.parametrize("exponent", [0.0, 0.5, 1.0])
def test_founding_rises_with_productivity_to_its_exponent(exponent):
    """Four times the productivity founds 4^exponent times as often (none of the other events differs)."""
    n = 200_000
    pop = Population(_Model(), Researcher, Researcher.COLUMNS, 2 * n)
    pop.add(2 * n, org=0, firm=-1, career_years=0.0, productivity=np.repeat(np.float32([1.0, 4.0]), n))
    p = Parameters.defaults().replace(res_founding_productivity_exponent=exponent, res_exit_rate=0.0, res_mobility=0.0)
    event = Researcher.life_events(pop, np.random.default_rng(3), p, 1.0, founding_rate=0.4)
    low, high = (event[:n] == FOUND).mean(), (event[n:] == FOUND).mean()
    assert low == pytest.approx(0.1, rel=0.05)                  # 0.4 a year, a quarter of it
    assert high / low == pytest.approx(4.0 ** exponent, rel=0.05)
