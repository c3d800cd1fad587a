"""Competing clusters and Beijing's rank among the world's leading science and technology clusters.

WIPO ranks clusters by their shares of international patent (PCT) filings and of scientific
publications. We keep the four clusters that the reports name as Beijing's rivals and score each
as ``PCT filings * w + publications`` (``w`` is the parameter ``cluster_pct_weight``, publications
per PCT filing), per year. Beijing's rank is one plus the number of rivals that score higher.

The rivals' yearly counts around 2017 are WIPO's 2015-2019 totals (Global Innovation Index
2020, cluster ranking) divided by five; each then grows at its own rate, a scenario input
(``rival_growth_<cluster>``, per year, in output: publications and PCT filings alike). The
catalogue's defaults are consistent with WIPO's published ranks of 2018-2021 in
``shared/data`` (Tokyo-Yokohama first and Shenzhen-Hong Kong-Guangzhou second throughout; Seoul
passing San Jose-San Francisco by 2018): see :mod:`sim.levers`. The 2017 ranking counted patent
filings only and is not comparable.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Cluster:
    name: str
    pct_per_year: float      # PCT filings per year, around 2017 (WIPO 2015-2019 total / 5)
    pubs_per_year: float     # publications per year, around 2017 (same source)
    growth_input: str = ""   # the scenario input holding its growth per year


RIVALS: tuple[Cluster, ...] = (
    Cluster("Tokyo-Yokohama", 113_244 / 5, 143_822 / 5, "rival_growth_tokyo_yokohama"),
    Cluster("Shenzhen-Hong Kong-Guangzhou", 72_259 / 5, 118_600 / 5, "rival_growth_shenzhen_hong_kong_guangzhou"),
    Cluster("Seoul", 40_817 / 5, 140_806 / 5, "rival_growth_seoul"),
    Cluster("San Jose-San Francisco", 39_748 / 5, 89_947 / 5, "rival_growth_san_jose_san_francisco"),
)
GROWTH_INPUTS: tuple[str, ...] = tuple(c.growth_input for c in RIVALS)
#: Places in the ranking the model follows: Beijing and its rivals.
PLACES = len(RIVALS) + 1
#: The indicator that holds the rank as a continuous number (:meth:`ClusterRace.position`).
POSITION_INDICATOR = "cluster_position"
#: Beijing's own counts in the same source, for reference and tests.
BEIJING_2017 = Cluster("Beijing", 25_080 / 5, 241_637 / 5)
BASE_YEAR = 2017


def place_method(q: float) -> str:
    """How to take quantile ``q`` of ranks so that it is a whole place: the lower of two
    neighbouring places up to the median, the higher above it (numpy's ``method``, pandas'
    ``interpolation``)."""
    return "lower" if q <= 0.5 else "higher"


@dataclass
class ClusterRace:
    """The rivals' output over time and Beijing's rank among them."""

    pct_weight: float

    def rival_scores(self, year: int, growth_by_year: dict[int, np.ndarray]) -> np.ndarray:
        """Rivals' scores in ``year`` given each rival's growth per year (``growth_by_year[y]``
        holds the four rates of year ``y``; a year not given grows at that of the nearest year given,
        and with none given the rivals stand still)."""
        scores = np.array([c.pct_per_year * self.pct_weight + c.pubs_per_year for c in RIVALS])
        factor = np.ones(len(RIVALS))
        known = sorted(growth_by_year)
        lo, hi = sorted((BASE_YEAR, year))
        for y in range(lo, hi):
            g = 1.0 + (np.asarray(growth_by_year[min(max(y, known[0]), known[-1])]) if known else 0.0)
            factor = factor * g if year > BASE_YEAR else factor / g
        return scores * factor

    def score(self, pct: float, pubs: float) -> float:
        return pct * self.pct_weight + pubs

    def rank(self, beijing_score: float, rival_scores: np.ndarray) -> int:
        return 1 + int(np.count_nonzero(rival_scores > beijing_score))

    def position(self, beijing_score: float, rival_scores: np.ndarray) -> float:
        """The rank as a continuous number: where Beijing's log score lies between its neighbours.

        Between the rival just above (score ``a``) and the one just below (``b``), the position is
        ``rank + 1/2 - (log B - log b) / (log a - log b)``: the rank itself midway (in logs) between
        them, half a place less level with ``a``, half a place more level with ``b``, so that it
        rounds to the rank. Above the first or below the last rival, the gap to the nearest pair
        sets the scale and the position goes on growing with the distance (it then rounds to the
        rank only within one such gap). Calibration fits this rather than the rank, whose steps tell a sampler
        nothing about how near the next place is.

        >>> race = ClusterRace(8.0)
        >>> round(race.position(100.0, np.array([400.0, 200.0, 50.0, 25.0])), 9)   # midway: third
        3.0
        >>> round(race.position(190.0, np.array([400.0, 200.0, 50.0, 25.0])), 2)   # nearly second
        2.54
        """
        s = np.sort(np.log(np.asarray(rival_scores, dtype=float)))[::-1]     # descending
        x = math.log(beijing_score)
        r = self.rank(beijing_score, rival_scores)
        if r == 1:
            return float(1.5 - (x - s[0]) / (s[0] - s[1]))
        if r == len(s) + 1:
            return float(len(s) + 0.5 + (s[-1] - x) / (s[-2] - s[-1]))
        above, below = s[r - 2], s[r - 1]
        return float(r + 0.5 - (x - below) / (above - below))
