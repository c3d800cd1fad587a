"""Tax breaks: the R&D super-deduction and relief for small and medium-sized firms.

The super-deduction is an entitlement, not a budget: every firm deducts ``1 + rate`` times its
reported R&D from taxable profit; the deduction is worth its full value only to firms with
taxable profit (see :mod:`sim.agents.firm`), and costs the treasury the tax forgone, recorded as a
tax break. SME relief is a budget: the tax agency shares ``sme_tax_relief_bn_yuan`` a year (nominal)
among domestic firms of fewer than ``firm_sme_staff_limit`` staff in proportion to revenue (the
2016-2020 package was mostly VAT and fee cuts, which reach firms with or without profit). It is
cash for the firm, and it changes no firm's tax price of R&D: it pays for the hires of firms short
of cash for their growth (firms pay out cash above their target, so fast growers are often short);
EVIDENCE.md section 8 expects employment and investment up a few percent and no R&D gain.
"""

from __future__ import annotations

import numpy as np

from sim.agents.firm import Firm


def sme_relief(model, relief_bn_yuan: float, revenue: np.ndarray) -> np.ndarray:
    """Share out this quarter's relief; returns relief per firm row (m yuan, per firm)."""
    pop, agency, scale = model.firms, model.agencies["tax"], model.scale
    eligible = Firm.domestic(pop) & (pop.cols["staff"] < model.p.firm_sme_staff_limit)
    base = revenue * eligible
    total_rev = base.sum()
    out = np.zeros(pop.capacity)
    if total_rev <= 0:
        return out
    paid = agency.spend(relief_bn_yuan / 4.0)
    out = base / total_rev * paid * 1000.0 / scale      # m yuan per firm represented by the agent
    model.ledger.receive("tax", "firms", float(out.sum() * scale / 1000.0))
    return out
