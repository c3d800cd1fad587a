"""The city's innovation fund: equity investment in young technology firms.

Each quarter the fund ranks young domestic firms with patents by its view of their promise and
invests one ticket in each, best first, until the quarter's budget is spent (the last firm
receives what is left, so that coarse scales do not leave the budget idle). Investment adds to
the firm's cash and speeds its growth for a year.
"""

from __future__ import annotations

import numpy as np

from sim.agents.firm import Firm


def invest(model) -> int:
    """Invest this quarter's budget; returns the number of firm agents funded."""
    pop, agency, p, scale = model.firms, model.agencies["innovation_fund"], model.p, model.scale
    if agency.remaining <= 0:
        return 0
    rows, promise = Firm.fund_candidates(pop, model.rng)
    ticket_bn = p.fund_ticket_myuan / 1000.0 * scale
    n_full = int(agency.remaining // ticket_bn)
    if n_full + 1 < rows.size:                   # only the best n_full + 1 can be funded: rank those
        best = np.argpartition(-promise, n_full)[:n_full + 1]
        rows, promise = rows[best], promise[best]
    order = rows[np.argsort(-promise, kind="stable")]
    costs = np.full(min(order.size, n_full + 1), ticket_bn)
    if costs.size > n_full:                      # the last firm gets what is left of the budget
        costs[-1] = agency.remaining - n_full * ticket_bn
    funded_mask = agency.fund_in_order(costs)
    funded = order[:costs.size][funded_mask]
    pop.cols["cash"][funded] += (costs[funded_mask] / scale * 1000.0).astype(np.float32)
    pop.cols["fund_quarters"][funded] = 4
    model.ledger.receive("innovation_fund", "firms", float(costs[funded_mask].sum()))
    return int(funded.size)
