"""Government agencies: the bodies that hold the levers and their budgets.

Beijing's plans are run jointly by twelve central and city agencies; the model groups them by
function into six agencies, each a Mesa agent with a budget per quarter:

* ``science``: runs grant calls (science ministry, city science commission, NSFC programmes);
* ``immigration``: processes work permits and permanent residence;
* ``talent_office``: pays settlement support to foreign scientists;
* ``tax``: grants tax relief to small and medium-sized firms;
* ``ip_finance``: bears the guaranteed share of losses on IP-pledge loans;
* ``innovation_fund``: invests the city's innovation fund.

An agency never spends beyond its budget: :meth:`Agency.spend` and :meth:`Agency.fund_in_order`
pay at most what is left, and every payment is recorded in the model's ledger. Budgets are
yearly amounts released a quarter at a time; what is not spent in a quarter lapses.
"""

from __future__ import annotations

import numpy as np

import mesa

ROLES = ("science", "immigration", "talent_office", "tax", "ip_finance", "innovation_fund")


class Agency(mesa.Agent):
    """A government agency with a quarterly budget (bn yuan)."""

    def __init__(self, model: mesa.Model, role: str):
        super().__init__(model)
        if role not in ROLES:
            raise ValueError(f"unknown agency role {role!r}")
        self.role = role
        self.budget = 0.0          # this quarter, bn yuan
        self.spent = 0.0           # this quarter, bn yuan
        self.spent_year = 0.0      # this calendar year, bn yuan
        self.spent_total = 0.0     # since 2016, bn yuan

    @property
    def remaining(self) -> float:
        return max(self.budget - self.spent, 0.0)

    def open_quarter(self, budget_bn_yuan: float) -> None:
        """Set this quarter's budget; unspent money from the last quarter lapses."""
        self.budget = max(float(budget_bn_yuan), 0.0)
        self.spent = 0.0

    def spend(self, amount_bn_yuan: float) -> float:
        """Pay up to ``amount``; returns what was paid."""
        paid = min(max(float(amount_bn_yuan), 0.0), self.remaining)
        self._record(paid)
        return paid

    def fund_in_order(self, costs_bn_yuan: np.ndarray) -> np.ndarray:
        """Fund requests in the order given until the budget runs out.

        Returns a boolean array: which requests were paid. A request that does not fit is
        skipped, and so is every later one (first come, first served; the caller orders them).
        """
        costs = np.asarray(costs_bn_yuan, dtype=float)
        fits = np.cumsum(costs) <= self.remaining * (1 + 1e-12)
        self._record(float(costs[fits].sum()))
        return fits

    def _record(self, paid: float) -> None:
        self.spent += paid
        self.spent_year += paid
        self.spent_total += paid
        self.model.ledger.record(self.role, paid)
