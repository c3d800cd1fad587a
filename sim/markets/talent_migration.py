"""Talent migration: the world's mobile scientists choose a destination.

Each year ``ft_mobile_flow_per_year`` scientists (times the world pool's index, split by origin)
move country. Each chooses among Beijing and three rivals, other Chinese cities, East Asia
(Tokyo, Seoul, Singapore) and the West, by multinomial logit on systematic utilities (McFadden
1974): Beijing's is :meth:`sim.agents.foreign_talent.ForeignTalent.utility` plus a constant; a
rival's is ``log(share_j) + w_pay log(real pay index_j)``, where ``share_j`` is its 2016 share of
movers (``ft_destination_share_*``) and its real pay index is Beijing's for other Chinese cities
(one national labour market) and grows at ``ft_rival_real_pay_growth`` elsewhere, stepping once a
year as Beijing's does.

Beijing's constant is solved at initialisation so that the arrivals of 2016 equal the departures
expected from the 2016 stock: the foreign population starts in a steady state of the rules, and
moves only when conditions in Beijing or at its rivals do. Those who choose Beijing apply for a
work permit (:mod:`sim.policy.permits`) and arrive when it is granted.
"""

from __future__ import annotations

import numpy as np

from sim.agents.foreign_talent import origin_shares
from sim.parameters import Parameters

RIVALS = ("other_china", "east_asia", "west")


def rival_shares(p: Parameters) -> np.ndarray:
    return np.array([p.ft_destination_share_other_china, p.ft_destination_share_east_asia,
                     p.ft_destination_share_west])


def rival_utilities(p: Parameters, *, beijing_real_pay_index: float, years_since_2016: float) -> np.ndarray:
    """Systematic utilities of the rival destinations (same for every origin)."""
    abroad = (1.0 + p.ft_rival_real_pay_growth) ** years_since_2016
    pay = np.array([beijing_real_pay_index, abroad, abroad])
    return np.log(rival_shares(p)) + p.ft_pay_weight * np.log(pay)


def beijing_probability(v_beijing: np.ndarray, v_rivals: np.ndarray) -> np.ndarray:
    """Logit probability of choosing Beijing, per origin (``v_beijing`` includes the constant)."""
    top = np.maximum(v_beijing, v_rivals.max())
    e_b = np.exp(v_beijing - top)
    return e_b / (e_b + np.exp(v_rivals[None, :] - top[:, None]).sum(axis=1))


def movers_by_origin(p: Parameters, pool_index: float) -> np.ndarray:
    """Scientists moving country this year, by origin."""
    return p.ft_mobile_flow_per_year * pool_index * origin_shares(p)


def expected_arrivals(p: Parameters, constant: float, utility: np.ndarray, v_rivals: np.ndarray,
                      pool_index: float) -> np.ndarray:
    """Scientists choosing Beijing per year, by origin."""
    return movers_by_origin(p, pool_index) * beijing_probability(constant + utility, v_rivals)


def solve_constant(p: Parameters, target_per_year: float, utility: np.ndarray, v_rivals: np.ndarray) -> float:
    """Beijing's constant such that ``target_per_year`` scientists choose it (bisection in logs)."""
    low, high = -50.0, 50.0
    for _ in range(100):
        mid = 0.5 * (low + high)
        if expected_arrivals(p, mid, utility, v_rivals, 1.0).sum() < target_per_year:
            low = mid
        else:
            high = mid
    return 0.5 * (low + high)
