"""The plans' milestones made measurable.

The plans state goals in words; each is turned here into criteria on indicators, chosen so that
meeting all of a year's criteria would be a fair reading of the goal (the reasoning is in
``docs/model.md``, section "Patterns"):

* **2025, an international science and technology innovation centre**: among the world's top
  three clusters; R&D at least 6 % of GDP (the level of 2019, held through growth); at least a
  quarter of papers with foreign co-authors; at least 30,000 foreign scientists and engineers.
* **2030, an important force in the global innovation network**: top three; at least 30 % of
  papers with foreign co-authors; at least 200 multinationals; at least 40,000 foreign talent.
* **2035, creativity, competitiveness and influence at the top level globally**: top two;
  R&D at least 6.5 % of GDP; at least a third of papers with foreign co-authors; at least
  50,000 foreign talent.

A milestone's probability is the share of replicates meeting *all* its criteria in its year.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass

OPS = {"<=": operator.le, ">=": operator.ge}


@dataclass(frozen=True)
class Criterion:
    indicator: str
    comparison: str     # "<=" or ">="
    threshold: float

    def met(self, value: float) -> bool:
        return bool(OPS[self.comparison](value, self.threshold))

    def describe(self) -> str:
        return f"{self.indicator} {self.comparison} {self.threshold:g}"


@dataclass(frozen=True)
class Milestone:
    id: str
    year: int
    goal: str
    criteria: tuple[Criterion, ...]


MILESTONES: tuple[Milestone, ...] = (
    Milestone("international_centre", 2025, "An international science, technology and innovation centre", (
        Criterion("cluster_rank", "<=", 3), Criterion("rd_share_of_gdp", ">=", 0.06),
        Criterion("intl_coauthored_share", ">=", 0.25), Criterion("foreign_talent", ">=", 30_000))),
    Milestone("global_force", 2030, "An important force in the global innovation network", (
        Criterion("cluster_rank", "<=", 3), Criterion("intl_coauthored_share", ">=", 0.30),
        Criterion("multinational_corporations", ">=", 200), Criterion("foreign_talent", ">=", 40_000))),
    Milestone("top_level", 2035, "Creativity, competitiveness and influence at the top level globally", (
        Criterion("cluster_rank", "<=", 2), Criterion("rd_share_of_gdp", ">=", 0.065),
        Criterion("intl_coauthored_share", ">=", 1 / 3), Criterion("foreign_talent", ">=", 50_000))),
)
