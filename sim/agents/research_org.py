"""Research organisations: universities, institutes, state key laboratories and national labs.

State: kind, zone, main field, quality (lognormal around one; national labs well above),
size weight, its share of the city's block (institutional) research funding,
its own yearly budget (national labs), grant income this quarter, technology-contract income this
quarter (recorded, not funding posts: :mod:`sim.markets.technology`), graduates this year.

Rules:

* **Hosting.** An organisation funds research posts with the money it receives: its share of
  block funding, the grants its researchers hold (paid to it by the science agency) and, for a
  national lab, its own budget. Its posts are that money over the cost of an academic
  researcher-year; an organisation with fewer researchers than posts has vacancies, one with
  more sheds staff (see :mod:`sim.markets.labour`). Block shares are set in 2016 so that each
  organisation's money paid for the staff it had.
* **Capacity.** Money alone does not make posts: grant-funded postdocs and contract researchers
  need supervisors, space and instruments, which the sponsor provides with the block grant, and
  public institutions hire within staff quotas. An organisation's posts are therefore at most its
  capacity, ``1 + org_capacity_headroom`` times its establishment: the staff it is given at
  initialisation (before the burn-in), grown with block funding in real terms (never shrinking:
  space once built stays), or for a national lab the posts its own budget pays. Money beyond what
  the capacity can employ is still spent, on the research itself: it raises spending per head,
  whose returns diminish (Zhi & Meng 2016, EVIDENCE.md section 2, find an inverted U; the model
  keeps the return positive). This caps how far grants won by merit can gather staff in the best
  organisations: it is a ceiling, approached over years, not a level reached at once.
* **Spending per head.** An organisation spends all its research money: the salaries of the
  researchers it has, and the rest on the research itself (equipment, materials, assistants). Its
  spending per head is that money over its researchers, in units of the cost of an academic
  researcher-year: one where the money pays exactly for its staff (as in 2016), above one where
  money has outrun the researchers it could hire (posts stand vacant) or host (it is at its
  capacity), below one while it sheds staff it can no longer pay. What a researcher makes of it
  is in :mod:`sim.agents.researcher`.
* **Lab quality.** The quality an incoming foreign scientist sees is the staff-weighted mean
  quality of organisations, relative to 2016: it rises as national labs open.
* **Training.** Universities train the graduates who enter research careers: the yearly flow
  (``res_entrants_per_year`` times the engineering-education lever) is shared among universities
  by size, and each university's count this year is its ``graduates``.
"""

from __future__ import annotations

import numpy as np

from sim.parameters import Parameters
from sim.population import Population, RowAgent

UNIVERSITY, INSTITUTE, STATE_KEY_LAB, NATIONAL_LAB = range(4)
KINDS = ("university", "institute", "state_key_lab", "national_lab")


class ResearchOrganisation(RowAgent):
    """A university, institute or laboratory hosting academic researchers."""

    COLUMNS = {
        "kind": (np.int8, -1),
        "zone": (np.int8, -1),
        "field": (np.int16, -1),
        "quality": (np.float32, 0.0),
        "size_weight": (np.float32, 0.0),
        "block_share": (np.float64, 0.0),
        "budget_myuan": (np.float64, 0.0),
        "grant_income": (np.float64, 0.0),
        "contract_income": (np.float64, 0.0),
        "post_draw": (np.float32, 0.0),
        "establishment": (np.float64, 0.0),
        "graduates": (np.float32, 0.0),
    }

    @staticmethod
    def draw(rng: np.random.Generator, p: Parameters, kinds: np.ndarray) -> dict[str, np.ndarray]:
        """Quality and size weight (mean one, lognormal) for new organisations of the given kinds;
        a national lab has the lever's own quality and budget (``org_national_lab_*``)."""
        s = p.org_quality_sigma
        quality = rng.lognormal(-0.5 * s * s, s, kinds.size)
        quality = np.where(kinds == NATIONAL_LAB, p.org_national_lab_quality, quality)
        typical = np.array([p.org_size_university, 1.0, p.org_size_state_key_lab, 0.0])[kinds]
        z = p.org_size_sigma
        size = typical * rng.lognormal(-0.5 * z * z, z, kinds.size)
        budget = np.where(kinds == NATIONAL_LAB, p.org_national_lab_budget_myuan, 0.0)
        return {"quality": quality.astype(np.float32), "size_weight": size.astype(np.float32), "budget_myuan": budget,
                "post_draw": rng.random(kinds.size).astype(np.float32)}

    @staticmethod
    def money_myuan(pop: Population, block_myuan: float, lab_budget_factor: float) -> np.ndarray:
        """Yearly research money per organisation row (m yuan, nominal): block funding, grants
        (this quarter's payments at a yearly rate) and own budget (2016 yuan times ``lab_budget_factor``)."""
        block, grants, budget = ResearchOrganisation.money_parts(pop, block_myuan, lab_budget_factor)
        return block + grants + budget

    @staticmethod
    def money_parts(pop: Population, block_myuan: float,
                    lab_budget_factor: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The three parts of :meth:`money_myuan` per row: block funding, grants, own budget."""
        c, alive = pop.cols, pop.alive
        return (c["block_share"] * block_myuan * alive, 4.0 * c["grant_income"] * alive,
                c["budget_myuan"] * lab_budget_factor * alive)

    @staticmethod
    def capacity(pop: Population, headroom: float, growth_index: float) -> np.ndarray:
        """Most researcher agents each organisation row can host: ``1 + headroom`` times its
        establishment, times ``growth_index`` (capacity built with real block funding since 2016)
        except for a national lab (its own budget is fixed in real terms)."""
        c = pop.cols
        growth = np.where(c["kind"] == NATIONAL_LAB, 1.0, growth_index)
        return (1.0 + headroom) * c["establishment"] * growth * pop.alive

    @staticmethod
    def spending_per_head(money_myuan: np.ndarray, staff: np.ndarray, cost_myuan: float) -> np.ndarray:
        """Research money per researcher over ``cost_myuan``, the cost of one researcher agent's
        year (same prices as the money), per organisation row; 1 where nobody works (no one reads it)."""
        staff = np.asarray(staff, dtype=float)
        return np.where(staff > 0, money_myuan / (cost_myuan * np.maximum(staff, 1.0)), 1.0)

    @staticmethod
    def train(pop: Population, graduates: float) -> np.ndarray:
        """Share ``graduates`` (persons this quarter) among universities by size; returns per row."""
        c = pop.cols
        w = c["size_weight"] * (pop.alive & (c["kind"] == UNIVERSITY))
        share = graduates * w / max(float(w.sum()), 1e-12)
        c["graduates"] += share.astype(np.float32)
        return share

    @staticmethod
    def lab_quality(pop: Population, staff: np.ndarray) -> float:
        """Staff-weighted mean quality of organisations."""
        weight = staff * pop.alive
        total = weight.sum()
        return float((pop.cols["quality"] * weight).sum() / total) if total > 0 else 1.0
