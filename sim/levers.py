"""The catalogue of policy levers and outside (exogenous) inputs.

A *lever* is something the city and central agencies set: a budget, a processing time, a tax
rate. An *exogenous input* is something they do not control: the economy's growth, geopolitical
pressure, the world's pool of mobile scientists, the growth of competing clusters. Both are
given in scenario files as schedules over time (see :mod:`sim.scenario.schedule`).

Each entry states its unit, the range a scenario may use, the value it takes when a scenario
says nothing (the 2016 status quo, held constant: a scenario that does not extend the baseline
is therefore "no policy change since 2016"), and what it means in the model. The documented
timeline of policy from 2016 to 2024 lives in ``scenarios/baseline.yaml``, not here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

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
    Lever("research_grants_bn_yuan", "lever", "bn yuan/year", 0, 500, 25.0,
          "Competitive research grant budget reaching Beijing's universities, institutes and labs "
          "(national and city programmes). Spent by the science agency in grant calls each quarter."),
    Lever("basic_research_share", "lever", "share 0..1", 0, 1, 0.35,
          "Share of the grant budget reserved for basic research. Basic grants raise publication "
          "output; applied grants raise patenting."),
    Lever("visa_processing_days", "lever", "days", 1, 365, 30.0,
          "Days from application to a work permit for a foreign scientist or engineer. Shorter "
          "processing makes Beijing more attractive but costs the immigration agency more per case; "
          "unless immigration_budget_myuan rises with it, very short times leave applications "
          "waiting (indicator permit_backlog)."),
    Lever("talent_settlement_support_kyuan", "lever", "thousand yuan/person/year", 0, 2000, 0.0,
          "Support paid each year to a foreign scientist helped to settle (housing, insurance, "
          "children's schooling). Raises arrivals and retention; paid from the talent office budget."),
    Lever("international_amenities", "lever", "index, 2016 = 1", 0.2, 10, 1.0,
          "Supply of international schools, hospitals and apartments. Enters foreign talent's "
          "choice to come and to stay in logarithms (doubling matters as much at any level)."),
    Lever("foreign_led_projects", "lever", "share 0..1", 0, 1, 0.0,
          "Share of major research projects that foreign scientists may lead as principal or chief "
          "scientist. Attracts foreign talent and raises the productivity of those who lead."),
    Lever("rd_super_deduction_rate", "lever", "extra share of R&D deductible", 0, 3, 0.5,
          "Extra share of R&D spending firms may deduct from taxable income (0.75 means 175 % is "
          "deductible). Lowers the user cost of R&D and so raises firms' R&D spending."),
    Lever("sme_tax_relief_bn_yuan", "lever", "bn yuan/year", 0, 500, 32.0,
          "Tax relief granted to small and medium-sized technology firms, shared out by the tax "
          "agency in proportion to revenue. Eases cash constraints on R&D and lowers failure."),
    Lever("ip_pledge_loan_guarantee_share", "lever", "share 0..1", 0, 1, 0.1,
          "Share of default losses on loans secured by pledged patents that the city bears. Banks "
          "approve more IP-pledge loans the larger the guarantee."),
    Lever("innovation_fund_bn_yuan", "lever", "bn yuan/year", 0, 200, 0.0,
          "Yearly investment by the city's innovation fund in startups and small technology firms "
          "with promising patents."),
    Lever("national_labs", "lever", "labs in operation", 0, 30, 0.0,
          "National laboratories in operation in Beijing. Each is a large research organisation "
          "with major instruments, raising lab quality for researchers and foreign talent."),
    Lever("engineering_education_index", "lever", "index, 2016 = 1", 0.2, 5, 1.0,
          "Number of graduates entering research careers each year, relative to 2016 (engineering "
          "education reform, better university disciplines): the domestic talent pipeline."),
    Lever("pr_min_years", "lever", "years", 0.5, 20, 5.0,
          "Years in the city before a foreign scientist may apply for permanent residence "
          "(the points-based evaluation of 2024 shortens this for the most productive)."),
    Lever("immigration_budget_myuan", "lever", "m yuan/year", 1, 5_000, 80.0,
          "Budget of the immigration agency for processing work permits and permanent residence "
          "(assumption for 2016: covers about 25,000 cases a year at 30 days). Faster processing "
          "needs more of it."),
    Lever("settlement_budget_bn_yuan", "lever", "bn yuan/year", 0, 50, 0.6,
          "Budget of the talent office for settlement support, used only while support is offered: "
          "how many scientists can be helped at the support per person."),
    Lever("ip_guarantee_budget_bn_yuan", "lever", "bn yuan/year", 0, 100, 1.0,
          "City budget for paying the guaranteed share of defaulted IP-pledge loans; beyond it banks "
          "bear the loss."),
    Lever("gdp_growth", "exogenous", "per year (nominal)", -0.3, 0.4, 0.08,
          "Nominal growth of Beijing's GDP. Drives firms' revenue, institutional research "
          "funding and pay, and is the denominator of R&D intensity."),
    Lever("geopolitical_pressure", "exogenous", "index 0..1", 0, 1, 0.1,
          "Pressure and sanctions from abroad on Chinese technology institutions. Deters foreign "
          "talent (most from North America), multinationals and international co-authorship."),
    Lever("global_talent_pool_growth", "exogenous", "per year", -0.3, 0.3, 0.02,
          "Growth of the world's pool of internationally mobile scientists and engineers."),
    Lever("competitor_growth", "exogenous", "per year", -0.3, 0.5, 0.03,
          "Common growth of the competing clusters' publications and international patent "
          "filings (each cluster adds its own momentum, see parameters)."),
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
