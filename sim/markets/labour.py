"""The research labour market: posts funded by money, and the researchers who fill them.

**Posts.** Research posts exist where money pays for them. An organisation's posts are its
research money (block funding, grants, own budget) over the cost of an academic researcher-year,
up to its capacity to host them (:meth:`sim.agents.research_org.ResearchOrganisation.capacity`);
a firm's are its real R&D over the cost of a firm researcher-year. Both costs are the 2016 money
per researcher of each sector (set at initialisation from the 2016 state) times the research cost
index, so a nominal budget that stands still funds fewer posts each year. Posts come in whole
researchers (agents): an employer whose money pays for ``x`` posts has ``floor(x + d)`` of them,
with ``d`` a uniform draw of its own, fixed for life, so that posts are right on average and an
employer's number does not flicker from quarter to quarter.

**The quarter's market.**

1. *Separations*: researchers retire, leave, or decide to found a firm (those who raise seed money
   leave their post for it, :mod:`sim.markets.finance`); some look for a post elsewhere.
2. *Shedding*: an employer with more researchers than posts lets ``res_layoff_rate`` of the
   excess go each quarter.
3. *Matching*: researchers let go, those looking to move, and this quarter's graduates (the
   graduates' flow times the engineering-education lever) each try the sector they prefer
   (:meth:`sim.agents.researcher.Researcher.academic_preference`) and then the other, in random
   order, and are placed in vacant posts in proportion to vacancies. Graduates without a post do
   not enter research; researchers let go without a post leave it; movers without one stay put.

Because vacancies, not graduates, decide how many take up research, more graduates add
researchers only where posts stand empty, and more money adds them wherever graduates are in
surplus. The split between academia and industry follows the money.
"""

from __future__ import annotations

import numpy as np

from sim.agents.researcher import Researcher


def staff(column: np.ndarray, capacity: int) -> np.ndarray:
    """Researcher agents per employer row (``column`` holds the employer's row, -1 for none)."""
    return np.bincount(column + 1, minlength=capacity + 1)[1:capacity + 1].astype(float)


def whole_posts(posts: np.ndarray, draw: np.ndarray) -> np.ndarray:
    """Whole posts from fractional ones, rounding each employer with its own fixed draw."""
    return np.floor(posts + draw)


#: Rounds of drawing in :func:`place`: seekers who drew a full employer draw again, up to this many
#: times a quarter (a numerical choice: after eight rounds nearly every seeker who can be placed
#: is). Those still unplaced do not wait: a researcher looking to move stays with the employer,
#: one let go leaves research in Beijing, and a graduate looks elsewhere (``InnovationModel``).
MATCHING_ROUNDS = 8


def place(rng: np.random.Generator, n: int, vacancies: np.ndarray, rounds: int = MATCHING_ROUNDS) -> np.ndarray:
    """Employers (indices into ``vacancies``) for ``n`` seekers taken in order, -1 for those not
    placed: drawn in proportion to whole vacancies, which are used up as they are filled.

    Each round draws an employer for every seeker still waiting (cumulative-sum sampling, fast
    over tens of thousands of employers); an employer takes as many of those who drew it as it has
    whole vacancies, in seeker order, and the others draw again in the next round.
    """
    slot = np.full(int(n), -1, dtype=np.int64)
    for _ in range(rounds):
        waiting = np.flatnonzero(slot < 0)
        open_ = np.floor(vacancies + 1e-9)
        if waiting.size == 0 or open_.sum() < 1:
            break
        cum = np.cumsum(open_)
        drawn = np.minimum(np.searchsorted(cum, rng.random(waiting.size) * cum[-1], side="right"), vacancies.size - 1)
        order = np.argsort(drawn, kind="stable")
        sorted_slots = drawn[order]
        first = np.searchsorted(sorted_slots, sorted_slots, side="left")
        rank = np.empty(waiting.size, dtype=np.int64)
        rank[order] = np.arange(waiting.size) - first
        taken = rank < open_[drawn]
        slot[waiting[taken]] = drawn[taken]
        vacancies -= np.bincount(drawn[taken], minlength=vacancies.size)
    return slot


def match(rng: np.random.Generator, n: int, academic_first: float, vacancies: np.ndarray, n_org: int) -> np.ndarray:
    """Employer slot (org rows first, then firm rows, as in ``vacancies``) for each of ``n`` seekers
    taken in order, or -1 for none: each tries its preferred sector, then the other."""
    slot = np.full(n, -1, dtype=np.int64)
    prefers_academia = rng.random(n) < academic_first
    sectors = (slice(0, n_org), slice(n_org, vacancies.size))
    for first in (True, False):                        # first choices, then second choices
        for academic in (True, False):
            who = np.flatnonzero((prefers_academia == (academic == first)) & (slot < 0))
            part = sectors[0] if academic else sectors[1]
            got = place(rng, who.size, vacancies[part])
            slot[who] = np.where(got >= 0, got + (part.start or 0), -1)
    return slot


def excess(column: np.ndarray, staff_by_row: np.ndarray, posts: np.ndarray, rate: float,
           rng: np.random.Generator) -> np.ndarray:
    """Researchers let go: at each employer with more staff than posts, each of its researchers
    goes with probability ``rate x excess / staff``. ``column`` is the researchers' employer row."""
    over = np.where(staff_by_row > posts, rate * (staff_by_row - posts) / np.maximum(staff_by_row, 1.0), 0.0)
    prob = np.append(over, 0.0)[column]            # -1 (no such employer) reads the spare 0
    return np.flatnonzero(rng.random(column.size) < prob)


def shuffled(rng: np.random.Generator, *groups: np.ndarray) -> np.ndarray:
    """The rows of all groups in one random order."""
    rows = np.concatenate(groups) if groups else np.empty(0, np.int64)
    return rng.permutation(rows)


def academic_first(model) -> float:
    """This quarter's probability that a seeker tries academia first."""
    p = model.p
    return Researcher.academic_preference(p, pay_ratio=1.0 / (1.0 + p.res_industry_pay_premium),
                                          lab_quality_index=model.lab_quality_now / model.lab_quality_2016)
