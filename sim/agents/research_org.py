"""Research organisations: universities, institutes, state key laboratories and national labs.

State: kind, zone, main field, quality (lognormal around one; national labs well above),
major instruments, size weight (its share of academic research posts), grant income this year.

Rules:

* **Hosting.** Academic research posts are funded by the institutional R&D budget (a share of
  GDP) plus competitive grants; they are shared out among organisations by size weight, and an
  organisation with fewer researchers than posts has vacancies.
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
#: Typical size weight by kind: a university hosts about 8 times the staff of an institute (assumption);
#: a national lab is the size of a large university.
SIZE_WEIGHT = np.array([8.0, 1.0, 0.6, 10.0])


class ResearchOrganisation(RowAgent):
    """A university, institute or laboratory hosting academic researchers."""

    COLUMNS = {
        "kind": (np.int8, -1),
        "zone": (np.int8, -1),
        "field": (np.int16, -1),
        "quality": (np.float32, 0.0),
        "instruments": (np.float32, 0.0),
        "size_weight": (np.float32, 0.0),
        "grant_income": (np.float32, 0.0),
        "graduates": (np.float32, 0.0),
    }

    @staticmethod
    def draw(rng: np.random.Generator, p: Parameters, kinds: np.ndarray) -> dict[str, np.ndarray]:
        """Quality, instruments and size for new organisations of the given kinds."""
        s = p.org_quality_sigma
        quality = rng.lognormal(-0.5 * s * s, s, kinds.size)
        quality = np.where(kinds == NATIONAL_LAB, p.org_national_lab_quality, quality)
        size = SIZE_WEIGHT[kinds] * rng.lognormal(-0.125, 0.5, kinds.size)
        instruments = rng.poisson(np.where(kinds == NATIONAL_LAB, 40.0, np.where(kinds == STATE_KEY_LAB, 4.0, 1.0)))
        return {"quality": quality.astype(np.float32), "size_weight": size.astype(np.float32),
                "instruments": instruments.astype(np.float32)}

    @staticmethod
    def posts(pop: Population, academic_posts: float) -> np.ndarray:
        """Research posts per organisation row, sharing ``academic_posts`` by size weight."""
        w = pop.cols["size_weight"] * pop.alive
        return academic_posts * w / max(w.sum(), 1e-12)

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
