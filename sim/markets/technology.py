"""The technology market: contracts for technology transfer, development, consulting and services.

Beijing registers technology contracts whose seller is in the city; their value is the official
"technology contract turnover" (394.1 bn yuan in 2016, 700.6 bn in 2021: shared/data BJ0152,
BJ0160). It is far larger than the city's R&D expenditure (148 bn yuan in 2016) because most
contracts are sold to buyers elsewhere in China and because firms sell technical services to other
firms. The market here has sellers with a capacity, buyers with a demand, and money that moves.
All money is nominal (yuan of the day).

**Sellers.** Research organisations and domestic firms doing R&D. A seller can deliver contracts
worth at most its *capacity* a year, from what it has: its researchers' time and its knowledge,
each at a productivity priced by the research cost index ``C`` (contract work is researchers'
and engineers' time):

* an organisation: ``tech_capacity_per_academic_myuan x C x researchers x quality`` (quality,
  mean one, is what raises its researchers' papers and patents in the model);
* a firm: ``C x (tech_capacity_per_firm_researcher_myuan x researchers + tech_capacity_per_patent_myuan
  x patents held)``.

Foreign firms and R&D centres are not sellers here (their parents' accounts are not in the model).

**Buyers.** (a) Beijing's domestic firms ask for external technology worth
``tech_buy_share_of_rd`` of their own (real) R&D spending, paid from cash above their safety
buffer: the purchase follows R&D effort, so it inherits R&D's response to the tax price and to
cash (:meth:`sim.agents.firm.Firm.spend_on_rd`); no separate elasticity is assumed. (b) Buyers
outside Beijing (and local buyers outside the model: government, state groups, firms in other
sectors) spend ``D_out = D_out,2016 (Y_t P_t)^e``: the city's nominal GDP index (real GDP index
times deflator, :mod:`sim.world.drivers`) to the power ``tech_outside_demand_gdp_elasticity``, a
proxy for China's demand for R&D services, which grew faster than GDP. ``D_out,2016`` is solved at
the 2016 steady state (:func:`demand_for_turnover`), as the talent constant is, so that the
market's 2016 turnover is ``tech_turnover_2016_bn_yuan``.

**Clearing.** All demand is pooled and allocated to sellers in proportion to their
*attractiveness*, quality times capacity (a firm's quality is one, the mean organisation's): buyers
go where there is much to buy and where it is good. Each seller sells the smaller of what is
allocated to it and its capacity; demand allocated beyond a seller's capacity lapses (it is not
passed on: a contract is for a particular seller's work). Every buyer is served the same share of
what it asked (turnover over demand) and pays exactly that, so payments equal receipts.

**Where the money goes.** A selling firm receives the contract's value in cash and pays its
delivery (staff time, materials) out of it, keeping the sector's gross margin
(``econ_gross_margin``); contract income is not taxed here (technology-transfer income is largely
exempt from corporate income tax: Enterprise Income Tax Law, art. 27). A buying firm pays from
cash; its purchase does not enter its reported (intramural) R&D. An organisation's contract income
is recorded (column ``contract_income``) but does not fund posts: its posts are paid by its
research money, whose 2016 level is set from Beijing's R&D expenditure, which already counts the
R&D funds organisations receive from firms; adding contract income on top would count that money
twice and break the 2016 steady state of academic posts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Clearing:
    """One round of the market (amounts in one currency unit per period, e.g. m yuan a quarter)."""

    sales: np.ndarray          # per seller: contracts sold (= received)
    payments: np.ndarray       # per local buyer: what it paid
    outside_paid: float        # what buyers outside the model paid
    turnover: float            # contracts sold in all
    demand: float              # contracts asked for in all (local buyers' and outside)

    @property
    def fill(self) -> float:
        """Share of demand served (the same for every buyer)."""
        return self.turnover / self.demand if self.demand > 0 else 0.0


def seller_capacity(researchers: np.ndarray, knowledge: np.ndarray, *, per_researcher: float,
                    per_knowledge: float, cost_index: float) -> np.ndarray:
    """Contracts a seller can deliver a year: ``cost_index (per_researcher x researchers +
    per_knowledge x knowledge)``, in the productivities' money (m yuan if they are in m yuan)."""
    return cost_index * (per_researcher * np.asarray(researchers, dtype=float)
                         + per_knowledge * np.asarray(knowledge, dtype=float))


def local_demand(rd_spend: np.ndarray, spare_cash: np.ndarray, *, share_of_rd: float, period_years: float) -> np.ndarray:
    """What each local buyer asks for in a period: ``share_of_rd`` of its yearly R&D spending over
    the period, at most its spare cash (it never borrows to buy technology)."""
    wanted = share_of_rd * np.maximum(np.asarray(rd_spend, dtype=float), 0.0) * period_years
    return np.minimum(wanted, np.maximum(np.asarray(spare_cash, dtype=float), 0.0))


def outside_demand(demand_2016: float, nominal_gdp_index: float, elasticity: float) -> float:
    """Demand of buyers outside the model: its 2016 level times the nominal GDP index to ``elasticity``."""
    return demand_2016 * nominal_gdp_index ** elasticity


def allocate(demand: float, attractiveness: np.ndarray) -> np.ndarray:
    """Demand allocated to each seller, in proportion to its attractiveness."""
    a = np.maximum(np.asarray(attractiveness, dtype=float), 0.0)
    total = float(a.sum())
    return demand * a / total if total > 0 else np.zeros_like(a)


def sales(demand: float, capacity: np.ndarray, attractiveness: np.ndarray) -> np.ndarray:
    """What each seller sells: the allocated demand, at most its capacity."""
    return np.minimum(allocate(demand, attractiveness), np.maximum(np.asarray(capacity, dtype=float), 0.0))


def clear(buyer_demand: np.ndarray, outside: float, capacity: np.ndarray, attractiveness: np.ndarray) -> Clearing:
    """Clear the market: pooled demand (local buyers' plus ``outside``) is allocated to sellers and
    served up to their capacities; every buyer pays for the same share of what it asked."""
    buyer_demand = np.maximum(np.asarray(buyer_demand, dtype=float), 0.0)
    outside = max(float(outside), 0.0)
    demand = float(buyer_demand.sum()) + outside
    sold = sales(demand, capacity, attractiveness)
    turnover = float(sold.sum())
    fill = turnover / demand if demand > 0 else 0.0
    payments = buyer_demand * fill
    # What outside buyers pay is the rest of the turnover, so payments equal receipts exactly.
    return Clearing(sales=sold, payments=payments, outside_paid=turnover - float(payments.sum()), turnover=turnover,
                    demand=demand)


def demand_for_turnover(target: float, capacity: np.ndarray, attractiveness: np.ndarray, *, strict: bool = True) -> float:
    """The pooled demand at which the market's turnover is ``target`` (the inverse of
    ``sales(...).sum()``, which is piecewise linear and increasing in demand until every seller is
    at capacity). If ``target`` is not below what sellers can deliver, raises ``ValueError``, or
    with ``strict=False`` returns the least demand at which every seller sells its capacity (the
    turnover then falls short of ``target``: parameters that give sellers too little capacity show
    as a poor fit, not a crash, in calibration)."""
    cap = np.maximum(np.asarray(capacity, dtype=float), 0.0)
    a = np.maximum(np.asarray(attractiveness, dtype=float), 0.0)
    selling = (a > 0) & (cap > 0)
    cap, a = cap[selling], a[selling]
    if target <= 0 or cap.size == 0:
        return 0.0
    if target >= cap.sum():
        if strict:
            raise ValueError(f"turnover {target:g} is not below sellers' capacity {cap.sum():g}")
        return float((cap / a).max() * a.sum())
    # A seller binds once demand per unit of attractiveness, x = D / A, reaches cap / a.
    order = np.argsort(cap / a)
    ratio, cap, a = (cap / a)[order], cap[order], a[order]
    bound = np.concatenate([[0.0], np.cumsum(cap)])           # sold by sellers at capacity
    free = np.concatenate([[a.sum()], a.sum() - np.cumsum(a)])  # attractiveness of those not
    # Turnover at x = ratio[j] with sellers 0..j-1 bound: bound[j] + free[j] x; find the segment.
    at_kinks = bound[:-1] + free[:-1] * ratio
    j = int(np.searchsorted(at_kinks, target, side="right"))   # sellers 0..j-1 bind
    x = (target - bound[j]) / free[j]
    return float(x * a.sum())
