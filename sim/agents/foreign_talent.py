"""Foreign talent: foreign scientists and engineers who choose Beijing, settle, or leave.

State: field and zone; origin (North America, Europe, Asia-Pacific, elsewhere); permit status
(work permit, residence permit, permanent residence); quarters in the city; whether they work in
academia; whether they have taken up settlement support; a fixed draw deciding whether they
would lead a major project if such posts are open to them; productivity.

Rules:

* **Choosing Beijing** (random utility, McFadden 1974). A mobile scientist of origin ``o`` values
  Beijing at

      V_o = ASC + w_pay log(real pay + expected support) - w_visa days / 30 + w_amenity log(amenities)
            + w_lead foreign_led + w_lab log(lab quality) - w_geo exposure_o pressure,

  where real pay is the 2016 pay of a foreign scientist times researchers' real pay index,
  expected support is the settlement support times the share of foreign scientists who receive
  it, and ``days`` is how long permits took last quarter. The rival destinations and Beijing's
  constant are in :mod:`sim.markets.talent_migration`, which turns utilities into arrivals. Since
  Beijing's share of the world's mobile scientists is small, ``w_pay`` is close to the elasticity
  of arrivals to net pay (1.5-2 for highly paid foreigners: Kleven, Landais, Saez & Schultz 2014).
* **Staying.** Each quarter a scientist leaves with a hazard ``h_0 exp(-ft_stay_sensitivity
  (V_i - V_2016))``: the same utility, with the scientist's own support and project lead, against
  what a scientist of the same origin saw in 2016. Permanent residents leave at a fraction of the
  hazard; others also face non-renewal of their permits.
* **Status.** A work permit becomes a residence permit after a year. After ``pr_min_years`` in
  the city, scientists above the productivity bar of the points-based evaluation apply for
  permanent residence.
"""

from __future__ import annotations

import numpy as np

from sim import levers
from sim.parameters import Parameters
from sim.policy.permits import REFERENCE_DAYS
from sim.population import Population, RowAgent

ORIGINS = ("north_america", "europe", "asia_pacific", "elsewhere")
WORK, RESIDENCE, PERMANENT = 0, 1, 2
#: Quarters on the first work permit before a scientist counts as holding a residence permit: the
#: model's status chain (work permit, residence permit, permanent residence) moves on after a year
#: (a modelling choice; docs/model.md section 7.11).
WORK_PERMIT_QUARTERS = 4


def _lever_default(name: str) -> float:
    return levers.BY_NAME[name].default


def origin_shares(p: Parameters) -> np.ndarray:
    """Shares of the world's mobile scientists by origin (elsewhere takes the remainder)."""
    known = np.array([p.ft_origin_share_north_america, p.ft_origin_share_europe, p.ft_origin_share_asia_pacific])
    return np.append(known, max(1.0 - known.sum(), 0.0))


def geo_exposure(p: Parameters) -> np.ndarray:
    """How strongly scientists of each origin respond to geopolitical pressure."""
    return np.array([p.ft_geo_exposure_north_america, 1.0, p.ft_geo_exposure_asia_pacific, p.ft_geo_exposure_elsewhere])


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
    def utility(p: Parameters, *, real_pay_kyuan: float, support_kyuan: float, days: float, amenities: float,
                foreign_led: float, lab_quality: float, pressure: float) -> np.ndarray:
        """Beijing's systematic utility, less its constant, for a scientist of each origin."""
        common = (p.ft_pay_weight * np.log(real_pay_kyuan + support_kyuan)
                  - p.ft_visa_weight * days / REFERENCE_DAYS
                  + p.ft_amenity_weight * np.log(amenities)
                  + p.ft_lead_weight * foreign_led
                  + p.ft_lab_weight * np.log(lab_quality))
        return common - p.ft_geo_weight * geo_exposure(p) * pressure

    @classmethod
    def reference_utility(cls, p: Parameters) -> np.ndarray:
        """Utility at 2016 conditions (the catalogue's default lever values, 2016 pay, no support)."""
        return cls.utility(p, real_pay_kyuan=p.ft_pay_2016_kyuan, support_kyuan=0.0,
                           days=_lever_default("visa_processing_days"),
                           amenities=_lever_default("international_amenities"),
                           foreign_led=_lever_default("foreign_led_projects"), lab_quality=1.0,
                           pressure=_lever_default("geopolitical_pressure"))

    @staticmethod
    def leads(pop: Population, p: Parameters, foreign_led: float) -> np.ndarray:
        """Who leads a major project: academics of at least ``ft_lead_min_productivity`` whose draw
        falls within the share of projects open to foreign leads."""
        c = pop.cols
        return pop.alive & c["academic"] & (c["productivity"] >= p.ft_lead_min_productivity) \
            & (c["lead_draw"] < foreign_led)

    @staticmethod
    def exit_hazard(pop: Population, p: Parameters, *, utility_by_origin: np.ndarray, real_pay_kyuan: float,
                    support_kyuan: float, expected_support_kyuan: float, leads: np.ndarray) -> np.ndarray:
        """Probability of leaving this quarter, per row.

        ``utility_by_origin`` is this quarter's :meth:`utility`, computed with the expected support;
        each scientist's own utility replaces that by what they receive and adds their lead.
        """
        c = pop.cols
        origin = np.maximum(c["origin"], 0)
        own_support = np.where(c["settled"], support_kyuan, 0.0)
        own = (utility_by_origin - ForeignTalent.reference_utility(p))[origin] \
            + p.ft_pay_weight * (np.log(real_pay_kyuan + own_support) - np.log(real_pay_kyuan + expected_support_kyuan)) \
            + p.ft_lead_weight * leads
        hazard = (p.ft_exit_rate / 4.0) * np.exp(-p.ft_stay_sensitivity * own)
        hazard = np.where(c["permit"] == PERMANENT, hazard * p.ft_pr_exit_multiplier,
                          hazard + p.ft_renewal_refusal / 4.0)
        return np.clip(hazard, 0.0, 1.0) * pop.alive

    @staticmethod
    def advance_status(pop: Population) -> None:
        """A quarter passes: time in the city grows; a work permit becomes a residence permit after a year."""
        c = pop.cols
        c["quarters"][pop.alive] += 1
        c["permit"][pop.alive & (c["permit"] == WORK) & (c["quarters"] >= WORK_PERMIT_QUARTERS)] = RESIDENCE

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
        """Expected papers this quarter; firm staff publish at ``ft_firm_paper_share`` of the academic rate."""
        c = pop.cols
        setting = np.where(c["academic"], 1.0, p.ft_firm_paper_share)
        return pop.alive * p.ft_paper_rate * c["productivity"] * setting \
            * (1.0 + p.ft_lead_productivity_boost * leads) / 4.0
