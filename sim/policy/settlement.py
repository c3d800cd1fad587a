"""Settlement support for foreign scientists: the talent office.

While the lever ``talent_settlement_support_kyuan`` is above zero, the office pays that sum a
year (a quarter of it each quarter) to every foreign scientist it has helped to settle: those
already settled first, then new applicants in random order, as far as the budget goes.
Settled scientists who are no longer paid (after a budget cut) keep their housing and schooling
arrangements, and so remain counted as settled, but receive nothing more.
"""

from __future__ import annotations

import numpy as np

from sim.agents.foreign_talent import ForeignTalent


def settle(model, support_kyuan: float) -> int:
    """Pay support and settle new applicants; returns newly settled agents."""
    if support_kyuan <= 0:
        return 0
    pop, agency, scale = model.foreign, model.agencies["talent_office"], model.scale
    per_quarter_bn = support_kyuan / 4.0 / 1e6 * scale
    settled = np.flatnonzero(pop.alive & pop.cols["settled"])
    paid_existing = agency.fund_in_order(np.full(settled.size, per_quarter_bn))
    rng = model.streams["talent"]
    applicants = ForeignTalent.settlement_applicants(pop, rng, model.p)
    applicants = rng.permutation(applicants)
    approved = agency.fund_in_order(np.full(applicants.size, per_quarter_bn))
    new = applicants[approved]
    pop.cols["settled"][new] = True
    model.ledger.receive("talent_office", "foreign_talent",
                         (paid_existing.sum() + new.size) * per_quarter_bn)
    return int(new.size)
