"""Researchers: domestic scientists and engineers in universities, institutes, labs and firms.

State (one row each): field and zone; employer, either a research organisation (``org``) or a
firm (``firm``), the other being -1; years into a career; productivity (lognormal, mean one);
the grant held, if any, with quarters left to run; the papers, papers with foreign co-authors and
patents expected of the researcher so far this year; and the papers drawn for the last year.

Rules:

* **Output.** Each quarter a researcher's expected papers grow by a base rate (academic or firm)
  times productivity, times the host organisation's quality (``1 + res_host_quality_weight
  (q - 1)``), times the host's spending per head (:mod:`sim.agents.research_org`) to the power
  ``org_spending_paper_elasticity`` (money beyond salaries buys equipment, materials and
  assistants, with returns that diminish per head: EVIDENCE.md section 2), times ``1 + boost``
  while holding a grant: ``grant_basic_paper_boost`` for a basic
  grant, ``grant_applied_paper_boost`` for an applied one, the 5-15 % that grant studies find
  (EVIDENCE.md section 2), not the grant's size. The expected share of those papers written with
  foreign co-authors is that of the researcher's field-and-zone cell (see :meth:`intl_share`).
  At the end of the year each researcher's papers are drawn, Poisson, from what was expected, and
  how many of them have foreign co-authors, binomial: individual counts, so that the dispersion
  of output (Lotka's law) comes from the spread of productivity, not from a formula. A researcher
  who leaves during the year takes the expectation with them and their papers are drawn then.
  Academic researchers also patent, more so with an applied grant; firms' patents come from their
  R&D (see :mod:`sim.agents.firm`).
* **Life events** (competing risks, one uniform draw each): retire at the end of a career; leave
  Beijing or research; decide to found a startup, at a rate that rises with productivity and with
  the demand each domestic firm can expect relative to 2016 (to the power
  ``res_founding_demand_elasticity``: free entry); or look for a post with another employer.
* **Sector choice.** A researcher looking for a post prefers academia with the logit probability
  of ``res_academic_preference + res_pay_weight log(academic pay / industry pay) + res_quality_weight
  log(lab quality)``; the labour market (:mod:`sim.markets.labour`) places them where money funds
  a vacant post.
"""

from __future__ import annotations

import numpy as np

from sim.parameters import Parameters
from sim.population import Population, RowAgent
from sim.world.places import ZONES

NO_GRANT, BASIC, APPLIED = 0, 1, 2
MOVE, FOUND, EXIT = 1, 2, 3


#: Most of a cell's papers that can have foreign co-authors: a numerical guard, since the share
#: rises linearly with foreign colleagues and must stay below one.
MAX_INTL_SHARE = 0.95


class Researcher(RowAgent):
    """A domestic researcher; state lives in the model's researcher population."""

    COLUMNS = {
        "field": (np.int16, -1),
        "zone": (np.int8, -1),
        "org": (np.int32, -1),
        "firm": (np.int32, -1),
        "career_years": (np.float32, 0.0),
        "productivity": (np.float32, 0.0),
        "grant_kind": (np.int8, NO_GRANT),
        "grant_quarters": (np.int16, 0),
        "expected_papers": (np.float32, 0.0),
        "expected_intl": (np.float32, 0.0),
        "expected_patents": (np.float32, 0.0),
        "papers_last_year": (np.int16, 0),
    }

    @staticmethod
    def draw_productivity(rng: np.random.Generator, n: int, p: Parameters) -> np.ndarray:
        """Lognormal productivity with mean one."""
        s = p.res_productivity_sigma
        return rng.lognormal(-0.5 * s * s, s, n).astype(np.float32)

    @staticmethod
    def accrue_output(pop: Population, p: Parameters, org_quality: np.ndarray, intl_share_by_cell: np.ndarray,
                      cell: np.ndarray, spending_per_head: np.ndarray | None = None) -> None:
        """Add this quarter's expected papers, co-authored papers and patents to each row.
        ``spending_per_head`` is each organisation's (:meth:`ResearchOrganisation.spending_per_head`;
        one everywhere if None)."""
        c = pop.cols
        f32 = np.float32
        org = c["org"]
        spending = 1.0 if spending_per_head is None else spending_per_head
        academic = p.res_paper_rate_academic * (1.0 + p.res_host_quality_weight * (org_quality - 1.0)) \
            * np.power(spending, p.org_spending_paper_elasticity)
        host = np.append(academic, p.res_paper_rate_firm).astype(f32)          # host[-1]: the firm rate
        paper_boost = (np.array([1.0, 1.0 + p.grant_basic_paper_boost, 1.0 + p.grant_applied_paper_boost]) / 4.0).astype(f32)
        patent_boost = (np.array([1.0, 1.0, 1.0 + p.grant_applied_patent_boost]) * (p.res_academic_patent_rate / 4.0)).astype(f32)
        grant = c["grant_kind"]
        productivity = c["productivity"]            # zero in dead rows, so they add nothing
        papers = productivity * host[org] * paper_boost[grant]
        share = np.append(f32(0.0), intl_share_by_cell.astype(f32))[cell]
        c["expected_papers"] += papers
        c["expected_intl"] += papers * share
        c["expected_patents"] += np.where(org >= 0, productivity, f32(0.0)) * patent_boost[grant]

    @staticmethod
    def draw_output(pop: Population, rng: np.random.Generator, rows: np.ndarray | None = None) -> tuple[int, int, int]:
        """Draw the papers (and those with foreign co-authors) and patents expected of ``rows``
        (all live rows if None, at the year's end), record each row's papers and reset the
        expectations; returns (papers, co-authored papers, patents) per agent."""
        c = pop.cols
        sl = slice(None) if rows is None else rows
        lam, lam_intl, lam_pat = c["expected_papers"][sl], c["expected_intl"][sl], c["expected_patents"][sl]
        papers = rng.poisson(lam)
        some = np.flatnonzero(papers)
        intl = rng.binomial(papers[some], np.clip(lam_intl[some] / np.maximum(lam[some], 1e-12), 0.0, 1.0))
        patents = int(rng.poisson(float(lam_pat.sum(dtype=np.float64))))
        if rows is None:
            c["papers_last_year"][:] = np.minimum(papers, np.iinfo(np.int16).max)
        c["expected_papers"][sl] = 0.0
        c["expected_intl"][sl] = 0.0
        c["expected_patents"][sl] = 0.0
        return int(papers.sum()), int(intl.sum()), patents

    @staticmethod
    def draw_output_together(pop: Population, rng: np.random.Generator, rows: np.ndarray) -> tuple[int, int, int]:
        """Draw the output expected of ``rows`` as one total (Poisson of the summed expectations,
        the co-authored among them binomial) and reset their expectations; for researchers leaving
        during the year, whose individual counts are not recorded."""
        c = pop.cols
        lam = float(c["expected_papers"][rows].sum(dtype=np.float64))
        lam_intl = float(c["expected_intl"][rows].sum(dtype=np.float64))
        lam_pat = float(c["expected_patents"][rows].sum(dtype=np.float64))
        papers = int(rng.poisson(lam))
        intl = int(rng.binomial(papers, min(lam_intl / lam, 1.0))) if papers else 0
        patents = int(rng.poisson(lam_pat))
        for name in ("expected_papers", "expected_intl", "expected_patents"):
            c[name][rows] = 0.0
        return papers, intl, patents

    @staticmethod
    def cell(pop: Population) -> np.ndarray:
        """Field-and-zone cell of each row, plus one (0 for dead rows, whose field and zone are -1)."""
        c = pop.cols
        return np.maximum(c["field"] * np.int16(len(ZONES)) + c["zone"] + np.int16(1), 0)

    @staticmethod
    def intl_share(p: Parameters, foreign_per_researcher: np.ndarray, pressure: float) -> np.ndarray:
        """Share of papers with foreign co-authors, per field-and-zone cell: a base share that
        geopolitical pressure erodes, raised by foreign colleagues in the same cell."""
        return np.clip(p.res_intl_base * (1.0 - p.res_intl_geo_sensitivity * pressure)
                       * (1.0 + p.res_intl_tie_boost * foreign_per_researcher), 0.0, MAX_INTL_SHARE)

    @staticmethod
    def life_events(pop: Population, rng: np.random.Generator, p: Parameters, demand_per_firm_index: float,
                    founding_rate: float) -> np.ndarray:
        """Draw this quarter's event for every row: 0 none, EXIT, FOUND or MOVE.

        Retirement at the end of a career counts as EXIT. ``founding_rate`` is the yearly propensity
        at 2016 conditions (solved in the burn-in so that foundings match exits);
        ``demand_per_firm_index`` is the real demand per domestic firm relative to 2016, and founding
        rises with it.
        """
        c = pop.cols
        f32 = np.float32
        t_exit = np.where(c["career_years"] >= p.res_career_years, f32(1.0), f32(p.res_exit_rate / 4.0))
        found_rate = f32(founding_rate / 4.0 * max(demand_per_firm_index, 0.0) ** p.res_founding_demand_elasticity)
        t_found = t_exit + found_rate * c["productivity"] ** float(p.res_founding_productivity_exponent)
        t_move = t_found + f32(p.res_mobility / 4.0)
        u = rng.random(pop.capacity, dtype=f32)
        # Thresholds passed: 3 means EXIT, 2 FOUND, 1 MOVE, 0 nothing.
        event = (u < t_exit).view(np.int8) + (u < t_found).view(np.int8) + (u < t_move).view(np.int8)
        event *= pop.alive
        return event

    @staticmethod
    def academic_preference(p: Parameters, *, pay_ratio: float, lab_quality_index: float) -> float:
        """Probability that a researcher seeking a post tries academia first (logit)."""
        v = p.res_academic_preference + p.res_pay_weight * np.log(pay_ratio) + p.res_quality_weight * np.log(lab_quality_index)
        return float(1.0 / (1.0 + np.exp(-v)))

    @staticmethod
    def age(pop: Population) -> None:
        """A quarter passes: careers lengthen and grants run down (dead rows are reset at reuse)."""
        c = pop.cols
        c["career_years"] += np.float32(0.25)
        np.maximum(c["grant_quarters"] - 1, 0, out=c["grant_quarters"])
        c["grant_kind"] *= c["grant_quarters"] > 0

    @staticmethod
    def grant_applications(pop: Population, rng: np.random.Generator, p: Parameters,
                           org_quality: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Academic researchers without a grant apply; returns applicant rows and review scores.

        The score is true merit (productivity times host quality) blurred by review noise.
        """
        c = pop.cols
        rows = np.flatnonzero(pop.alive & (c["org"] >= 0) & (c["grant_kind"] == NO_GRANT))
        merit = c["productivity"][rows] * org_quality[c["org"][rows]]
        noise = np.exp(rng.standard_normal(rows.size, dtype=np.float32) * np.float32(p.grant_review_noise))
        return rows, merit * noise
