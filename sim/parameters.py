"""Every behavioural parameter of the model, in one place.

Each :class:`Parameter` has a name, a default, a unit, a plausible range (used to validate
scenario overrides and, later, as the bounds of calibration priors) and the origin of its
default: a documented figure (labels as in ``documented_figures.csv``), a cited study, or the
reasoning behind an assumption. Rules of behaviour read parameters from a :class:`Parameters`
object passed to them; nothing in the model hides a number of its own.

Group prefixes: ``init_`` initial populations (2016); ``econ_`` the economy and costs;
``firm_`` firms; ``res_`` researchers; ``ft_`` foreign talent; ``grant_`` grant calls;
``loan_`` IP-pledge lending; ``fund_`` the innovation fund; ``mnc_`` multinationals and foreign
companies; ``cluster_`` the world ranking.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Mapping


@dataclass(frozen=True)
class Parameter:
    """A named behavioural parameter."""

    name: str
    default: float
    unit: str
    low: float
    high: float
    source: str


P = Parameter
SPECS: tuple[Parameter, ...] = (
    # --- initial populations, 2016 ------------------------------------------------------------
    P("init_researchers", 330_000, "persons", 200_000, 450_000,
      "357,000 researchers in 2019 (doc-2020-12) taken back to 2016 at 2.6 %/year, the growth of "
      "Beijing's R&D personnel over 2016-2019 reported by the city's statistical yearbooks."),
    P("init_share_in_firms", 0.45, "share", 0.2, 0.7,
      "Business enterprises employ a little under half of Beijing's R&D personnel; research "
      "institutes (many central) and universities the rest (statistical yearbooks)."),
    P("init_share_in_institutes", 0.33, "share", 0.1, 0.6,
      "Research institutes' share of R&D personnel; universities take the remainder."),
    P("init_foreign_talent", 20_000, "persons", 5_000, 60_000,
      "Assumption: about 35,000 foreigners held Beijing work permits around 2017, of whom we take "
      "a little under 60 % to work in science, engineering and R&D."),
    P("init_foreign_pr_share", 0.05, "share", 0, 0.3,
      "Assumption: permanent residents are few among foreign scientists before the 2016 reforms."),
    P("init_foreign_residence_share", 0.30, "share", 0, 0.8,
      "Assumption: foreign staff past their first year hold residence permits."),
    P("init_high_tech_enterprises", 20_000, "firms", 10_000, 30_000,
      "Nearly 30,000 state-level high-tech enterprises in 2020 (doc-2021-01), taken back to 2016 at "
      "the roughly 10 %/year growth in certified firms reported for 2016-2020."),
    P("init_smes", 22_000, "firms", 5_000, 60_000,
      "Assumption: uncertified technology SMEs about as numerous as certified ones."),
    P("init_startups", 8_000, "firms", 1_000, 30_000,
      "Assumption: three cohorts of technology startups (a startup is a firm under three years old)."),
    P("init_multinationals", 150, "firms", 50, 300,
      "183 multinationals with headquarters or partners in Beijing in 2020 (doc-2020-12), growing "
      "by about ten a year before then."),
    P("init_foreign_companies", 3_150, "organisations", 1_000, 6_000,
      "Nearly 4,000 foreign companies and research institutions in 2020 (doc-2020-12), less the "
      "foreign R&D centres, taken back to 2016."),
    P("init_foreign_rd_centres", 300, "centres", 50, 1_000,
      "Assumption: a few hundred foreign R&D centres, mostly in Zhongguancun."),
    P("init_zgc_share_foreign", 0.25, "share", 0.1, 0.6,
      "Nearly 1,000 of about 4,000 foreign companies are in Zhongguancun (doc-2020-12)."),
    P("init_universities", 90, "institutions", 50, 150, "Over 90 universities in Beijing in 2020 (doc-2021-01); few were founded since 2016."),
    P("init_institutes", 1_000, "institutions", 500, 1_500, "About 1,000 research institutes (doc-2021-01)."),
    P("init_state_key_labs", 128, "labs", 50, 200, "Around 128 state key laboratories (doc-2021-01)."),
    # --- economy and costs -------------------------------------------------------------------
    P("econ_gdp_2016_bn_yuan", 2_704, "bn yuan", 2000, 3500,
      "Beijing's GDP in 2016 (about 2.7 trillion yuan) as revised after the fourth economic census."),
    P("econ_institutional_rd_share", 0.021, "share of GDP", 0.01, 0.05,
      "Block (non-competitive) funding of R&D in universities and institutes: Beijing's R&D was "
      "about 6 % of GDP in 2019 (doc-2020-12), a little over half of it outside business."),
    P("econ_cost_per_researcher_myuan", 0.45, "m yuan/researcher/year", 0.3, 1.2,
      "R&D spending per researcher in 2016: Beijing's R&D expenditure (about 148 bn yuan) divided by "
      "its researchers (about 330,000)."),
    P("econ_cost_growth", 0.055, "per year", 0, 0.12,
      "Growth of the cost of a researcher-year (pay and equipment); slightly below nominal GDP "
      "growth, so the research workforce grows a few percent a year as observed."),
    P("econ_revenue_per_employee_myuan", 1.2, "m yuan/employee/year", 0.3, 3,
      "Revenue per employee of Beijing's technology firms (Zhongguancun statistics, order of magnitude)."),
    P("econ_gross_margin", 0.12, "share of revenue", 0.02, 0.3,
      "Operating profit before R&D as a share of revenue for technology firms (assumption)."),
    P("econ_tax_rate", 0.25, "share", 0.1, 0.4, "Standard corporate income tax rate (law)."),
    P("econ_hte_tax_rate", 0.15, "share", 0.05, 0.25, "Reduced rate for certified high-tech enterprises (law)."),
    # --- firms --------------------------------------------------------------------------------
    P("firm_rd_price_elasticity", 1.0, "elasticity", 0.2, 2.0,
      "Long-run elasticity of R&D to its user cost, near 1 (Hall & Van Reenen 2000; Bloom, "
      "Griffith & Van Reenen 2002)."),
    P("firm_rd_intensity_sme", 0.04, "share of revenue", 0.005, 0.15, "Assumption; tuned to Beijing's business R&D."),
    P("firm_rd_intensity_hte", 0.05, "share of revenue", 0.01, 0.2,
      "Certification requires 3-5 % R&D intensity; certified firms spend a little above it."),
    P("firm_rd_intensity_startup", 0.2, "share of revenue", 0.02, 1.0, "Assumption: startups spend heavily relative to sales."),
    P("firm_rd_intensity_multinational", 0.02, "share of revenue", 0.002, 0.1, "Assumption: Beijing arms of multinationals."),
    P("firm_rd_intensity_foreign", 0.015, "share of revenue", 0.002, 0.1, "Assumption: foreign sales and service companies."),
    P("firm_rd_adjustment", 0.25, "share of gap closed per quarter", 0.05, 1,
      "R&D budgets adjust over about a year (assumption)."),
    P("firm_liquidity_floor", 0.6, "multiplier", 0.2, 1.0,
      "R&D relative to target for a firm with no cash buffer; rises to 1.2 with ample cash "
      "(financing constraints on R&D, Hall & Lerner 2010)."),
    P("firm_growth", 0.04, "per year", -0.05, 0.2, "Mean staff growth of surviving technology firms (assumption)."),
    P("firm_growth_volatility", 0.15, "per year", 0.01, 0.5, "Dispersion of staff growth (assumption)."),
    P("firm_patent_growth_boost", 0.02, "per year per patent filed per 10 staff", 0, 0.2,
      "Firms that patent more grow faster (assumption)."),
    P("firm_failure_startup", 0.08, "per year", 0, 0.5, "Exit hazard of startups apart from running out of cash (assumption)."),
    P("firm_failure_sme", 0.05, "per year", 0, 0.3, "Exit hazard of technology SMEs apart from running out of cash (assumption, typical of SME survival rates)."),
    P("firm_failure_hte", 0.025, "per year", 0, 0.2, "Exit hazard of certified firms (assumption)."),
    P("firm_initial_cash_share", 0.3, "share of revenue", 0, 2, "Initial cash buffer as a share of yearly revenue, about four months of sales (assumption)."),
    P("firm_patents_per_rd_myuan", 0.30, "patents per m yuan of R&D", 0.02, 2,
      "Firms' invention patents granted per m yuan of R&D (Beijing patent statistics, order of magnitude)."),
    P("firm_ip_depreciation", 0.10, "per year", 0, 0.5, "Patents lapse or lose value at about a tenth a year."),
    P("firm_hte_min_rd_intensity", 0.04, "share of revenue", 0.01, 0.1, "High-tech certification rule: R&D at least 3-5 % of revenue depending on size; 4 % taken for all."),
    P("firm_hte_apply_rate", 0.06, "per quarter", 0, 1, "Share of eligible firms applying for certification each quarter (assumption)."),
    P("firm_hte_validity_years", 3, "years", 1, 5, "Certificates are valid for three years (rule)."),
    P("firm_startup_years", 3, "years", 1, 6, "Age at which a startup counts as an established SME."),
    P("firm_startup_seed_myuan", 4.0, "m yuan", 0.1, 50, "Founders' and angels' money at founding (assumption)."),
    P("firm_startup_staff", 6, "employees", 1, 50, "Employees of a new technology startup at founding (assumption from incubator statistics)."),
    P("firm_pct_share", 0.11, "share of patents", 0.01, 0.5,
      "International (PCT) filings per invention patent granted in Beijing (WIPO and CNIPA counts)."),
    # --- researchers -------------------------------------------------------------------------
    P("res_paper_rate_academic", 0.17, "papers/researcher/year", 0.02, 1,
      "Indexed papers per researcher-year in universities and institutes, before grants: tuned "
      "so that Beijing produces about 48,000 indexed papers a year around 2017 (WIPO cluster data)."),
    P("res_paper_rate_firm", 0.01, "papers/researcher/year", 0, 0.2, "Assumption: firm researchers rarely publish."),
    P("res_productivity_sigma", 0.6, "log-sd", 0.1, 1.5, "Spread of individual productivity (lognormal; Lotka's law)."),
    P("res_academic_patent_rate", 0.06, "patents/researcher/year", 0, 0.5,
      "Academic invention patents per researcher-year (about 40 % of Beijing's grants are academic)."),
    P("res_intl_base", 0.245, "share of papers", 0, 0.8,
      "Share of papers with foreign co-authors for a researcher without a foreign colleague nearby, "
      "at no geopolitical pressure; tuned to 14,074 such papers in 2018 (doc-2020-12)."),
    P("res_intl_geo_sensitivity", 0.5, "share lost at full pressure", 0, 1,
      "Fall in international co-authorship at maximum geopolitical pressure (assumption)."),
    P("res_intl_tie_boost", 2.0, "per unit foreign share", 0, 10,
      "Rise in the co-authorship share per unit share of foreign scientists in the same field and zone."),
    P("res_exit_rate", 0.012, "per year", 0, 0.1, "Researchers leaving Beijing or research before retirement (assumption)."),
    P("res_career_years", 35, "years", 25, 45, "Career length before retirement: entry at about 25, retirement at about 60."),
    P("res_mobility", 0.06, "per year", 0, 0.3, "Researchers changing employer each year (assumption)."),
    P("res_entrants_per_year", 24_000, "persons/year", 5_000, 100_000,
      "Graduates entering research careers in Beijing each year in 2016 (over 90 universities; assumption "
      "checked against the growth of the workforce)."),
    P("res_founding_rate", 0.012, "per year", 0, 0.1,
      "Researchers founding a startup each year, before finance effects (assumption)."),
    P("res_founding_finance_boost", 0.5, "per unit", 0, 5,
      "Rise in founding with the innovation fund (per 10 bn yuan/year) and the loan guarantee share."),
    P("res_rehire_share", 0.7, "share", 0, 1, "Researchers of a failed firm who find another job in Beijing."),
    # --- grants -------------------------------------------------------------------------------
    P("grant_size_myuan", 0.5, "m yuan/year", 0.05, 5, "Typical yearly value of a competitive grant per principal investigator."),
    P("grant_years", 2, "years", 1, 5, "Typical duration of a competitive research grant (NSFC general projects run longer, talent grants shorter)."),
    P("grant_basic_paper_boost", 1.0, "relative", 0, 5, "Rise in a researcher's paper output while holding a basic grant."),
    P("grant_applied_paper_boost", 0.3, "relative", 0, 5, "Rise in paper output while holding an applied grant."),
    P("grant_applied_patent_boost", 2.0, "relative", 0, 10, "Rise in patenting while holding an applied grant."),
    P("grant_review_noise", 0.5, "log-sd", 0, 2, "Noise in peer review relative to true productivity."),
    # --- foreign talent -----------------------------------------------------------------------
    P("ft_arrivals_per_year", 3_600, "persons/year", 500, 20_000,
      "Foreign scientists and engineers arriving each year at 2016 conditions (assumption: about "
      "a sixth of the stock, which turns over in six to seven years)."),
    P("ft_pay_weight", 0.6, "utility per log GDP", 0, 3, "Attraction of pay, proxied by Beijing's GDP relative to 2016."),
    P("ft_lab_weight", 0.5, "utility per log quality", 0, 3, "Attraction of lab quality (major instruments, national labs)."),
    P("ft_visa_weight", 0.45, "utility per 30 days", 0, 3,
      "Deterrence of slow permits; halving 30 days to 15 raises arrivals by about a quarter (assumption)."),
    P("ft_settlement_weight", 0.25, "utility per 100k yuan", 0, 3, "Attraction of settlement support per 100,000 yuan a year (assumption; housing is the largest item)."),
    P("ft_amenity_weight", 0.6, "utility per log index", 0, 3, "Attraction of international schools, hospitals and flats."),
    P("ft_lead_weight", 0.8, "utility per share", 0, 5, "Attraction of the right to lead major projects."),
    P("ft_geo_weight", 1.4, "utility at full pressure", 0, 5,
      "Deterrence of geopolitical pressure, scaled by origin (North America 1.5, Europe 1.0, "
      "Asia-Pacific 0.6, elsewhere 0.4)."),
    P("ft_exit_rate", 0.14, "per year", 0.01, 0.5, "Departure hazard of a foreign scientist on a work permit at 2016 conditions."),
    P("ft_stay_settled", 0.5, "log hazard reduction", 0, 3, "Fall in the log departure hazard of scientists who were helped to settle (assumption)."),
    P("ft_stay_amenity", 0.5, "log hazard per log index", 0, 3, "Fall in the log departure hazard per log unit of international amenities (assumption)."),
    P("ft_stay_lead", 0.5, "log hazard reduction", 0, 3, "Fall in the log departure hazard of scientists leading a major project (assumption)."),
    P("ft_stay_geo", 1.0, "log hazard at full pressure", 0, 5, "Rise in the log departure hazard at full geopolitical pressure, scaled by origin (assumption)."),
    P("ft_pr_exit_multiplier", 0.3, "relative", 0, 1, "Permanent residents leave at a fraction of the rate."),
    P("ft_pr_apply_rate", 0.3, "per quarter", 0, 1, "Eligible scientists applying for permanent residence each quarter."),
    P("ft_pr_productivity_min", 0.6, "relative productivity", 0, 3,
      "Points-based evaluation: minimum productivity (relative to the mean) to qualify for permanent residence."),
    P("ft_settle_rate", 0.016, "per quarter", 0, 0.5,
      "Scientists taking up settlement support each quarter when it is offered; tuned to over 3,500 "
      "settled 2018-2020 (doc-2020-12)."),
    P("ft_paper_rate", 0.3, "papers/person/year", 0, 2, "Indexed papers per foreign scientist-year (all with foreign co-authors)."),
    P("ft_academic_share", 0.5, "share", 0, 1, "Foreign talent working in universities and institutes rather than firms."),
    P("ft_lead_productivity_boost", 0.5, "relative", 0, 3, "Rise in output of a foreign scientist leading a major project."),
    P("ft_renewal_refusal", 0.02, "per year", 0, 0.3, "Share of work and residence permits not renewed each year, forcing departure (assumption)."),
    P("agency_permit_cost_yuan", 3_000, "yuan/case at 30 days", 100, 50_000, "Processing cost per permit (assumption)."),
    P("agency_permit_speed_exponent", 0.5, "elasticity", 0, 2, "Cost per case rises as processing time falls: (30/days)^exponent."),
    # --- IP-pledge loans ------------------------------------------------------------------------
    P("loan_value_per_patent_myuan", 0.8, "m yuan/patent", 0.05, 5, "Appraised value of a pledged patent (assumption)."),
    P("loan_to_value", 0.5, "share", 0.1, 1, "Loan as a share of pledged value (assumption)."),
    P("loan_years", 2, "years", 0.5, 5, "Term of an IP-pledge loan; most are one to three years (assumption)."),
    P("loan_interest", 0.05, "per year", 0, 0.2, "Interest rate on IP-pledge loans, near the benchmark lending rate with subsidies (assumption)."),
    P("loan_demand_rate", 0.05, "per quarter", 0, 1, "Eligible firms seeking an IP-pledge loan each quarter."),
    P("loan_approval_intercept", -1.2, "log-odds", -5, 5, "Banks' approval log-odds with no guarantee for an average-risk firm."),
    P("loan_guarantee_weight", 3.0, "log-odds per share", 0, 10, "Rise in approval log-odds per unit of guarantee share."),
    P("loan_risk_weight", 20, "log-odds per unit hazard", 0, 100, "Fall in approval with the firm's failure hazard per quarter."),
    # --- innovation fund ------------------------------------------------------------------------
    P("fund_ticket_myuan", 10, "m yuan", 0.5, 200, "Typical investment by the innovation fund (assumption)."),
    P("fund_growth_boost", 0.15, "per year", 0, 1, "Extra staff growth in the year after investment."),
    # --- multinationals and foreign companies -----------------------------------------------------
    P("mnc_entry_per_year", 13, "firms/year", 0, 100, "Multinationals setting up headquarters or partnerships at 2016 conditions."),
    P("mnc_exit_rate", 0.02, "per year", 0, 0.3, "Multinationals leaving at no geopolitical pressure."),
    P("mnc_geo_weight", 1.8, "log rate at full pressure", 0, 10, "Geopolitical pressure lowers multinationals' log entry rate and raises their log exit rate; tuned to 183 in 2020."),
    P("mnc_market_weight", 8.0, "log rate per unit growth", 0, 30, "Rise in foreign firms' log entry rate per point of GDP growth above 8 % (assumption)."),
    P("mnc_rd_centre_rate", 0.03, "per year", 0, 0.5, "Multinationals opening an R&D centre each year, given the talent pool."),
    P("mnc_rd_centre_talent_weight", 1.0, "elasticity", 0, 5, "Response of R&D-centre openings to the research workforce."),
    P("foreign_entry_per_year", 340, "organisations/year", 0, 3_000, "Foreign companies and institutions arriving at 2016 conditions."),
    P("foreign_exit_rate", 0.04, "per year", 0, 0.5, "Foreign companies leaving at no pressure."),
    # --- research organisations -----------------------------------------------------------------
    P("org_national_lab_quality", 3.0, "relative quality", 1, 10, "A national lab's quality relative to the average organisation."),
    P("org_quality_sigma", 0.5, "log-sd", 0, 2, "Log-sd of organisations' research quality (assumption; a few institutions are far stronger)."),
    # --- world cluster ranking --------------------------------------------------------------------
    P("cluster_pct_weight", 8.0, "publications per PCT filing", 1, 30,
      "Relative weight of one PCT filing against one publication in the cluster score; between "
      "6.4 and 10.3 the 2015-2019 counts give the documented 2020 order (doc-2020-12)."),
)

BY_NAME: dict[str, Parameter] = {p.name: p for p in SPECS}
assert len(BY_NAME) == len(SPECS), "duplicate parameter names"


def check(name: str, value: float) -> str | None:
    """Why ``value`` is not allowed for parameter ``name``, or ``None``."""
    spec = BY_NAME.get(name)
    if spec is None:
        return f"unknown parameter; see `innovsim parameters` for the {len(SPECS)} names"
    if not (spec.low <= value <= spec.high):
        return f"{value:g} is outside the allowed range {spec.low:g} to {spec.high:g} ({spec.unit})"
    return None


class Parameters(Mapping[str, float]):
    """An immutable set of parameter values, read by name or attribute.

    >>> p = Parameters.defaults()
    >>> p.grant_years
    2
    >>> p.replace(grant_years=3).grant_years
    3.0
    """

    __slots__ = ("_values",)

    def __init__(self, values: Mapping[str, float]):
        unknown = set(values) - set(BY_NAME)
        if unknown:
            raise KeyError(f"unknown parameters: {sorted(unknown)}")
        object.__setattr__(self, "_values", {**{p.name: p.default for p in SPECS}, **values})

    @classmethod
    def defaults(cls) -> "Parameters":
        return cls({})

    def replace(self, **changes: float) -> "Parameters":
        for name, value in changes.items():
            problem = check(name, float(value))
            if problem:
                raise ValueError(f"{name}: {problem}")
        return Parameters({**self._values, **{k: float(v) for k, v in changes.items()}})

    def __getattr__(self, name: str) -> float:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Parameters are immutable; use replace()")

    def __getitem__(self, name: str) -> float:
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __reduce__(self):
        return (Parameters, (dict(self._values),))
