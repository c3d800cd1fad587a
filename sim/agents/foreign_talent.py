"""Foreign talent: foreign scientists and engineers who come to Beijing, settle, or leave.

State: field and zone; origin (North America, Europe, Asia-Pacific, elsewhere); permit status
(work permit, residence permit, permanent residence); quarters in the city; whether they work in
academia; whether they have taken up settlement support; a fixed draw deciding whether they
would lead a major project if such posts are open to them; productivity.

Rules:

* **Coming.** Scientists in the world's mobile pool weigh Beijing by a utility: pay (GDP
  relative to 2016, in logs), lab quality (in logs), days to a work permit, settlement support,
  international amenities (in logs), the share of major projects foreigners may lead, and
  geopolitical pressure (weighted by origin: most for North America). Arrivals from each origin
  are a 2016 base rate, scaled by the size of the pool and by ``exp(U - U_2016)``, where
  ``U_2016`` is the utility at the catalogue's 2016 lever values; so parameters have the
  meaning "change in log arrivals per unit of the lever". Arrivals must then get a permit from
  the immigration agency (see :mod:`sim.policy.permits`).
* **Staying.** Each quarter a scientist leaves with a hazard that settlement support, amenities
  and leading a project lower, geopolitical pressure raises, and permanent residence cuts.
* **Status.** A work permit becomes a residence permit after a year. After ``pr_min_years`` in
  the city, scientists above the productivity bar of the points-based evaluation apply for
  permanent residence.
"""

from __future__ import annotations

import numpy as np

from sim import levers
from sim.parameters import Parameters
from sim.population import Population, RowAgent

ORIGINS = ("north_america", "europe", "asia_pacific", "elsewhere")
#: Share of the world's mobile scientists by origin (assumption from OECD mobility data).
ORIGIN_SHARE = np.array([0.25, 0.30, 0.30, 0.15])
#: Sensitivity to geopolitical pressure by origin (North America most exposed).
ORIGIN_GEO = np.array([1.5, 1.0, 0.6, 0.4])

WORK, RESIDENCE, PERMANENT = 0, 1, 2


def _lever_default(name: str) -> float:
    return levers.BY_NAME[name].default


class ForeignTalent(RowAgent):
    """A foreign scientist or engineer working in Beijing."""

    COLUMNS = {
        "field": (np.int16, -1),
        "zone": (np.int8, -1),
        "origin": (np.int8, -1),
        "permit": (np.int8, WORK),
        "quarters": (np.int16, 0),
        "academic": (np.bool_, False),
        "settled": (np.bool_, False),
        "lead_draw": (np.float32, 1.0),
        "productivity": (np.float32, 0.0),
    }

    @staticmethod
    def utility(p: Parameters, *, gdp_index: float, lab_quality: float, visa_days: float,
                support_kyuan: float, amenities: float, foreign_led: float, pressure: float) -> np.ndarray:
        """Attractiveness of Beijing to a mobile scientist of each origin (array over ORIGINS)."""
        common = (p.ft_pay_weight * np.log(gdp_index)
                  + p.ft_lab_weight * np.log(lab_quality)
                  - p.ft_visa_weight * visa_days / 30.0
                  + p.ft_settlement_weight * support_kyuan / 100.0
                  + p.ft_amenity_weight * np.log(amenities)
                  + p.ft_lead_weight * foreign_led)
        return common - p.ft_geo_weight * ORIGIN_GEO * pressure

    @classmethod
    def reference_utility(cls, p: Parameters) -> np.ndarray:
        """Utility at 2016 conditions: the catalogue's default lever values."""
        return cls.utility(
            p, gdp_index=1.0, lab_quality=1.0,
            visa_days=_lever_default("visa_processing_days"),
            support_kyuan=_lever_default("talent_settlement_support_kyuan"),
            amenities=_lever_default("international_amenities"),
            foreign_led=_lever_default("foreign_led_projects"),
            pressure=_lever_default("geopolitical_pressure"))

    @classmethod
    def expected_applications(cls, p: Parameters, pool_index: float, utility: np.ndarray) -> np.ndarray:
        """Expected permit applications this quarter, by origin."""
        return (p.ft_arrivals_per_year / 4.0) * pool_index * ORIGIN_SHARE \
            * np.exp(utility - cls.reference_utility(p))

    @staticmethod
    def leads(pop: Population, foreign_led: float) -> np.ndarray:
        """Who leads a major project: academics of at least average productivity whose draw
        falls within the share of projects open to foreign leads."""
        c = pop.cols
        return pop.alive & c["academic"] & (c["productivity"] >= 1.0) & (c["lead_draw"] < foreign_led)

    @staticmethod
    def exit_hazard(pop: Population, p: Parameters, *, amenities: float, pressure: float,
                    leads: np.ndarray) -> np.ndarray:
        """Probability of leaving this quarter, per row."""
        c = pop.cols
        geo = ORIGIN_GEO[np.maximum(c["origin"], 0)]
        log_h = (- p.ft_stay_settled * c["settled"]
                 - p.ft_stay_amenity * np.log(amenities)
                 - p.ft_stay_lead * leads
                 + p.ft_stay_geo * geo * (pressure - _lever_default("geopolitical_pressure")))
        hazard = (p.ft_exit_rate / 4.0) * np.exp(log_h)
        hazard = np.where(c["permit"] == PERMANENT, hazard * p.ft_pr_exit_multiplier,
                          hazard + p.ft_renewal_refusal / 4.0)
        return np.clip(hazard, 0.0, 1.0) * pop.alive

    @staticmethod
    def advance_status(pop: Population) -> None:
        """A quarter passes: time in the city grows; a work permit becomes a residence permit after a year."""
        c = pop.cols
        c["quarters"][pop.alive] += 1
        c["permit"][pop.alive & (c["permit"] == WORK) & (c["quarters"] >= 4)] = RESIDENCE

    @staticmethod
    def pr_applicants(pop: Population, rng: np.random.Generator, p: Parameters, min_years: float) -> np.ndarray:
        """Rows applying for permanent residence this quarter."""
        c = pop.cols
        eligible = (pop.alive & (c["permit"] != PERMANENT) & (c["quarters"] >= 4 * min_years)
                    & (c["productivity"] >= p.ft_pr_productivity_min))
        return np.flatnonzero(eligible & (rng.random(pop.capacity) < p.ft_pr_apply_rate))

    @staticmethod
    def settlement_applicants(pop: Population, rng: np.random.Generator, p: Parameters) -> np.ndarray:
        """Rows taking up settlement support this quarter, if it is offered."""
        c = pop.cols
        return np.flatnonzero(pop.alive & ~c["settled"] & (rng.random(pop.capacity) < p.ft_settle_rate))

    @staticmethod
    def expected_papers(pop: Population, p: Parameters, leads: np.ndarray) -> np.ndarray:
        """Expected papers this quarter (all with foreign co-authors); firm staff publish a fifth as much."""
        c = pop.cols
        setting = np.where(c["academic"], 1.0, 0.2)
        return pop.alive * p.ft_paper_rate * c["productivity"] * setting \
            * (1.0 + p.ft_lead_productivity_boost * leads) / 4.0
