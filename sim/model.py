"""InnovationModel: Beijing's science and technology innovation ecosystem, one quarter per step.

The model holds the populations (researchers, foreign talent, firms, research organisations as
column stores of Mesa agents), six agencies, the outside world, and the ledger. It does the
bookkeeping; the rules of behaviour are in the agents' modules and the policy instruments'.

A quarter, in order (the design card's order, with two changes explained in ``docs/model.md``:
grant calls precede the labour market so that new posts follow this quarter's money, and firms'
finance comes before their R&D decision so that relief, loans and investment can ease it):

1. The outside world moves: GDP, geopolitical pressure, the talent pool; research costs rise.
2. Agencies open the quarter with the levers' budgets; national labs open or close.
3. Foreign talent: applications, permits within the immigration budget, arrivals; status,
   permanent residence, settlement support; departures.
4. Research: the grant call.
5. Labour market: retirements and departures, startups founded, moves between employers,
   graduates entering vacant posts.
6. Output: papers (with and without foreign co-authors) and patents.
7. Firms: tax relief, loans, fund investment, R&D under the tax rules, cash, patents, growth,
   certification, failure; multinationals and foreign companies arrive, leave, open R&D centres.
8. Bookkeeping: at the end of a year, the indicators are recorded.

Everything random draws from ``self.rng`` (Mesa's model generator) in a fixed order, so a run is
determined by its seed, and a lever changed from some year leaves all earlier quarters unchanged.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Mapping

import numpy as np

import mesa

from sim import indicators
from sim.agents.agency import ROLES, Agency
from sim.agents.firm import FOREIGN, MNC, RD_CENTRE, STARTUP, Firm, by_kind
from sim.agents.foreign_talent import ORIGIN_SHARE, PERMANENT, ForeignTalent
from sim.agents.research_org import NATIONAL_LAB, ResearchOrganisation
from sim.agents.researcher import EXIT, FOUND, MOVE, NO_GRANT, Researcher
from sim.calendar import n_quarters, year_of
from sim.initial import add_foreign_talent, n_agents, new_firm_columns, populate
from sim.ledger import Ledger
from sim.parameters import Parameters
from sim.policy import grants, innovation_fund, ip_loans, permits, settlement, tax
from sim.population import Population
from sim.world.clusters import ClusterRace
from sim.world.drivers import OutsideWorld
from sim.world.places import FIELDS, HUAIROU, REST, ZGC, ZONES, draw_fields


class InnovationModel(mesa.Model):
    """Beijing's innovation ecosystem from 2016 Q1 to the end of ``horizon``.

    Args:
        schedules: every lever and exogenous input, one value per quarter from 2016 Q1
            (see :meth:`sim.scenario.Scenario.quarterly`).
        parameters: behavioural parameters (defaults if ``None``).
        scale: persons (or firms) per agent; 1 means one agent per person.
        horizon: last simulated year.
        rng: seed or generator for the model's random numbers.
        agents: ``"lazy"`` to create each row's Mesa agent on first use (``population.agent(row)``,
            ``population.agentset()``), ``"eager"`` to create it at birth; see :mod:`sim.population`.
            Results are identical either way.
    """

    def __init__(self, schedules: Mapping[str, np.ndarray], parameters: Parameters | None = None, *,
                 scale: float = 1.0, horizon: int = 2035,
                 rng: int | np.random.Generator | np.random.SeedSequence | None = None,
                 agents: str = "lazy"):
        super().__init__(rng=rng)
        self.p = parameters if parameters is not None else Parameters.defaults()
        self.scale = float(scale)
        self.horizon = int(horizon)
        self.n_quarters = n_quarters(horizon)
        self.schedules = {k: np.asarray(v, dtype=float) for k, v in schedules.items()}
        short = [k for k, v in self.schedules.items() if v.size < self.n_quarters]
        if short:
            raise ValueError(f"schedules shorter than the horizon: {short}")
        self.quarter = 0
        self.ledger = Ledger()
        self.world = OutsideWorld(gdp_bn_yuan=self.p.econ_gdp_2016_bn_yuan,
                                  gdp_2016_bn_yuan=self.p.econ_gdp_2016_bn_yuan)
        self.race = ClusterRace(pct_weight=self.p.cluster_pct_weight)
        self.competitor_growth: dict[int, float] = {}
        self.cluster_history: dict[int, float] = {}
        self.cost_per_researcher = self.p.econ_cost_per_researcher_myuan
        self.agencies = {role: Agency(self, role) for role in ROLES}
        self.permit_queue = np.zeros(len(ORIGIN_SHARE))
        self.flows: defaultdict[str, float] = defaultdict(float)
        self.totals: defaultdict[str, float] = defaultdict(float)
        self.records: list[dict[str, float]] = []
        self.vacancies: np.ndarray | None = None     # posts open this quarter (see _open_posts)
        self.org_staff = np.zeros(0)                  # researchers per organisation at the last labour market

        eager = agents == "eager"
        if agents not in ("lazy", "eager"):
            raise ValueError("agents must be 'lazy' or 'eager'")
        self.researchers = Population(self, Researcher, Researcher.COLUMNS, int(3.4e5 / self.scale) + 64, eager)
        self.foreign = Population(self, ForeignTalent, ForeignTalent.COLUMNS, int(2.2e4 / self.scale) + 64, eager)
        self.firms = Population(self, Firm, Firm.COLUMNS, int(5.5e4 / self.scale) + 64, eager)
        self.orgs = Population(self, ResearchOrganisation, ResearchOrganisation.COLUMNS, 1300, eager)

        populate(self)
        self.workforce_2016 = float(len(self.researchers))
        self.lab_quality_2016 = self._lab_quality()

    # -- reading levers ---------------------------------------------------------------------------
    def lever(self, name: str, quarter: int | None = None) -> float:
        """Value of a lever or exogenous input in a quarter (this quarter by default)."""
        return float(self.schedules[name][self.quarter if quarter is None else quarter])

    @property
    def year(self) -> int:
        return year_of(self.quarter)

    @property
    def org_quality(self) -> np.ndarray:
        return self.orgs.cols["quality"]

    # -- the quarter ------------------------------------------------------------------------------------
    def step(self) -> None:
        """Advance one quarter."""
        if self.quarter >= self.n_quarters:
            raise RuntimeError("the model has reached its horizon")
        if self.quarter % 4 == 0:
            self._open_year()
        self.vacancies = None
        self._move_world()
        self._open_budgets()
        self._foreign_talent()
        grants.grant_call(self, self.lever("research_grants_bn_yuan"), self.lever("basic_research_share"))
        self._labour_market()
        self._research_output()
        self._firms()
        self._account_rd()
        if self.quarter % 4 == 3:
            self.records.append(indicators.measure(self))
        self.quarter += 1
        Researcher.age(self.researchers)
        ForeignTalent.advance_status(self.foreign)
        self.running = self.quarter < self.n_quarters

    def run(self) -> list[dict[str, float]]:
        """Run to the horizon; returns one record of indicators per year."""
        while self.quarter < self.n_quarters:
            self.step()
        return self.records

    # -- for library users (issue 11; the code is in sim/library.py) ------------------------------
    @classmethod
    def from_scenario(cls, scenario, replicate: int = 0, **options) -> "InnovationModel":
        """Replicate ``replicate`` of ``innovsim run scenario`` (posterior draw included), not yet
        run; see :func:`sim.library.from_scenario` for ``seed``, ``scale``, ``parameters``..."""
        from sim.library import from_scenario

        return from_scenario(scenario, replicate, model_class=cls, **options)

    @property
    def datacollector(self) -> mesa.DataCollector:
        """Mesa's DataCollector of the yearly indicators (see :func:`sim.library.yearly_datacollector`)."""
        from sim.library import yearly_datacollector

        return yearly_datacollector(self)

    # -- 1. outside world ----------------------------------------------------------------------------------
    def _open_year(self) -> None:
        self.flows = defaultdict(float)
        for agency in self.agencies.values():
            agency.spent_year = 0.0
        self.orgs.cols["grant_income"][:] = 0.0
        self.orgs.cols["graduates"][:] = 0.0
        quarters = slice(self.quarter, self.quarter + 4)
        self.competitor_growth[self.year] = float(self.schedules["competitor_growth"][quarters].mean())

    def _move_world(self) -> None:
        self.world.advance(self.lever("gdp_growth"), self.lever("geopolitical_pressure"),
                           self.lever("global_talent_pool_growth"))
        if self.quarter > 0:
            self.cost_per_researcher *= (1.0 + self.p.econ_cost_growth) ** 0.25

    # -- 2. agencies ---------------------------------------------------------------------------------------------
    def _open_budgets(self) -> None:
        support = self.lever("talent_settlement_support_kyuan")
        budgets = {
            "science": self.lever("research_grants_bn_yuan") / 4.0,
            "immigration": self.lever("immigration_budget_myuan") / 1000.0 / 4.0,
            "talent_office": self.lever("settlement_budget_bn_yuan") / 4.0 if support > 0 else 0.0,
            "tax": self.lever("sme_tax_relief_bn_yuan") / 4.0,
            "ip_finance": self.lever("ip_guarantee_budget_bn_yuan") / 4.0,
            "innovation_fund": self.lever("innovation_fund_bn_yuan") / 4.0,
        }
        for role, budget in budgets.items():
            self.agencies[role].open_quarter(budget)
        self._national_labs(int(round(self.lever("national_labs"))))

    def _national_labs(self, target: int) -> None:
        c = self.orgs.cols
        labs = np.flatnonzero(self.orgs.alive & (c["kind"] == NATIONAL_LAB))
        if labs.size < target:
            n = target - labs.size
            kinds = np.full(n, NATIONAL_LAB, dtype=np.int8)
            zones = self.rng.choice([ZGC, HUAIROU, REST], n).astype(np.int8)
            self.orgs.add(n, kind=kinds, zone=zones, field=draw_fields(self.rng, zones),
                          **ResearchOrganisation.draw(self.rng, self.p, kinds))
        elif labs.size > target:
            closing = labs[target:]
            staff = np.flatnonzero(self.orgs.mask_of(closing)[self.researchers.cols["org"]])
            self.orgs.remove(closing)
            self._release(staff)

    # -- 3. foreign talent -----------------------------------------------------------------------------------
    def _staff(self, column: str, capacity: int) -> np.ndarray:
        """Researchers per employer row (``column`` is "org" or "firm"; -1, and dead rows, count nowhere)."""
        return np.bincount(self.researchers.cols[column] + 1, minlength=capacity + 1)[1:capacity + 1]

    def _lab_quality(self) -> float:
        """Staff-weighted quality of organisations, with staff as counted at the last labour market."""
        staff = self.org_staff if self.org_staff.size == self.orgs.capacity else self._staff("org", self.orgs.capacity)
        return ResearchOrganisation.lab_quality(self.orgs, staff)

    def _foreign_talent(self) -> None:
        p, pop = self.p, self.foreign
        visa_days = self.lever("visa_processing_days")
        amenities = self.lever("international_amenities")
        foreign_led = self.lever("foreign_led_projects")
        pressure = self.world.geopolitical_pressure
        utility = ForeignTalent.utility(
            p, gdp_index=self.world.gdp_index, lab_quality=self._lab_quality() / self.lab_quality_2016,
            visa_days=visa_days, support_kyuan=self.lever("talent_settlement_support_kyuan"),
            amenities=amenities, foreign_led=foreign_led, pressure=pressure)
        expected = ForeignTalent.expected_applications(p, self.world.talent_pool_index, utility)
        applications = self.rng.poisson(expected).astype(float)
        granted = permits.process_permits(self, applications, visa_days)
        for origin, persons in enumerate(granted):
            n = n_agents(self.rng, persons, self.scale)
            if n:
                add_foreign_talent(self, n, origin=np.full(n, origin, dtype=np.int8))
                self.flows["foreign_arrivals"] += n * self.scale

        applicants = ForeignTalent.pr_applicants(pop, self.rng, p, self.lever("pr_min_years"))
        approved = permits.process_permanent_residence(self, applicants, visa_days)
        pop.cols["permit"][approved] = PERMANENT
        self.totals["permanent_residence_grants_cum"] += approved.size * self.scale

        newly_settled = settlement.settle(self, self.lever("talent_settlement_support_kyuan"))
        if self.year >= 2018:
            self.totals["foreign_scientists_settled_cum"] += newly_settled * self.scale

        leads = ForeignTalent.leads(pop, foreign_led)
        hazard = ForeignTalent.exit_hazard(pop, p, amenities=amenities, pressure=pressure, leads=leads)
        leaving = np.flatnonzero(self.rng.random(pop.capacity) < hazard)
        pop.remove(leaving)
        self.flows["foreign_departures"] += leaving.size * self.scale

    # -- 5. labour market ------------------------------------------------------------------------------------------
    def academic_posts(self) -> float:
        """Academic research posts (persons) funded by institutional money and grants this year."""
        money_bn = self.p.econ_institutional_rd_share * self.world.gdp_bn_yuan + self.lever("research_grants_bn_yuan")
        return money_bn * 1000.0 / self.cost_per_researcher

    def _vacancies(self) -> np.ndarray:
        """Vacant posts, in researcher agents: organisations' rows first, then firms' rows."""
        org_staff = self.org_staff = self._staff("org", self.orgs.capacity)
        firm_staff = self._staff("firm", self.firms.capacity)
        org_posts = ResearchOrganisation.posts(self.orgs, self.academic_posts()) / self.scale
        firm_posts = self.firms.cols["rd_spend"] / self.cost_per_researcher * self.firms.alive
        return np.concatenate([np.maximum(org_posts - org_staff, 0.0), np.maximum(firm_posts - firm_staff, 0.0)])

    def _open_posts(self) -> np.ndarray:
        """Posts still open this quarter: those advertised at the labour market (step 5), less
        those filled since and those of employers that have closed. Researchers released later in
        the quarter (by closing firms or labs) look for work among these, which saves recounting
        every employer's staff."""
        if self.vacancies is None:
            self.vacancies = self._vacancies()
        vacancies = self.vacancies
        n_org = min(self.orgs.capacity, vacancies.size)
        vacancies[:n_org] *= self.orgs.alive[:n_org]
        firms = vacancies[self.orgs.capacity:]
        n = min(firms.size, self.firms.capacity)
        firms[:n] *= self.firms.alive[:n]
        return vacancies

    def _place(self, n: int, vacancies: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Employers for up to ``n`` researchers, drawn in proportion to vacancies.

        Posts are drawn with replacement (cumulative-sum sampling, fast over tens of thousands of
        employers); vacancies are then used up, so a later call in the same quarter sees fewer.
        At most ``floor(total vacancies)`` researchers are placed.
        """
        total = float(vacancies.sum())
        n = min(int(n), int(total))
        if n <= 0:
            return np.empty(0, np.int32), np.empty(0, np.int32)
        cum = np.cumsum(vacancies)
        slots = np.minimum(np.searchsorted(cum, self.rng.random(n) * cum[-1], side="right"), vacancies.size - 1)
        vacancies -= np.bincount(slots, minlength=vacancies.size)
        np.maximum(vacancies, 0.0, out=vacancies)
        n_org = self.orgs.capacity
        org = np.where(slots < n_org, slots, -1).astype(np.int32)
        firm = np.where(slots >= n_org, slots - n_org, -1).astype(np.int32)
        return org, firm

    def _employer_place(self, org: np.ndarray, firm: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Zone and field of each employer."""
        o, f = self.orgs.cols, self.firms.cols
        zone = np.where(org >= 0, o["zone"][np.maximum(org, 0)], f["zone"][np.maximum(firm, 0)])
        field = np.where(org >= 0, o["field"][np.maximum(org, 0)], f["field"][np.maximum(firm, 0)])
        return zone, field

    def _move_to(self, rows: np.ndarray, vacancies: np.ndarray) -> np.ndarray:
        """Move researchers at ``rows`` to vacant posts; returns the rows that found none."""
        org, firm = self._place(rows.size, vacancies)
        moved, stuck = rows[:org.size], rows[org.size:]
        c = self.researchers.cols
        c["org"][moved], c["firm"][moved] = org, firm
        c["zone"][moved] = self._employer_place(org, firm)[0]
        to_firm = moved[firm >= 0]
        c["grant_kind"][to_firm], c["grant_quarters"][to_firm] = NO_GRANT, 0
        return stuck

    def _release(self, rows: np.ndarray) -> None:
        """Researchers whose employer closed: some find another post, the rest leave."""
        if rows.size == 0:
            return
        keep = rows[self.rng.random(rows.size) < self.p.res_rehire_share]
        stuck = self._move_to(keep, self._open_posts())
        leaving = np.setdiff1d(rows, np.setdiff1d(keep, stuck))
        self.researchers.remove(leaving)
        self.flows["researcher_exits"] += leaving.size * self.scale

    def _labour_market(self) -> None:
        p, pop = self.p, self.researchers
        finance_index = self.lever("innovation_fund_bn_yuan") / 10.0 + self.lever("ip_pledge_loan_guarantee_share")
        event = Researcher.life_events(pop, self.rng, p, finance_index)
        exits = np.flatnonzero(event == EXIT)
        pop.remove(exits)
        self.flows["researcher_exits"] += exits.size * self.scale

        founders = np.flatnonzero(event == FOUND)
        if founders.size:
            c = pop.cols
            cols = new_firm_columns(self, STARTUP, founders.size, zone=c["zone"][founders], field=c["field"][founders])
            cols["ip_stock"] = self.rng.poisson(1.0, founders.size).astype(np.float32)
            new = self.firms.add(founders.size, **cols)
            c["org"][founders], c["firm"][founders] = -1, new
            c["grant_kind"][founders], c["grant_quarters"][founders] = NO_GRANT, 0
            self.flows["startups_founded"] += founders.size * self.scale

        vacancies = self._vacancies()
        self.vacancies = vacancies            # advertised posts, used up as people are placed this quarter
        self._move_to(np.flatnonzero(event == MOVE), vacancies)

        graduates = p.res_entrants_per_year * self.lever("engineering_education_index") / 4.0
        ResearchOrganisation.train(self.orgs, graduates)
        self.flows["graduates"] += graduates
        supply = n_agents(self.rng, graduates, self.scale)
        org, firm = self._place(supply, vacancies)
        if org.size:
            zone, employer_field = self._employer_place(org, firm)
            own_field = self.rng.random(org.size) < 0.2
            field = np.where(own_field, self.rng.integers(0, len(FIELDS), org.size), employer_field)
            pop.add(org.size, org=org, firm=firm, zone=zone, field=field, career_years=0.0,
                    productivity=Researcher.draw_productivity(self.rng, org.size, p))
            self.flows["researcher_entrants"] += org.size * self.scale

    # -- 6. output --------------------------------------------------------------------------------------------------
    def foreign_share(self, researcher_cells: np.ndarray | None = None) -> np.ndarray:
        """Foreign scientists per domestic researcher, by field and zone (flat, one entry per cell).

        ``researcher_cells`` may pass :meth:`Researcher.cell` of the researchers if already computed.
        """
        cells = len(FIELDS) * len(ZONES)
        if researcher_cells is None:
            researcher_cells = Researcher.cell(self.researchers)

        def count(cell: np.ndarray) -> np.ndarray:
            return np.bincount(cell, minlength=cells + 1)[1:]

        return count(Researcher.cell(self.foreign)) / np.maximum(count(researcher_cells), 1)

    def _research_output(self) -> None:
        p, rng, k = self.p, self.rng, self.scale
        cell = Researcher.cell(self.researchers)            # once a quarter, used twice
        intl_share = Researcher.intl_share(p, self.foreign_share(cell), self.world.geopolitical_pressure)
        papers, intl_papers, patents = Researcher.expected_output(self.researchers, p, self.org_quality,
                                                                  intl_share, cell)
        leads = ForeignTalent.leads(self.foreign, self.lever("foreign_led_projects"))
        ft_papers = float(ForeignTalent.expected_papers(self.foreign, p, leads).sum())
        intl = rng.poisson(intl_papers) + rng.poisson(ft_papers)
        domestic = rng.poisson(papers - intl_papers)
        self.flows["papers"] += (intl + domestic) * k
        self.flows["intl_coauthored_papers"] += intl * k
        self.flows["patents_academic"] += rng.poisson(patents) * k

    # -- 7. firms ----------------------------------------------------------------------------------------------------
    def _firms(self) -> None:
        p, pop, rng, k = self.p, self.firms, self.rng, self.scale
        c = pop.cols
        sd = self.lever("rd_super_deduction_rate")
        guarantee = self.lever("ip_pledge_loan_guarantee_share")
        revenue = Firm.revenue(pop, p, self.world.gdp_index)
        hazard = Firm.failure_hazard(pop, p)
        cash_before = float(c["cash"][Firm.domestic(pop)].sum())

        relief = tax.sme_relief(self, self.lever("sme_tax_relief_bn_yuan"), revenue)
        c["cash"] += relief.astype(np.float32)

        failed = self._service_loans(guarantee)

        approved, size = Firm.loan_requests(pop, rng, p, revenue=revenue, guarantee=guarantee, hazard=hazard)
        c["loan"][approved] = size
        c["loan_quarters"][approved] = int(round(4 * p.loan_years))
        c["cash"][approved] += size.astype(np.float32)
        issued = float(size.sum()) * k / 1000.0
        self.ledger.flow("ip_pledge_loans_issued", issued)
        self.flows["ip_pledge_loans_bn_yuan"] += issued

        innovation_fund.invest(self)

        Firm.adjust_rd(pop, p, Firm.rd_target(pop, p, revenue=revenue, super_deduction=sd,
                                              cost_per_researcher=self.cost_per_researcher))
        net, forgone = Firm.operating_result(pop, p, revenue=revenue, super_deduction=sd)
        c["cash"] += net.astype(np.float32)
        self.ledger.flow("firm_operating", float(net.sum()) * k / 1000.0)
        self.flows["super_deduction_forgone_bn"] += float(forgone.sum()) * k / 1000.0

        patents = rng.poisson(Firm.expected_patents(pop, p)).astype(np.float32)
        Firm.record_patents(pop, p, patents)
        self.flows["patents_firms"] += float(patents.sum()) * k
        Firm.grow(pop, rng, p)
        Firm.certification(pop, rng, p, revenue)

        out_of_cash = Firm.domestic(pop) & (c["cash"] < 0)
        unlucky = rng.random(pop.capacity) < hazard
        failed = np.union1d(failed, np.flatnonzero(out_of_cash | (unlucky & Firm.domestic(pop))))
        self._default_loans(failed, guarantee)
        cash_out = float(c["cash"][failed].sum())
        self.flows["firm_failures"] += failed.size * k
        self.ledger.flow("firm_cash_of_exits", cash_out * k / 1000.0)
        self._close_firms(np.union1d(failed, self._foreign_firms()))
        cash_after = float(c["cash"][Firm.domestic(pop)].sum())
        self.ledger.flow("firm_cash_change", (cash_after - cash_before) * k / 1000.0)

    def _service_loans(self, guarantee: float) -> np.ndarray:
        """Loans falling due are repaid with interest, or default (the firm fails)."""
        p, c = self.p, self.firms.cols
        has = self.firms.alive & (c["loan"] > 0)
        c["loan_quarters"][has] -= 1
        due = np.flatnonzero(has & (c["loan_quarters"] <= 0))
        owed = c["loan"][due] * (1.0 + p.loan_interest * p.loan_years)
        pays = c["cash"][due] >= owed
        payers = due[pays]
        c["cash"][payers] -= owed[pays].astype(np.float32)
        c["loan"][payers] = 0.0
        self.ledger.flow("ip_pledge_loans_repaid", float(owed[pays].sum()) * self.scale / 1000.0)
        return due[~pays]

    def _default_loans(self, rows: np.ndarray, guarantee: float) -> None:
        c = self.firms.cols
        principal = c["loan"][rows]
        defaulted = rows[principal > 0]
        ip_loans.cover_defaults(self, c["loan"][defaulted].astype(float), guarantee)
        self.ledger.flow("ip_pledge_loans_defaulted", float(c["loan"][defaulted].sum()) * self.scale / 1000.0)
        c["loan"][defaulted] = 0.0

    def _close_firms(self, rows: np.ndarray) -> None:
        """Remove firms (and R&D centres whose parent leaves); their researchers are released."""
        if rows.size == 0:
            return
        c = self.firms.cols
        closing = self.firms.mask_of(rows)
        centres = np.flatnonzero(self.firms.alive & (c["kind"] == RD_CENTRE) & closing[c["parent"]])
        rows = np.union1d(rows, centres)
        closing[centres] = True
        staff = np.flatnonzero(closing[self.researchers.cols["firm"]])
        self.researchers.cols["firm"][staff] = -1
        self.firms.remove(rows)
        self._release(staff)

    def _foreign_firms(self) -> np.ndarray:
        """Foreign firms arrive, open R&D centres, or decide to leave; returns the rows leaving."""
        p, pop, rng, k = self.p, self.firms, self.rng, self.scale
        c = pop.cols
        entry, exit_ = Firm.foreign_climate(p, gdp_growth=self.world.gdp_growth, pressure=self.world.geopolitical_pressure)
        entry_f, exit_f = Firm.foreign_climate(p, gdp_growth=self.world.gdp_growth,
                                               pressure=self.world.geopolitical_pressure, exposure=0.75)
        hazard = by_kind({MNC: p.mnc_exit_rate * exit_, FOREIGN: p.foreign_exit_rate * exit_f,
                          RD_CENTRE: p.foreign_exit_rate * exit_})[c["kind"]] / 4.0
        leaving = np.flatnonzero(pop.alive & (rng.random(pop.capacity) < hazard))
        self.flows["foreign_firm_exits"] += leaving.size * k

        openers = Firm.rd_centre_openers(pop, rng, p, workforce_index=len(self.researchers) / self.workforce_2016,
                                         entry_climate=entry)
        if openers.size:
            cols = new_firm_columns(self, RD_CENTRE, openers.size, zone=c["zone"][openers], field=c["field"][openers])
            rows = pop.add(openers.size, **cols)
            c["parent"][rows] = openers
        for kind, rate, climate in ((MNC, p.mnc_entry_per_year, entry), (FOREIGN, p.foreign_entry_per_year, entry_f)):
            n = int(rng.poisson(rate / 4.0 * climate / k))
            if n:
                pop.add(n, **new_firm_columns(self, kind, n))
        return leaving

    # -- 8. bookkeeping --------------------------------------------------------------------------------------------------
    def _account_rd(self) -> None:
        firm_rd = float(self.firms.cols["rd_spend"].sum()) * self.scale / 1000.0 / 4.0
        institutional = self.p.econ_institutional_rd_share * self.world.gdp_bn_yuan / 4.0
        self.flows["rd_business_bn_yuan"] += firm_rd
        self.flows["rd_academic_bn_yuan"] += institutional + self.agencies["science"].spent
        self.flows["gdp_bn_yuan"] += self.world.gdp_bn_yuan / 4.0

    def release(self) -> None:
        """Drop references that would keep this model alive after use.

        Mesa before 3.4 keeps a class-level counter of agent ids keyed by model
        (``mesa.Agent._ids``), which holds every model ever created; a process that runs many
        replicates would grow without bound. We remove our own entry. Later Mesa versions do not
        have the problem, and this does nothing there.
        """
        ids = getattr(mesa.Agent, "_ids", None)
        if isinstance(ids, dict):
            ids.pop(self, None)
