"""Initial populations at 2016 Q1, derived from the documented figures.

Derivation (``init_*`` parameters in :mod:`sim.parameters` carry the numbers and sources):

* **Research organisations** are institutions, not scaled: over 90 universities, about 1,000
  institutes and around 128 state key laboratories (doc-2021-01); national labs open as the
  ``national_labs`` lever says (three from 2021 in the baseline). Each is placed in a zone by
  the share of research in each place and given a field from that zone's specialisation.
* **Researchers**: 357,000 in 2019 (doc-2020-12) at the 2016-2019 growth of Beijing's research
  workforce gives about 330,000 in 2016. The model follows this *headcount* definition; the
  documented "185 per 10,000 employees" uses a different base (it implies 19 million employees
  against Beijing's 12-13 million employed) and is not reproduced. Researchers are split between
  firms (45 %), institutes (33 %) and universities (the rest), placed in organisations by size
  and in firms by R&D budget; careers are spread evenly over 35 years.
* **Firms**: high-tech enterprises from nearly 30,000 in 2020 (doc-2021-01) taken back at the
  reported growth; multinationals from 183 in 2020 and foreign companies and institutions from
  nearly 4,000 in 2020 (doc-2020-12) taken back likewise; a quarter of foreign companies in
  Zhongguancun (about 1,000 of 4,000, doc-2020-12). Staff are lognormal by kind; R&D starts at
  its 2016 target; cash at a share of revenue.
* **Foreign talent**: 20,000 foreign scientists and engineers (assumption, see the parameter).
* **Grants** in progress: the 2016 grant budget's worth of grants, held by the best-ranked
  academic researchers, with remaining terms spread evenly so that grants do not all end at once.

Counts are divided by ``scale`` (persons or firms per agent) with stochastic rounding.
"""

from __future__ import annotations

import numpy as np

from sim.agents.firm import FOREIGN, HTE, MNC, RD_CENTRE, SME, STARTUP, Firm
from sim.agents.foreign_talent import ORIGIN_SHARE, PERMANENT, RESIDENCE, WORK
from sim.agents.research_org import INSTITUTE, STATE_KEY_LAB, UNIVERSITY, ResearchOrganisation
from sim.agents.researcher import APPLIED, BASIC, Researcher
from sim.world.places import ZGC, ZONE_SHARE_FIRMS, ZONE_SHARE_RESEARCH, ZONES, draw_fields

#: Median staff and log-sd of staff by firm kind (assumptions).
STAFF_MEDIAN = {SME: 8.0, HTE: 20.0, STARTUP: 5.0, MNC: 500.0, FOREIGN: 40.0, RD_CENTRE: 60.0}
STAFF_SIGMA = {SME: 0.9, HTE: 1.0, STARTUP: 0.6, MNC: 0.8, FOREIGN: 0.9, RD_CENTRE: 0.7}


def n_agents(rng: np.random.Generator, persons: float, scale: float) -> int:
    """``persons / scale`` agents, rounded stochastically so the expectation is exact."""
    x = persons / scale
    base = np.floor(x)
    return int(base + (rng.random() < x - base))


def populate(model) -> None:
    """Create the 2016 populations of ``model``."""
    _organisations(model)
    _firms(model)
    _researchers(model)
    _foreign_talent(model)


def _organisations(model) -> None:
    p, rng = model.p, model.rng
    kinds = np.concatenate([np.full(int(p.init_universities), UNIVERSITY),
                            np.full(int(p.init_institutes), INSTITUTE),
                            np.full(int(p.init_state_key_labs), STATE_KEY_LAB)]).astype(np.int8)
    zones = rng.choice(len(ZONES), kinds.size, p=ZONE_SHARE_RESEARCH).astype(np.int8)
    model.orgs.add(kinds.size, kind=kinds, zone=zones, field=draw_fields(rng, zones),
                   **ResearchOrganisation.draw(rng, p, kinds))


def new_firm_columns(model, kind: int, n: int, *, zone: np.ndarray | None = None,
                     field: np.ndarray | None = None, age_quarters: np.ndarray | int = 0) -> dict:
    """Columns for ``n`` new firms of one kind (used at set-up and for entries later)."""
    p, rng = model.p, model.rng
    if zone is None:
        if kind in (FOREIGN, RD_CENTRE, MNC):
            zgc = p.init_zgc_share_foreign
            other = ZONE_SHARE_FIRMS.copy()
            other[ZGC] = 0.0
            probs = np.where(np.arange(len(ZONES)) == ZGC, zgc, (1 - zgc) * other / other.sum())
        else:
            probs = ZONE_SHARE_FIRMS
        zone = rng.choice(len(ZONES), n, p=probs).astype(np.int8)
    if field is None:
        field = draw_fields(rng, zone)
    staff = STAFF_MEDIAN[kind] * rng.lognormal(0.0, STAFF_SIGMA[kind], n)
    if kind == STARTUP:
        staff = np.full(n, p.firm_startup_staff, dtype=float)
    revenue = staff * p.econ_revenue_per_employee_myuan * model.world.gdp_index ** 0.8
    ip_mean = {SME: 0.8, HTE: 3.0 + staff / 15.0, STARTUP: 0.5, MNC: 20.0, FOREIGN: 1.0, RD_CENTRE: 5.0}[kind]
    cash = p.firm_initial_cash_share * revenue if kind != STARTUP else np.full(n, p.firm_startup_seed_myuan)
    return {"kind": kind, "zone": zone, "field": field, "staff": staff.astype(np.float32),
            "cash": cash.astype(np.float32), "ip_stock": rng.poisson(ip_mean, n).astype(np.float32),
            "age": age_quarters}


def _firms(model) -> None:
    p, rng, scale = model.p, model.rng, model.scale
    plan = [(HTE, p.init_high_tech_enterprises), (SME, p.init_smes), (STARTUP, p.init_startups),
            (MNC, p.init_multinationals), (FOREIGN, p.init_foreign_companies),
            (RD_CENTRE, p.init_foreign_rd_centres)]
    for kind, persons in plan:
        n = n_agents(rng, persons, scale)
        young = kind == STARTUP
        age = rng.integers(0, 12, n) if young else rng.integers(12, 120, n)
        cols = new_firm_columns(model, kind, n, age_quarters=age.astype(np.int16))
        rows = model.firms.add(n, **cols)
        if kind == HTE:
            model.firms.cols["cert_quarters"][rows] = rng.integers(1, 13, n)
    firms = model.firms
    revenue = Firm.revenue(firms, p, model.world.gdp_index)
    firms.cols["rd_spend"][:] = Firm.rd_target(firms, p, revenue=revenue,
                                               super_deduction=model.lever("rd_super_deduction_rate", 0),
                                               cost_per_researcher=model.cost_per_researcher)


def _researchers(model) -> None:
    p, rng, scale = model.p, model.rng, model.scale
    n = n_agents(rng, p.init_researchers, scale)
    n_firm = int(round(n * p.init_share_in_firms))
    n_inst = int(round(n * p.init_share_in_institutes))
    n_univ = n - n_firm - n_inst
    orgs = model.orgs.cols
    org_rows = model.orgs.rows()
    is_univ = orgs["kind"][org_rows] == UNIVERSITY
    placed = []
    for count, pool in ((n_univ, org_rows[is_univ]), (n_inst, org_rows[~is_univ])):
        w = orgs["size_weight"][pool].astype(float)
        placed.append(rng.choice(pool, count, p=w / w.sum()))
    org = np.concatenate(placed)
    firm_w = model.firms.cols["rd_spend"].astype(float) * model.firms.alive
    firm = rng.choice(model.firms.capacity, n_firm, p=firm_w / firm_w.sum())
    employer_field = np.concatenate([orgs["field"][org], model.firms.cols["field"][firm]])
    zone = np.concatenate([orgs["zone"][org], model.firms.cols["zone"][firm]])
    own = rng.random(n) < 0.2
    field = np.where(own, rng.integers(0, employer_field.max() + 1, n), employer_field)
    rows = model.researchers.add(
        n, field=field, zone=zone,
        org=np.concatenate([org, np.full(n_firm, -1)]),
        firm=np.concatenate([np.full(org.size, -1), firm]),
        career_years=rng.uniform(0, p.res_career_years, n),
        productivity=Researcher.draw_productivity(rng, n, p))
    # Grants in progress.
    applicants, score = Researcher.grant_applications(model.researchers, rng, p, model.org_quality)
    budget_agents = model.lever("research_grants_bn_yuan", 0) * 1000.0 / p.grant_size_myuan / scale
    k = min(applicants.size, int(budget_agents * 0.97))
    holders = applicants[np.argsort(-score, kind="stable")[:k]]
    basic = rng.random(k) < model.lever("basic_research_share", 0)
    c = model.researchers.cols
    c["grant_kind"][holders] = np.where(basic, BASIC, APPLIED)
    c["grant_quarters"][holders] = rng.integers(1, int(4 * p.grant_years) + 1, k)
    del rows


def _foreign_talent(model) -> None:
    p, rng, scale = model.p, model.rng, model.scale
    n = n_agents(rng, p.init_foreign_talent, scale)
    u = rng.random(n)
    permit = np.where(u < p.init_foreign_pr_share, PERMANENT,
                      np.where(u < p.init_foreign_pr_share + p.init_foreign_residence_share, RESIDENCE, WORK))
    quarters = np.where(permit == PERMANENT, rng.integers(20, 60, n),
                        np.where(permit == RESIDENCE, rng.integers(4, 40, n), rng.integers(0, 4, n)))
    add_foreign_talent(model, n, permit=permit, quarters=quarters,
                       origin=rng.choice(len(ORIGIN_SHARE), n, p=ORIGIN_SHARE))


def add_foreign_talent(model, n: int, *, origin: np.ndarray, permit=WORK, quarters=0) -> np.ndarray:
    """New foreign talent rows with drawn field, zone, sector and productivity."""
    p, rng = model.p, model.rng
    zone = rng.choice(len(ZONES), n, p=ZONE_SHARE_RESEARCH).astype(np.int8)
    s = p.res_productivity_sigma
    return model.foreign.add(
        n, origin=origin, permit=permit, quarters=quarters, zone=zone, field=draw_fields(rng, zone),
        academic=rng.random(n) < p.ft_academic_share, lead_draw=rng.random(n),
        productivity=rng.lognormal(-0.5 * s * s, s, n))
