"""The 2016 state: populations drawn from data, stocks set to what the rules sustain.

The initial state is built in two steps (see ``docs/model.md``, "Initialisation"):

1. **From data.** Organisations are institutions and are not scaled: over 90 universities, about
   1,000 institutes and about 128 state key laboratories (doc-2021-01). Researchers are the
   2016 headcount (``init_researchers``, from the documented 357,000 of 2019 taken back at the
   workforce's growth), split between firms and academia as the yearbooks split R&D personnel.
   Domestic firms' staff follow a Pareto law with the tail index of firm sizes
   (``init_firm_size_tail_index``, Axtell 2001), truncated at the city's largest firms; a startup's
   staff is its founding size moved by the growth shocks of its age. Multinationals
   (``init_multinationals``, 161 regional headquarters in 2016) and foreign companies and R&D
   centres come from the data and the brief.
2. **From the rules.** Each stock that a rule sustains is set to that rule's steady state: a
   firm's R&D is its target under 2016 taxes, its patent stock the stock its R&D sustains; firms
   are certified where the rules before 2016 would have certified them (a firm qualifying under the
   2008 rules is certified with the steady-state probability of the apply-and-audit cycle:
   :mod:`sim.policy.certification`); organisations'
   block funding pays for the staff they have, and firms' R&D for theirs (so posts equal staff);
   grants in progress are held by the best-ranked academics. The model then runs
   ``init_burn_in_years`` under 2016 levers, the 2008 certification rules and a still economy
   before 2016 starts (see
   :meth:`sim.model.InnovationModel`), so that what the rules adjust (cash, R&D, shares,
   certification, permits) has settled.

Counts are divided by ``scale`` (persons or firms per agent) with stochastic rounding.
"""

from __future__ import annotations

import numpy as np

from sim.agents.firm import FOREIGN, HTE, MNC, RD_CENTRE, SME, STARTUP, Firm
from sim.agents.foreign_talent import WORK, ForeignTalent, origin_shares
from sim.agents.research_org import INSTITUTE, STATE_KEY_LAB, UNIVERSITY, ResearchOrganisation
from sim.agents.researcher import APPLIED, BASIC, Researcher
from sim.policy.certification import RULES_2008, yearly_share
from sim.world import patent_office
from sim.world.places import FIELDS, ZGC, ZONES, draw_fields, zone_shares


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
    zones = rng.choice(len(ZONES), kinds.size, p=zone_shares(p, "research")).astype(np.int8)
    model.orgs.add(kinds.size, kind=kinds, zone=zones, field=draw_fields(rng, zones),
                   **ResearchOrganisation.draw(rng, p, kinds))


def pareto_staff(rng: np.random.Generator, p, n: int) -> np.ndarray:
    """Staff of established domestic firms: Pareto above ``init_firm_min_staff`` with tail index
    ``init_firm_size_tail_index``, truncated at ``init_firm_max_staff`` (inverse-CDF draws)."""
    a, lo, hi = p.init_firm_size_tail_index, p.init_firm_min_staff, p.init_firm_max_staff
    u = rng.random(n)
    tail = 1.0 - (lo / hi) ** a
    return lo * (1.0 - u * tail) ** (-1.0 / a)


def new_firm_columns(model, kind: int, n: int, *, zone: np.ndarray | None = None,
                     field: np.ndarray | None = None, age_quarters: np.ndarray | int = 0,
                     staff: np.ndarray | None = None, rng: np.random.Generator | None = None) -> dict:
    """Columns for ``n`` new firms of one kind (used at set-up and for entries later, with the
    drawing subsystem's ``rng``)."""
    p, rng = model.p, model.rng if rng is None else rng
    if zone is None:
        zone = rng.choice(len(ZONES), n, p=zone_shares(p, "foreign" if kind in (FOREIGN, RD_CENTRE, MNC) else "firms")).astype(np.int8)
    if field is None:
        field = draw_fields(rng, zone)
    if staff is None:
        median, sigma = {MNC: (p.init_mnc_median_staff, p.init_foreign_staff_sigma),
                         FOREIGN: (p.init_foreign_median_staff, p.init_foreign_staff_sigma),
                         RD_CENTRE: (p.init_rd_centre_median_staff, p.init_foreign_staff_sigma)}.get(
                             kind, (p.firm_startup_staff, 0.0))
        staff = median * rng.lognormal(0.0, sigma, n) if sigma > 0 else np.full(n, float(median))
    s, z = p.firm_rd_intensity_sigma, p.firm_patent_propensity_sigma
    cash = p.firm_startup_seed_myuan * model.world.deflator if kind == STARTUP else 0.0
    weight = 1.0 if kind in (MNC, FOREIGN, RD_CENTRE) else model.scale
    return {"kind": kind, "zone": zone, "field": field, "staff": staff, "staff_last_year": staff, "weight": weight,
            "age": age_quarters, "born": model.year if kind == STARTUP else -1,
            "rd_propensity": rng.lognormal(-0.5 * s * s, s, n), "patent_propensity": rng.lognormal(-0.5 * z * z, z, n),
            "post_draw": rng.random(n), "credit_draw": rng.random(n), "staff_test_draw": rng.random(n),
            "cash": cash}


def _firms(model) -> None:
    p, rng, scale = model.p, model.rng, model.scale
    established = n_agents(rng, p.init_domestic_firms, scale)
    startups = n_agents(rng, p.init_startups, scale)
    age = rng.integers(4 * p.firm_startup_years, 4 * p.init_firm_max_age_years, established).astype(np.int16)
    rows = model.firms.add(established, **new_firm_columns(model, SME, established, age_quarters=age,
                                                           staff=pareto_staff(rng, p, established)))
    age = rng.integers(0, 4 * p.firm_startup_years, startups).astype(np.int16)
    moved = p.firm_startup_staff * np.exp(rng.laplace(0.0, p.firm_growth_shock_scale, startups) * np.sqrt(age / 4.0))
    model.firms.add(startups, **new_firm_columns(model, STARTUP, startups, age_quarters=age, staff=np.maximum(moved, 1.0)))
    for kind, count in ((MNC, p.init_multinationals), (FOREIGN, p.init_foreign_companies)):
        n = n_agents(rng, count, 1.0)            # foreign firms are followed one by one
        model.firms.add(n, **new_firm_columns(model, kind, n, age_quarters=rng.integers(4, 4 * p.init_firm_max_age_years, n).astype(np.int16)))
    c = model.firms.cols
    parents = np.flatnonzero(model.firms.alive & ((c["kind"] == MNC) | (c["kind"] == FOREIGN)))
    n = min(n_agents(rng, p.init_foreign_rd_centres, 1.0), parents.size)
    chosen = np.sort(rng.choice(parents, n, replace=False))
    rows = model.firms.add(n, **new_firm_columns(model, RD_CENTRE, n, zone=c["zone"][chosen], field=c["field"][chosen]))
    c["parent"][rows] = chosen
    _steady_firms(model)


def _steady_firms(model) -> None:
    """Shares, revenue, R&D, patents, cash and certification at what the rules sustain in 2016."""
    p, rng, pop = model.p, model.rng, model.firms
    c = pop.cols
    sells = pop.alive & (c["kind"] != RD_CENTRE)
    c["revenue"] = np.where(sells, c["staff"] * p.econ_revenue_per_employee_myuan, 0.0)
    model.demand_2016_bn = float((c["revenue"] * c["weight"]).sum()) / 1000.0
    c["share"] = c["revenue"] / (model.demand_2016_bn * 1000.0)
    c["rd_spend"] = Firm.base_rd(pop, p, p.mnc_rd_centre_budget_myuan)
    Firm.report_rd(pop, p, RULES_2008)
    # Cash as the rules leave it in a steady state: a firm that makes money sits at its target (it
    # pays out the rest); one that loses money is somewhere along its runway (uniform below the
    # target), and so is a startup along its seed money.
    result = p.econ_gross_margin * c["revenue"] - Firm.fixed_cost(pop, p, 1.0) - c["rd_spend"]
    target = p.firm_cash_target_share * c["revenue"]
    runway = rng.random(pop.capacity)
    c["cash"] = np.where(c["kind"] == STARTUP, c["cash"] * runway,
                         np.where(Firm.domestic(pop), np.where(result > 0, target, runway * target), 0.0))
    # Certification: a firm qualifying under the rules before 2016 (the certificates valid in 2016
    # were issued under them) is certified with the steady-state probability, just after a round, of
    # losing the certificate in a year (audit or closure) with probability b and applying in the
    # round with probability a: a / (1 - (1 - a)(1 - b)). The model starts in the first quarter,
    # just after the last round.
    a = yearly_share(p.firm_hte_apply_rate)
    b = 1.0 - (1.0 - p.firm_hte_disqualification_rate) * (1.0 - p.firm_closure_rate)
    qualifies = Firm.qualifies(pop, p, RULES_2008)
    certified = np.flatnonzero(qualifies & (rng.random(pop.capacity) < a / (1.0 - (1.0 - a) * (1.0 - b))))
    c["kind"][certified] = HTE
    # Certificates date from the yearly rounds (the last quarter, sim.policy.certification): at the
    # start of a year one issued in last year's round has the whole term left, one issued a round
    # earlier a year less, and so on, in equal shares.
    term = int(round(4 * p.firm_hte_validity_years))
    c["cert_quarters"][certified] = term - 4 * rng.integers(0, max(term // 4, 1), certified.size)
    # Patents: the stock each firm's history of grants leaves, and filings awaiting grant at what
    # the patent office's pipeline holds when the firm has always filed at its current rate (for
    # the burn-in: after it the queues are seated on years of growth, InnovationModel._seat_patent_queues).
    quarterly = Firm.expected_patents(pop, p, 1.0)
    c["ip_stock"] = Firm.stationary_ip_stock(rng, p, quarterly, c["age"])
    c["ip_waiting"], c["ip_examining"] = patent_office.steady(quarterly, p.econ_patent_grant_lag_years)


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
    firm_w = model.firms.cols["rd_spend"] * model.firms.cols["weight"] * model.firms.alive
    firm = rng.choice(model.firms.capacity, n_firm, p=firm_w / firm_w.sum())
    employer_field = np.concatenate([orgs["field"][org], model.firms.cols["field"][firm]])
    zone = np.concatenate([orgs["zone"][org], model.firms.cols["zone"][firm]])
    own = rng.random(n) < p.res_own_field_share
    field = np.where(own, rng.integers(0, len(FIELDS), n), employer_field)
    model.researchers.add(
        n, field=field, zone=zone,
        org=np.concatenate([org, np.full(n_firm, -1)]),
        firm=np.concatenate([np.full(org.size, -1), firm]),
        career_years=rng.uniform(0, p.res_career_years, n),
        productivity=Researcher.draw_productivity(rng, n, p))
    # Grants in progress: the 2016 budget's worth, held by the best-ranked academics.
    applicants, score = Researcher.grant_applications(model.researchers, rng, p, model.org_quality)
    budget_agents = model.lever("research_grants_bn_yuan", 0) * 1000.0 / p.grant_size_myuan / scale
    k = min(applicants.size, int(budget_agents))
    holders = applicants[np.argsort(-score, kind="stable")[:k]]
    basic = rng.random(k) < model.lever("basic_research_share", 0)
    c = model.researchers.cols
    c["grant_kind"][holders] = np.where(basic, BASIC, APPLIED)
    c["grant_quarters"][holders] = rng.integers(1, int(4 * p.grant_years) + 1, k)
    orgs["establishment"] = np.bincount(org, minlength=model.orgs.capacity).astype(float)
    staff_and_grants = _staff_and_grants(model, holders)      # one count for both
    set_block_total(model, staff_and_grants)
    fund_posts(model, staff_and_grants)


def _staff_and_grants(model, holders: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Each organisation's staff (persons) and the grant money its staff hold (m yuan a year);
    ``holders`` are the grant holders' rows (found from the population if None)."""
    c, o = model.researchers.cols, model.orgs
    if holders is None:
        holders = np.flatnonzero(model.researchers.alive & (c["grant_kind"] != 0) & (c["org"] >= 0))
    staff_persons = np.bincount(c["org"][c["org"] >= 0], minlength=o.capacity) * model.scale
    grants = np.bincount(c["org"][holders], minlength=o.capacity) * model.scale * model.p.grant_size_myuan
    return staff_persons, grants


def set_block_total(model, staff_and_grants: tuple[np.ndarray, np.ndarray] | None = None) -> None:
    """The 2016 block funding total, set once on the initial staff: it pays for all academic staff
    beside the grant budget and labs' own budgets. Grants and own budgets beyond what an
    organisation can host (:meth:`ResearchOrganisation.capacity`) pay for no one's post, so the
    block makes up for them. It is not re-derived in the burn-in: re-derived from the headcount
    each year it ratcheted down (grants won by organisations at their capacity pay for no post,
    the posts lost elsewhere are shed, the next year's total is smaller; 9 % fewer academics after
    ten years). ``staff_and_grants`` is :func:`_staff_and_grants` of the population (counted here
    if None)."""
    p, o = model.p, model.orgs
    staff_persons, grants = staff_and_grants if staff_and_grants is not None else _staff_and_grants(model, None)
    cost = p.econ_cost_per_researcher_myuan
    own = o.cols["budget_myuan"] * o.alive
    hosted = ResearchOrganisation.capacity(o, p.org_capacity_headroom, model.capacity_index) * model.scale * cost
    beyond = float(np.maximum(grants + own - hosted, 0.0).sum())
    model.block_2016_myuan = max(float(staff_persons.sum()) * cost - model.lever("research_grants_bn_yuan", 0) * 1000.0
                                 - float(own.sum()) + beyond, 0.0)


def fund_posts(model, staff_and_grants: tuple[np.ndarray, np.ndarray] | None = None) -> None:
    """Money that pays for the staff: the block funding is shared by what each organisation's
    staff cost beyond the grants it holds; firms' real R&D sets the cost of a firm researcher-year.
    Called on the 2016 populations (after :func:`set_block_total`) and at the start of each
    burn-in year (money follows the staff while the rules settle; the total does not); not after
    the burn-in, so the 2016 posts are those of the last burn-in year. ``staff_and_grants`` is
    :func:`_staff_and_grants` of the population (counted here if None)."""
    c, o = model.researchers.cols, model.orgs
    staff_persons, grants = staff_and_grants if staff_and_grants is not None else _staff_and_grants(model, None)
    cost = model.p.econ_cost_per_researcher_myuan
    need = np.maximum(staff_persons * cost - grants, 0.0) * o.alive
    o.cols["block_share"] = need / max(float(need.sum()), 1e-12)
    model.cost_academic_2016 = cost
    firm_researchers = np.count_nonzero(c["firm"] >= 0) * model.scale
    f = model.firms.cols
    model.cost_firm_2016 = float((f["rd_spend"] * f["weight"]).sum()) / max(firm_researchers, 1)


def _foreign_talent(model) -> None:
    """The 2016 stock: ``init_foreign_talent`` persons, with time in the city, permit and
    productivity drawn from the steady state of the arrival, residence and departure rules at 2016
    conditions (:meth:`ForeignTalent.stationary_draw`)."""
    p, rng, scale = model.p, model.rng, model.scale
    n = n_agents(rng, p.init_foreign_talent, scale)
    quarters, permit, productivity, career = ForeignTalent.stationary_draw(rng, p, model.lever("pr_min_years", 0), n)
    add_foreign_talent(model, n, permit=permit, quarters=quarters, productivity=productivity, career_years=career,
                       origin=rng.choice(4, n, p=origin_shares(p)))


def add_foreign_talent(model, n: int, *, origin: np.ndarray, permit=WORK, quarters=0,
                       productivity: np.ndarray | None = None, career_years: np.ndarray | None = None,
                       rng: np.random.Generator | None = None) -> np.ndarray:
    """New foreign talent rows with drawn field, zone, sector and (unless given) productivity and
    years into a career (:meth:`ForeignTalent.arrival_careers`)."""
    p, rng = model.p, model.rng if rng is None else rng
    zone = rng.choice(len(ZONES), n, p=zone_shares(p, "research")).astype(np.int8)
    field = draw_fields(rng, zone)
    academic, lead_draw = rng.random(n) < p.ft_academic_share, rng.random(n)
    if productivity is None:
        productivity = Researcher.draw_productivity(rng, n, p)
    if career_years is None:
        career_years = ForeignTalent.arrival_careers(rng, p, n)
    return model.foreign.add(n, origin=origin, permit=permit, quarters=quarters, zone=zone, field=field,
                             academic=academic, lead_draw=lead_draw, productivity=productivity,
                             career_years=career_years)


__all__ = ["n_agents", "populate", "new_firm_columns", "set_block_total", "fund_posts", "add_foreign_talent", "pareto_staff", "ZGC"]
