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


def test_each_rival_grows_at_its_own_input_and_years_outside_the_run_take_the_nearest():
    race = ClusterRace(pct_weight=8.0)
    base = race.rival_scores(2017, {})
    own = np.array([0.01, 0.08, 0.03, 0.01])
    later = race.rival_scores(2019, {2016: own, 2017: own, 2018: own})
    assert np.allclose(later / base, (1 + own) ** 2)
    earlier = race.rival_scores(2014, {2016: own})          # before the run: the 2016 rates, backwards
    assert np.allclose(earlier / base, (1 + own) ** -3)
    assert len(RIVALS) == len(own)


def test_the_continuous_position_rounds_to_the_rank_between_the_rivals():
    race = ClusterRace(8.0)
    rivals = np.array([900.0, 400.0, 300.0, 120.0])
    for score in np.geomspace(121, 899, 400):
        assert round(race.position(score, rivals)) == race.rank(score, rivals)
    # monotone: a higher score is never a worse position
    positions = [race.position(s, rivals) for s in np.geomspace(20, 5000, 400)]
    assert all(b <= a + 1e-12 for a, b in zip(positions, positions[1:]))
