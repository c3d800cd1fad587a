"""The product market: demand for the output of Beijing's technology firms, shared among them.

**Demand** follows the economy. Nominal demand is ``D_t = D_2016 (Y_t / Y_2016)^eta P_t``: real
GDP ``Y`` to the income elasticity ``eta`` (``firm_demand_gdp_elasticity``) times the GDP deflator
``P``; ``D_2016`` is what the firms of the initial state sell. No firm grows by a drift of its own:
the sector grows because the city's income does, and a firm grows because it takes share.

**Shares.** Each selling firm holds a share ``s_i`` of demand. Once a year it draws a growth
shock from a Laplace distribution, the tent shape of firm growth rates (Stanley et al. 1996;
Bottazzi & Secchi 2006), whose scale falls with size as ``b (staff / 10)^-beta`` (the variance of
growth falls with size; ``beta`` near 0.15-0.2 in those studies); a quarter of it applies each
quarter. Firms with more knowledge (patents per worker) may gain share at ``firm_knowledge_share_gain``
per unit of log knowledge above the average; the gain is zero in the catalogue, since with any
gain studied the selection has no steady state (docs/calibration.md, section 2.2). Each quarter

    s_i <- served_i / D  x  exp(shock_i / 4 + gain x (k_i - mean k) / 4),   then renormalised,

where ``served_i = min(s_i D, staff_i a P)`` is what the firm could serve with its staff (``a``
real revenue per worker, ``econ_revenue_per_employee_myuan``). A firm that cannot hire (short of
cash) serves less than its demand and loses share to those that can; the shares of firms that
exit go to the survivors; an entrant takes the share its first staff can serve. Together with
entry and exit at the bottom, proportional shocks give a size distribution with a Pareto upper
tail (Gabaix 1999), here initialised from it.

Shares are per firm; a row stands for ``weight`` identical firms, so the shares of all rows
times their weights sum to one.

**Clearing.** Given shares, a firm wants staff ``s_i D / (a P)`` and sells ``min(s_i D, staff a P)``.
"""

from __future__ import annotations

import numpy as np

from sim.agents.firm import REFERENCE_STAFF, SELLS
from sim.parameters import Parameters
from sim.population import Population


#: Cap on a shock's Laplace scale: its mean factor 1 / (1 - b^2) must stay finite (a numerical
#: guard; only firms of under one employee at the largest scale parameter would reach it).
MAX_SHOCK_SCALE = 0.9


def demand_bn_yuan(demand_2016_bn: float, p: Parameters, real_gdp_index: float, deflator: float) -> float:
    """Nominal demand for the firms' output this year (bn yuan/year)."""
    return demand_2016_bn * real_gdp_index ** p.firm_demand_gdp_elasticity * deflator


def capacity_myuan(pop: Population, p: Parameters, deflator: float) -> np.ndarray:
    """What each firm could sell with its staff (m yuan/year, nominal)."""
    return pop.cols["staff"] * p.econ_revenue_per_employee_myuan * deflator


def wanted_staff(pop: Population, p: Parameters, demand_bn: float, deflator: float) -> np.ndarray:
    """Staff each selling firm needs to serve its share of demand."""
    c = pop.cols
    return np.where(SELLS[c["kind"]], c["share"] * demand_bn * 1000.0 / (p.econ_revenue_per_employee_myuan * deflator), c["staff"])


def sell(pop: Population, p: Parameters, demand_bn: float, deflator: float) -> None:
    """Revenue this quarter (annual rate): the share of demand the firm can serve with its staff."""
    c = pop.cols
    c["revenue"] = np.where(SELLS[c["kind"]], np.minimum(c["share"] * demand_bn * 1000.0, capacity_myuan(pop, p, deflator)), 0.0) * pop.alive


def draw_shocks(pop: Population, rng: np.random.Generator, p: Parameters, rows: np.ndarray | None = None) -> None:
    """This year's growth shock of each firm (or of ``rows``): Laplace, scale falling with size."""
    c = pop.cols
    rows = pop.rows() if rows is None else rows
    scale = p.firm_growth_shock_scale * (np.maximum(c["staff"][rows], 1.0) / REFERENCE_STAFF) ** (-p.firm_growth_shock_size_slope)
    scale = np.minimum(scale, MAX_SHOCK_SCALE)
    # Less the log of the shock's mean factor, 1 / (1 - b^2): no firm gains share on average from
    # the spread of its own shocks (a small, volatile firm is not favoured in expectation).
    c["shock"][rows] = rng.laplace(0.0, 1.0, rows.size) * scale + np.log(1.0 - scale * scale)


def update_shares(pop: Population, p: Parameters, demand_bn: float) -> None:
    """Shares for next quarter: served demand, moved by the shock and by knowledge, renormalised."""
    c = pop.cols
    selling = pop.alive & SELLS[c["kind"]]
    knowledge = np.log1p(p.firm_knowledge_staff_unit * c["ip_stock"] / np.maximum(c["staff"], 1.0))
    mean_k = float(np.average(knowledge[selling], weights=c["revenue"][selling])) if selling.any() else 0.0
    move = np.exp(c["shock"] / 4.0 + p.firm_knowledge_share_gain * (knowledge - mean_k) / 4.0)
    share = np.where(selling, c["revenue"] / (demand_bn * 1000.0) * move, 0.0)
    total = float((share * c["weight"]).sum())
    c["share"] = share / total if total > 0 else share


def renormalise(pop: Population) -> None:
    """Shares of all firms to sum to one again after exits: survivors take the leavers' demand."""
    c = pop.cols
    total = float((c["share"] * c["weight"] * pop.alive).sum())
    if total > 0:
        c["share"] *= pop.alive / total


def enter(pop: Population, p: Parameters, rows: np.ndarray, demand_bn: float, deflator: float) -> None:
    """Entrants take the share their first staff can serve; incumbents' shares make room."""
    c = pop.cols
    new = capacity_myuan(pop, p, deflator)[rows] / (demand_bn * 1000.0)
    c["share"] *= max(1.0 - float((new * c["weight"][rows]).sum()), 0.0)
    c["share"][rows] = new
