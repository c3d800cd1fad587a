"""Foreign talent: foreign scientists and engineers who choose Beijing, settle, or leave.

State: field and zone; origin (North America, Europe, Asia-Pacific, elsewhere); permit status
(work permit, residence permit, permanent residence); quarters in the city; years into a career;
whether they work in academia; whether they have taken up settlement support; a fixed draw deciding whether they
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
* **Retirement.** Scientists arrive between 0 and ``ft_arrival_career_max_years`` years into a
  career (uniformly) and leave when it reaches ``res_career_years``, the domestic researchers'
  career: however settled, no one stays longer than a working life.
* **Status.** A work permit becomes a residence permit after a year. After ``pr_min_years`` in
  the city, scientists above the productivity bar of the points-based evaluation apply for
  permanent residence.
* **The 2016 stock** is the steady state of these rules at 2016 conditions (:meth:`ForeignTalent.
  stationary_stock`): constant arrivals, each cohort thinned by the departure hazard and moved to
  permanent residence at the application rate once eligible. Time in the city and status are
  drawn from it, so the stock starts where the rules would hold it, not in a transient.
"""

from __future__ import annotations

import numpy as np
from scipy import special

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
#: Longest stay the steady state of the 2016 stock considers (quarters): 250 years, a numerical
#: guard, not a behaviour. The distribution stops at the first time in the city by which less than
#: ``STATIONARY_TAIL`` of a cohort remains; retirement (at most ``res_career_years`` after arrival,
#: 45 years at the catalogue's widest) ends every cohort long before the guard.
STATIONARY_MAX_QUARTERS = 1000
STATIONARY_TAIL = 1e-6


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
        "career_years": (np.float32, 0.0),
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
    def working_share(p: Parameters, quarters: np.ndarray) -> np.ndarray:
        """Share of an arriving cohort not yet retired after ``quarters`` quarters in the city.

        A scientist who arrives ``u`` years into a career (uniform on ``[0, M]``, ``M =
        ft_arrival_career_max_years``) passes the departure check of each quarter in the city,
        the arrival quarter being the first, while ``u + (k - 1) / 4 < res_career_years`` at the
        ``k``-th; so after ``q`` quarters ``P(u < C - (q - 1) / 4)``, which is ``(C - (q - 1) / 4) / M``
        clipped to ``[0, 1]``: :meth:`arrival_career_bound` over ``M`` (a step at ``q - 1 = 4 C``
        when ``M`` is zero).
        """
        if p.ft_arrival_career_max_years <= 0:
            left = p.res_career_years - (np.asarray(quarters, dtype=float) - 1.0) / 4.0
            return (left > 0).astype(float)
        return ForeignTalent.arrival_career_bound(p, quarters) / p.ft_arrival_career_max_years

    @staticmethod
    def arrival_career_bound(p: Parameters, quarters: np.ndarray) -> np.ndarray:
        """How far into a career (years) a scientist still working after ``quarters`` quarters in
        the city can have arrived: ``C - (q - 1) / 4`` clipped to ``[0, M]`` (:meth:`working_share`)."""
        left = p.res_career_years - (np.asarray(quarters, dtype=float) - 1.0) / 4.0
        return np.clip(left, 0.0, p.ft_arrival_career_max_years)

    @staticmethod
    def arrival_careers(rng: np.random.Generator, p: Parameters, n: int) -> np.ndarray:
        """Years into a career of ``n`` arriving scientists (uniform on ``[0, ft_arrival_career_max_years]``)."""
        return rng.uniform(0.0, p.ft_arrival_career_max_years, n)

    @staticmethod
    def retiring(pop: Population, p: Parameters) -> np.ndarray:
        """Rows whose career has reached ``res_career_years``: they leave this quarter."""
        return pop.alive & (pop.cols["career_years"] >= p.res_career_years)

    @staticmethod
    def departure_hazard(pop: Population, p: Parameters, *, utility_by_origin: np.ndarray, real_pay_kyuan: float,
                         support_kyuan: float, expected_support_kyuan: float, leads: np.ndarray) -> np.ndarray:
        """Probability of leaving this quarter for reasons other than retirement, per row (clipped to
        ``[0, 1]``, not masked to living rows): :meth:`exit_hazard` before retirement.

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
        return np.clip(hazard, 0.0, 1.0)

    @staticmethod
    def exit_hazard(pop: Population, p: Parameters, *, utility_by_origin: np.ndarray, real_pay_kyuan: float,
                    support_kyuan: float, expected_support_kyuan: float, leads: np.ndarray) -> np.ndarray:
        """Probability of leaving this quarter, per row: :meth:`departure_hazard`, and one for those
        retiring (:meth:`retiring`)."""
        hazard = ForeignTalent.departure_hazard(pop, p, utility_by_origin=utility_by_origin,
                                                real_pay_kyuan=real_pay_kyuan, support_kyuan=support_kyuan,
                                                expected_support_kyuan=expected_support_kyuan, leads=leads)
        return np.where(ForeignTalent.retiring(pop, p), 1.0, hazard) * pop.alive

    @staticmethod
    def expected_exit_hazard(pop: Population, p: Parameters, *, utility_by_origin: np.ndarray,
                             real_pay_kyuan: float, support_kyuan: float, expected_support_kyuan: float,
                             leads: np.ndarray) -> np.ndarray:
        """:meth:`exit_hazard` with each row's retirement at the rate the steady state expects of
        those ``q`` quarters in the city (:meth:`expected_working_on`), not at its own career's end:
        ``1 - (1 - h) s`` with ``h`` the :meth:`departure_hazard` and ``s`` the share still working
        at the next check. The expected departures of a drawn stock, without the noise of which rows
        happen to retire; Beijing's destination constant is solved with them (sim/model.py)."""
        departing = ForeignTalent.departure_hazard(pop, p, utility_by_origin=utility_by_origin,
                                                   real_pay_kyuan=real_pay_kyuan, support_kyuan=support_kyuan,
                                                   expected_support_kyuan=expected_support_kyuan, leads=leads)
        leaving = 1.0 - (1.0 - departing) * ForeignTalent.expected_working_on(pop, p)
        return np.clip(leaving, 0.0, 1.0) * pop.alive

    @staticmethod
    def expected_working_on(pop: Population, p: Parameters) -> np.ndarray:
        """Share of those ``q`` quarters in the city that the steady state still has working at the
        next check, ``working_share(q + 1) / working_share(q)`` (:meth:`working_share`; zero where
        nothing is left), per row: one less the expected retirement rate. It is the staying share,
        not the rate, since ``1 - (1 - s)`` need not be ``s`` in floating point."""
        q = pop.cols["quarters"].astype(float)
        now = ForeignTalent.working_share(p, q)
        return np.divide(ForeignTalent.working_share(p, q + 1.0), now, out=np.zeros_like(now), where=now > 0)

    @staticmethod
    def reference_hazards(p: Parameters) -> tuple[float, float]:
        """Quarterly departure hazards at 2016 conditions (:meth:`exit_hazard` at the reference
        utility, with no lead, before retirement): on a permit, and as a permanent resident."""
        exit_q = p.ft_exit_rate / 4.0
        return min(exit_q + p.ft_renewal_refusal / 4.0, 1.0), min(exit_q * p.ft_pr_exit_multiplier, 1.0)

    @staticmethod
    def stationary_stock(p: Parameters, min_years: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Steady state of the stock under the rules at 2016 conditions, per arriving scientist.

        With one arrival a quarter, the stock at the start of a quarter holds, for each time in the
        city ``a = 1, 2, ...`` quarters, the survivors of the cohort that arrived ``a`` quarters ago.
        At 2016 conditions every scientist's utility is the reference (:meth:`reference_utility`:
        no support, no project leads), so the quarterly departure hazard is ``ft_exit_rate / 4``
        plus ``ft_renewal_refusal / 4`` on a permit and ``ft_pr_exit_multiplier`` times the former
        as a permanent resident. Each quarter, in the model's order of events, eligible permit
        holders who have been ``4 min_years`` quarters in the city become permanent residents at
        rate ``ft_pr_apply_rate`` (the agency's 2016 budget processes every case), then some of
        each status leave, then time passes. Retirement is independent of status and hazards: each
        time in the city is further thinned by :meth:`working_share`.

        Returns ``(quarters, permit_holders, permanent)``: times in the city, and what remains of an
        eligible cohort (productivity at least ``ft_pr_productivity_min``) at each, on permits and
        as permanent residents. A cohort below the bar stays on permits throughout
        (:meth:`stationary_draw`).
        """
        on_permit, as_resident = ForeignTalent.reference_hazards(p)
        eligible_from = 4.0 * min_years
        holders, residents, a = 1.0, 0.0, 0          # an arrival, before its first quarter's events
        out_q, out_h, out_r = [], [], []
        while a < STATIONARY_MAX_QUARTERS:
            moving = holders * p.ft_pr_apply_rate if (a >= eligible_from and a > 0) else 0.0
            holders = (holders - moving) * (1.0 - on_permit)
            residents = (residents + moving) * (1.0 - as_resident)
            a += 1
            working = float(ForeignTalent.working_share(p, a))
            out_q.append(a)
            out_h.append(holders * working)
            out_r.append(residents * working)
            if (holders + residents) * working < STATIONARY_TAIL:
                break
        return np.array(out_q), np.array(out_h), np.array(out_r)

    @staticmethod
    def stationary_draw(rng: np.random.Generator, p: Parameters, min_years: float,
                        n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Time in the city (quarters), permit, productivity and years into a career of ``n``
        members of the steady-state stock (:meth:`stationary_stock`).

        Arrivals' productivity is lognormal with mean 1 (``res_productivity_sigma``); a share ``e``
        of them clears the bar ``ft_pr_productivity_min``. Those who clear it stay longer (as
        permanent residents), so the stock holds more of them than the arrivals do: a member is
        eligible with probability ``e T_e / (e T_e + (1 - e) T_n)``, where ``T_e`` and ``T_n`` are
        the quarters an eligible and an ineligible arrival spends in the city on average. Time and
        status follow the cohort of each kind; productivity is drawn above or below the bar. A
        member ``q`` quarters in the city arrived ``u`` years into a career, uniform on what is
        left of ``[0, ft_arrival_career_max_years]`` once those who have retired are removed
        (:meth:`working_share`), and is ``u + q / 4`` years into it now.
        """
        q, holders, residents = ForeignTalent.stationary_stock(p, min_years)
        below = (1.0 - ForeignTalent.reference_hazards(p)[0]) ** q \
            * ForeignTalent.working_share(p, q)                               # a cohort that stays on permits
        sigma = p.res_productivity_sigma
        mu = -0.5 * sigma * sigma
        bar = special.ndtr((np.log(p.ft_pr_productivity_min) - mu) / sigma) if p.ft_pr_productivity_min > 0 else 0.0
        cells = np.concatenate([(1.0 - bar) * holders, (1.0 - bar) * residents, bar * below])
        pick = rng.choice(cells.size, n, p=cells / cells.sum())
        group, quarters = pick // q.size, q[pick % q.size]
        permit = np.where(group == 1, PERMANENT, np.where(quarters >= WORK_PERMIT_QUARTERS, RESIDENCE, WORK))
        # Productivity above the bar for the eligible (groups 0 and 1), below it for the others:
        # the lognormal's quantile at a uniform draw within the right part of its distribution.
        u = rng.random(n)
        u = np.where(group < 2, bar + u * (1.0 - bar), u * bar)
        productivity = np.exp(mu + sigma * special.ndtri(np.clip(u, 1e-12, 1.0 - 1e-12)))
        arrived = rng.random(n) * ForeignTalent.arrival_career_bound(p, quarters)
        return quarters.astype(np.int64), permit.astype(np.int8), productivity, arrived + quarters / 4.0

    @staticmethod
    def advance_status(pop: Population) -> None:
        """A quarter passes: time in the city and in a career grow; a work permit becomes a
        residence permit after a year."""
        c = pop.cols
        c["quarters"][pop.alive] += 1
        c["career_years"][pop.alive] += np.float32(0.25)
        c["permit"][pop.alive & (c["permit"] == WORK) & (c["quarters"] >= WORK_PERMIT_QUARTERS)] = RESIDENCE

    @staticmethod
    def pr_applicants(pop: Population, rng: np.random.Generator, p: Parameters, min_years: float) -> np.ndarray:
        """Rows applying for permanent residence this quarter (not those retiring)."""
        c = pop.cols
        eligible = (pop.alive & ~ForeignTalent.retiring(pop, p) & (c["permit"] != PERMANENT) & (c["quarters"] >= 4 * min_years)
                    & (c["productivity"] >= p.ft_pr_productivity_min))
        return np.flatnonzero(eligible & (rng.random(pop.capacity) < p.ft_pr_apply_rate))

    @staticmethod
    def settlement_applicants(pop: Population, rng: np.random.Generator, p: Parameters) -> np.ndarray:
        """Rows taking up settlement support this quarter, if it is offered (not those retiring)."""
        c = pop.cols
        return np.flatnonzero(pop.alive & ~ForeignTalent.retiring(pop, p) & ~c["settled"] & (rng.random(pop.capacity) < p.ft_settle_rate))

    @staticmethod
    def expected_papers(pop: Population, p: Parameters, leads: np.ndarray) -> np.ndarray:
        """Expected papers this quarter; firm staff publish at ``ft_firm_paper_share`` of the academic rate."""
        c = pop.cols
        setting = np.where(c["academic"], 1.0, p.ft_firm_paper_share)
        return pop.alive * p.ft_paper_rate * c["productivity"] * setting \
            * (1.0 + p.ft_lead_productivity_boost * leads) / 4.0
