"""The research labour market: whole posts, no overfilling, posts that bind."""

import numpy as np

from conftest import mean_over_seeds, with_lever
from sim.markets import labour


def test_placement_never_fills_a_post_twice():
    rng = np.random.default_rng(1)
    vacancies = np.array([1.0, 0.0, 2.0, 1.0, 0.0, 3.0])
    slots = labour.place(rng, 20, vacancies.copy())
    filled = np.bincount(slots[slots >= 0], minlength=6)
    assert (filled <= np.array([1, 0, 2, 1, 0, 3])).all() and filled.sum() == 7
    assert (slots[7:] == -1).all() or (slots == -1).sum() == 13


def test_whole_posts_are_right_on_average_and_do_not_flicker():
    draw = np.random.default_rng(2).random(100_000)
    posts = labour.whole_posts(np.full(100_000, 0.3), draw)
    assert abs(posts.mean() - 0.3) < 0.01
    assert (labour.whole_posts(np.full(100_000, 0.3), draw) == posts).all()


def test_more_graduates_add_researchers_clearly_less_than_one_for_one(baseline_schedules):
    """Posts, not graduates, decide how many take up research: 20 % more graduates from 2020
    add far fewer researchers than the extra graduates themselves."""
    more = with_lever(baseline_schedules, "engineering_education_index", 1.2, 16)
    kw = {"horizon": 2026, "scale": 20}
    extra_researchers = mean_over_seeds(more, "researchers", 2026, **kw) - mean_over_seeds(baseline_schedules, "researchers", 2026, **kw)
    extra_graduates = sum(mean_over_seeds(more, "graduates", y, **kw) - mean_over_seeds(baseline_schedules, "graduates", y, **kw)
                          for y in range(2020, 2027))
    assert extra_graduates > 0
    assert extra_researchers < 0.5 * extra_graduates
