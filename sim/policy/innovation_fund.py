"""The city's innovation fund: equity investment in young technology firms.

Each quarter the fund ranks young domestic firms with patents by its view of their promise and
invests one ticket (``fund_ticket_myuan``, 2016 yuan times the deflator) in each, best first,
until the quarter's budget is spent (the last firm receives what is left, so that coarse scales
do not leave the budget idle). Private investors co-invest ``fund_private_match`` yuan beside each
fund yuan (about 0.9 in China: EVIDENCE.md section 4). The money is cash for the firm: a firm
short of cash for the hires its demand calls for can then make them (:mod:`sim.agents.firm`);
nothing else about the firm changes.
"""

from __future__ import annotations

import numpy as np

from sim.agents.firm import Firm


def invest(model) -> int:
    """Invest this quarter's budget; returns the number of firm agents funded."""
    pop, agency, p, scale = model.firms, model.agencies["innovation_fund"], model.p, model.scale
    if agency.remaining <= 0:
        return 0
    rows, promise = Firm.fund_candidates(pop, model.streams["firms"], p)
    ticket_bn = p.fund_ticket_myuan * model.world.deflator / 1000.0 * scale
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
    invested = costs[funded_mask]
    pop.cols["cash"][funded] += invested * (1.0 + p.fund_private_match) / scale * 1000.0
    model.ledger.receive("innovation_fund", "firms", float(invested.sum()))
    model.ledger.flow("private_coinvestment", float(invested.sum()) * p.fund_private_match)
    model.flows["venture_finance_bn_yuan"] += float(invested.sum()) * (1.0 + p.fund_private_match)
    return int(funded.size)
