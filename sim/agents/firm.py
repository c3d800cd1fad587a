"""Firms: technology SMEs, certified high-tech enterprises, startups, multinationals, foreign
companies and foreign R&D centres.

State: kind; field and zone; the number of identical firms the row stands for (``weight``:
the model's scale for domestic firms; one for multinationals, foreign companies and R&D centres,
which are few enough to follow one by one, as organisations are); staff; share of the product market and this year's growth shock;
revenue (m yuan/year, nominal); R&D spending (real effort and reported, m yuan/year, nominal);
cash and tax losses carried forward (m yuan, nominal); patent stock and this year's patents; age;
an IP-pledge loan and its quarters left, and its credit standing with banks (a fixed draw);
quarters of high-tech certification left; the quarter of birth and whether a researcher founded
it; for an R&D centre, the firm that opened it.

The rules a firm follows (the markets it meets are in :mod:`sim.markets`):

* **Staffing.** A domestic firm wants the staff its demand needs (demand over revenue per worker,
  :mod:`sim.markets.product`). Shedding staff is free and gradual; hiring costs money
  (``firm_hiring_cost_myuan`` per hire, indexed), paid from cash above a safety buffer, so a firm
  short of cash grows more slowly than its demand and serves less of it. Money a firm receives
  (relief, loans, investment) thus shows up as growth.
* **R&D.** A firm's base R&D intensity is set by its kind, its own propensity (firms differ) and
  its size (larger firms spend a smaller share of revenue: ``(staff / 10)^-e``). Its *effort*, the
  multiple of the base it spends, aims at its own tax price of R&D relative to 2016,
  ``u = 1 - t (1 + d) v``, to the power minus the long-run elasticity: ``t`` is its tax rate (15 %
  certified, 25 % otherwise), ``d`` the super-deduction and ``v`` what an extra yuan of deduction
  is worth to it: 1 with taxable profit, ``firm_loss_deduction_value`` without (the deduction only
  adds to a loss carried forward). Effort closes ``firm_rd_adjustment`` of the gap each quarter
  (short run small, long run full: Bloom, Griffith & Van Reenen 2002); R&D is effort times base
  intensity times revenue, and never beyond cash above the buffer: R&D cannot make a firm fail.
* **Relabelling.** A firm whose certification R&D lies just below its certification threshold
  (within ``firm_relabel_margin`` of it) reports other costs as R&D up to the threshold (Chen, Liu,
  Suárez Serrato & Xu 2021): reported R&D rises, real R&D does not. Certification R&D is reported
  R&D on the certification guidelines' broader scope, ``firm_hte_rd_scope`` times it
  (:mod:`sim.policy.certification`).
* **Payout.** A profitable established firm pays out cash above ``firm_cash_target_share`` of a
  year's revenue to its owners, so a profitable firm growing fast can still be short of cash for its
  hires; startups and loss-makers keep their cash.
* **Taxes.** Profit after fixed costs and reported R&D times ``1 + d`` is taxed; a loss is carried
  forward and offsets later profit. The certified rate holds for whole tax years: a firm certified in
  the year's round is refunded the difference on the year's taxable income, and one losing its
  certificate pays it back (:meth:`Firm.settle_tax_year`).
* **Patents** are filed each quarter from the firm's *real* R&D (nominal over the research cost
  index): ``firm_patents_per_real_rd_myuan`` eventual grants per m yuan of 2016 research money,
  times the firm's own propensity to patent (lognormal with log-sd
  ``firm_patent_propensity_sigma``), times ``firm_hte_patent_boost`` while it is certified
  (certification scores intellectual property, up to 30 of its 100 points, and is rechecked every
  three years, so a certified firm files more of what it invents). They are granted after the
  patent office's examination (:mod:`sim.world.patent_office`); the firm's waiting and examined
  filings are its ``ip_waiting`` and ``ip_examining``.
* **Certification.** Once a year, in the recognition round of the last quarter, a firm that meets
  the rules in force applies with the probability that ``firm_hte_apply_rate`` a quarter gives over
  four quarters: at least a year old, certification R&D at its size's threshold (from 2016: 5 %
  of revenue under 50 m yuan, 4 % to 200 m yuan, 3 % above, in nominal yuan as the rules state
  them; before 2016, 6 % for the smallest and a staff test that a share
  ``firm_hte_2008_staff_share`` of firms pass: :mod:`sim.policy.certification`). A certificate runs
  three years, is rechecked at renewal in the round under the rules then in force, and is withdrawn
  at random audits in any quarter (:mod:`sim.policy.certification`).
* **Failure.** A domestic firm whose cash falls below zero, or that cannot repay a loan, fails;
  others close at a small yearly rate for reasons outside the model (owners retiring, mergers).
"""

from __future__ import annotations

import numpy as np

from sim import levers
from sim.parameters import Parameters
from sim.policy.certification import MIN_AGE_QUARTERS, RULES_2016, CertificationRules, yearly_share
from sim.population import Population, RowAgent

SME, HTE, STARTUP, MNC, FOREIGN, RD_CENTRE = range(6)
KINDS = ("sme", "high_tech_enterprise", "startup", "multinational", "foreign_company", "foreign_rd_centre")
DOMESTIC = (SME, HTE, STARTUP)
#: Lookup by kind, indexed by ``kind`` (a dead row's kind -1 reads the spare last entry).
IS_DOMESTIC = np.array([True, True, True, False, False, False, False])
#: Kinds that sell in the product market (an R&D centre is a cost centre of its parent).
SELLS = np.array([True, True, True, True, True, False, False])

_DEDUCTION_2016 = levers.BY_NAME["rd_super_deduction_rate"].default
#: Staff of the firm the size-dependent parameters are stated for (firm_rd_intensity_domestic,
#: firm_growth_shock_scale): a 10-staff firm.
REFERENCE_STAFF = 10.0
#: A firm holds a patent when its depreciating patent stock rounds to one or more (half a patent).
HELD_PATENT_STOCK = 0.5
#: Most quarters of patenting history behind an initial patent stock (Firm.stationary_ip_stock; a
#: firm's own history is its age): 30 years, after which a patent keeps 4 % of its weight at the
#: catalogue's depreciation of 10 % a year.
IP_STOCK_HISTORY_QUARTERS = 120
#: Floor on a tax price relative to 2016, a numerical guard (a deduction so generous that tax
#: would pay 95 % of R&D is outside every lever's range).
MIN_RELATIVE_TAX_PRICE = 0.05


def by_kind(values: dict[int, float]) -> np.ndarray:
    """A lookup table over kinds (missing kinds and the spare dead-row entry read 0)."""
    table = np.zeros(len(KINDS) + 1)
    for kind, value in values.items():
        table[kind] = value
    return table


class Firm(RowAgent):
    """A firm doing (or hosting) research in Beijing."""

    COLUMNS = {
        "kind": (np.int8, -1),
        "field": (np.int16, -1),
        "zone": (np.int8, -1),
        "staff": (np.float64, 0.0),
        "staff_last_year": (np.float64, 0.0),
        "share": (np.float64, 0.0),
        "shock": (np.float32, 0.0),
        "rd_propensity": (np.float32, 0.0),
        "rd_effort": (np.float64, 1.0),
        "patent_propensity": (np.float32, 0.0),
        "post_draw": (np.float32, 0.0),
        "credit_draw": (np.float32, 0.0),
        "staff_test_draw": (np.float32, 0.0),
        "weight": (np.float64, 0.0),
        "revenue": (np.float64, 0.0),
        "rd_spend": (np.float64, 0.0),
        "rd_reported": (np.float64, 0.0),
        "cash": (np.float64, 0.0),
        "tax_loss": (np.float64, 0.0),
        "taxable": (np.bool_, True),
        "income_year": (np.float64, 0.0),
        "constrained": (np.bool_, False),
        "ip_waiting": (np.float64, 0.0),
        "ip_examining": (np.float64, 0.0),
        "ip_stock": (np.float32, 0.0),
        "patents_year": (np.float32, 0.0),
        "age": (np.int16, 0),
        "born": (np.int16, -1),
        "founded": (np.bool_, False),
        "loan": (np.float64, 0.0),
        "loan_quarters": (np.int16, 0),
        "cert_quarters": (np.int16, 0),
        "parent": (np.int32, -1),
    }

    @property
    def kind_name(self) -> str:
        return KINDS[self.kind]

    # -- masks and simple quantities ------------------------------------------------------------
    @staticmethod
    def domestic(pop: Population) -> np.ndarray:
        return IS_DOMESTIC[pop.cols["kind"]]

    @staticmethod
    def tax_rate(pop: Population, p: Parameters) -> np.ndarray:
        return np.where(pop.cols["kind"] == HTE, p.econ_hte_tax_rate, p.econ_tax_rate)

    @staticmethod
    def intensity_target(p: Parameters) -> np.ndarray:
        """R&D over revenue that a firm of each kind aims at under 2016 tax rules."""
        return by_kind({SME: p.firm_rd_intensity_domestic, HTE: p.firm_rd_intensity_domestic,
                        STARTUP: p.firm_rd_intensity_startup, MNC: p.firm_rd_intensity_multinational,
                        FOREIGN: p.firm_rd_intensity_foreign})

    @staticmethod
    def fixed_cost(pop: Population, p: Parameters, deflator: float) -> np.ndarray:
        """Yearly fixed operating cost (m yuan, nominal): rent, management, compliance."""
        return p.firm_fixed_cost_myuan * deflator * IS_DOMESTIC[pop.cols["kind"]]

    @staticmethod
    def buffer(pop: Population, p: Parameters, deflator: float) -> np.ndarray:
        """Cash a firm keeps before it spends on hiring or R&D (m yuan)."""
        return p.firm_cash_buffer_quarters * Firm.fixed_cost(pop, p, deflator) / 4.0

    # -- staffing ---------------------------------------------------------------------------------
    @staticmethod
    def hire_and_shed(pop: Population, p: Parameters, *, wanted: np.ndarray, hire_cost_myuan: float,
              deflator: float) -> np.ndarray:
        """Move staff towards ``wanted``: shed part of any excess, hire what cash allows.

        Returns the hiring spend this quarter (m yuan per row); marks ``constrained`` rows, those
        that could not afford the hires their demand called for.
        """
        c = pop.cols
        gap = wanted - c["staff"]
        shed = np.where(gap < 0, p.firm_downsizing_rate * gap, 0.0)
        want_hire = np.maximum(gap, 0.0)
        # Domestic firms pay hires from cash; foreign firms' parents fund them.
        spare = np.where(IS_DOMESTIC[c["kind"]], np.maximum(c["cash"] - Firm.buffer(pop, p, deflator), 0.0), np.inf)
        hires = np.minimum(want_hire, spare / hire_cost_myuan)
        c["constrained"] = want_hire > hires + 1e-9
        spend = np.where(IS_DOMESTIC[c["kind"]], hires * hire_cost_myuan, 0.0)
        c["staff"] = np.where(pop.alive, np.maximum(c["staff"] + shed + hires, 1.0), 0.0)
        c["cash"] -= spend
        return spend

    # -- R&D --------------------------------------------------------------------------------------
    @staticmethod
    def holds_patents(pop: Population) -> np.ndarray:
        """Firms holding at least one valid patent (the depreciating stock rounds to one or more)."""
        return pop.cols["ip_stock"] >= HELD_PATENT_STOCK

    @staticmethod
    def tax_price(pop: Population, p: Parameters, super_deduction: float) -> np.ndarray:
        """Each firm's tax price of R&D, ``1 - t (1 + d) v`` (see the module docstring)."""
        value = np.where(pop.cols["taxable"], 1.0, p.firm_loss_deduction_value)
        return 1.0 - Firm.tax_rate(pop, p) * (1.0 + super_deduction) * value

    @staticmethod
    def base_rd(pop: Population, p: Parameters, centre_budget_myuan: float, size_index: float = 1.0) -> np.ndarray:
        """Yearly R&D (m yuan, nominal) at effort one: intensity by kind, times the firm's own
        propensity (lognormal, mean one), times ``(staff / (10 x size_index))^-firm_rd_intensity_size_elasticity``,
        times revenue. A foreign R&D centre's base is the budget its parent gives it.

        The size effect is a cross-sectional regularity (larger firms spend less of their revenue
        on R&D than smaller firms of the same year), so size is read relative to the year's typical
        firm: ``size_index`` is domestic firms' mean staff over its 2016 value. Without it, firms
        growing together with demand would each cut their intensity, and business R&D would fall
        behind revenue by construction (0.0234 to 0.0214 of revenue over 2017-2021 at the
        posterior median before this was read relatively, where Beijing's R&D intensity rose)."""
        c = pop.cols
        kind = c["kind"]
        size = (np.maximum(c["staff"], 1.0) / (REFERENCE_STAFF * size_index)) ** (-p.firm_rd_intensity_size_elasticity)
        base = Firm.intensity_target(p)[kind] * c["rd_propensity"] * size * c["revenue"]
        return np.where(kind == RD_CENTRE, centre_budget_myuan * c["rd_propensity"], base) * pop.alive

    @staticmethod
    def effort_target(pop: Population, p: Parameters, super_deduction: float) -> np.ndarray:
        """R&D effort each firm aims at: its tax price relative to what the same firm faced under
        the 2016 deduction, to the power ``-firm_rd_price_elasticity``."""
        price = Firm.tax_price(pop, p, super_deduction) / Firm.tax_price(pop, p, _DEDUCTION_2016)
        return np.maximum(price, MIN_RELATIVE_TAX_PRICE) ** (-p.firm_rd_price_elasticity)

    @staticmethod
    def spend_on_rd(pop: Population, p: Parameters, *, super_deduction: float, centre_budget_myuan: float,
                    operating_myuan: np.ndarray, deflator: float, size_index: float = 1.0) -> None:
        """Effort closes part of its gap; R&D is effort times base, within what cash allows for
        domestic firms (``operating_myuan``, this quarter's result before R&D, may be spent)."""
        c = pop.cols
        c["rd_effort"] += p.firm_rd_adjustment * (Firm.effort_target(pop, p, super_deduction) - c["rd_effort"])
        desired = c["rd_effort"] * Firm.base_rd(pop, p, centre_budget_myuan, size_index)
        affordable = 4.0 * np.maximum(c["cash"] + operating_myuan - Firm.buffer(pop, p, deflator), 0.0)
        c["rd_spend"] = np.maximum(np.where(IS_DOMESTIC[c["kind"]], np.minimum(desired, affordable), desired), 0.0)

    @staticmethod
    def report_rd(pop: Population, p: Parameters, rules: CertificationRules = RULES_2016) -> None:
        """Reported R&D: real R&D, raised by relabelling other costs where a domestic firm's
        certification R&D (``firm_hte_rd_scope`` times reported) is within ``firm_relabel_margin``
        below its threshold, to just what reaches the threshold."""
        c = pop.cols
        floor = rules.threshold(c["revenue"]) * c["revenue"] / p.firm_hte_rd_scope
        near = IS_DOMESTIC[c["kind"]] & (c["rd_spend"] < floor) & (c["rd_spend"] >= (1.0 - p.firm_relabel_margin) * floor)
        c["rd_reported"] = np.where(near, floor, c["rd_spend"])

    @staticmethod
    def qualifies(pop: Population, p: Parameters, rules: CertificationRules = RULES_2016) -> np.ndarray:
        """Firms that meet ``rules``: a year old, certification R&D at the threshold and, under the
        2008 rules, passing the staff test (a fixed draw per firm).

        Both rules also ask for intellectual property of any kind: a patent (invention, utility
        model or design) or a software copyright. The model follows invention patents only; a
        software copyright is registered within weeks for a small fee, so a firm meeting the
        other tests holds or obtains some, and the IP test does not bind."""
        c = pop.cols
        revenue = np.maximum(c["revenue"], 1e-9)
        rd_ok = p.firm_hte_rd_scope * c["rd_reported"] >= rules.threshold(revenue) * revenue - 1e-9
        staff_ok = (c["staff_test_draw"] < p.firm_hte_2008_staff_share) if rules.staff_test else True
        return Firm.domestic(pop) & rd_ok & (c["age"] >= MIN_AGE_QUARTERS) & staff_ok

    @staticmethod
    def taxes(pop: Population, p: Parameters, *, operating_myuan: np.ndarray,
              super_deduction: float) -> tuple[np.ndarray, np.ndarray]:
        """This quarter's corporate tax and the tax forgone through the super-deduction (m yuan per row).

        Taxable income is the operating result less reported R&D times ``1 + d`` (relabelled costs
        are already among the operating costs, so only their extra deduction counts again), less
        losses carried forward. A loss adds to the carry-forward, which expires at
        ``1 / firm_loss_carryforward_years`` a year (the law's five-year limit, as a rate). Updates
        ``taxable`` and the year's taxable income so far, ``income_year`` (:meth:`settle_tax_year`).
        """
        c = pop.cols
        domestic = IS_DOMESTIC[c["kind"]]
        t = Firm.tax_rate(pop, p)
        c["tax_loss"] *= (1.0 - 1.0 / p.firm_loss_carryforward_years) ** 0.25
        base = operating_myuan - c["rd_spend"] / 4.0
        deduction = c["rd_reported"] * super_deduction / 4.0
        income = base - deduction - c["tax_loss"]
        tax = np.where(domestic, t * np.maximum(income, 0.0), 0.0)
        without = np.where(domestic, t * np.maximum(base - c["tax_loss"], 0.0), 0.0)
        c["tax_loss"] = np.where(domestic, np.maximum(-income, 0.0), 0.0)
        c["income_year"] += np.where(domestic, np.maximum(income, 0.0), 0.0)
        # Foreign firms' accounts are kept with their groups', which pay tax: they value the
        # deduction as taxpayers do.
        c["taxable"] = (income > 0) | ~domestic
        return tax, without - tax

    @staticmethod
    def pay_out(pop: Population, p: Parameters) -> np.ndarray:
        """Profitable established firms pay out cash above the target share of revenue (dividends come
        from profit; startups and loss-makers keep what they have); returns the payout (m yuan per row)."""
        c = pop.cols
        pays = IS_DOMESTIC[c["kind"]] & (c["kind"] != STARTUP) & c["taxable"]
        excess = np.where(pays, np.maximum(c["cash"] - p.firm_cash_target_share * c["revenue"], 0.0), 0.0)
        c["cash"] -= excess
        return excess

    # -- patents ------------------------------------------------------------------------------------
    @staticmethod
    def expected_patents(pop: Population, p: Parameters, research_cost_index: float) -> np.ndarray:
        """Invention patents filed this quarter, counted as the grants they will become: proportional
        to real R&D, times the firm's own propensity to patent (lognormal, mean one: patents per R&D
        yuan differ widely by field and firm), times ``firm_hte_patent_boost`` if certified."""
        c = pop.cols
        boost = np.where(c["kind"] == HTE, p.firm_hte_patent_boost, 1.0)
        return pop.alive * p.firm_patents_per_real_rd_myuan * boost * c["patent_propensity"] * c["rd_spend"] \
            / research_cost_index / 4.0

    @staticmethod
    def stationary_ip_stock(rng: np.random.Generator, p: Parameters, quarterly: np.ndarray, age_quarters: np.ndarray,
                            quarters: int = IP_STOCK_HISTORY_QUARTERS) -> np.ndarray:
        """Patent stocks as :meth:`record_patents` leaves them after each firm's history at the
        expected ``quarterly`` patents: each past quarter's Poisson count, depreciated since, over
        the firm's age (a young firm has had less time to patent), at most ``quarters``.

        Drawing the stock as a Poisson count with the stationary *mean* would overstate how many
        firms hold a patent: a single patent falls below the half a patent that counts as held
        (:meth:`holds_patents`) after about six and a half years at 10 % a year, not after the ten
        its mean life suggests. With that start, the share of firms holding patents, and with it
        certification, fell for years after 2016 as the stocks relaxed (docs/model.md, section 9).
        """
        # A Poisson count in each of a firm's h past quarters is a Poisson count over all of them,
        # each patent in a quarter drawn uniformly among the h: the same distribution, drawn at once.
        keep = (1.0 - p.firm_ip_depreciation) ** 0.25
        history = np.minimum(np.maximum(np.asarray(age_quarters, dtype=np.int64), 0), quarters)
        counts = rng.poisson(quarterly * history)
        owner = np.repeat(np.arange(counts.size), counts)
        quarters_ago = np.floor(rng.random(owner.size) * history[owner])
        stock = np.bincount(owner, weights=keep ** quarters_ago, minlength=counts.size)
        return stock.astype(np.float32)

    @staticmethod
    def record_patents(pop: Population, p: Parameters, patents: np.ndarray) -> None:
        c = pop.cols
        c["ip_stock"] *= np.float32((1.0 - p.firm_ip_depreciation) ** 0.25)
        c["ip_stock"] += patents
        c["patents_year"] += patents

    # -- certification and life cycle -----------------------------------------------------------------
    @staticmethod
    def certification(pop: Population, rng: np.random.Generator, p: Parameters,
                      rules: CertificationRules = RULES_2016, *,
                      recognition_round: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """A quarter of certification under ``rules``; returns the rows newly certified, renewed and
        lapsed.

        Every quarter certificates age and random audits withdraw some. In the year's recognition
        round (``recognition_round``, :data:`sim.policy.certification.RECOGNITION_QUARTER`),
        certificates that have run their term are renewed if the firm qualifies under the rules
        then in force and lapse if not, and qualifying uncertified firms apply, a share
        :func:`~sim.policy.certification.yearly_share` of them, and are certified; a firm that has
        just lost its certificate does not apply again in the same round. Certificates issued under
        earlier rules run to their end."""
        c = pop.cols
        kind = c["kind"]
        running = kind == HTE
        c["cert_quarters"][running & (c["cert_quarters"] > 0)] -= 1
        audited = running & (rng.random(pop.capacity) < p.firm_hte_disqualification_rate / 4.0)
        lapsing = audited
        new = renewed = np.empty(0, dtype=np.int64)
        if recognition_round:
            qualifies = Firm.qualifies(pop, p, rules)
            due = running & ~audited & (c["cert_quarters"] <= 0)
            renewed = np.flatnonzero(due & qualifies)
            lapsing = audited | (due & ~qualifies)
            # applicants are the firms uncertified as the round opens: one losing its certificate
            # in this round does not apply again in it
            new = np.flatnonzero(pop.alive & ((kind == SME) | (kind == STARTUP)) & qualifies
                                 & (rng.random(pop.capacity) < yearly_share(p.firm_hte_apply_rate)))
            validity = int(round(4 * p.firm_hte_validity_years))
            c["cert_quarters"][renewed] = validity
            c["cert_quarters"][new] = validity
            kind[new] = HTE
        lapsed = np.flatnonzero(lapsing)
        kind[lapsed] = np.where(c["age"][lapsed] < 4 * p.firm_startup_years, STARTUP, SME)
        matured = pop.alive & (kind == STARTUP) & (c["age"] >= 4 * p.firm_startup_years)
        kind[matured] = SME
        return new, renewed, lapsed

    @staticmethod
    def settle_tax_year(pop: Population, p: Parameters, gained: np.ndarray, lost: np.ndarray) -> np.ndarray:
        """The certified rate holds for whole tax years (State Taxation Administration announcement
        2017 No. 24, articles 1 and 2): a firm certified in the year's round is taxed at
        ``econ_hte_tax_rate`` from the year on its certificate, so it is refunded the difference on
        the year's taxable income so far; a firm whose certificate lapses at renewal (it paid at the
        certified rate in the year of expiry, pending renewal) or is withdrawn at an audit pays the
        difference back on the year's income so far. Adds the settlement to cash and returns it
        (m yuan per row; positive to the firm)."""
        c = pop.cols
        gap = p.econ_tax_rate - p.econ_hte_tax_rate
        out = np.zeros(pop.capacity)
        out[gained] = gap * c["income_year"][gained]
        out[lost] = -gap * c["income_year"][lost]
        c["cash"] += out
        return out

    @staticmethod
    def new_tax_year(pop: Population) -> None:
        """Start a tax year: no taxable income yet."""
        pop.cols["income_year"][:] = 0.0

    @staticmethod
    def grow_older(pop: Population) -> None:
        pop.cols["age"][pop.alive] += 1

    @staticmethod
    def closures(pop: Population, rng: np.random.Generator, p: Parameters) -> np.ndarray:
        """Domestic firms closing this quarter for reasons outside the model."""
        return np.flatnonzero(Firm.domestic(pop) & (rng.random(pop.capacity) < p.firm_closure_rate / 4.0))

    @staticmethod
    def out_of_cash(pop: Population) -> np.ndarray:
        return np.flatnonzero(Firm.domestic(pop) & (pop.cols["cash"] < 0.0))

    # -- finance -------------------------------------------------------------------------------------
    @staticmethod
    def loan_seekers(pop: Population, rng: np.random.Generator, p: Parameters) -> np.ndarray:
        """Domestic firms short of cash for the hires they want, with a patent to pledge and no
        loan outstanding, that ask a bank for an IP-pledge loan this quarter."""
        c = pop.cols
        seeking = Firm.domestic(pop) & c["constrained"] & Firm.holds_patents(pop) & (c["loan"] <= 0) \
            & (rng.random(pop.capacity) < p.loan_demand_rate)
        return np.flatnonzero(seeking)

    @staticmethod
    def fund_candidates(pop: Population, rng: np.random.Generator, p: Parameters) -> tuple[np.ndarray, np.ndarray]:
        """Young domestic firms with patents, and the fund's view of their promise
        (patents per head, blurred by due-diligence noise)."""
        c = pop.cols
        young = Firm.domestic(pop) & (c["age"] < 4 * p.fund_max_age_years) & Firm.holds_patents(pop)
        rows = np.flatnonzero(young)
        noise = np.exp(rng.standard_normal(rows.size) * p.fund_screening_noise)
        promise = c["ip_stock"][rows] / c["staff"][rows] ** float(p.fund_screen_size_exponent) * noise
        return rows, promise
