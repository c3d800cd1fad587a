"""IP-pledge loans: banks lend against patents; the city guarantees part of the losses.

Banks decide (see :meth:`sim.agents.firm.Firm.loan_seekers`, approved by :func:`sim.markets.finance.approve_loans`); the ``ip_finance`` agency pays
the guaranteed share of each default, as far as its budget goes (beyond it the bank bears the
whole loss). Loans run ``loan_years`` and are repaid with interest at maturity; a firm that
cannot repay defaults and fails.
"""

from __future__ import annotations

import numpy as np


def cover_defaults(model, principal_myuan: np.ndarray, guarantee: float) -> float:
    """Pay the guaranteed share of defaulted principal (m yuan per firm); returns bn yuan paid."""
    if principal_myuan.size == 0 or guarantee <= 0:
        return 0.0
    agency = model.agencies["ip_finance"]
    claims = principal_myuan * guarantee * model.scale / 1000.0
    paid_mask = agency.fund_in_order(claims)
    paid = float(claims[paid_mask].sum())
    model.ledger.receive("ip_finance", "banks", paid)
    return paid
