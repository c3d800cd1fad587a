"""InnovationModel: Beijing's science and technology innovation ecosystem, one quarter per step.

The model holds the populations (researchers, foreign talent, firms, research organisations as
column stores of Mesa agents), six agencies, the outside world and the ledger, and does the
bookkeeping. The rules of behaviour are in the agents' modules (:mod:`sim.agents`), the clearing
of markets in :mod:`sim.markets`, the instruments in :mod:`sim.policy`. A quarter, in order:

1. **The outside world.** On 1 January real GDP, the deflator and the research cost index step
   (:mod:`sim.world.drivers`), demand for firms' output follows, and firms draw the year's
   growth shocks; every quarter geopolitical pressure and the world's talent pool move.
2. **Agencies** open the quarter with the levers' budgets; national labs open or close.
3. **Talent migration.** Mobile scientists choose a destination; those choosing Beijing apply for
   permits, which the immigration agency processes within its budget; foreign scientists apply
   for permanent residence, take up settlement support, or leave.
4. **Grants.** The science agency pays running grants and awards new ones; the money reaches the
   holders' organisations.
5. **Research labour market.** Researchers retire, leave, found firms (if they raise seed money)
   or look for a move; employers with more staff than their money pays for shed some; seekers and
   graduates fill the posts that money funds.
6. **Research output.** Each organisation spends its money on the staff it has and on the research
   itself; each researcher's expected papers (more where the host spends more per head),
   co-authored papers and patents accrue (drawn individually at the year's end).
7. **Firms.** Loans fall due; relief, new loans and fund investment arrive; firms hire towards
   their demand as cash allows, sell, choose R&D under their own tax price, report it, pay tax,
   file patents and receive those the patent office grants; certificates age and audits withdraw
   some, and in the last quarter the year's recognition round renews and certifies under the rules
   in force, and the certified rate is settled for the whole tax year; shares move; firms out of cash fail and others close.
   Multinationals, foreign companies and R&D centres arrive and leave. The technology market
   clears: Beijing's firms and buyers elsewhere buy contracts from research organisations and
   domestic firms, and pay them.
8. **Bookkeeping.** R&D and GDP are recorded; at the end of a year, output is drawn (academics'
   patent filings join the patent office's pipeline) and the indicators and patterns measured.

Before 2016 the model runs ``init_burn_in_years`` of quarters under the levers of 2016 Q1 and
the certification rules of 2008 (:mod:`sim.policy.certification`) in a still economy (no growth, constant prices and pressure), and then forgets the flows and the ledger
of that time: the 2016 state is a state of the rules, not a transient.

Everything random draws, in a fixed order, from generators derived from the seed: Mesa's model
generator ``self.rng`` builds the initial state, and each subsystem then draws from its own stream
(:data:`STREAMS`), so a run is determined by its seed, a lever changed from some year leaves all
earlier quarters unchanged, and a lever that moves one subsystem does not reshuffle the dice of
the others: paired comparisons (common random numbers) see the lever, not noise.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Mapping

import numpy as np

import mesa

from sim import indicators, patterns
from sim.agents.agency import ROLES, Agency
from sim.agents.firm import FOREIGN, HTE, MNC, RD_CENTRE, STARTUP, Firm
from sim.agents.foreign_talent import PERMANENT, ForeignTalent
from sim.agents.research_org import NATIONAL_LAB, ResearchOrganisation
from sim.agents.researcher import EXIT, FOUND, MOVE, NO_GRANT, Researcher
from sim.calendar import n_quarters, year_of
from sim.initial import add_foreign_talent, fund_posts, n_agents, new_firm_columns, populate
from sim.ledger import Ledger
from sim.markets import finance, labour, product, talent_migration, technology
from sim.parameters import Parameters
from sim.policy import certification, grants, innovation_fund, ip_loans, permits, settlement, tax
from sim.population import Population
from sim.world import patent_office
from sim.world.clusters import GROWTH_INPUTS, ClusterRace
from sim.world.drivers import OutsideWorld
from sim.world.places import FIELDS, NATIONAL_LAB_ZONES, ZONES, draw_fields


#: Bounds of each burn-in year's correction of the founding scale (exits over foundings): one
#: year's counts are noisy, so no single correction more than halves or doubles it (a numerical
#: guard; two corrections with the default burn-in, docs/model.md section 5.3).
FOUNDING_CORRECTION_BOUNDS = (0.5, 2.0)

#: Independent random streams, one per subsystem (spawned from the seed, in this order).
STREAMS = ("talent", "labour", "grants", "research", "firms", "foreign_firms", "orgs")


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
        entropy = [int(x) for x in self.rng.integers(0, 2**32, size=4)]
        self.streams = dict(zip(STREAMS, (np.random.default_rng(s) for s in
                                          np.random.SeedSequence(entropy).spawn(len(STREAMS)))))
        self.p = p = parameters if parameters is not None else Parameters.defaults()
        self.scale = float(scale)
        self.horizon = int(horizon)
        self.n_quarters = n_quarters(horizon)
        self.schedules = {k: np.asarray(v, dtype=float) for k, v in schedules.items()}
        short = [k for k, v in self.schedules.items() if v.size < self.n_quarters]
        if short:
            raise ValueError(f"schedules shorter than the horizon: {short}")
        if agents not in ("lazy", "eager"):
            raise ValueError("agents must be 'lazy' or 'eager'")
        self.quarter = 0
        self.quarter_of_year = 0                      # 0-3; also counted through the burn-in
        self.burning_in = False
        self.hte_before_round = 0.0                   # certified firms just before this year's round
        self.ledger = Ledger()
        self.world = OutsideWorld(gdp_2016_bn_yuan=p.econ_gdp_2016_bn_yuan,
                                  research_cost_gdp_elasticity=p.econ_research_cost_gdp_elasticity,
                                  geopolitical_pressure=self.lever("geopolitical_pressure"))
        self.race = ClusterRace(pct_weight=p.cluster_pct_weight)
        self.rival_growth: dict[int, np.ndarray] = {}
        self.cluster_history: dict[int, float] = {}
        self.agencies = {role: Agency(self, role) for role in ROLES}
        self.permit_queue = np.zeros(4)
        self.permit_days = self.lever("visa_processing_days")
        self.flows: defaultdict[str, float] = defaultdict(float)
        self.totals: defaultdict[str, float] = defaultdict(float)
        self.founded: defaultdict[int, float] = defaultdict(float)     # firms founded, by year
        self.records: list[dict[str, float]] = []
        self.pattern_records: list[dict[str, float]] = []
        self.vacancies: np.ndarray | None = None     # posts still open this quarter
        self.founding_scale = 1.0                    # set in the burn-in (see _balance_founding)
        self.capacity_index = 1.0                    # organisations' capacity relative to 2016 (see _open_year)
        self.academic_filed = 0.0                    # academics' patent filings this year (grants to be)
        self.academic_ip: tuple[np.ndarray, np.ndarray] | None = None   # awaiting grant (patent_office)

        eager = agents == "eager"
        self.researchers = Population(self, Researcher, Researcher.COLUMNS, int(p.init_researchers * 1.05 / self.scale) + 64, eager)
        self.foreign = Population(self, ForeignTalent, ForeignTalent.COLUMNS, int(p.init_foreign_talent * 1.1 / self.scale) + 64, eager)
        self.firms = Population(self, Firm, Firm.COLUMNS, int((p.init_domestic_firms + p.init_startups) * 1.1 / self.scale) + 256, eager)
        self.orgs = Population(self, ResearchOrganisation, ResearchOrganisation.COLUMNS, 1300, eager)

        populate(self)
        self._steady_state()
        self._burn_in()
        self._seat_patent_queues()
        self._steady_state()         # the references of 2016 are those of the settled state

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

    # -- the 2016 steady state ------------------------------------------------------------------------
    def _steady_state(self) -> None:
        """The 2016 references (workforce, lab quality, firm counts), and the rates that make the
        2016 stocks a steady state of the entry and exit rules. Called before the burn-in, so that
        it runs in that state, and after it, so that 2016 is measured from where the rules settled."""
        p, c = self.p, self.firms.cols
        self.researchers_2016 = float(len(self.researchers))
        self.lab_quality_2016 = self.lab_quality_now = self.lab_quality()
        self.domestic_firms_2016 = float(np.count_nonzero(Firm.domestic(self.firms)))
        self.domestic_staff_2016 = self.mean_domestic_staff()
        counts = {kind: np.count_nonzero(self.firms.alive & (c["kind"] == kind)) for kind in (MNC, FOREIGN, RD_CENTRE)}
        self.foreign_firms_2016 = {MNC: counts[MNC], FOREIGN: counts[FOREIGN]}
        parents = counts[MNC] + counts[FOREIGN]
        # A centre closes on its own or when its parent leaves; openings by parents without one match both.
        parent_exit = (p.mnc_exit_rate * counts[MNC] + p.foreign_exit_rate * counts[FOREIGN]) / max(parents, 1)
        self.rd_centre_opening_2016 = (p.rd_centre_close_rate + parent_exit) * counts[RD_CENTRE] / max(parents - counts[RD_CENTRE], 1)
        # Foreign talent: Beijing's constant in the destination choice, so that the arrivals who
        # stay past their first quarter (they face a new permit holder's hazard in the quarter they
        # arrive, and retire then if they arrive at a career's end) replace the departures
        # expected of the 2016 stock (retirements at their expected rate, not the drawn count).
        utility, v_rivals, _ = self._talent_utilities()
        leaving = ForeignTalent.expected_exit_hazard(self.foreign, p, utility_by_origin=utility,
                                                     real_pay_kyuan=p.ft_pay_2016_kyuan, support_kyuan=0.0,
                                                     expected_support_kyuan=0.0,
                                                     leads=ForeignTalent.leads(self.foreign, p, 0.0))
        first_quarter_stay = (1.0 - ForeignTalent.reference_hazards(p)[0]) * float(ForeignTalent.working_share(p, 1))
        self.talent_constant = talent_migration.solve_constant(
            p, float(leaving.sum()) * 4.0 * self.scale / max(first_quarter_stay, 1e-9), utility, v_rivals)
        # Seed money: enough in 2016 for ``fin_seed_funded_share`` of would-be founders.
        would_found = self.founding_rate() * float((self.researchers.cols["productivity"]
                                                    ** float(p.res_founding_productivity_exponent)).sum()) * self.scale
        self.seed_supply_2016_bn = p.fin_seed_funded_share * would_found * p.firm_startup_seed_myuan / 1000.0
        # Technology market: outside buyers' demand, so that 2016 turnover is the 2016 figure.
        capacity, appeal = self._tech_sellers()
        pooled = technology.demand_for_turnover(p.tech_turnover_2016_bn_yuan * 1000.0, capacity, appeal, strict=False)
        self.tech_outside_2016_myuan = max(pooled - 4.0 * float(self._tech_buyers().sum()), 0.0)

    def _burn_in(self) -> None:
        """Run the rules under 2016 levers in a still economy, then forget the flows and ledger."""
        quarters = 4 * int(round(self.p.init_burn_in_years))    # whole years: the round and the tax year are yearly
        if quarters <= 0:
            return
        self.burning_in = True
        for q in range(quarters):
            if q % 4 == 0:
                if q > 0:
                    self._balance_founding()
                self._open_year()
                fund_posts(self)          # money follows the staff while the rules settle
            self.quarter_of_year = q % 4
            self._quarter()
        self._balance_founding()
        self.burning_in = False
        self.flows = defaultdict(float)
        self.totals = defaultdict(float)
        self.founded = defaultdict(float)
        self.ledger = Ledger()
        self.permit_queue[:] = 0.0
        self.academic_filed = 0.0               # leavers' filings of the burn-in belong to no year of the run
        for agency in self.agencies.values():
            agency.spent_year = agency.spent_total = 0.0
        c = self.firms.cols
        c["born"][c["born"] >= 0] = -1          # firms founded in the burn-in count as initial firms
        c["founded"][:] = False
        r = self.researchers.cols
        for name in ("expected_papers", "expected_intl", "expected_patents"):
            r[name][:] = 0.0

    def _seat_patent_queues(self) -> None:
        """The patent office's queues at the start of 2016 hold what filings growing at
        ``econ_patent_filing_growth_before_2016`` a year up to each filer's rate now leave
        (sim/world/patent_office.py, "History before 2016"): the burn-in's still economy filed at a
        constant rate, Beijing's did not. Academics' queue is seated at the first close of 2016,
        from that year's filings."""
        p, c = self.p, self.firms.cols
        filed = Firm.expected_patents(self.firms, p, self.world.research_cost_index)
        c["ip_waiting"], c["ip_examining"] = patent_office.steady(filed, p.econ_patent_grant_lag_years,
                                                                  p.econ_patent_filing_growth_before_2016)
        self.academic_ip = None

    def _balance_founding(self) -> None:
        """Scale researchers' founding propensity so that last year's foundings matched last year's
        domestic exits: the number of firms is steady at 2016 conditions (free entry), and
        ``res_founding_rate`` sets only where the iteration starts."""
        exits = self.flows["firm_failures"] + self.flows["firm_closures"]
        founded = self.flows["startups_founded"]
        if exits > 0 and founded > 0:
            low, high = FOUNDING_CORRECTION_BOUNDS
            self.founding_scale *= min(max(exits / founded, low), high)
            self._steady_state()

    # -- the quarter ------------------------------------------------------------------------------------
    def step(self) -> None:
        """Advance one quarter."""
        if self.quarter >= self.n_quarters:
            raise RuntimeError("the model has reached its horizon")
        if self.quarter % 4 == 0:
            self._open_year()
        self.quarter_of_year = self.quarter % 4
        self._quarter()
        if self.quarter % 4 == 3:
            self._close_year()
        self.quarter += 1
        self.running = self.quarter < self.n_quarters

    def _quarter(self) -> None:
        self.vacancies = None
        if not self.burning_in:
            self.world.advance_quarter(self.lever("geopolitical_pressure"), self.lever("global_talent_pool_growth"))
        self._open_budgets()
        self.lab_quality_now = self.lab_quality()        # read by foreign talent and job seekers this quarter
        self._talent_migration()
        self.orgs.cols["grant_income"][:] = 0.0
        grants.grant_call(self, self.lever("research_grants_bn_yuan"), self.lever("basic_research_share"))
        self._labour_market()
        self._research_output()
        self._firms()
        self._foreign_firms()
        self._technology_market()
        self._account_rd()
        Researcher.age(self.researchers)
        ForeignTalent.advance_status(self.foreign)
        Firm.grow_older(self.firms)

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
    def _year_mean(self, name: str) -> float:
        return float(self.schedules[name][self.quarter:self.quarter + 4].mean())

    def _open_year(self) -> None:
        self.flows = defaultdict(float)
        for agency in self.agencies.values():
            agency.spent_year = 0.0
        self.orgs.cols["graduates"][:] = 0.0
        if not self.burning_in:
            self.rival_growth[self.year] = np.array([self._year_mean(name) for name in GROWTH_INPUTS])
            if self.year > 2016:
                self.world.advance_year(self._year_mean("gdp_growth"), self._year_mean("gdp_deflator_growth"))
            # Capacity is built with real block funding and not pulled down when that falls.
            self.capacity_index = max(self.capacity_index, self.block_real_index())
        c = self.firms.cols
        c["staff_last_year"] = c["staff"].copy()
        c["patents_year"][:] = 0.0
        Firm.new_tax_year(self.firms)
        product.draw_shocks(self.firms, self.streams["firms"], self.p)

    def demand_bn(self) -> float:
        """Nominal demand for firms' output this year (bn yuan)."""
        return product.demand_bn_yuan(self.demand_2016_bn, self.p, self.world.real_gdp_index, self.world.deflator)

    def founding_rate(self) -> float:
        """Researchers' yearly founding propensity at 2016 conditions (before productivity and demand)."""
        return self.p.res_founding_rate * self.founding_scale

    def mean_domestic_staff(self) -> float:
        """Domestic firms' mean staff (weighted rows)."""
        c, domestic = self.firms.cols, Firm.domestic(self.firms)
        return float((c["staff"] * c["weight"])[domestic].sum() / max(float(c["weight"][domestic].sum()), 1e-12))

    def firm_size_index(self) -> float:
        """Domestic firms' mean staff relative to 2016: the yardstick of firm size (Firm.base_rd)."""
        return self.mean_domestic_staff() / self.domestic_staff_2016

    def demand_per_firm_index(self) -> float:
        """Real demand per domestic firm relative to 2016."""
        domestic = max(np.count_nonzero(Firm.domestic(self.firms)), 1)
        return (self.world.real_gdp_index ** self.p.firm_demand_gdp_elasticity) * self.domestic_firms_2016 / domestic

    # -- 2. agencies ---------------------------------------------------------------------------------------------
    def _open_budgets(self) -> None:
        support = self.lever("talent_settlement_support_kyuan")
        budgets = {
            "science": self.lever("research_grants_bn_yuan") / 4.0,
            "immigration": self.lever("immigration_budget_myuan") * self.world.deflator / 1000.0 / 4.0,
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
            rng = self.streams["orgs"]
            zones = rng.choice(list(NATIONAL_LAB_ZONES), n).astype(np.int8)
            drawn = ResearchOrganisation.draw(rng, self.p, kinds)
            establishment = drawn["budget_myuan"] / self.cost_academic_2016 / self.scale   # posts its budget pays, real
            self.orgs.add(n, kind=kinds, zone=zones, field=draw_fields(rng, zones), establishment=establishment, **drawn)
        elif labs.size > target:
            closing = labs[target:]
            staff = np.flatnonzero(self.orgs.mask_of(closing)[self.researchers.cols["org"]])
            self.orgs.remove(closing)
            self._release(staff)

    # -- 3. talent migration -----------------------------------------------------------------------------------
    def lab_quality(self) -> float:
        """Staff-weighted quality of organisations."""
        return ResearchOrganisation.lab_quality(self.orgs, labour.staff(self.researchers.cols["org"], self.orgs.capacity))

    def _talent_utilities(self) -> tuple[np.ndarray, np.ndarray, float]:
        """Beijing's utility by origin (less its constant), the rivals' utilities, and expected support."""
        p, w = self.p, self.world
        support = self.lever("talent_settlement_support_kyuan") / w.deflator
        settled = float(np.count_nonzero(self.foreign.cols["settled"] & self.foreign.alive)) / max(len(self.foreign), 1)
        expected = support * settled
        real_pay = p.ft_pay_2016_kyuan * w.real_pay_index
        utility = ForeignTalent.utility(
            p, real_pay_kyuan=real_pay, support_kyuan=expected, days=self.permit_days,
            amenities=self.lever("international_amenities"), foreign_led=self.lever("foreign_led_projects"),
            lab_quality=self.lab_quality_now / self.lab_quality_2016, pressure=w.geopolitical_pressure)
        v_rivals = talent_migration.rival_utilities(p, beijing_real_pay_index=w.real_pay_index,
                                                    years_since_2016=0 if self.burning_in else self.quarter // 4)
        return utility, v_rivals, expected

    def _talent_migration(self) -> None:
        p, pop, w = self.p, self.foreign, self.world
        utility, v_rivals, expected_support = self._talent_utilities()
        arrivals = talent_migration.expected_arrivals(p, self.talent_constant, utility, v_rivals, w.talent_pool_index)
        rng = self.streams["talent"]
        applications = rng.poisson(arrivals / 4.0).astype(float)
        applicants = ForeignTalent.pr_applicants(pop, rng, p, self.lever("pr_min_years"))
        done = permits.process(self, applications, applicants.size * int(self.scale) if self.scale.is_integer()
                               else int(round(applicants.size * self.scale)), self.lever("visa_processing_days"))
        self.permit_days = done.days
        self.flows["permit_days_sum"] += done.days
        self.flows["permit_budget_binding_quarters"] += float(done.binding)
        for origin, persons in enumerate(done.granted):
            n = n_agents(rng, persons, self.scale)
            if n:
                add_foreign_talent(self, n, origin=np.full(n, origin, dtype=np.int8), rng=rng)
                self.flows["foreign_arrivals"] += n * self.scale
        approved = applicants[:int(round(done.residence_cases / self.scale))]
        pop.cols["permit"][approved] = PERMANENT
        self.totals["permanent_residence_grants_cum"] += approved.size * self.scale
        self.flows["permanent_residence_grants"] += approved.size * self.scale

        support = self.lever("talent_settlement_support_kyuan")
        newly_settled = settlement.settle(self, support)
        if self.year >= 2018:
            self.totals["foreign_scientists_settled_cum"] += newly_settled * self.scale

        leads = ForeignTalent.leads(pop, p, self.lever("foreign_led_projects"))
        hazard = ForeignTalent.exit_hazard(pop, p, utility_by_origin=utility, real_pay_kyuan=p.ft_pay_2016_kyuan * w.real_pay_index,
                                           support_kyuan=support / w.deflator, expected_support_kyuan=expected_support, leads=leads)
        leaving = np.flatnonzero(rng.random(pop.capacity) < hazard)
        pop.remove(leaving)
        self.flows["foreign_departures"] += leaving.size * self.scale

    # -- 5. labour market ------------------------------------------------------------------------------------------
    def block_myuan(self) -> float:
        """This year's block funding of research organisations (m yuan, nominal): the 2016 amount
        in step with real GDP and prices."""
        w = self.world
        return self.block_2016_myuan * w.real_gdp_index * w.deflator

    def block_real_index(self) -> float:
        """Block funding relative to 2016 in research prices, as an index: real GDP times prices
        over the research cost index (so it grows more slowly the faster a researcher-year's real
        price rises with income, ``econ_research_cost_gdp_elasticity``)."""
        w = self.world
        return w.real_gdp_index * w.deflator / w.research_cost_index

    def org_money_myuan(self) -> np.ndarray:
        """Each organisation's yearly research money this quarter (m yuan, nominal)."""
        return ResearchOrganisation.money_myuan(self.orgs, self.block_myuan(), self.world.research_cost_index)

    def posts(self) -> tuple[np.ndarray, np.ndarray]:
        """Research posts (in researcher agents) funded this quarter, per organisation and per firm row."""
        w = self.world
        org_posts = np.minimum(self.org_money_myuan() / (self.cost_academic_2016 * w.research_cost_index) / self.scale,
                               ResearchOrganisation.capacity(self.orgs, self.p.org_capacity_headroom, self.capacity_index))
        f = self.firms.cols
        firm_posts = f["rd_spend"] / (self.cost_firm_2016 * w.research_cost_index) * f["weight"] / self.scale * self.firms.alive
        return (labour.whole_posts(org_posts, self.orgs.cols["post_draw"]) * self.orgs.alive,
                labour.whole_posts(firm_posts, self.firms.cols["post_draw"]) * self.firms.alive)

    def _employer_place(self, org: np.ndarray, firm: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Zone and field of each employer."""
        o, f = self.orgs.cols, self.firms.cols
        zone = np.where(org >= 0, o["zone"][np.maximum(org, 0)], f["zone"][np.maximum(firm, 0)])
        field = np.where(org >= 0, o["field"][np.maximum(org, 0)], f["field"][np.maximum(firm, 0)])
        return zone, field

    def _assign(self, rows: np.ndarray, slots: np.ndarray) -> None:
        """Researchers at ``rows`` take the posts at ``slots`` (org rows first, then firm rows)."""
        n_org = self.orgs.capacity
        org = np.where(slots < n_org, slots, -1).astype(np.int32)
        firm = np.where(slots >= n_org, slots - n_org, -1).astype(np.int32)
        c = self.researchers.cols
        c["org"][rows], c["firm"][rows] = org, firm
        c["zone"][rows] = self._employer_place(org, firm)[0]
        to_firm = rows[firm >= 0]
        c["grant_kind"][to_firm], c["grant_quarters"][to_firm] = NO_GRANT, 0

    def remove_researchers(self, rows: np.ndarray, flow: str = "researcher_exits") -> None:
        """Researchers leave: their output so far this year is drawn (together: leavers are not among
        those whose individual counts make Lotka's pattern), then their rows freed."""
        if rows.size == 0:
            return
        papers, intl, patents = Researcher.draw_output_together(self.researchers, self.streams["research"], rows)
        self.flows["papers"] += papers * self.scale
        self.flows["intl_coauthored_papers"] += intl * self.scale
        self.academic_filed += patents * self.scale
        self.researchers.remove(rows)
        self.flows[flow] += rows.size * self.scale

    def _open_posts(self) -> np.ndarray:
        """Posts still open this quarter (as advertised at the labour market, less those filled
        since and those of employers that have closed); computed afresh before the market."""
        if self.vacancies is None:
            org_posts, firm_posts = self.posts()
            c = self.researchers.cols
            self.vacancies = np.concatenate([
                np.maximum(org_posts - labour.staff(c["org"], self.orgs.capacity), 0.0),
                np.maximum(firm_posts - labour.staff(c["firm"], self.firms.capacity), 0.0)])
        v = self.vacancies
        n_org = self.orgs.capacity
        v[:n_org] *= self.orgs.alive[:n_org]
        firms = v[n_org:]
        n = min(firms.size, self.firms.capacity)
        firms[:n] *= self.firms.alive[:n]
        return v

    def _release(self, rows: np.ndarray) -> None:
        """Researchers whose employer closed look for a post among those open; the rest leave."""
        if rows.size == 0:
            return
        slots = labour.match(self.streams["labour"], rows.size, labour.academic_first(self), self._open_posts(), self.orgs.capacity)
        self._assign(rows[slots >= 0], slots[slots >= 0])
        self.remove_researchers(rows[slots < 0])

    def _labour_market(self) -> None:
        p, pop, rng, k = self.p, self.researchers, self.streams["labour"], self.scale
        event = Researcher.life_events(pop, rng, p, self.demand_per_firm_index(), self.founding_rate())
        self.remove_researchers(np.flatnonzero(event == EXIT))
        self._found_firms(np.flatnonzero(event == FOUND))

        c = pop.cols
        org_posts, firm_posts = self.posts()
        org_staff, firm_staff = labour.staff(c["org"], self.orgs.capacity), labour.staff(c["firm"], self.firms.capacity)
        let_go = np.union1d(labour.excess(c["org"], org_staff, org_posts, p.res_layoff_rate, rng),
                            labour.excess(c["firm"], firm_staff, firm_posts, p.res_layoff_rate, rng))
        org_staff -= np.bincount(c["org"][let_go][c["org"][let_go] >= 0], minlength=self.orgs.capacity)
        firm_staff -= np.bincount(c["firm"][let_go][c["firm"][let_go] >= 0], minlength=self.firms.capacity)
        c["org"][let_go], c["firm"][let_go] = -1, -1
        self.vacancies = np.concatenate([np.maximum(org_posts - org_staff, 0.0), np.maximum(firm_posts - firm_staff, 0.0)])
        self.flows["researchers_let_go"] += let_go.size * k

        movers = np.setdiff1d(np.flatnonzero(event == MOVE), let_go)
        graduates = p.res_entrants_per_year * self.lever("engineering_education_index") / 4.0
        ResearchOrganisation.train(self.orgs, graduates)
        self.flows["graduates"] += graduates
        n_grad = n_agents(rng, graduates, k)
        # Everyone seeking a post, in one random order: existing rows, then graduates as -1 - j.
        seekers = labour.shuffled(rng, let_go, movers, -1 - np.arange(n_grad))
        slots = labour.match(rng, seekers.size, labour.academic_first(self), self.vacancies, self.orgs.capacity)
        placed = slots >= 0
        existing = seekers >= 0
        self._assign(seekers[placed & existing], slots[placed & existing])
        self.remove_researchers(np.intersect1d(seekers[~placed & existing], let_go))
        new_slots = slots[placed & ~existing]
        if new_slots.size:
            org = np.where(new_slots < self.orgs.capacity, new_slots, -1).astype(np.int32)
            firm = np.where(new_slots >= self.orgs.capacity, new_slots - self.orgs.capacity, -1).astype(np.int32)
            zone, employer_field = self._employer_place(org, firm)
            own_field = rng.random(org.size) < p.res_own_field_share
            field = np.where(own_field, rng.integers(0, len(FIELDS), org.size), employer_field)
            pop.add(org.size, org=org, firm=firm, zone=zone, field=field, career_years=0.0,
                    productivity=Researcher.draw_productivity(rng, org.size, p))
            self.flows["researcher_entrants"] += org.size * k

    def _found_firms(self, founders: np.ndarray) -> None:
        """Would-be founders who raise seed money leave their post and start a firm."""
        p, w = self.p, self.world
        supply = self.seed_supply_2016_bn * self.demand_bn() / self.demand_2016_bn / 4.0
        funded = finance.seed_round(self.streams["labour"], founders, supply_bn=supply, seed_myuan=p.firm_startup_seed_myuan * w.deflator,
                                    scale=self.scale)
        self.flows["founders_unfunded"] += (founders.size - funded.size) * self.scale
        if funded.size == 0:
            return
        c = self.researchers.cols
        cols = new_firm_columns(self, STARTUP, funded.size, zone=c["zone"][funded], field=c["field"][funded],
                                rng=self.streams["firms"])
        rows = self.firms.add(funded.size, **cols)
        fc = self.firms.cols
        fc["born"][rows] = self.year
        fc["founded"][rows] = True
        fc["taxable"][rows] = False
        product.enter(self.firms, p, rows, self.demand_bn(), w.deflator)
        product.draw_shocks(self.firms, self.streams["firms"], p, rows)
        c["org"][funded], c["firm"][funded] = -1, rows
        c["grant_kind"][funded], c["grant_quarters"][funded] = NO_GRANT, 0
        self.flows["startups_founded"] += funded.size * self.scale
        self.flows["seed_finance_bn_yuan"] += funded.size * self.scale * p.firm_startup_seed_myuan * w.deflator / 1000.0
        self.founded[self.year] += funded.size * self.scale

    # -- 6. output --------------------------------------------------------------------------------------------------
    def foreign_share(self, researcher_cells: np.ndarray) -> np.ndarray:
        """Foreign scientists per domestic researcher, by field and zone (flat, one entry per cell)."""
        cells = len(FIELDS) * len(ZONES)

        def count(cell: np.ndarray) -> np.ndarray:
            return np.bincount(cell, minlength=cells + 1)[1:]

        return count(Researcher.cell(self.foreign)) / np.maximum(count(researcher_cells), 1)

    def _research_output(self) -> None:
        p, rng, k = self.p, self.streams["research"], self.scale
        cell = Researcher.cell(self.researchers)
        intl_share = Researcher.intl_share(p, self.foreign_share(cell), self.world.geopolitical_pressure)
        money = self.org_money_myuan()
        staff = labour.staff(self.researchers.cols["org"], self.orgs.capacity)
        agent_year = self.cost_academic_2016 * self.world.research_cost_index * self.scale
        spending = ResearchOrganisation.spending_per_head(money, staff, agent_year)
        sector = ResearchOrganisation.spending_per_head(np.array([money.sum()]), np.array([staff.sum()]), agent_year)
        self.flows["academic_spending_per_head"] += float(sector[0]) / 4.0
        Researcher.accrue_output(self.researchers, p, self.org_quality, intl_share, cell, spending)
        leads = ForeignTalent.leads(self.foreign, self.p, self.lever("foreign_led_projects"))
        ft_papers = rng.poisson(float(ForeignTalent.expected_papers(self.foreign, p, leads).sum()))
        ft_intl = rng.binomial(ft_papers, p.ft_intl_share)
        self.flows["papers"] += ft_papers * k
        self.flows["intl_coauthored_papers"] += ft_intl * k

    # -- 7. firms ----------------------------------------------------------------------------------------------------
    def _firms(self) -> None:
        p, pop, rng, w = self.p, self.firms, self.streams["firms"], self.world
        c = pop.cols
        k = c["weight"]                      # firms per row

        def bn(x: np.ndarray, rows: np.ndarray | slice = slice(None)) -> float:
            """A per-firm amount in m yuan, summed over firms, in bn yuan."""
            return float((x * k[rows]).sum()) / 1000.0

        sd = self.lever("rd_super_deduction_rate")
        guarantee = self.lever("ip_pledge_loan_guarantee_share")
        demand = self.demand_bn()
        cash_before = float((c["cash"] * k)[Firm.domestic(pop)].sum())

        repay, owed, defaulted = finance.due_loans(pop, p)
        c["cash"][repay] -= owed
        c["loan"][repay] = 0.0
        self.ledger.flow("ip_pledge_loans_repaid", bn(owed, repay))

        relief = tax.sme_relief(self, self.lever("sme_tax_relief_bn_yuan"), c["revenue"])
        c["cash"] += relief
        approved, size = finance.approve_loans(pop, p, Firm.loan_seekers(pop, rng, p), guarantee=guarantee, deflator=w.deflator)
        c["loan"][approved] = size
        c["loan_quarters"][approved] = finance.loan_terms(rng, p, approved.size)
        c["cash"][approved] += size
        issued = bn(size, approved)
        self.ledger.flow("ip_pledge_loans_issued", issued)
        self.flows["ip_pledge_loans_bn_yuan"] += issued
        invested_before = self.flows["venture_finance_bn_yuan"]
        innovation_fund.invest(self)
        self.ledger.flow("venture_received", self.flows["venture_finance_bn_yuan"] - invested_before)

        hiring = Firm.hire_and_shed(pop, p, wanted=product.wanted_staff(pop, p, demand, w.deflator),
                            hire_cost_myuan=p.firm_hiring_cost_myuan * w.deflator, deflator=w.deflator)
        self.ledger.flow("firm_hiring", bn(hiring))
        product.sell(pop, p, demand, w.deflator)
        operating = (p.econ_gross_margin * c["revenue"] - Firm.fixed_cost(pop, p, w.deflator)) / 4.0
        Firm.spend_on_rd(pop, p, super_deduction=sd, centre_budget_myuan=p.mnc_rd_centre_budget_myuan * w.research_cost_index,
                         operating_myuan=operating, deflator=w.deflator, size_index=self.firm_size_index())
        rules = certification.rules_in_force(self.year, before_2016=self.burning_in)
        Firm.report_rd(pop, p, rules)
        tax_paid, forgone = Firm.taxes(pop, p, operating_myuan=operating, super_deduction=sd)
        domestic = Firm.domestic(pop)
        net = np.where(domestic, operating - c["rd_spend"] / 4.0 - tax_paid, 0.0)
        c["cash"] += net
        self.ledger.flow("firm_operating", bn(net))
        self.ledger.flow("firm_payout", bn(Firm.pay_out(pop, p)))
        self.flows["super_deduction_forgone_bn"] += bn(forgone)

        granted = patent_office.advance(c["ip_waiting"], c["ip_examining"],
                                        Firm.expected_patents(pop, p, w.research_cost_index), p.econ_patent_grant_lag_years,
                                        self._examination())
        patents = rng.poisson(granted * pop.alive).astype(np.float32)
        Firm.record_patents(pop, p, patents)
        self.flows["patents_firms"] += float((patents * k).sum())
        recognition_round = self.quarter_of_year == certification.RECOGNITION_QUARTER
        if recognition_round:
            self.hte_before_round = float(k[pop.alive & (c["kind"] == HTE)].sum())
        new, renewed, lapsed = Firm.certification(pop, rng, p, rules, recognition_round=recognition_round)
        self.flows["hte_recognised"] += float(k[new].sum() + k[renewed].sum())
        self.ledger.flow("firm_tax_settlement", bn(Firm.settle_tax_year(pop, p, new, lapsed)))
        product.update_shares(pop, p, demand)

        failed = np.union1d(defaulted, Firm.out_of_cash(pop))
        closed = np.setdiff1d(Firm.closures(pop, rng, p), failed)
        self._default_loans(np.union1d(failed, closed), guarantee)
        gone = np.union1d(failed, closed)
        self.flows["firm_failures"] += float(k[failed].sum())
        self.flows["firm_closures"] += float(k[closed].sum())
        self.ledger.flow("firm_cash_of_exits", bn(c["cash"][gone], gone))
        self._close_firms(gone)
        cash_after = float((c["cash"] * k)[Firm.domestic(pop)].sum())
        self.ledger.flow("firm_cash_change", (cash_after - cash_before) / 1000.0)

    def _default_loans(self, rows: np.ndarray, guarantee: float) -> None:
        c = self.firms.cols
        defaulted = rows[c["loan"][rows] > 0]
        principal = c["loan"][defaulted]
        ip_loans.cover_defaults(self, principal, guarantee)
        lost = float((principal * c["weight"][defaulted]).sum()) / 1000.0
        self.ledger.flow("ip_pledge_loans_defaulted", lost)
        self.flows["ip_pledge_defaults_bn_yuan"] += lost
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
        product.renormalise(self.firms)
        self._release(staff)

    def _foreign_firms(self) -> None:
        """Multinationals and foreign companies decide to enter or leave; R&D centres open and close."""
        p, pop, rng, w = self.p, self.firms, self.streams["foreign_firms"], self.world
        c = pop.cols
        pressure = 0.0 if self.burning_in else w.geopolitical_pressure - self.lever("geopolitical_pressure", 0)
        market = w.real_gdp_index ** p.mnc_market_elasticity
        leaving = []
        for kind, exit_rate, exposure in ((MNC, p.mnc_exit_rate, 1.0), (FOREIGN, p.foreign_exit_rate, p.foreign_geo_exposure)):
            climate = np.exp(p.mnc_geo_weight * exposure * pressure)
            leaving.append(np.flatnonzero(pop.alive & (c["kind"] == kind) & (rng.random(pop.capacity) < exit_rate * climate / 4.0)))
            entrants = rng.poisson(exit_rate * self.foreign_firms_2016[kind] * market / climate / 4.0)
            if entrants:
                rows = pop.add(entrants, **new_firm_columns(self, kind, entrants, rng=rng))
                product.enter(pop, p, rows, self.demand_bn(), w.deflator)
                product.draw_shocks(pop, rng, p, rows)
                self.flows["foreign_firm_entries"] += entrants
        centres = np.flatnonzero(pop.alive & (c["kind"] == RD_CENTRE))
        climate = np.exp(p.mnc_geo_weight * pressure)
        leaving.append(centres[rng.random(centres.size) < p.rd_centre_close_rate * climate / 4.0])
        has_centre = np.zeros(pop.capacity + 1, dtype=bool)
        has_centre[c["parent"][centres]] = True
        parents = np.flatnonzero(pop.alive & ((c["kind"] == MNC) | (c["kind"] == FOREIGN)) & ~has_centre[:pop.capacity])
        talent = (len(self.researchers) / self.researchers_2016) ** p.rd_centre_talent_elasticity
        opening = parents[rng.random(parents.size) < self.rd_centre_opening_2016 * talent / climate / 4.0]
        if opening.size:
            rows = pop.add(opening.size, **new_firm_columns(self, RD_CENTRE, opening.size, zone=c["zone"][opening],
                                                           field=c["field"][opening], rng=rng))
            c["parent"][rows] = opening
        gone = np.unique(np.concatenate(leaving))
        self.flows["foreign_firm_exits"] += gone.size
        self._close_firms(gone)

    # -- 7b. technology market ------------------------------------------------------------------------------------
    def _tech_sellers(self) -> tuple[np.ndarray, np.ndarray]:
        """Sellers' yearly capacity (m yuan, nominal) and attractiveness (quality times capacity):
        organisation rows, then firm rows (domestic firms doing R&D; a row's capacity is its firms')."""
        p, w, o, f = self.p, self.world, self.orgs.cols, self.firms.cols
        r = self.researchers.cols
        quality = o["quality"] * self.orgs.alive
        org_staff = labour.staff(r["org"], self.orgs.capacity) * self.scale
        org_capacity = technology.seller_capacity(org_staff * quality, 0.0, per_researcher=p.tech_capacity_per_academic_myuan,
                                                  per_knowledge=0.0, cost_index=w.research_cost_index)
        selling = Firm.domestic(self.firms) & self.firms.alive & (f["rd_spend"] > 0)
        firm_staff = labour.staff(r["firm"], self.firms.capacity) * self.scale
        firm_capacity = selling * technology.seller_capacity(
            firm_staff, f["ip_stock"] * f["weight"], per_researcher=p.tech_capacity_per_firm_researcher_myuan,
            per_knowledge=p.tech_capacity_per_patent_myuan, cost_index=w.research_cost_index)
        return np.concatenate([org_capacity, firm_capacity]), np.concatenate([org_capacity * quality, firm_capacity])

    def _tech_buyers(self) -> np.ndarray:
        """What Beijing's domestic firms ask for this quarter (m yuan per row, all its firms), from cash above their buffer."""
        p, pop, f = self.p, self.firms, self.firms.cols
        buyers = Firm.domestic(pop) & pop.alive
        spare = np.where(buyers, f["cash"] - Firm.buffer(pop, p, self.world.deflator), 0.0)
        return technology.local_demand(f["rd_spend"] * buyers, spare, share_of_rd=p.tech_buy_share_of_rd,
                                       period_years=0.25) * f["weight"]

    def _technology_market(self) -> None:
        """Contracts are bought and paid for (sim/markets/technology.py): firms' cash moves by what
        they sell (less its delivery) and buy; organisations' contract income is recorded."""
        p, w, pop = self.p, self.world, self.firms
        c = pop.cols
        capacity, appeal = self._tech_sellers()
        outside = technology.outside_demand(self.tech_outside_2016_myuan, w.real_gdp_index * w.deflator,
                                            p.tech_outside_demand_gdp_elasticity)
        deal = technology.clear(self._tech_buyers(), outside / 4.0, capacity / 4.0, appeal)
        n_org = self.orgs.capacity
        self.orgs.cols["contract_income"][:] = deal.sales[:n_org]
        sold = deal.sales[n_org:]
        delivery = (1.0 - p.econ_gross_margin) * sold
        per_firm = np.where(pop.alive, (sold - delivery - deal.payments) / np.maximum(c["weight"], 1e-12), 0.0)
        cash_before = float((c["cash"] * c["weight"])[Firm.domestic(pop)].sum())
        c["cash"] += per_firm
        cash_after = float((c["cash"] * c["weight"])[Firm.domestic(pop)].sum())
        self.ledger.flow("tech_contracts_bought_by_firms", float(deal.payments.sum()) / 1000.0)
        self.ledger.flow("tech_contracts_bought_outside", deal.outside_paid / 1000.0)
        self.ledger.flow("tech_contracts_sold_by_firms", float(sold.sum()) / 1000.0)
        self.ledger.flow("tech_contracts_sold_by_orgs", float(deal.sales[:n_org].sum()) / 1000.0)
        self.ledger.flow("tech_contract_delivery", float(delivery.sum()) / 1000.0)
        self.ledger.flow("tech_firm_cash_change", (cash_after - cash_before) / 1000.0)
        self.flows["tech_contract_turnover_bn_yuan"] += deal.turnover / 1000.0

    # -- 8. bookkeeping --------------------------------------------------------------------------------------------------
    def _account_rd(self) -> None:
        c = self.firms.cols
        firm_rd = float((c["rd_reported"] * c["weight"]).sum()) / 1000.0 / 4.0
        w = self.world
        from_block, from_grants, from_budgets = ResearchOrganisation.money_parts(self.orgs, self.block_myuan(), w.research_cost_index)
        academic = float((from_block + from_grants + from_budgets).sum()) / 1000.0 / 4.0
        self.flows["rd_block_bn_yuan"] += float(from_block.sum()) / 1000.0 / 4.0
        self.flows["rd_lab_budgets_bn_yuan"] += float(from_budgets.sum()) / 1000.0 / 4.0
        self.flows["rd_business_bn_yuan"] += firm_rd
        survey_rd = float((c["rd_spend"] * c["weight"]).sum()) / 1000.0 / 4.0      # real R&D, nominal yuan
        self.flows["rd_business_survey_bn_yuan"] += survey_rd
        self.flows["rd_business_real_bn_yuan"] += survey_rd / w.research_cost_index
        self.flows["rd_academic_bn_yuan"] += academic
        self.flows["gdp_bn_yuan"] += w.gdp_bn_yuan / 4.0

    def _close_year(self) -> None:
        """The year's output is drawn for every researcher; indicators and patterns are measured."""
        papers, intl, patents = Researcher.draw_output(self.researchers, self.streams["research"])
        self.flows["papers"] += papers * self.scale
        self.flows["intl_coauthored_papers"] += intl * self.scale
        self.academic_filed += patents * self.scale
        self.flows["patents_academic"] += self._grant_academic_patents()
        self.records.append(indicators.measure(self))
        self.pattern_records.append(patterns.measure(self))

    def _grant_academic_patents(self) -> float:
        """Academics' filings of the year pass the patent office's pipeline a quarter at a time
        (sim/world/patent_office.py); their counts are already drawn, so the grants are the
        expected outflow. The pipeline starts at the state the first year's filings leave after
        years of growth (:meth:`_seat_patent_queues`)."""
        lag = self.p.econ_patent_grant_lag_years
        filed = np.array([self.academic_filed / 4.0])
        self.academic_filed = 0.0
        if self.academic_ip is None:
            self.academic_ip = patent_office.steady(filed, lag, self.p.econ_patent_filing_growth_before_2016)
        granted = 0.0
        for q in range(self.quarter - 3, self.quarter + 1):   # added in order: builtin sum() of floats rounds differently from Python 3.12
            granted += float(patent_office.advance(*self.academic_ip, filed, lag, self._examination(q))[0])
        return granted

    def _examination(self, quarter: int | None = None) -> float:
        """The patent office's examination time this quarter relative to 2016-2018 (sim/world/patent_office.py)."""
        return patent_office.examination_factor(self.lever("patent_examination_months", quarter))

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
