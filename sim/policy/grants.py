"""Research grants: the science agency's quarterly grant call.

Running grants are paid first (in row order; if the budget has been cut below them, the rest
are ended). What is left funds new grants: applicants are ranked by review score and awarded
down the list; ``basic_research_share`` of the new money goes to basic grants (awarded first,
to the best-ranked applicants), the rest to applied grants. A grant pays ``grant_size_myuan`` a
year in 2016 yuan, indexed by the research cost index (a grant buys the same research whatever
the year; a flat nominal budget therefore buys fewer of them), for ``grant_years``. The money goes
to the holder's organisation, which funds research posts with it (:mod:`sim.markets.labour`).
"""

from __future__ import annotations

import numpy as np

from sim.agents.researcher import APPLIED, BASIC, NO_GRANT, Researcher


def grant_call(model, grants_bn_yuan: float, basic_share: float) -> None:
    """Pay running grants and award new ones within this quarter's budget."""
    p, pop, agency, scale = model.p, model.researchers, model.agencies["science"], model.scale
    c = pop.cols
    per_quarter_bn = p.grant_size_myuan * model.world.research_cost_index / 4.0 / 1000.0 * scale   # one agent's grant, one quarter

    running = np.flatnonzero(pop.alive & (c["grant_kind"] != NO_GRANT))
    paid = agency.fund_in_order(np.full(running.size, per_quarter_bn))
    ended = running[~paid]
    c["grant_kind"][ended] = NO_GRANT
    c["grant_quarters"][ended] = 0
    _credit(model, running[paid], per_quarter_bn)

    rows, score = Researcher.grant_applications(pop, model.streams["grants"], p, model.org_quality)
    if rows.size == 0 or agency.remaining < per_quarter_bn:
        return
    n_new = int(agency.remaining // per_quarter_bn)
    n_new = min(n_new, rows.size)
    if n_new < rows.size:            # the n_new best, then ranked among themselves
        top = np.argpartition(-score, n_new - 1)[:n_new]
    else:
        top = np.arange(rows.size)
    best = rows[top[np.argsort(-score[top], kind="stable")]]
    n_basic = int(round(basic_share * n_new))
    kinds = np.where(np.arange(n_new) < n_basic, BASIC, APPLIED).astype(np.int8)
    paid = agency.fund_in_order(np.full(n_new, per_quarter_bn))
    awarded = best[paid]
    c["grant_kind"][awarded] = kinds[paid]
    c["grant_quarters"][awarded] = int(round(4 * p.grant_years))
    _credit(model, awarded, per_quarter_bn)


def _credit(model, rows: np.ndarray, per_quarter_bn: float) -> None:
    """Grant money reaches the researchers' host organisations (basic grants' money is also
    counted apart: it is basic research expenditure, :mod:`sim.indicators`)."""
    if rows.size == 0:
        return
    basic = int(np.count_nonzero(model.researchers.cols["grant_kind"][rows] == BASIC))
    model.flows["grants_basic_bn_yuan"] += basic * per_quarter_bn
    orgs = model.researchers.cols["org"][rows]
    income = np.bincount(orgs[orgs >= 0], minlength=model.orgs.capacity) * per_quarter_bn * 1000.0
    model.orgs.cols["grant_income"] += income
    model.ledger.receive("science", "research_organisations", rows.size * per_quarter_bn)
