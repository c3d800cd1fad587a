"""Output indicators: what the model reports, one row per simulated year.

Each :class:`Indicator` has a name, a unit, whether it is a stock (measured at the end of the
year) or a flow (summed over the year's four quarters), and how it is computed. Counts are in
persons, firms or papers whatever the scale (agents times ``scale``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim.agents.firm import FOREIGN, HTE, IS_DOMESTIC, MNC, RD_CENTRE
from sim.world.places import ZGC

if TYPE_CHECKING:  # pragma: no cover
    from sim.model import InnovationModel


@dataclass(frozen=True)
class Indicator:
    name: str
    unit: str
    kind: str          # "stock" (end of year) or "flow" (sum over the year)
    description: str


INDICATORS: tuple[Indicator, ...] = (
    Indicator("researchers", "persons", "stock", "Domestic researchers in universities, institutes, labs and firms."),
    Indicator("foreign_talent", "persons", "stock", "Foreign scientists and engineers working in Beijing."),
    Indicator("foreign_scientists_settled_cum", "persons since 2018", "stock",
              "Foreign scientists helped to settle (housing, insurance, schooling) since 2018."),
    Indicator("foreign_arrivals", "persons/year", "flow", "Foreign scientists and engineers arriving with a work permit."),
    Indicator("permit_backlog", "persons", "stock",
              "Work-permit applications waiting at year end because the immigration budget did not cover them."),
    Indicator("permit_processing_days", "days", "flow",
              "Days a work permit took, mean over the year's quarters (the lever's target unless the budget binds)."),
    Indicator("permit_budget_binding_quarters", "quarters (0-4)", "flow",
              "Quarters in which the immigration budget, not the target, set the processing time."),
    Indicator("permanent_residence_grants_cum", "persons since 2016", "stock",
              "Foreign scientists granted permanent residence since 2016."),
    Indicator("permanent_residence_grants", "persons/year", "flow",
              "Foreign scientists granted permanent residence in the year (applications the agency approved)."),
    Indicator("papers", "papers/year", "flow", "Indexed scientific papers by Beijing-based authors."),
    Indicator("intl_coauthored_papers", "papers/year", "flow", "Papers with foreign co-authors."),
    Indicator("intl_coauthored_share", "share", "flow", "Share of papers with foreign co-authors."),
    Indicator("patents", "patents/year", "flow",
              "Invention patents granted to Beijing firms (from their real R&D) and academic organisations."),
    Indicator("high_tech_enterprises", "firms", "stock", "Certified (state-level) high-tech enterprises."),
    Indicator("high_tech_enterprises_before_round", "firms", "stock",
              "Certified high-tech enterprises just before the year's recognition round (the start of the "
              "last quarter): the stock through most of the year, as counts dated before the lists show it."),
    Indicator("high_tech_recognitions", "firms/year", "flow",
              "Certificates issued in the year's recognition round, new and renewed: the count of the "
              "year's published recognition lists."),
    Indicator("graduates", "persons/year", "flow",
              "Graduates of Beijing's universities seeking research careers (those not placed in a post leave)."),
    Indicator("researcher_entrants", "persons/year", "flow", "Graduates who took up a research post."),
    Indicator("graduate_placement_share", "share", "flow",
              "Share of the year's graduates seeking research careers who took up a research post "
              "(researcher_entrants over graduates): below one where posts, not graduates, bind."),
    Indicator("startups_founded", "firms/year", "flow",
              "Technology startups founded by researchers who raised seed money. Seed money caps the number: "
              "its supply follows demand, which only real GDP growth and prices move, and no policy lever adds "
              "to it (the innovation fund invests in firms that already hold patents, not in founders), so "
              "levers can lower foundings but hardly raise them, as the studies of loan guarantees, "
              "government venture funds and SME relief find (shared/brief/EVIDENCE.md sections 3, 4 and 8; "
              "sim/markets/finance.py)."),
    Indicator("firm_failures", "firms/year", "flow", "Domestic firms that ran out of cash or defaulted on a loan."),
    Indicator("sme_employment", "persons", "stock", "Staff of domestic firms small enough for SME relief."),
    Indicator("multinational_corporations", "firms", "stock",
              "Multinationals with headquarters in Beijing or partners there."),
    Indicator("foreign_companies", "organisations", "stock",
              "Foreign companies and research institutions, including foreign R&D centres."),
    Indicator("zhongguancun_foreign_companies", "organisations", "stock", "Foreign companies and institutions in Zhongguancun."),
    Indicator("foreign_rd_centres", "centres", "stock", "Foreign R&D centres."),
    Indicator("firms", "firms", "stock", "All firms in the model."),
    Indicator("rd_expenditure_bn_yuan", "bn yuan/year, nominal", "flow",
              "R&D expenditure on the survey definition of the official series (nominal): firms' real R&D "
              "(no relabelled costs) plus the research money of universities, institutes and labs (block "
              "funding, grants, national labs' budgets)."),
    Indicator("rd_business_bn_yuan", "bn yuan/year, nominal", "flow", "Firms' reported R&D (nominal; includes relabelled costs)."),
    Indicator("rd_business_real_bn_yuan", "bn 2016 yuan/year", "flow",
              "Firms' real R&D effort: actual R&D (no relabelling) deflated by the research cost index."),
    Indicator("rd_share_of_gdp", "share", "flow", "R&D expenditure over GDP."),
    Indicator("tech_contract_turnover_bn_yuan", "bn yuan/year, nominal", "flow",
              "Technology contracts registered in Beijing (nominal): contracts sold by Beijing's research "
              "organisations and domestic firms to buyers in Beijing and elsewhere (the technology market)."),
    Indicator("academic_spending_per_head", "researcher-years", "flow",
              "Research money of universities, institutes and labs per academic researcher, over the cost "
              "of a researcher-year (yearly mean of quarters): 1 when the money pays exactly for the staff, "
              "more when money outruns hiring and the rest buys equipment, materials and assistants."),
    Indicator("gdp_bn_yuan", "bn yuan/year, nominal", "flow", "Beijing's GDP (nominal)."),
    Indicator("gdp_deflator_index", "2016 = 1", "stock", "GDP deflator."),
    Indicator("research_cost_index", "2016 = 1", "stock", "Price of a researcher-year."),
    Indicator("grants_bn_yuan", "bn yuan/year, nominal", "flow", "Competitive research grants paid."),
    Indicator("tax_breaks_bn_yuan", "bn yuan/year, nominal", "flow", "SME tax relief granted plus tax forgone through the R&D super-deduction."),
    Indicator("ip_pledge_loans_bn_yuan", "bn yuan/year, nominal", "flow", "New loans secured by pledged patents."),
    Indicator("ip_pledge_defaults_bn_yuan", "bn yuan/year, nominal", "flow", "Principal of IP-pledge loans in default."),
    Indicator("innovation_fund_invested_bn_yuan", "bn yuan/year, nominal", "flow", "Innovation fund investment."),
    Indicator("venture_finance_bn_yuan", "bn yuan/year, nominal", "flow",
              "Innovation fund investment plus private money co-invested beside it."),
    Indicator("settlement_support_bn_yuan", "bn yuan/year, nominal", "flow", "Settlement support paid to foreign scientists."),
    Indicator("cluster_score_ratio", "ratio", "flow",
              "Beijing's cluster score over that of the strongest rival, same window as the rank (above 1: first)."),
    Indicator("cluster_rank", "rank (1 best)", "flow",
              "Rank among Beijing and four leading rival clusters by publications and PCT filings, "
              "as WIPO ranks them: on the five years before the year (2016: on 2016 itself)."),
    Indicator("cluster_position", "rank (continuous)", "flow",
              "The rank as a continuous number, rounding to it: where Beijing's log score lies between "
              "the rivals just above and below (used to fit the rank)."),
    # Indicators defined as Beijing's official statistics define them (shared/data; docs/model.md,
    # "Observation"): what the model holds, counted the way the statistic counts.
    Indicator("basic_research_bn_yuan", "bn yuan/year, nominal", "flow",
              "Basic research expenditure (nominal): basic grants paid, plus the basic-research shares of "
              "organisations' block funding and of national labs' budgets."),
    Indicator("rd_personnel_fte", "person-years", "stock",
              "R&D personnel in full-time equivalents: the researchers (a headcount of R&D personnel) times "
              "full-time equivalents per head (meas_fte_per_head); the yearbook's coverage since 2019."),
    Indicator("researchers_fte", "person-years", "stock",
              "Researchers in full-time equivalents: R&D personnel FTE times researchers' share of it."),
    Indicator("invention_patents_granted", "patents/year", "flow",
              "Invention patents granted to Beijing's firms and research organisations (the model's patents)."),
    Indicator("patents_granted", "patents/year", "flow",
              "All patents granted (inventions, utility models, designs): invention patents times the "
              "observed ratio of all patents to invention patents."),
    Indicator("sci_papers", "papers/year", "flow",
              "SCI-indexed papers by Beijing-based authors, whole counting (the model's papers)."),
    Indicator("multinational_regional_hq", "headquarters", "stock",
              "Multinationals' regional headquarters recognised in Beijing (the model's multinationals)."),
)
BY_NAME = {i.name: i for i in INDICATORS}
NAMES = tuple(i.name for i in INDICATORS)


def measure(model: "InnovationModel") -> dict[str, float]:
    """The indicators for the year that ends with the current quarter."""
    k, p = model.scale, model.p
    f = model.firms
    kind, zone, alive = f.cols["kind"], f.cols["zone"], f.alive
    flows = model.flows
    foreign_orgs = alive & ((kind == FOREIGN) | (kind == RD_CENTRE))
    papers = flows["papers"]
    patents = flows["patents_academic"] + flows["patents_firms"]
    rd = flows["rd_business_survey_bn_yuan"] + flows["rd_academic_bn_yuan"]
    domestic = alive & IS_DOMESTIC[kind]
    weight = f.cols["weight"]

    def count(mask: np.ndarray) -> float:
        """Firms where ``mask`` holds (each row stands for ``weight`` firms)."""
        return float(weight[mask].sum())

    small = domestic & (f.cols["staff"] < model.p.firm_sme_staff_limit)
    fte = len(model.researchers) * k * p.meas_fte_per_head      # R&D personnel, full-time equivalents
    model.cluster_history[model.year] = model.race.score(patents * model.p.firm_pct_share, papers)
    score, rivals = cluster_window(model)
    ag = model.agencies
    row = {
        "year": model.year,
        "researchers": len(model.researchers) * k,
        "foreign_talent": len(model.foreign) * k,
        "foreign_scientists_settled_cum": model.totals["foreign_scientists_settled_cum"],
        "permanent_residence_grants_cum": model.totals["permanent_residence_grants_cum"],
        "permanent_residence_grants": flows["permanent_residence_grants"],
        "foreign_arrivals": flows["foreign_arrivals"],
        "permit_backlog": float(model.permit_queue.sum()),
        "permit_processing_days": flows["permit_days_sum"] / 4.0,
        "permit_budget_binding_quarters": flows["permit_budget_binding_quarters"],
        "papers": papers,
        "intl_coauthored_papers": flows["intl_coauthored_papers"],
        "intl_coauthored_share": flows["intl_coauthored_papers"] / papers if papers else 0.0,
        "patents": patents,
        "high_tech_enterprises": count(alive & (kind == HTE)),
        "high_tech_enterprises_before_round": model.hte_before_round,
        "high_tech_recognitions": flows["hte_recognised"],
        "graduates": flows["graduates"],
        "researcher_entrants": flows["researcher_entrants"],
        "graduate_placement_share": flows["researcher_entrants"] / flows["graduates"] if flows["graduates"] else 0.0,
        "startups_founded": flows["startups_founded"],
        "firm_failures": flows["firm_failures"],
        "sme_employment": float((f.cols["staff"] * weight)[small].sum()),
        "multinational_corporations": count(alive & (kind == MNC)),
        "foreign_companies": count(foreign_orgs),
        "zhongguancun_foreign_companies": count(foreign_orgs & (zone == ZGC)),
        "foreign_rd_centres": count(alive & (kind == RD_CENTRE)),
        "firms": count(alive),
        "rd_expenditure_bn_yuan": rd,
        "rd_business_bn_yuan": flows["rd_business_bn_yuan"],
        "rd_business_real_bn_yuan": flows["rd_business_real_bn_yuan"],
        "rd_share_of_gdp": rd / flows["gdp_bn_yuan"],
        "tech_contract_turnover_bn_yuan": flows["tech_contract_turnover_bn_yuan"],
        "academic_spending_per_head": flows["academic_spending_per_head"],
        "gdp_bn_yuan": flows["gdp_bn_yuan"],
        "gdp_deflator_index": model.world.deflator,
        "research_cost_index": model.world.research_cost_index,
        "grants_bn_yuan": ag["science"].spent_year,
        "tax_breaks_bn_yuan": ag["tax"].spent_year + flows["super_deduction_forgone_bn"],
        "ip_pledge_loans_bn_yuan": flows["ip_pledge_loans_bn_yuan"],
        "ip_pledge_defaults_bn_yuan": flows["ip_pledge_defaults_bn_yuan"],
        "innovation_fund_invested_bn_yuan": ag["innovation_fund"].spent_year,
        "venture_finance_bn_yuan": flows["venture_finance_bn_yuan"],
        "settlement_support_bn_yuan": ag["talent_office"].spent_year,
        "cluster_score_ratio": score / rivals.max(),
        "cluster_rank": model.race.rank(score, rivals),
        "cluster_position": model.race.position(score, rivals),
        "basic_research_bn_yuan": flows["grants_basic_bn_yuan"] + p.meas_basic_share_of_block * flows["rd_block_bn_yuan"]
        + p.meas_basic_share_of_lab_budgets * flows["rd_lab_budgets_bn_yuan"],
        "rd_personnel_fte": fte,
        "researchers_fte": fte * p.meas_researcher_share_of_fte,
        "invention_patents_granted": patents,
        "patents_granted": patents * p.meas_patents_per_invention_patent,
        "sci_papers": papers,
        "multinational_regional_hq": count(alive & (kind == MNC)),
    }
    return {name: float(value) for name, value in row.items()}


def cluster_window(model: "InnovationModel") -> tuple[float, np.ndarray]:
    """Beijing's and the rivals' mean scores over the ranking window for the current year.

    WIPO's ranking published in year ``y`` uses output from ``y - 5`` to ``y - 1``; before the
    model has five past years it uses those it has, and in 2016 the year itself.
    """
    year = model.year
    window = [y for y in range(year - 5, year) if y in model.cluster_history] or [year]
    beijing = float(np.mean([model.cluster_history[y] for y in window]))
    rivals = np.mean([model.race.rival_scores(y, model.rival_growth) for y in window], axis=0)
    return beijing, rivals
