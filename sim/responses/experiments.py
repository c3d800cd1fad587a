"""The catalogue of one-lever experiments and the ranges the evidence gives for their effects.

Each :class:`Experiment` changes one lever or exogenous input of the baseline scenario from
1 January 2026 on (a new value, an addition or a factor applied to the baseline's schedule) and
names the outcomes it is checked on. Each :class:`Outcome` gives, for the three reading years,
the range of the effect (percentage difference from the baseline, paired by seed) that
``../shared/brief/EVIDENCE.md`` supports, and the source: a section and study, ``[derived]``
for arithmetic on them, or ``reasoning: ...`` where no study gives a size.

**Timing convention.** The change starts on 1 January 2026 = year 1; effects are read in year
2 (2027), year 5 (2030) and year 9 (2034), on the yearly indicators (flows summed over the year,
stocks at its end).

**Elasticity.** Percent change in the outcome per percent change in: the lever's value in 2026
(``per="lever"``); the tax price of R&D of a firm paying the full 25 % rate
(``per="tax_price"``, the super-deduction); a foreign scientist's net pay (``per="net_pay"``,
settlement support); or, for growth rates, the level the rate drives in the reading year
(``per="level"``: GDP, prices and rivals step once a year on 1 January, so one point more growth
a year raises the level in year k by k steps, about k %; ``per="level_quarterly"`` for the world's
talent pool, which compounds every quarter, averaged over the reading year: about k - 0.4 %).
An experiment may move companion levers with its own (``also``), where the lever cannot act
alone as the experiment means it to (settlement support with the budget that pays for it). A range may be given directly in percent (``ranges``)
or as elasticity bounds (``elasticity``), from which the percent range follows for each reading
year.

Policy levers have hand-written experiments (:data:`POLICY`). Exogenous inputs are read from
:data:`sim.levers.EXOGENOUS` at run time and matched to a reasoned default by what they are
(:data:`EXOGENOUS_RULES`), so an input the model adds is covered if it fits a rule;
:func:`uncovered` lists any catalogue entry without an experiment (a test fails on it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Literal, Mapping

import numpy as np

from sim import levers as catalogue
from sim.calendar import START_YEAR

CHANGE_YEAR = 2026
#: Reading years as year indices, counting the change year as year 1.
HORIZONS: tuple[int, ...] = (2, 5, 9)
#: Corporate income tax rate of a full-rate taxpayer (EVIDENCE.md s.1 check).
FULL_TAX_RATE = 0.25
#: Net pay of a foreign scientist in Beijing, thousand yuan a year: an assumption (about 55,000
#: US dollars after tax for a mid-career scientist); EVIDENCE.md gives no figure.
FOREIGN_NET_PAY_KYUAN = 400.0
Range = tuple[float, float]
INF = math.inf


def reading_year(k: int) -> int:
    """Calendar year of year index ``k`` (2026 is year 1)."""
    return CHANGE_YEAR + k - 1


def first_quarter() -> int:
    """Index of 2026 Q1 in a quarterly schedule starting 2016 Q1."""
    return 4 * (CHANGE_YEAR - START_YEAR)


@dataclass(frozen=True)
class Outcome:
    """One outcome of an experiment and its evidence range at years 2, 5 and 9."""

    indicator: str
    source: str
    ranges: tuple[Range, Range, Range] | None = None     # percent effect at each horizon
    elasticity: Range | tuple[Range, Range, Range] | None = None    # or: elasticity bounds (one, or per horizon)

    def bounds(self, k: int, lever_change_pct: float) -> Range:
        """The percent range at horizon ``k`` (2, 5 or 9) for a lever change of ``lever_change_pct``."""
        if self.ranges is not None:
            return self.ranges[HORIZONS.index(k)]
        elasticity = self.elasticity[HORIZONS.index(k)] if isinstance(self.elasticity[0], tuple) else self.elasticity
        lo, hi = (e * lever_change_pct for e in elasticity)
        return (min(lo, hi), max(lo, hi))


def same(low: float, high: float) -> tuple[Range, Range, Range]:
    """The same percent range at every horizon."""
    return ((low, high),) * 3


@dataclass(frozen=True)
class Experiment:
    """Change ``lever`` from 2026 on: ``set`` to ``amount``, ``add`` it, or multiply by it (``times``)."""

    lever: str
    how: Literal["set", "add", "times"]
    amount: float
    outcomes: tuple[Outcome, ...]
    per: Literal["lever", "tax_price", "level", "level_quarterly", "net_pay"] = "lever"
    note: str = ""
    also: tuple[tuple[str, Literal["set", "add", "times"], float], ...] = ()

    @property
    def name(self) -> str:
        return self.lever

    def apply(self, schedules: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
        """A copy of quarterly ``schedules`` with this change from 2026 Q1 on."""
        out = {k: np.array(v, dtype=float, copy=True) for k, v in schedules.items()}
        start = first_quarter()
        for name, how, amount in ((self.lever, self.how, self.amount), *self.also):
            if name not in out:
                continue
            q = out[name]
            if how == "set":
                q[start:] = amount
            elif how == "add":
                q[start:] += amount
            else:
                q[start:] *= amount
            lever = catalogue.BY_NAME[name]
            np.clip(q, lever.low, lever.high, out=q)
        return out

    def describe(self, schedules: Mapping[str, np.ndarray]) -> str:
        """The change in words, e.g. ``1 -> 1.25`` or ``32 -> 35.2 (x1.1)``."""
        old = float(schedules[self.lever][first_quarter()])
        new = float(self.apply({self.lever: schedules[self.lever]})[self.lever][first_quarter()])
        how = {"set": "", "add": f" ({self.amount:+g})", "times": f" (x{self.amount:g})"}[self.how]
        return f"{old:g} -> {new:g}{how} from 2026"

    def lever_change_pct(self, schedules: Mapping[str, np.ndarray], k: int) -> float:
        """The denominator of the elasticity at horizon ``k``, in percent (see the module docstring)."""
        start = first_quarter()
        base = np.asarray(schedules[self.lever], dtype=float)
        new = self.apply({self.lever: base})[self.lever]
        if self.per == "tax_price":
            price = lambda s: 1.0 - FULL_TAX_RATE * (1.0 + s)     # after-tax cost of one yuan of R&D
            return 100.0 * (price(new[start]) / price(base[start]) - 1.0)
        if self.per == "level":            # one step a year, by the year's mean rate
            yearly = [(1.0 + new[start + 4 * y:start + 4 * y + 4].mean()) / (1.0 + base[start + 4 * y:start + 4 * y + 4].mean())
                      for y in range(k)]
            return 100.0 * (float(np.prod(yearly)) - 1.0)
        if self.per == "level_quarterly":
            cum = np.cumprod(((1.0 + new[start:]) / (1.0 + base[start:])) ** 0.25)
            return 100.0 * (float(np.mean(cum[4 * (k - 1):4 * k])) - 1.0)     # mean over the reading year
        if self.per == "net_pay":
            return 100.0 * (new[start] - base[start]) / FOREIGN_NET_PAY_KYUAN
        return 100.0 * (new[start] / base[start] - 1.0) if base[start] != 0 else math.nan

    def elasticity_unit(self) -> str:
        return {"lever": f"% outcome per % {self.lever}",
                "tax_price": "% outcome per % tax price of R&D (full-rate taxpayer, 25 %)",
                "level": f"% outcome per % level driven by {self.lever}",
                "level_quarterly": f"% outcome per % level driven by {self.lever}",
                "net_pay": "% outcome per % of a foreign scientist's net pay (support added)"}[self.per]


S1 = "EVIDENCE.md s.1"
SUPER_DEDUCTION = Experiment(
    "rd_super_deduction_rate", "set", 1.25, per="tax_price",
    note="tax price of R&D for a 25 % taxpayer 1-0.25x2 = 0.5 -> 0.4375 (-12.5 %) [derived]; 15 %: -5.4 %; loss-maker: 0",
    outcomes=(
        Outcome("rd_business_bn_yuan", ranges=((0.1, 5.0), (0.5, 12.5), (1.0, 15.0)), source=(
            f"{S1}: Bloom, Griffith & Van Reenen 2002 (10 % lower user cost: ~1 % short run, just under 10 % "
            "long run); Jia & Ma 2017 (short-run elasticity ~0.4): year 2 at most 0.4 x 12.5 % = 5 %, single "
            "digits; long run 10-15 % for full-rate taxpayers, about half for high-tech firms, zero for "
            "loss-makers (Agrawal, Rosell & Simcoe 2020), so the aggregate lies below 15 % [derived]; "
            "lower bounds: the direction (more R&D) and a response that grows with time")),
        Outcome("rd_expenditure_bn_yuan", ranges=((0.0, 5.0), (0.1, 12.5), (0.2, 15.0)), source=(
            f"[derived] from {S1}: total R&D = business + academic; academic funding does not respond to the "
            "deduction, so the total moves in the same direction by less than business R&D")),
        Outcome("firms", ranges=same(-3.0, 3.0), source=(
            f"{S1} check: a more generous deduction should never kill firms; issue 9: firms change by less than 3 %")),
    ))

S2 = "EVIDENCE.md s.2"
GRANTS = Experiment(
    "research_grants_bn_yuan", "times", 1.1, outcomes=(
        Outcome("papers", ranges=((0.0, 5.0), (0.1, 5.0), (0.1, 5.0)), source=(
            f"{S2}: Jacob & Lefgren 2011 (+7 % per grant over five years), PLOS ONE 2014 meta (+1.23 papers), "
            "Zhi & Meng 2016 (diminishing returns): a grant raises its holder's output 5-15 %, not in proportion; "
            "aggregate elasticity well below one (at most 0.5: +5 % for +10 %); more grants more papers, "
            "with publication lags (year 2 may be nil)")),
    ))

BASIC_SHARE = Experiment(
    "basic_research_share", "add", 0.1, outcomes=(
        Outcome("papers", ranges=((0.0, 5.0), (0.0, 5.0), (0.0, 5.0)), source=(
            f"reasoning on {S2}: basic money +22 % moves papers up by less than the grant elasticity bound "
            "(0.5) times the shift, at most +5 %; never down")),
        Outcome("patents", ranges=same(-5.0, 0.5), source=(
            f"reasoning on {S2} (Payne & Siow 2003: 0.2 patents per million dollars to universities): most "
            "patents come from firms, so less applied money lowers patents by a few percent at most; not up "
            "(0.5 % allowance for sampling noise)")),
    ))

S5 = "EVIDENCE.md s.5"
VISA = Experiment(
    "visa_processing_days", "times", 0.5, outcomes=(
        Outcome("foreign_arrivals", ranges=same(0.0, 10.0), source=(
            f"{S5} check: faster processing raises arrivals modestly and never lowers them (Doran, Gelber & Isen "
            "2022; the census: procedure speed is not what drives the stock); upper bound 10 % (reasoning: below "
            "the 10-20 % of a 10 % net-pay rise)")),
        Outcome("foreign_talent", ranges=same(0.0, 10.0), source=f"{S5} check: never lowers the stock; modest (as above)"),
    ))

SUPPORT = Experiment(
    "talent_settlement_support_kyuan", "add", 0.1 * FOREIGN_NET_PAY_KYUAN, per="net_pay",
    note=f"+10 % of a foreign scientist's net pay (assumed {FOREIGN_NET_PAY_KYUAN:g} thousand yuan a year), "
         "with the settlement budget raised in proportion (60 -> 100 thousand yuan in the baseline), so that as "
         "many can be helped: the evidence is about pay that reaches people",
    also=(("settlement_budget_bn_yuan", "times", (60.0 + 0.1 * FOREIGN_NET_PAY_KYUAN) / 60.0),),
    outcomes=(
        Outcome("foreign_arrivals", ranges=((0.0, 20.0), (0.0, 20.0), (0.0, 20.0)), source=(
            f"{S5}: Kleven, Landais, Saez & Schultz 2014 (elasticity 1.5-2), Akcigit, Baslandze & Stantcheva "
            "2016 (~1): a 10 % rise in net pay or support raises inflow 10-20 % over several years; scaled by "
            "the share of arrivals who receive support (0 to 1), so 0-20 %")),
        Outcome("foreign_talent", ranges=same(0.0, 20.0), source=f"{S5} (as above; the stock follows the inflow)"),
    ))

AMENITIES = Experiment(
    "international_amenities", "times", 1.1, outcomes=(
        Outcome("foreign_arrivals", ranges=same(0.0, 20.0), source=(
            "reasoning: EVIDENCE.md s.7 has no causal estimate; surveys name schooling and family among reasons "
            "to come and stay (direction up); upper bound: no more than a 10 % net-pay rise (s.5: 10-20 %)")),
        Outcome("foreign_talent", ranges=same(0.0, 20.0), source="reasoning: s.7 direction, s.5 bound (as above)"),
    ))

FOREIGN_LED = Experiment(
    "foreign_led_projects", "add", 0.1, outcomes=(
        Outcome("foreign_arrivals", ranges=same(0.0, 10.0), source=(
            "reasoning: the right to lead projects is a non-pecuniary benefit to the few who would lead; "
            "direction up, bound below a 10 % net-pay rise for all (s.5: 10-20 %), taken as 10 %")),
        Outcome("foreign_talent", ranges=same(0.0, 10.0), source="reasoning (as above)"),
    ))

S8 = "EVIDENCE.md s.8"
SME_RELIEF = Experiment(
    "sme_tax_relief_bn_yuan", "times", 1.2, outcomes=(
        Outcome("sme_employment", ranges=((0.0, 3.0), (0.1, 3.0), (0.1, 3.0)), source=(
            f"{S8}: Quebec reform, treated small firms' employment +1.8 %, capital +4.4 %; relief raises small "
            "firms' employment by a few percent at most, not zero (a 20 % larger relief budget is not a larger "
            "reform than Quebec's)")),
        Outcome("rd_business_bn_yuan", ranges=same(-1.0, 1.0), source=f"{S8}: China, no R&D gain: not a large R&D lever"),
        Outcome("firms", ranges=same(-2.0, 2.0), source=f"{S8}: little new-firm entry; survival unchanged when regional tax rates fall"),
    ))

S3 = "EVIDENCE.md s.3"
GUARANTEE = Experiment(
    "ip_pledge_loan_guarantee_share", "set", 0.5, outcomes=(
        Outcome("ip_pledge_loans_bn_yuan", ranges=((5.0, 75.0), (5.0, 100.0), (5.0, 100.0)), source=(
            f"{S3} check: a higher guarantee raises pledge lending substantially (lower bound 5 %); national "
            "pledge financing grew 40-75 % a year under the strongest policy push, of which the guarantee is a "
            "part: at most 75 % in year 2 and about double later [derived]")),
        Outcome("startups_founded", ranges=same(-2.0, 2.0), source=(
            f"{S3}: loan guarantees leave the number of firms created unchanged (Lelarge, Sraer & Thesmar; "
            "Brown & Earle 2017): hardly at all")),
        Outcome("ip_pledge_defaults_bn_yuan", ranges=((0.0, 150.0), (0.0, 200.0), (0.0, 200.0)), source=(
            f"{S3}: defaults rise (Lelarge, Sraer & Thesmar: more defaults among guaranteed borrowers); lending "
            "rises and banks take riskier borrowers, so defaults rise at most about twice as fast as lending "
            "[derived from the lending range]")),
        Outcome("firm_failures", ranges=same(-10.0, 10.0), source=(
            f"{S3}: borrowers survive a little more often, but defaults rise (Brown & Earle 2017; Lelarge et al.): "
            "the net change in failures is small either way (reasoning)")),
    ))

S4 = "EVIDENCE.md s.4"
FUND = Experiment(
    "innovation_fund_bn_yuan", "times", 2.0, outcomes=(
        Outcome("venture_finance_bn_yuan", ranges=same(75.0, 125.0), source=(
            f"{S4}: about 0.9 yuan of private money per fund yuan, about two yuan in all per fund yuan; doubling "
            "the fund doubles venture finance if the ratio holds: +100 %, 1.5-2.5 yuan per extra yuan against "
            "about 2 in the base gives 75-125 % [derived]")),
        Outcome("startups_founded", ranges=((-5.0, 10.0), (-5.0, 5.0), (-5.0, 5.0)), source=(
            f"{S4}: effects on new-firm formation ambiguous (one study fewer, one more, fading); innovation "
            "effects last about three years (Yang, Ma & Lu 2022): little or no lasting rise")),
    ))

LABS = Experiment(
    "national_labs", "add", 2.0, outcomes=(
        Outcome("papers", ranges=same(0.0, 5.0), source=(
            "reasoning: two more large organisations with a few thousand researchers against Beijing's ~400,000 "
            "add about 1 % of researchers plus better equipment; with s.2's elasticity below one, papers rise "
            "by at most 5 %; never down")),
        Outcome("foreign_talent", ranges=same(0.0, 5.0), source="reasoning: lab quality is one term among many in the choice (s.5, s.7); at most 5 %"),
    ))

EDUCATION = Experiment(
    "engineering_education_index", "times", 1.2, outcomes=(
        Outcome("researchers", ranges=((0.0, 1.2), (0.0, 3.0), (0.0, 5.4)), source=(
            "reasoning (issue 9): when posts are unchanged more graduates raise researchers clearly less than "
            "one for one; one for one, 20 % more of an entry of about 6 % of the stock a year would add about "
            "1.2 % a year (2.4 / 6 / 10.8 % at years 2 / 5 / 9); the bound is half of that")),
        Outcome("researcher_entrants", elasticity=(0.0, 0.5), source=(
            "reasoning (issue 9): posts bind, so entrants rise by clearly less than graduates (elasticity at most 0.5)")),
    ))

PR_YEARS = Experiment(
    "pr_min_years", "set", 2.0, outcomes=(
        Outcome("permanent_residence_grants", ranges=((0.0, 100.0), (0.0, 40.0), (0.0, 40.0)), source=(
            f"{S5}: China's 2018 streamlining raised approvals about sixfold within months [derived], a burst "
            "that a step brings in its first year (year 1, not read). Reasoning: eligibility a year earlier "
            "raises the steady yearly flow by the share of a cohort that would have left in that year, of "
            "the order of foreign scientists' yearly departure rate (10-25 %, calibration/priors.yaml): grants "
            "up by at most 40 % at years 5 and 9; at year 2 the released cohorts may still be applying, at "
            "most a doubling")),
        Outcome("foreign_talent", ranges=same(0.0, 5.0), source=(
            f"{S5}: procedure speed is not what drives the stock (census 2020: 41 % fewer foreigners than 2010); "
            "offers of permanent residence attract less than points systems (Czaika & Parsons 2017): at most 5 %")),
    ))

IMMIGRATION_BUDGET = Experiment(
    "immigration_budget_myuan", "times", 1.5, outcomes=(
        Outcome("foreign_arrivals", ranges=same(0.0, 10.0), source=(
            f"reasoning on {S5}: a larger processing budget only clears cases a binding budget would leave "
            "waiting; never lowers arrivals; at most the modest effect of faster processing (10 %)")),
        Outcome("foreign_talent", ranges=same(0.0, 10.0), source="reasoning (as above)"),
    ))

SETTLEMENT_BUDGET = Experiment(
    "settlement_budget_bn_yuan", "times", 1.5, outcomes=(
        Outcome("foreign_scientists_settled_cum", ranges=same(0.0, 50.0), source=(
            "reasoning: 50 % more budget helps at most 50 % more scientists (nil if the budget does not bind)")),
        Outcome("foreign_arrivals", ranges=same(0.0, 10.0), source=(
            f"reasoning on {S5}: support of 60 thousand yuan is about 15 % of net pay; the newly helped are a "
            "minority of arrivals, so at most 10 %")),
    ))

IP_BUDGET = Experiment(
    "ip_guarantee_budget_bn_yuan", "times", 1.5, outcomes=(
        Outcome("ip_pledge_loans_bn_yuan", ranges=same(0.0, 50.0), source=(
            f"reasoning on {S3}: beyond the budget banks bear the loss; a 50 % larger budget raises lending by at "
            "most 50 % (nil if it does not bind)")),
        Outcome("startups_founded", ranges=same(-2.0, 2.0), source=f"{S3}: guarantees leave the number of new firms hardly changed"),
    ))

#: Hand-written experiments, one per policy lever of the catalogue.
POLICY: dict[str, Experiment] = {e.lever: e for e in (
    SUPER_DEDUCTION, GRANTS, BASIC_SHARE, VISA, SUPPORT, AMENITIES, FOREIGN_LED, SME_RELIEF, GUARANTEE, FUND,
    LABS, EDUCATION, PR_YEARS, IMMIGRATION_BUDGET, SETTLEMENT_BUDGET, IP_BUDGET)}


S6 = "EVIDENCE.md s.6"


def _pressure(name: str) -> Experiment:
    return Experiment(name, "add", 0.2, note="+0.2 is 40 % of the 2016-2022 rise (0.1 -> 0.6) in the baseline", outcomes=(
        Outcome("foreign_arrivals", ranges=same(-40.0, -1.0), source=(
            f"{S6}: departures of Chinese-origin scientists from the US +75 % after 2018 (Xie, Lin et al. 2023); "
            "ethnically Chinese students 15 % less likely to enter a US PhD (Flynn, Glennon et al. 2024): down by "
            "percents to a few tens of percents")),
        Outcome("intl_coauthored_papers", ranges=same(-30.0, -0.5), source=(
            f"{S6}: US-China dual affiliations -20 % 2019-2022; co-authored share -7 % (relative) 2018-2023; "
            "exposed scientists lost 2-6 % of output: down by percents to a few tens of percents")),
        Outcome("foreign_talent", ranges=same(-30.0, -0.1), source=f"{S6} check: rising pressure lowers foreign arrivals, so the stock"),
        Outcome("multinational_corporations", ranges=same(-30.0, -0.1), source=(
            f"{S6}: FDI into China -82 % in 2023 (also Covid, interest rates); 43 % of US firms planned to limit "
            "investment: multinational entry down")),
    ))


def _growth(outcomes: Callable[[str], tuple[Outcome, ...]], note: str,
            per: Literal["level", "level_quarterly"] = "level") -> Callable[[str], Experiment]:
    return lambda name: Experiment(name, "add", 0.01, per=per, note=note, outcomes=outcomes(name))


_gdp = _growth(lambda name: (
    Outcome("gdp_bn_yuan", elasticity=(0.9, 1.1), source="reasoning: GDP follows its own growth rate (an identity, up to timing)"),
    Outcome("rd_business_bn_yuan", elasticity=(0.5, 1.5), source=(
        "reasoning: business R&D intensity moves slowly, so firms' R&D rises roughly in proportion to output")),
    Outcome("rd_expenditure_bn_yuan", elasticity=(0.25, 1.5), source=(
        "reasoning: business R&D in proportion to output; institutional funding follows GDP with a lag")),
), "+1 point of real growth a year from 2026: the level is about k % higher after k years")

_deflator = _growth(lambda name: (
    Outcome("papers", ranges=same(-5.0, 0.5), source=(
        "reasoning: faster price growth with nominal budgets fixed buys fewer real inputs: papers not up")),
), "+1 point of price growth a year from 2026")

_talent_pool = _growth(lambda name: (
    Outcome("foreign_arrivals", elasticity=(0.5, 1.5), source=(
        "reasoning: with Beijing's share of the mobile pool unchanged, arrivals scale with the pool (elasticity 1); "
        "rival destinations and processing capacity can damp or amplify it")),
    Outcome("foreign_talent", elasticity=(0.0, 1.5), source="reasoning: the stock follows arrivals with a lag"),
), "+1 point of growth a year of the world's mobile scientists from 2026", per="level_quarterly")

_rivals = _growth(lambda name: (
    Outcome("cluster_position", ranges=same(0.0, 15.0), source=(
        "reasoning: a rival that grows faster can only push Beijing's position down (a larger number) or leave "
        "it where it is, when the rival is far above or below; the score of a year is on the five years before "
        "it, so the effect comes late; at most a place in about seven")),
    Outcome("papers", ranges=same(-1.0, 1.0), source="reasoning: rivals' output does not enter Beijing's production of papers"),
), "+1 point of growth a year of the rival clusters from 2026")


def _examination(name: str) -> Experiment:
    return Experiment(name, "add", -3.0, note="3 months faster examination of invention patents from 2026", outcomes=(
        Outcome("patents", ranges=((0.0, 15.0), (-3.0, 5.0), (-3.0, 3.0)), source=(
            "[derived] on sim.world.patent_office: a faster office grants its queue sooner but makes no more "
            "patents, so grants rise for a while by at most the 3 months of filings brought forward (25 % of a "
            "year's grants, spread over the first two years or so) and return to the filings after; never "
            "below them by more than sampling noise")),
        Outcome("papers", ranges=same(-1.0, 1.0), source="reasoning: the patent office does not enter the production of papers"),
    ))


#: Reasoned default experiments for exogenous inputs, matched by name (first rule that fits).
EXOGENOUS_RULES: tuple[tuple[Callable[[str], bool], Callable[[str], Experiment]], ...] = (
    (lambda n: "pressure" in n, _pressure),
    (lambda n: "deflator" in n or "price" in n, _deflator),
    (lambda n: "gdp" in n and "growth" in n, _gdp),
    (lambda n: "talent" in n and "growth" in n, _talent_pool),
    (lambda n: ("competitor" in n or "rival" in n) and "growth" in n, _rivals),
    (lambda n: "examination" in n, _examination),
)


def exogenous_experiment(name: str) -> Experiment | None:
    for fits, make in EXOGENOUS_RULES:
        if fits(name):
            return make(name)
    return None


def experiments() -> tuple[Experiment, ...]:
    """One experiment per catalogue entry that has one, in catalogue order."""
    out = []
    for lever in catalogue.LEVERS:
        e = POLICY.get(lever.name) if lever.kind == "lever" else exogenous_experiment(lever.name)
        if e is not None:
            out.append(e)
    return tuple(out)


def uncovered() -> tuple[str, ...]:
    """Catalogue entries (levers and exogenous inputs) without an experiment."""
    covered = {e.lever for e in experiments()}
    return tuple(l.name for l in catalogue.LEVERS if l.name not in covered)
