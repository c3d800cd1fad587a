import numpy as np

from sim.world.clusters import BEIJING_2017, RIVALS, ClusterRace


def test_documented_2020_order_follows_from_wipo_counts_at_default_weight():
    race = ClusterRace(pct_weight=8.0)
    beijing = race.score(BEIJING_2017.pct_per_year, BEIJING_2017.pubs_per_year)
    assert race.rank(beijing, race.rival_scores(2017, {})) == 4


def test_weight_outside_the_consistent_interval_breaks_the_order():
    for w, rank in ((3.0, 3), (12.0, 5)):
        race = ClusterRace(pct_weight=w)
        beijing = race.score(BEIJING_2017.pct_per_year, BEIJING_2017.pubs_per_year)
        assert race.rank(beijing, race.rival_scores(2017, {})) == rank


def test_rivals_grow_with_common_growth_and_own_momentum():
    race = ClusterRace(pct_weight=8.0)
    base = race.rival_scores(2017, {})
    later = race.rival_scores(2019, {2017: 0.03, 2018: 0.03})
    momentum = np.array([c.momentum for c in RIVALS])
    assert np.allclose(later / base, (1.03 + momentum) ** 2)


def test_the_continuous_position_rounds_to_the_rank_between_the_rivals():
    race = ClusterRace(8.0)
    rivals = np.array([900.0, 400.0, 300.0, 120.0])
    for score in np.geomspace(121, 899, 400):
        assert round(race.position(score, rivals)) == race.rank(score, rivals)
    # monotone: a higher score is never a worse position
    positions = [race.position(s, rivals) for s in np.geomspace(20, 5000, 400)]
    assert all(b <= a + 1e-12 for a, b in zip(positions, positions[1:]))
