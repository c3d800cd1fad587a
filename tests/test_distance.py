"""Distances in tolerances: zero at the centres, one at the edges of the accepted ranges."""

import numpy as np
import pytest

from sim.calibration.distance import Distance, fit_key, observe
from sim.errors import InputError
from sim.targets import load_targets


@pytest.fixture(scope="module")
def distance():
    return Distance.of(load_targets())


def test_fitted_targets_exclude_holdouts_and_non_comparable_figures(distance):
    targets = {t.id: t for t in load_targets()}
    assert "zhongguancun_foreign_companies" not in distance.ids          # held out
    assert "researchers_per_10k_employees" not in distance.ids           # not comparable
    assert all(targets[i].comparable and not targets[i].holdout for i in distance.ids)


def centres(distance):
    return {fit_key(t): c for t, c in zip(distance.targets, distance.centres)}


def test_zero_at_the_centres_and_one_at_every_edge(distance):
    assert distance(centres(distance)) == 0.0
    edges = {fit_key(t): t.bounds()[1] + (0.5 if t.is_rank else 0) for t in distance.targets}
    assert np.allclose(distance.deviations(edges), 1.0)


def test_one_sided_figures_aim_inside_their_range():
    t = next(t for t in load_targets() if t.qualifier == "over")
    low, high = t.bounds()
    assert low == t.value and t.centre() == pytest.approx((low + high) / 2) and t.centre() > t.value


def test_a_rank_is_fitted_on_its_continuous_position_one_place_off_is_two_tolerances(distance):
    stats = centres(distance)
    assert "cluster_rank@2020:cluster_position" in stats
    assert "wipo_cluster_rank:cluster_position" not in stats      # weight 0: the same figure as the series' 2020
    stats["cluster_rank@2020:cluster_position"] += 1
    k = distance.ids.index("cluster_rank@2020")
    assert distance.deviations(stats)[k] == pytest.approx(2.0)


def test_missing_value_is_infinitely_far(distance):
    stats = centres(distance)
    stats[distance.ids[0]] = float("nan")
    assert distance(stats) == float("inf")


def test_observe_reads_each_target_in_its_year():
    targets = [t for t in load_targets() if t.comparable]
    records = [{"year": y, **{t.indicator: float(y) for t in targets}, "cluster_position": y + 0.5}
               for y in range(2016, 2022)]
    stats = observe(records, targets)
    assert all(stats[t.id] == float(t.year) for t in targets)
    assert stats["wipo_cluster_rank:cluster_position"] == 2020.5


def test_nothing_left_to_fit_is_an_input_error():
    with pytest.raises(InputError, match="no comparable target"):
        Distance.of([t for t in load_targets() if not t.comparable])
