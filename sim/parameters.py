"""Every behavioural parameter of the model, in one place.

Each :class:`Parameter` has a name, a default, a unit, a plausible range (used to validate
scenario overrides and, later, as the bounds of calibration priors) and the origin of its
default: a documented figure (labels as in ``documented_figures.csv``), a cited study, or the
reasoning behind an assumption. Rules of behaviour read parameters from a :class:`Parameters`
object passed to them. The few numbers that are not behavioural are named constants beside the
rule that uses them, with their source: the certification rules of 2008 and 2016
(``sim.policy.certification``), the reference firm size the size-dependent parameters are
stated for, and numerical guards (``MIN_RELATIVE_TAX_PRICE``, ``MAX_SHOCK_SCALE``, the 0.95 cap on a
co-authorship share).

Group prefixes: ``init_`` initial populations (2016); ``econ_`` the economy and costs;
``firm_`` firms; ``res_`` researchers; ``fin_`` finance; ``ft_`` foreign talent; ``agency_``
agencies' costs; ``grant_`` grant calls; ``loan_`` IP-pledge lending; ``fund_`` the innovation
fund; ``mnc_``, ``foreign_`` and ``rd_centre_`` multinationals, foreign companies and R&D centres;
``org_`` research organisations; ``cluster_`` the world ranking; ``meas_`` how the official
statistics count what the model holds (conversions used only by :mod:`sim.indicators`); ``tech_``
the technology market. Money says in its unit whether it
is in 2016 prices (indexed by the deflator or the research cost index) or nominal.
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
      "357,000 researchers in 2019 (doc-2020-12, a headcount of R&D personnel: shared/data README) "
      "taken back to 2016 at 2.6 %/year, the growth of Beijing's R&D personnel over 2016-2019."),
    P("init_share_in_firms", 0.45, "share", 0.2, 0.7,
      "Business enterprises employ a little under half of Beijing's R&D personnel; research "
      "institutes (many central) and universities the rest (statistical yearbooks)."),
    P("init_share_in_institutes", 0.33, "share", 0.1, 0.6,
      "Research institutes' share of R&D personnel; universities take the remainder (statistical yearbooks, "
      "as init_share_in_firms; the yearbook's split by performer is not among the figures in shared/, so "
      "this value cannot be checked from the project's files)."),
    P("init_foreign_talent", 20_000, "persons", 5_000, 60_000,
      "Assumption: about 35,000 foreigners held Beijing work permits around 2017, of whom we take "
      "a little under 60 % to work in science, engineering and R&D."),
    P("init_domestic_firms", 50_000, "firms", 10_000, 80_000,
      "Established domestic technology firms (SMEs and certified firms). 16,000 were certified in 2016 "
      "(shared/data); certification needs R&D above a threshold that well under half of technology "
      "SMEs reach (assumption)."),
    P("init_startups", 8_000, "firms", 1_000, 30_000,
      "Assumption: three cohorts of technology startups founded by researchers (a startup is under three years old)."),
    P("init_multinationals", 161, "firms", 50, 300,
      "161 multinational regional headquarters recognised in Beijing in 2016 (shared/data); 183 with "
      "headquarters or partners in 2020 (doc-2020-12)."),
    P("init_foreign_companies", 3_150, "organisations", 1_000, 6_000,
      "Nearly 4,000 foreign companies and research institutions in 2020 (doc-2020-12), less the "
      "foreign R&D centres and multinationals, taken back to 2016."),
    P("init_foreign_rd_centres", 500, "centres", 50, 1_000,
      "Over 560 foreign-funded R&D centres in 2019 (shared/data), a few fewer in 2016."),
    P("init_zgc_share_foreign", 0.25, "share", 0.1, 0.6,
      "Nearly 1,000 of about 4,000 foreign companies are in Zhongguancun (doc-2020-12)."),
    P("init_universities", 90, "institutions", 50, 150, "Over 90 universities in Beijing in 2020 (doc-2021-01); few were founded since 2016."),
    P("init_institutes", 1_000, "institutions", 500, 1_500, "About 1,000 research institutes (doc-2021-01)."),
    P("init_state_key_labs", 128, "labs", 50, 200, "Around 128 state key laboratories (doc-2021-01)."),
    P("init_firm_min_staff", 10, "employees", 2, 50,
      "Smallest established technology firm (the Pareto law's lower bound); about the size at which "
      "a firm's margin covers its fixed costs (see firm_fixed_cost_myuan)."),
    P("init_firm_size_tail_index", 1.06, "tail index", 0.8, 1.5,
      "Firm sizes by employees are Pareto with exponent 1.06 (Axtell 2001, Science 293)."),
    P("init_firm_max_staff", 50_000, "employees", 5_000, 300_000,
      "Truncation of the Pareto law: Beijing's largest technology employers have tens of thousands "
      "of staff in the city (reasoning; the largest national groups have more, mostly elsewhere)."),
    P("init_firm_max_age_years", 30, "years", 5, 50, "Oldest established firm (reform-era firms; ages uniform up to it)."),
    P("init_mnc_median_staff", 500, "employees", 50, 5_000, "Assumption: median Beijing staff of a multinational's headquarters."),
    P("init_foreign_median_staff", 40, "employees", 5, 500, "Assumption: median staff of a foreign company or institution."),
    P("init_rd_centre_median_staff", 60, "employees", 5, 500, "Assumption: median staff of a foreign R&D centre."),
    P("init_foreign_staff_sigma", 0.9, "log-sd", 0.1, 2, "Assumption: spread of foreign firms' staff."),
    P("init_zone_share_research_zhongguancun", 0.40, "share", 0.1, 0.8, "Assumption from the places' roles: Zhongguancun hosts most universities and institutes."),
    P("init_zone_share_research_huairou", 0.08, "share", 0, 0.3, "Assumption: Huairou Science City, major facilities."),
    P("init_zone_share_research_future_science_park", 0.07, "share", 0, 0.3, "Assumption: Future Science Park."),
    P("init_zone_share_research_e_town", 0.05, "share", 0, 0.3, "Assumption: E-Town, mostly firms."),
    P("init_zone_share_firms_zhongguancun", 0.40, "share", 0.1, 0.8, "Assumption: Zhongguancun is home to most technology firms."),
    P("init_zone_share_firms_huairou", 0.03, "share", 0, 0.3, "Assumption from the place's role in the brief."),
    P("init_zone_share_firms_future_science_park", 0.07, "share", 0, 0.3, "Assumption from the place's role in the brief."),
    P("init_zone_share_firms_e_town", 0.15, "share", 0, 0.4, "Assumption: manufacturing and integrated circuits."),
    P("init_burn_in_years", 2, "years", 0, 10,
      "Years run under 2016 levers in a still economy before 2016, so that cash, R&D, shares, "
      "certification and permits settle (reasoning: R&D closes 90 % of a gap in about 5 years, "
      "cash and shares within two; longer costs run time). Rounded to whole years: certification's "
      "round and the tax year are yearly."),
    # --- economy and costs -------------------------------------------------------------------
    P("econ_gdp_2016_bn_yuan", 2_704, "bn yuan", 2000, 3500,
      "Beijing's GDP in 2016, census-revised series (shared/data: 2,704.12); the model keeps that "
      "vintage, whose growth the baseline's real growth and deflator reproduce."),
    P("econ_research_cost_gdp_elasticity", 0.6, "per unit of real GDP growth", 0.2, 1.2,
      "Real growth of the price of a researcher-year per unit of real GDP growth: pay follows the "
      "city's real income, equipment and materials the deflator (reasoning; Beijing's average wage "
      "grew about as fast as nominal GDP, researchers' posts about 3 %/year faster than money would "
      "buy at full indexation)."),
    P("econ_cost_per_researcher_myuan", 0.45, "m yuan/researcher/year", 0.2, 1.2,
      "R&D money per researcher in 2016: Beijing's R&D expenditure (148.5 bn yuan, shared/data) "
      "over its researchers (about 330,000). Block funding of each organisation is set from it so "
      "that 2016 posts equal 2016 staff."),
    P("econ_revenue_per_employee_myuan", 0.9, "m yuan/employee/year, 2016 prices", 0.3, 3,
      "Revenue per employee of Beijing's technology firms (Zhongguancun statistics, order of magnitude)."),
    P("econ_gross_margin", 0.12, "share of revenue", 0.02, 0.3,
      "Operating profit before fixed costs and R&D as a share of revenue for technology firms (assumption)."),
    P("econ_tax_rate", 0.25, "share", 0.1, 0.4, "Standard corporate income tax rate (law)."),
    P("econ_hte_tax_rate", 0.15, "share", 0.05, 0.25, "Reduced rate for certified high-tech enterprises (law)."),
    P("econ_patent_grant_lag_years", 2.5, "years", 0.5, 5.0,
      "Mean delay from filing an invention patent to its grant (sim/world/patent_office.py): publication at "
      "18 months, the examination request at filing or up to three years after (Patent Law art. 35), then "
      "examination, which averaged about 22 months in 2018 (SAMR, as reported in November 2018); a prior "
      "for calibration (reasoning)."),
    P("econ_patent_filing_growth_before_2016", 0.15, "per year", 0.0, 0.3,
      "Growth of Beijing's invention patent filings in the years before 2016, which sets what the patent "
      "office's queues hold at the start (sim/world/patent_office.py): on a path of steady growth filings "
      "grow as grants do, and invention patents granted rose 15 % from 2015 (35,308) to 2016 (40,602; "
      "shared/data BJ0098, BJ0099), one year's change; zero is a queue of constant filings. A prior for "
      "calibration."),
    # --- firms --------------------------------------------------------------------------------
    P("firm_demand_gdp_elasticity", 1.2, "elasticity", 0.6, 2.0,
      "Income elasticity of demand for technology firms' output: the high-tech sector's share of "
      "Beijing's output has risen (reasoning; 1 would keep it constant)."),
    P("firm_growth_shock_scale", 0.2, "Laplace scale of log growth per year, 10-staff firm", 0.05, 0.6,
      "Annual growth rates of small firms have a standard deviation of 0.3-0.4 (Stanley et al. 1996; "
      "Bottazzi & Secchi 2006); a Laplace scale b has standard deviation b times the square root of 2."),
    P("firm_growth_shock_size_slope", 0.18, "elasticity of the shock scale to size", 0, 0.4,
      "The dispersion of growth falls with size as size^-0.15 to -0.2 (Stanley et al. 1996; Amaral et al. 1997)."),
    P("firm_knowledge_share_gain", 0.0, "log share per year per unit log knowledge", 0, 0.1,
      "Off: firms with more patents per worker would win market share at this rate. At the 0.05 assumed "
      "before, the selection has no steady state: in a still economy it raises invention patents by about "
      "5 % a year for at least 30 years, so the model's patents grew by a drift and the start's distance from "
      "it depended on the burn-in (calibration/burnin, docs/calibration.md section 2.2). No study in "
      "EVIDENCE.md sizes it; kept for sweeps, up to twice the old value."),
    P("firm_knowledge_staff_unit", 10.0, "staff", 1, 100,
      "A firm's knowledge is log(1 + patents per this many staff): the curvature of the knowledge term, "
      "here per ten workers, the reference firm size of the size-dependent parameters (assumption)."),
    P("firm_hiring_cost_myuan", 0.2, "m yuan per hire, 2016 prices", 0.01, 0.5,
      "Recruiting, training and the pay of a new employee until the output they add sells: about a "
      "year of a technology worker's pay (assumption); what makes growth need money."),
    P("firm_downsizing_rate", 0.25, "share of excess staff shed per quarter", 0.05, 1,
      "Firms shed excess staff over about a year (assumption)."),
    P("firm_cash_buffer_quarters", 1, "quarters of fixed costs", 0, 8,
      "Cash a firm keeps before spending on hires or R&D (assumption)."),
    P("firm_fixed_cost_myuan", 0.7, "m yuan/year per firm, 2016 prices", 0.1, 5,
      "Rent, management and compliance of a small technology firm (assumption): with the margin it "
      "sets the size below which a firm loses money, and so startups' survival."),
    P("firm_closure_rate", 0.03, "per year", 0, 0.2,
      "Closures of domestic firms for reasons outside the model: owners retiring, mergers (assumption)."),
    P("firm_cash_target_share", 0.3, "share of yearly revenue", 0.05, 2,
      "Cash a firm keeps, about four months of sales; above it, cash is paid out to owners (assumption). "
      "Initially profitable firms hold it, loss-makers a uniform share of it."),
    P("firm_rd_intensity_domestic", 0.04, "share of revenue", 0.005, 0.15,
      "Mean R&D intensity of an established domestic technology firm of 10 staff under 2016 tax rules "
      "(assumption; a prior for calibration to Beijing's R&D and its 16,000 certified firms)."),
    P("firm_rd_intensity_size_elasticity", 0.2, "elasticity", 0, 0.5,
      "R&D intensity falls with size as (staff / 10)^-e: most certified firms are small and report "
      "intensities at or above their 3-5 % thresholds, while business R&D is under 2 % of the sector's "
      "revenue (reasoning from shared/data and the certification rules)."),
    P("firm_rd_intensity_startup", 0.08, "share of revenue", 0.01, 0.5, "Assumption: startups spend more relative to sales."),
    P("firm_rd_intensity_multinational", 0.02, "share of revenue", 0.002, 0.1, "Assumption: Beijing arms of multinationals."),
    P("firm_rd_intensity_foreign", 0.015, "share of revenue", 0.002, 0.1, "Assumption: foreign sales and service companies."),
    P("firm_rd_intensity_sigma", 0.6, "log-sd", 0.1, 1.5,
      "Firms differ in R&D intensity (lognormal, mean one; assumption): some lie near the "
      "certification thresholds, where relabelling happens."),
    P("firm_rd_price_elasticity", 0.8, "elasticity", 0.4, 2.0,
      "Long-run elasticity of real R&D effort to its tax price: just under 1 (Bloom, Griffith & Van Reenen "
      "2002; Hall & Van Reenen 2000), 1.14 for real R&D in China (Chen et al. 2021); 0.8, since reported "
      "R&D adds relabelling and certification on top (EVIDENCE.md section 1: aggregate below the "
      "full-rate 10-15 %)."),
    P("firm_rd_adjustment", 0.08, "share of gap closed per quarter", 0.03, 0.3,
      "R&D adjusts slowly: a 10 % cut in the tax price raises R&D by single digits within 1-2 years "
      "(short-run elasticity about 0.4: Jia & Ma 2017) and by about the long-run amount after 5 "
      "(EVIDENCE.md section 1); 0.08 closes 28 % of a gap in a year, 81 % in five."),
    P("firm_loss_deduction_value", 0.3, "share of the deduction's value", 0, 1,
      "Worth of an extra yuan of deduction to a firm with no taxable profit: it only adds to a loss "
      "carried forward five years (ten for certified firms), discounted by the chance of profit "
      "(reasoning; Agrawal, Rosell & Simcoe 2020 find larger responses where credits are refundable)."),
    P("firm_loss_carryforward_years", 5, "years", 1, 10,
      "Tax losses may be carried forward five years (ten for certified high-tech firms since 2018; law); "
      "modelled as losses expiring at a fifth a year."),
    P("firm_relabel_margin", 0.25, "share of the threshold", 0, 0.6,
      "Firms within this share below their certification threshold report other costs as R&D to reach "
      "it (reasoning from the bunching of Chen et al. 2021, where 24-45 % of the reported response is relabelling)."),
    P("firm_patents_per_real_rd_myuan", 0.4, "patents per m 2016 yuan of R&D", 0.05, 2,
      "Invention patents firms file per m yuan of real R&D, counted as the grants they become: about 24,000 "
      "firm patents granted on about 60 bn yuan of business R&D in 2016 (shared/data: 40,602 granted in all, "
      "a little over half to firms) is 0.4 granted; the filings behind them are more (the patent queues' "
      "history grants 0.76 of 2016's filings in 2016 at the catalogue's delay and growth: sim/world/"
      "patent_office.py, grant_ratio) and certified firms file firm_hte_patent_boost times as many, which "
      "about cancel: with the catalogue's values the model grants 36,000-41,000 in 2016 at test scale."),
    P("firm_patent_propensity_sigma", 2.4, "log-sd", 0, 2.5,
      "Firms differ widely in patents per R&D yuan (by field and strategy); with firm sizes it sets the "
      "concentration of patenting (assumption, set by hand to the pattern top1pct_patent_share: 1.6, then "
      "1.8, then 2.0; then 2.4 when the knowledge selection was switched off, since at 2.0 the top 1 % "
      "held 28 % of patents, below the published 35-50 %, and at 2.4 they hold 36 %; not among the "
      "calibration's free parameters)."),
    P("firm_ip_depreciation", 0.10, "per year", 0, 0.5,
      "Patents lapse or lose value at about a tenth a year (assumption, no Beijing estimate; knowledge stocks "
      "are conventionally depreciated at 15 % a year, e.g. Hall, Jaffe & Trajtenberg 2005, and a granted "
      "patent is also a legal asset that banks and the fund count)."),
    P("firm_hte_apply_rate", 0.06, "per quarter", 0, 1,
      "Share of qualifying uncertified firms that would apply for certification in a quarter; the yearly "
      "round (sim/policy/certification.py) takes the year's applications, 1 - (1 - rate)^4 (assumption; "
      "a prior for calibration)."),
    P("firm_hte_disqualification_rate", 0.01, "per year", 0, 0.1, "Certificates withdrawn at audits: about 1 % of the stock a year (EVIDENCE.md section 9)."),
    P("firm_hte_validity_years", 3, "years", 1, 5,
      "Certificates are valid for three years (rule); one whose term ends between rounds is renewed or "
      "lapses in the next round."),
    P("firm_hte_patent_boost", 1.5, "multiple", 1.0, 4.0,
      "Patents a certified firm files per R&D yuan against an uncertified one: certification scores "
      "intellectual property (up to 30 of 100 points, 2016 Guidelines) and is rechecked every three years; "
      "no estimate of the size in EVIDENCE.md, a prior for calibration (reasoning)."),
    P("firm_hte_rd_scope", 1.2, "ratio", 1.0, 2.0,
      "Certification R&D over survey R&D: the certification guidelines (2016) count R&D expenses on the "
      "accounting basis, with design and trial-production costs and other costs up to a fifth of the total, "
      "broader than the survey (Frascati) definition of the official series. Zhongguancun firms' R&D expenses "
      "(267.6 bn yuan, Jan-Nov 2020, shared/data BJ0258) exceed all of Beijing's survey R&D (232.7 bn, 2020), "
      "though another source gives 239.3 bn for 2021 (BJ0257), below Beijing's 262.9 bn, and both include R&D "
      "done outside Beijing: the figures do not bound the ratio; a prior for calibration (reasoning)."),
    P("firm_hte_2008_staff_share", 0.6, "share of firms", 0.1, 1.0,
      "Share of technology firms that passed the 2008 rules' staff test (30 % college-educated S&T staff, "
      "10 % R&D staff), dropped in 2016 for 10 % S&T staff. With the 6 %-to-5 % cut it sets how far the "
      "certified stock rises after the reform: 16,000 in 2016-2017 to about 27,000 in 2019 (shared/data "
      "BJ0136-BJ0140); a prior for calibration (reasoning)."),
    P("firm_startup_years", 3, "years", 1, 6, "Age at which a startup counts as an established SME."),
    P("firm_startup_seed_myuan", 2.0, "m yuan, 2016 prices", 0.1, 50, "Seed money a founder raises (assumption: angel rounds of one to a few million yuan)."),
    P("firm_startup_staff", 5, "employees", 1, 50, "Employees of a new technology startup at founding (assumption from incubator statistics)."),
    P("firm_sme_staff_limit", 500, "employees", 50, 2000, "Staff below which a technology firm counts as small or medium for SME relief (rule, approximately)."),
    P("firm_pct_share", 0.11, "share of patents", 0.01, 0.5,
      "International (PCT) filings per invention patent granted in Beijing (WIPO and CNIPA counts)."),
    # --- researchers -------------------------------------------------------------------------
    P("res_paper_rate_academic", 0.24, "papers/researcher/year", 0.02, 1,
      "Indexed papers per academic researcher-year before grants: about 48,600 SCI papers in 2016 "
      "(shared/data) from about 180,000 academics, less foreign scientists' and firms' papers."),
    P("res_paper_rate_firm", 0.01, "papers/researcher/year", 0, 0.2, "Assumption: firm researchers rarely publish."),
    P("res_host_quality_weight", 0.5, "per unit quality", 0, 1, "How much of an organisation's quality shows in its researchers' output (assumption)."),
    P("res_productivity_sigma", 1.0, "log-sd", 0.1, 2,
      "Spread of individual productivity (lognormal): with Poisson counts it gives Lotka's law "
      "(see patterns: lotka_exponent)."),
    P("res_academic_patent_rate", 0.09, "patents/researcher/year", 0, 0.5,
      "Academic invention patents filed per researcher-year, counted as the grants they become: a little "
      "under half of Beijing's 40,602 grants of 2016 (shared/data) went to universities and institutes, "
      "about 0.09 granted a researcher (the filings behind them are more: the patent queues' history "
      "grants 0.76 of 2016's filings in 2016; the calibration fits the rate, prior 0.04-0.25)."),
    P("res_intl_base", 0.24, "share of papers", 0, 0.8,
      "Share of papers with foreign co-authors without foreign colleagues nearby and at no pressure; "
      "14,074 of about 59,000 papers in 2018 (doc-2020-12, shared/data), counted whole in both."),
    P("res_intl_geo_sensitivity", 0.5, "share lost at full pressure", 0, 1,
      "Co-authorship falls with pressure: China's co-authored share fell about 7 % from 2018 to 2023, "
      "US-China ties over 20 % (EVIDENCE.md section 6)."),
    P("res_intl_tie_boost", 2.0, "per unit foreign share", 0, 10,
      "Rise in the co-authorship share per unit share of foreign scientists in the same field and zone (assumption)."),
    P("res_exit_rate", 0.012, "per year", 0, 0.1, "Researchers leaving Beijing or research before retirement (assumption)."),
    P("res_career_years", 35, "years", 25, 45, "Career length before retirement: entry at about 25, retirement at about 60."),
    P("res_mobility", 0.06, "per year", 0, 0.3, "Researchers looking for another employer each year (assumption)."),
    P("res_entrants_per_year", 36_000, "persons/year", 5_000, 100_000,
      "Graduates (doctorates and research master's) seeking research posts in Beijing each year in "
      "2016 (assumption: more than the posts that fall vacant, so posts bind)."),
    P("res_founding_rate", 0.012, "per year", 0.001, 0.1,
      "Researchers deciding to found a startup each year at 2016 conditions: the burn-in's starting "
      "value, then scaled so that foundings match domestic firms' exits in 2016 (steady state)."),
    P("res_founding_demand_elasticity", 1.0, "elasticity", 0, 3,
      "Founding rises with real demand per domestic firm (free entry; reasoning)."),
    P("res_founding_productivity_exponent", 0.5, "exponent", 0, 1.5,
      "A researcher's founding hazard rises with productivity to this power: more productive researchers "
      "found more firms, less than in proportion (0: productivity does not matter, 1: in proportion; "
      "assumption, the middle of the two)."),
    P("res_layoff_rate", 0.25, "share of excess per quarter", 0, 1, "Employers shed researchers their money no longer pays for over about a year (assumption)."),
    P("res_own_field_share", 0.2, "share", 0, 1, "Researchers working in a field other than their employer's main field (assumption)."),
    P("res_academic_preference", 0.5, "log-odds", -3, 3, "Researchers' preference for academia at equal pay and quality (assumption)."),
    P("res_pay_weight", 1.0, "log-odds per log pay", 0, 5, "Weight of pay in the choice between academia and industry (assumption)."),
    P("res_quality_weight", 1.0, "log-odds per log quality", 0, 5, "Weight of lab quality in the choice (assumption)."),
    P("res_industry_pay_premium", 0.3, "share", 0, 2, "Industry pays researchers about 30 % more than academia (assumption)."),
    # --- finance ---------------------------------------------------------------------------------
    P("fin_seed_funded_share", 0.8, "share", 0.2, 1,
      "Share of would-be founders who raised seed money at 2016 conditions (assumption): sets the "
      "2016 seed supply, which then follows demand."),
    # --- grants -------------------------------------------------------------------------------
    P("grant_size_myuan", 0.5, "m yuan/year, 2016 research prices", 0.05, 5,
      "Yearly value of a competitive grant per principal investigator (assumption, a blend): NSFC funded 41,184 "
      "projects with 22.7 bn yuan of direct costs in 2016, 0.55 m yuan each over 3-5 years, about 0.15 m a year "
      "(NSFC via window-to-china.eu, 2017-04-01); national key R&D programmes and Beijing's own grants are far "
      "larger per project. No Beijing figure in shared/. The holders a budget buys, and so the grant lever's "
      "boosts to output, vary with its inverse."),
    P("grant_years", 2, "years", 1, 5, "Typical duration of a competitive research grant (NSFC general projects run longer, talent grants shorter)."),
    P("grant_basic_paper_boost", 0.12, "relative", 0, 0.5,
      "Rise in a holder's papers with a basic grant: 5-15 % (Jacob & Lefgren 2011: +7 %; EVIDENCE.md section 2)."),
    P("grant_applied_paper_boost", 0.06, "relative", 0, 0.5, "Rise in papers with an applied grant: the lower half of the same range."),
    P("grant_applied_patent_boost", 0.3, "relative", 0, 2, "Rise in patenting with an applied grant (assumption; Payne & Siow 2003 find few patents per grant dollar)."),
    P("grant_review_noise", 0.5, "log-sd", 0, 2,
      "Noise in peer review relative to true productivity (assumption, no estimate found): with "
      "res_productivity_sigma 1.0, reviewers' scores correlate about 0.89 with applicants' log productivity."),
    # --- foreign talent -----------------------------------------------------------------------
    P("ft_mobile_flow_per_year", 200_000, "persons/year", 20_000, 2_000_000,
      "Scientists and engineers moving country each year worldwide (reasoning: a few percent of some "
      "ten million researchers); only Beijing's share of it is identified."),
    P("ft_origin_share_north_america", 0.25, "share", 0, 1, "Share of mobile scientists from North America (OECD mobility data, order of magnitude)."),
    P("ft_origin_share_europe", 0.30, "share", 0, 1, "Share from Europe."),
    P("ft_origin_share_asia_pacific", 0.30, "share", 0, 1, "Share from Asia-Pacific; elsewhere takes the remainder."),
    P("ft_geo_exposure_north_america", 1.5, "relative to Europe", 0, 5, "Scientists from North America respond most to pressure (assumption)."),
    P("ft_geo_exposure_asia_pacific", 0.6, "relative to Europe", 0, 5, "Assumption: less exposed than North America."),
    P("ft_geo_exposure_elsewhere", 0.4, "relative to Europe", 0, 5, "Assumption: less exposed than North America."),
    P("ft_destination_share_other_china", 0.10, "share of movers", 0.01, 0.5, "Assumption: other Chinese cities' 2016 share of the world's movers."),
    P("ft_destination_share_east_asia", 0.20, "share of movers", 0.01, 0.6, "Assumption: Tokyo, Seoul, Singapore and others."),
    P("ft_destination_share_west", 0.68, "share of movers", 0.1, 0.95, "Assumption: North America and Europe; Beijing's share is solved from its 2016 stock."),
    P("ft_rival_real_pay_growth", 0.01, "per year", -0.05, 0.05, "Real pay growth of scientists in East Asia and the West (assumption)."),
    P("ft_pay_2016_kyuan", 400, "thousand yuan/year", 100, 2000, "Pay of a foreign scientist in Beijing in 2016 (assumption: talent programmes pay 0.3-0.6 m yuan)."),
    P("ft_pay_weight", 1.5, "utility per log pay", 0.5, 3,
      "Elasticity of highly paid foreigners' migration to net pay, 1.5-2 (Kleven, Landais, Saez & "
      "Schultz 2014); about 1 for star inventors (Akcigit, Baslandze & Stantcheva 2016)."),
    P("ft_lab_weight", 0.5, "utility per log quality", 0, 3, "Attraction of lab quality (national labs; assumption)."),
    P("ft_visa_weight", 0.3, "utility per 30 days", 0, 2,
      "Deterrence of slow permits: modest (EVIDENCE.md section 5: procedure speed is not what drives the stock)."),
    P("ft_amenity_weight", 0.6, "utility per log index", 0, 3, "Attraction of international schools, hospitals and flats: no causal estimate (EVIDENCE.md section 7), a wide prior."),
    P("ft_lead_weight", 0.6, "utility per share", 0, 5,
      "Attraction of the right to lead major projects (assumption): a tenth more projects open adds "
      "about 6 % to the utility, less than a 10 % rise in net pay (EVIDENCE.md section 5)."),
    P("ft_lead_min_productivity", 1.0, "productivity (mean one)", 0, 3,
      "Major projects are led by academics of at least this productivity: leads are at least of average "
      "standing (assumption)."),
    P("ft_geo_weight", 1.4, "utility at full pressure", 0, 5,
      "Deterrence of geopolitical pressure, scaled by origin exposure; departures of Chinese-origin "
      "scientists from the US rose 75 % after 2018 (EVIDENCE.md section 6)."),
    P("ft_exit_rate", 0.14, "per year", 0.01, 0.5, "Departure hazard of a foreign scientist on a work permit at 2016 conditions."),
    P("ft_stay_sensitivity", 0.5, "log hazard per unit utility", 0, 3,
      "How much a better Beijing (pay, support, amenities, leads, less pressure) lowers departures (assumption, "
      "no estimate found): with ft_pay_weight 1.5 and no settlement support the departure hazard's elasticity "
      "to real pay is -0.75, half the arrivals' elasticity that EVIDENCE.md section 5 gives (Kleven et al. 2014)."),
    P("ft_pr_exit_multiplier", 0.3, "relative", 0, 1,
      "Permanent residents leave at this fraction of a permit holder's hazard (assumption, no estimate found: "
      "permanent residence removes renewals and signals settled plans)."),
    P("ft_arrival_career_max_years", 20, "years", 0, 30,
      "Foreign scientists arrive between 0 and this many years into a career (uniformly: from new "
      "doctors to senior scientists) and retire, as domestic researchers do, res_career_years into it "
      "(assumption, no age profile of arrivals in shared/ or EVIDENCE.md; 20 years in is about 45)."),
    P("ft_pr_apply_rate", 0.3, "per quarter", 0, 1, "Eligible scientists applying for permanent residence each quarter."),
    P("ft_pr_productivity_min", 0.6, "relative productivity", 0, 3,
      "Points-based evaluation: minimum productivity (relative to the mean) to qualify for permanent residence "
      "(assumption: no pass rate of the points test is published in shared/ or EVIDENCE.md)."),
    P("ft_settle_rate", 0.016, "per quarter", 0, 0.5,
      "Scientists taking up settlement support each quarter when it is offered; over 3,500 settled "
      "2018-2020 (doc-2020-12)."),
    P("ft_paper_rate", 0.3, "papers/person/year", 0, 2,
      "Indexed papers per academic foreign scientist-year (assumption: inside the prior of domestic "
      "academics' rate, res_paper_rate_academic, 0.15-0.40)."),
    P("ft_firm_paper_share", 0.2, "relative", 0, 1, "Foreign staff of firms publish at this share of the academic rate (assumption)."),
    P("ft_intl_share", 0.6, "share of papers", 0, 1, "Share of foreign scientists' papers written with co-authors abroad (assumption)."),
    P("ft_academic_share", 0.5, "share", 0, 1,
      "Foreign talent working in universities and institutes rather than firms (assumption: no split of "
      "Beijing's foreign scientists by employer in shared/; half and half)."),
    P("ft_lead_productivity_boost", 0.1, "relative", 0, 0.5, "Rise in output of a foreign scientist leading a major project (as a grant: EVIDENCE.md section 2)."),
    P("ft_renewal_refusal", 0.02, "per year", 0, 0.3, "Share of work and residence permits not renewed each year, forcing departure (assumption)."),
    P("agency_permit_cost_yuan", 3_000, "yuan/case at 30 days, 2016 prices", 100, 50_000, "Processing cost per permit (assumption)."),
    P("agency_permit_speed_exponent", 0.5, "elasticity", 0.1, 2,
      "Cost per case rises as processing time falls: (30/days)^exponent (assumption, no estimate: a square "
      "root, so halving the time costs about 40 % more per case)."),
    P("agency_permit_max_days", 365, "days", 30, 730, "Longest processing time before cases are left waiting (reasoning: a year)."),
    # --- IP-pledge loans ------------------------------------------------------------------------
    P("loan_value_per_patent_myuan", 0.8, "m yuan/patent, 2016 prices", 0.05, 5, "Appraised value of a pledged patent (assumption)."),
    P("loan_to_value", 0.5, "share", 0.1, 1, "Loan as a share of pledged value (assumption)."),
    P("loan_max_revenue_share", 0.5, "share of yearly revenue", 0.05, 2, "Banks lend at most this share of a firm's revenue (assumption)."),
    P("loan_years", 2, "years", 0.5, 5, "Mean term of an IP-pledge loan, drawn from half to one and a half times it: most run one to three years (assumption)."),
    P("loan_interest", 0.05, "per year", 0, 0.2, "Interest rate on IP-pledge loans, near the benchmark lending rate with subsidies (assumption)."),
    P("loan_demand_rate", 0.5, "per quarter", 0, 1,
      "Share of firms short of cash, with a patent to pledge and no loan, that ask a bank each quarter (assumption)."),
    P("loan_approval_intercept", -0.5, "log-odds", -5, 5, "Banks' approval log-odds for a profitable firm with no guarantee (assumption)."),
    P("loan_guarantee_weight", 2.0, "log-odds per share", 0, 10,
      "Rise in approval log-odds per unit of guarantee share (assumption, set by hand and not fitted: 3.0 until "
      "the mechanisms rebuild, then 2.0). Its effect is checked, not calibrated: innovsim responses holds the "
      "rise in pledge lending from a guarantee share of 0.3 to 0.5 to EVIDENCE.md section 3 "
      "(calibration/responses.csv)."),
    P("loan_risk_weight", 1.5, "log-odds", 0, 10, "Fall in approval log-odds for a firm with no taxable profit (assumption)."),
    # --- innovation fund ------------------------------------------------------------------------
    P("fund_ticket_myuan", 10, "m yuan, 2016 prices", 0.5, 200, "Typical investment by the innovation fund (assumption)."),
    P("fund_private_match", 0.9, "yuan per fund yuan", 0, 3, "Private venture money co-invested per yuan of government money: about 0.9 in China (EVIDENCE.md section 4)."),
    P("fund_max_age_years", 10, "years", 1, 30, "Firms younger than this are candidates for the fund (assumption)."),
    P("fund_screening_noise", 0.5, "log-sd", 0, 2, "Due-diligence noise in the fund's view of promise (assumption)."),
    P("fund_screen_size_exponent", 0.5, "exponent", 0, 1,
      "The fund judges a firm's promise by its patents over its staff to this power: between patents per firm "
      "(0), which favours size, and per worker (1), which favours the smallest (assumption, the middle)."),
    # --- multinationals and foreign companies -----------------------------------------------------
    P("mnc_exit_rate", 0.04, "per year", 0.005, 0.3, "Multinationals leaving at 2016 pressure; entry is set to match it in 2016 (steady state)."),
    P("foreign_exit_rate", 0.06, "per year", 0.005, 0.5, "Foreign companies leaving at 2016 pressure (foreign-invested enterprises' deregistration rates)."),
    P("mnc_geo_weight", 0.6, "log rate per unit pressure", 0, 10,
      "Pressure above its 2016 level lowers foreign firms' log entry rate and raises their log exit "
      "rate (FDI fell sharply in 2023: EVIDENCE.md section 6); multinational headquarters still rose "
      "from 161 to 179 over 2016-2019 while pressure rose (shared/data), so the weight is moderate."),
    P("foreign_geo_exposure", 0.75, "relative to multinationals", 0, 2, "Foreign companies are less exposed to pressure than multinationals' headquarters (assumption)."),
    P("mnc_market_elasticity", 1.0, "elasticity", 0, 3, "Foreign firms' entry rises with the real size of Beijing's market (reasoning)."),
    P("rd_centre_close_rate", 0.05, "per year", 0.005, 0.3,
      "Foreign R&D centres closing at 2016 pressure; openings match in 2016 (assumption: a mean life of "
      "twenty years; no count of closures in shared/)."),
    P("rd_centre_talent_elasticity", 1.0, "elasticity", 0, 5, "Response of R&D-centre openings to the size of the research workforce (assumption)."),
    P("mnc_rd_centre_budget_myuan", 30, "m yuan/year, 2016 research prices", 1, 500, "Yearly R&D budget of a foreign R&D centre: about 60 researchers (assumption)."),
    # --- research organisations -----------------------------------------------------------------
    P("org_national_lab_quality", 2.0, "relative quality", 1, 10,
      "A national lab's quality relative to the average organisation: it gathers strong teams and major "
      "instruments (assumption; about the top tenth of organisations at org_quality_sigma 0.5)."),
    P("org_national_lab_budget_myuan", 1_000, "m yuan/year, 2016 research prices", 100, 10_000,
      "Yearly budget of a national laboratory (assumption: about 1 bn yuan, a large university's research budget)."),
    P("org_capacity_headroom", 0.5, "share of the 2016 establishment", 0, 2,
      "How far an organisation can stretch its research staff beyond its establishment (the staff it is given at initialisation, "
      "grown with its block funding in real terms; a national lab's, the posts its own budget pays): "
      "grant-funded postdocs and contract researchers need supervisors, space and instruments that the "
      "sponsor provides with the block grant, and public institutions hire within staff quotas "
      "(assumption: a half, about the middle of the calibration's prior; no count in shared/). Without it, grants by merit fund posts at the best "
      "organisations without bound (docs/calibration.md section 2.2)."),
    P("org_spending_paper_elasticity", 0.2, "elasticity", 0, 1,
      "Elasticity of a researcher's papers to the research money per researcher of the host "
      "organisation, over the cost of a researcher-year (money not paying salaries buys equipment, "
      "materials, assistants): well below one, since the aggregate elasticity of papers to grant money "
      "is (EVIDENCE.md section 2), returns per head diminish (Zhi & Meng 2016), and a grant that "
      "roughly doubles a lab's money adds about 7 % (Jacob & Lefgren 2011, about 0.1)."),
    P("org_quality_sigma", 0.5, "log-sd", 0, 2, "Log-sd of organisations' research quality (assumption; a few institutions are far stronger)."),
    P("org_size_university", 8, "relative to an institute", 1, 30, "A university hosts about 8 times the researchers of an institute (assumption)."),
    P("org_size_state_key_lab", 0.6, "relative to an institute", 0.1, 5, "Assumption: a state key lab is smaller than an average institute."),
    P("org_size_sigma", 0.5, "log-sd", 0, 2, "Spread of organisations' sizes (assumption)."),
    # --- world cluster ranking --------------------------------------------------------------------
    P("cluster_pct_weight", 8.0, "publications per PCT filing", 1, 30,
      "Relative weight of one PCT filing against one publication in the cluster score; between "
      "6.4 and 10.3 the 2015-2019 counts give the documented 2020 order (doc-2020-12)."),
    # --- measurement: how the statistics count what the model holds (sim.indicators) --------------
    P("meas_fte_per_head", 0.88, "person-years per person", 0.6, 1.0,
      "Full-time equivalents per R&D person counted by head: 313,986 R&D personnel FTE in 2019 "
      "(shared/data BJ0069) over the documented 357,000 (doc-2020-12, a 2019 headcount of R&D personnel; "
      "shared/data README). The model's researchers are that headcount."),
    P("meas_researcher_share_of_fte", 0.662, "share", 0.5, 0.8,
      "Researchers' share of R&D personnel FTE: 207,995 of 313,986 in 2019 (shared/data BJ0078, BJ0069), "
      "the first year of the yearbook's current coverage (0.672 and 0.677 in 2020 and 2021)."),
    P("meas_patents_per_invention_patent", 2.475, "patents per invention patent", 2.0, 3.0,
      "All patents granted (inventions, utility models, designs) per invention patent granted in Beijing: "
      "2.48, 2.32 and 2.63 in 2016-2018 (shared/data), whose mean is used (2019-2021: 2.48, 2.57, 2.51)."),
    P("meas_basic_share_of_block", 0.218, "share", 0.0, 0.5,
      "Share of organisations' block funding spent on basic research (the national R&D bulletins' "
      "definition): with 8.74 bn yuan of basic grants paid and no national-lab budget in 2016, the share "
      "of the 56.85 bn yuan of block funding that gives 2016's 21.12 bn yuan (shared/data) at the 2016 state."),
    P("meas_basic_share_of_lab_budgets", 0.7, "share", 0.3, 1.0,
      "Share of national laboratories' own budgets spent on basic research: their mission is basic and "
      "frontier research, with some applied work (reasoning; the bulletins do not break it out)."),
    # --- the technology market (sim.markets.technology) -------------------------------------------
    P("tech_turnover_2016_bn_yuan", 394.1, "bn yuan/year, nominal", 300, 500,
      "Value of technology contracts registered in Beijing (seller in Beijing) in 2016: 394.1 bn yuan "
      "(shared/data BJ0152, high confidence). Buyers outside the model are solved so that 2016 turnover "
      "equals it at the 2016 steady state."),
    P("tech_capacity_per_firm_researcher_myuan", 3.0, "m yuan/researcher/year, 2016 research prices", 1, 6,
      "Contracts a firm researcher (with the engineers around them) can deliver a year. Turnover per R&D "
      "person was 1.56 m yuan in 2016 (394.1 bn yuan over 253,337 FTE, shared/data BJ0152, BJ0066); firms "
      "sell most of it, and their technical services use staff outside the R&D count, so a firm researcher's "
      "capacity is about twice that (assumption). With the other capacities it leaves sellers at about "
      "three-quarters of capacity in 2016 (508 bn yuan at scale 5), so turnover is driven by demand, as its growth of 78 % over 2016-2021 "
      "against 17 % more R&D personnel (FTE, spliced across the 2019 break: calibration/targets.yaml) suggests."),
    P("tech_capacity_per_patent_myuan", 0.5, "m yuan/patent/year, 2016 research prices", 0, 3,
      "Transfer and licensing a firm's patent stock can carry a year (assumption: transfers and licences are "
      "a small part of contract value, which is mostly services and development; order of the IP-pledge "
      "appraisal per patent, loan_value_per_patent_myuan)."),
    P("tech_capacity_per_academic_myuan", 0.5, "m yuan/researcher/year, 2016 research prices", 0.1, 3,
      "Contracts an academic researcher of a mean-quality organisation can deliver a year, alongside "
      "teaching and papers (assumption: universities and institutes sell a sixth or so of Beijing's contract "
      "value, enterprises most of it, as in national technology-market statistics, where enterprises are the "
      "sellers of about nine-tenths)."),
    P("tech_buy_share_of_rd", 0.3, "share of yearly R&D spending", 0, 1,
      "External technology a Beijing technology firm buys relative to its own R&D (assumption: firms' "
      "external R&D and technology purchases run at a tenth to a half of intramural R&D in the yearbooks' "
      "firm surveys; the rest of the local market, government and firms outside the model, is among the "
      "outside buyers)."),
    P("tech_outside_demand_gdp_elasticity", 1.4, "elasticity to the nominal GDP index", 0.5, 2.5,
      "Demand from buyers outside the model grows with nominal GDP (the model's, a proxy for China's) to this "
      "power: China's R&D expenditure, a proxy for its demand for R&D services, grew from 1,567.7 to "
      "2,795.6 bn yuan over 2016-2021 while nominal GDP grew from 74.4 to 114.4 tn yuan (NBS R&D bulletins "
      "and communiques): 1.35 times as fast in logs, 1.45 against Beijing's nominal GDP."),
)

BY_NAME: dict[str, Parameter] = {p.name: p for p in SPECS}
assert len(BY_NAME) == len(SPECS), "duplicate parameter names"


def check(name: str, value: float) -> str | None:
    """Why ``value`` is not allowed for parameter ``name``, or ``None``."""
    spec = BY_NAME.get(name)
    if spec is None:
        from sim.inputs import did_you_mean

        return f"unknown parameter{did_you_mean(name, BY_NAME)}; see `innovsim parameters` for the {len(SPECS)} names"
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
