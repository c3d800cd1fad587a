"""The catalogue of policy levers and outside (exogenous) inputs.

A *lever* is something the city and central agencies set: a budget, a processing time, a tax
rate. An *exogenous input* is something they do not control: the economy's real growth and its
prices, geopolitical pressure, the world's pool of mobile scientists, the growth of each competing
cluster. Every money lever says in its unit whether it is nominal (yuan of the day, as budgets are
announced) or at 2016 prices (indexed to the GDP deflator). Both are
given in scenario files as schedules over time (see :mod:`sim.scenario.schedule`).

Each entry states its unit, the range a scenario may use, the value it takes when a scenario
says nothing (the 2016 status quo, held constant: a scenario that does not extend the baseline
is therefore "no policy change since 2016"), and what it means in the model. The documented
timeline of policy from 2016 to 2024 lives in ``scenarios/baseline.yaml``, not here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sim.world.patent_office import EXAMINATION_MONTHS_2016

Kind = Literal["lever", "exogenous"]


@dataclass(frozen=True)
class Lever:
    """One lever or exogenous input: name, unit, allowed range, default and meaning."""

    name: str
    kind: Kind
    unit: str
    low: float
    high: float
    default: float
    meaning: str

    def check(self, value: float) -> str | None:
        """Return why ``value`` is not allowed, or ``None`` when it is."""
        if not (self.low <= value <= self.high):
            return f"{value:g} is outside the allowed range {self.low:g} to {self.high:g} ({self.unit})"
        return None


LEVERS: tuple[Lever, ...] = (
    Lever("research_grants_bn_yuan", "lever", "bn yuan/year, nominal", 0, 500, 25.0,
          "Competitive research grant budget reaching Beijing's universities, institutes and labs "
          "(national and city programmes), in yuan of the day: a flat budget buys fewer grants as the "
          "research cost index rises. Spent by the science agency in grant calls each quarter; the money "
          "reaches the holders' organisations, which fund research posts with it."),
    Lever("basic_research_share", "lever", "share 0..1", 0, 1, 0.35,
          "Share of new grant awards (and so of new grant money, grants being of one size) that are for "
          "basic research. Basic grants raise their holders' papers more, applied grants their patents."),
    Lever("visa_processing_days", "lever", "days", 1, 365, 30.0,
          "Target days from application to a work permit for a foreign scientist or engineer. Faster "
          "processing costs the immigration agency more per case; where its budget cannot pay for the "
          "target, cases take as long as the budget allows (indicator permit_processing_days, and a "
          "warning in the results), so a faster target never slows processing."),
    Lever("talent_settlement_support_kyuan", "lever", "thousand yuan/person/year, nominal", 0, 2000, 0.0,
          "Support paid each year to a foreign scientist helped to settle (housing, insurance, "
          "children's schooling). Adds to the pay a mobile scientist expects in Beijing and keeps "
          "recipients; paid from the talent office budget."),
    Lever("international_amenities", "lever", "index, 2016 = 1", 0.2, 10, 1.0,
          "Supply of international schools, hospitals and apartments. Enters foreign talent's "
          "choice to come and to stay in logarithms (doubling matters as much at any level)."),
    Lever("foreign_led_projects", "lever", "share 0..1", 0, 1, 0.0,
          "Share of major research projects that foreign scientists may lead as principal or chief "
          "scientist. Attracts foreign talent and raises the productivity of those who lead."),
    Lever("rd_super_deduction_rate", "lever", "extra share of R&D deductible", 0, 3, 0.5,
          "Extra share of R&D spending firms may deduct from taxable income (0.75 means 175 % is "
          "deductible). Lowers the user cost of R&D of firms with taxable profit in full, of firms "
          "without it only through the loss carried forward."),
    Lever("sme_tax_relief_bn_yuan", "lever", "bn yuan/year, nominal", 0, 500, 32.0,
          "Tax relief granted to small and medium-sized technology firms, shared out by the tax "
          "agency in proportion to revenue. Cash that eases financially constrained small firms' "
          "hiring and survival."),
    Lever("ip_pledge_loan_guarantee_share", "lever", "share 0..1", 0, 1, 0.1,
          "Share of default losses on loans secured by pledged patents that the city bears. Banks "
          "approve more (and riskier) IP-pledge loans the larger the guarantee."),
    Lever("innovation_fund_bn_yuan", "lever", "bn yuan/year, nominal", 0, 200, 0.0,
          "Yearly investment by the city's innovation fund in young technology firms with patents; "
          "private investors co-invest beside it."),
    Lever("national_labs", "lever", "labs in operation", 0, 30, 0.0,
          "National laboratories in operation in Beijing. Each is a large research organisation "
          "with its own budget and major instruments, raising lab quality for researchers and foreign talent."),
    Lever("engineering_education_index", "lever", "index, 2016 = 1", 0.2, 5, 1.0,
          "Number of graduates seeking research careers each year, relative to 2016 (engineering "
          "education reform, better university disciplines): the domestic talent pipeline. "
          "Graduates take up research only where money funds a post."),
    Lever("pr_min_years", "lever", "years", 0.5, 20, 5.0,
          "Years in the city before a foreign scientist may apply for permanent residence "
          "(the points-based evaluation of 2024 shortens this for the most productive)."),
    Lever("immigration_budget_myuan", "lever", "m yuan/year at 2016 prices", 1, 5_000, 80.0,
          "Budget of the immigration agency for processing work permits and permanent residence, "
          "in 2016 yuan (indexed to the GDP deflator), so a flat schedule is a constant real capacity "
          "(assumption for 2016: about 25,000 cases a year at 30 days)."),
    Lever("settlement_budget_bn_yuan", "lever", "bn yuan/year, nominal", 0, 50, 0.6,
          "Budget of the talent office for settlement support, used only while support is offered: "
          "how many scientists can be helped at the support per person."),
    Lever("ip_guarantee_budget_bn_yuan", "lever", "bn yuan/year, nominal", 0, 100, 1.0,
          "City budget for paying the guaranteed share of defaulted IP-pledge loans; beyond it banks "
          "bear the loss."),
    Lever("gdp_growth", "exogenous", "per year (real)", -0.3, 0.4, 0.068,
          "Real growth of Beijing's GDP. Drives demand for firms' products, multinationals' entry, "
          "institutional research funding and researchers' real pay."),
    Lever("gdp_deflator_growth", "exogenous", "per year", -0.1, 0.3, 0.036,
          "Growth of the GDP deflator: nominal GDP is real GDP times the deflator, and the research "
          "cost index rises with it (see sim.world.drivers)."),
    Lever("geopolitical_pressure", "exogenous", "index 0..1", 0, 1, 0.1,
          "Pressure and sanctions from abroad on Chinese technology institutions. Deters foreign "
          "talent (most from North America), multinationals and international co-authorship."),
    Lever("global_talent_pool_growth", "exogenous", "per year", -0.3, 0.3, 0.02,
          "Growth of the world's pool of internationally mobile scientists and engineers."),
    Lever("patent_examination_months", "exogenous", "months", 3, 60, EXAMINATION_MONTHS_2016,
          "Average pendency of invention-patent examination at the national patent office: about 22 "
          "months in 2016-2018 (SAMR, November 2018), 20 in 2020 (CNIPA Annual Report 2020), about 19.1 "
          "in August 2021 (People's Daily, 29 August 2021), with a plan to cut it by a third within "
          "five years from 2018. Faster examination grants the queue of filings sooner: grants rise "
          "for a while, not for good (see sim.world.patent_office)."),
    Lever("rival_growth_tokyo_yokohama", "exogenous", "per year", -0.3, 0.5, 0.01,
          "Growth of Tokyo-Yokohama's publications and PCT filings. Default: about flat, as its "
          "output has been; with the other defaults it keeps WIPO's 2018-2021 order."),
    Lever("rival_growth_shenzhen_hong_kong_guangzhou", "exogenous", "per year", -0.3, 0.5, 0.08,
          "Growth of Shenzhen-Hong Kong-Guangzhou's output. Default: fast, as its PCT filings grew; "
          "it stays second in WIPO's 2018-2021 rankings."),
    Lever("rival_growth_seoul", "exogenous", "per year", -0.3, 0.5, 0.03,
          "Growth of Seoul's output. Default: moderate; Seoul passed San Jose-San Francisco by 2018."),
    Lever("rival_growth_san_jose_san_francisco", "exogenous", "per year", -0.3, 0.5, 0.01,
          "Growth of San Jose-San Francisco's output. Default: slow; fourth in 2018, behind Beijing by 2020."),
)

BY_NAME: dict[str, Lever] = {lever.name: lever for lever in LEVERS}
POLICY_LEVERS: tuple[str, ...] = tuple(l.name for l in LEVERS if l.kind == "lever")
EXOGENOUS: tuple[str, ...] = tuple(l.name for l in LEVERS if l.kind == "exogenous")


def table() -> list[dict[str, object]]:
    """The catalogue as rows, for ``innovsim levers`` and the docs."""
    return [
        {"name": l.name, "kind": l.kind, "unit": l.unit, "low": l.low, "high": l.high,
         "default": l.default, "meaning": l.meaning}
        for l in LEVERS
    ]
