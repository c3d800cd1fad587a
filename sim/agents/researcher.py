"""Researchers: domestic scientists and engineers in universities, institutes, labs and firms.

State (one row each): field and zone; employer, either a research organisation (``org``) or a
firm (``firm``), the other being -1; years into a career; productivity (lognormal, mean one:
a few researchers write most papers); and the grant held, if any, with quarters left to run.

Rules, each quarter:

* **Output.** A researcher's expected papers are a base rate (higher in academia) times
  productivity, times the quality of the host organisation, times a boost while holding a grant
  (large for basic, small for applied grants). A paper has foreign co-authors with a probability
  that falls with geopolitical pressure and rises with the share of foreign scientists in the same
  field and zone. Academic researchers also patent, more so with an applied grant; firms' patents
  come from their R&D budgets (see :mod:`sim.agents.firm`), so firm researchers are not counted twice.
* **Life events** (competing risks, one uniform draw each): retire at the end of a career, leave
  Beijing or research, found a startup (more likely with more venture finance on offer and for
  more productive researchers), or move to another employer with a vacancy.
"""

from __future__ import annotations

import numpy as np

from sim.parameters import Parameters
from sim.population import Population, RowAgent
from sim.world.places import ZONES

NO_GRANT, BASIC, APPLIED = 0, 1, 2
MOVE, FOUND, EXIT = 1, 2, 3


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
    }

    @staticmethod
    def draw_productivity(rng: np.random.Generator, n: int, p: Parameters) -> np.ndarray:
        """Lognormal productivity with mean one."""
        s = p.res_productivity_sigma
        return rng.lognormal(-0.5 * s * s, s, n).astype(np.float32)

    @staticmethod
    def expected_output(pop: Population, p: Parameters, org_quality: np.ndarray,
                        intl_share_by_cell: np.ndarray, cell: np.ndarray | None = None) -> tuple[float, float, float]:
        """Expected papers, papers with foreign co-authors, and academic patents this quarter
        (sums over the population, per agent; the model draws the realised counts, and the sums
        are taken as dot products, which is several times faster than summing by cell).

        Per researcher: papers = base rate (academic or firm) x productivity x (1 + quality) / 2
        x grant boost. Co-authorship depends on the field-and-zone cell only, so it is applied
        to each cell's total (``intl_share_by_cell`` is flat, indexed by field * zones + zone; ``cell``
        may pass :meth:`cell` of the population if the caller has it).
        """
        c = pop.cols
        org = c["org"]
        # One gather reads base rate x host quality for academics, the firm rate (spare slot) otherwise.
        f32 = np.float32
        host = np.append(p.res_paper_rate_academic * (0.5 + 0.5 * org_quality), p.res_paper_rate_firm).astype(f32)
        paper_boost = (np.array([1.0, 1.0 + p.grant_basic_paper_boost, 1.0 + p.grant_applied_paper_boost]) / 4.0).astype(f32)
        patent_boost = (np.array([1.0, 1.0, 1.0 + p.grant_applied_patent_boost]) * (p.res_academic_patent_rate / 4.0)).astype(f32)
        grant = c["grant_kind"]
        productivity = c["productivity"]            # zero in dead rows, so they add nothing
        papers = productivity * host[org]           # host[-1] is the firm rate
        papers *= paper_boost[grant]
        cell = Researcher.cell(pop) if cell is None else cell
        share = np.append(f32(0.0), intl_share_by_cell.astype(f32))[cell]
        academic_productivity = np.where(org >= 0, productivity, f32(0.0))
        return (float(papers.sum(dtype=np.float64)), float(np.dot(papers, share)),
                float(np.dot(academic_productivity, patent_boost[grant])))

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
                       * (1.0 + p.res_intl_tie_boost * foreign_per_researcher), 0.0, 0.95)

    @staticmethod
    def life_events(pop: Population, rng: np.random.Generator, p: Parameters,
                    finance_index: float) -> np.ndarray:
        """Draw this quarter's event for every row: 0 none, EXIT, FOUND or MOVE.

        ``finance_index`` measures venture finance on offer (innovation fund per 10 bn yuan a
        year plus the loan guarantee share); it raises the founding hazard.
        """
        c = pop.cols
        f32 = np.float32
        t_exit = np.where(c["career_years"] >= p.res_career_years, f32(1.0), f32(p.res_exit_rate / 4.0))
        found_rate = f32((p.res_founding_rate / 4.0) * (1.0 + p.res_founding_finance_boost * finance_index))
        t_found = t_exit + found_rate * np.sqrt(c["productivity"])
        t_move = t_found + f32(p.res_mobility / 4.0)
        u = rng.random(pop.capacity, dtype=f32)
        # Thresholds passed: 3 means EXIT, 2 FOUND, 1 MOVE, 0 nothing.
        event = (u < t_exit).view(np.int8) + (u < t_found).view(np.int8) + (u < t_move).view(np.int8)
        event *= pop.alive
        return event

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
