"""Model discrepancy: the estimator recovers a known structural error, pools partially, grows with
the horizon, leaves a point out when asked, widens bands as stated, and its forecast bands cover
about 90 % of points that follow its own assumptions (87-91 % over five seeds of the synthetic test)."""

import doctest
import math

import numpy as np
import pandas as pd
import pytest

import sim.calibration.discrepancy
from sim.calibration.discrepancy import (METHOD, POOL_THEN_TRUNCATE, POOLED, TRUNCATE_THEN_POOL, Residuals,
                                         SeriesDiscrepancy, for_series, from_frame, place_band, to_frame,
                                         whole_place_quantiles, widen)
from sim.resources import data_file


def test_docstring_examples_hold():
    assert doctest.testmod(sim.calibration.discrepancy).failed == 0


def flat(value: float, n: int = 40) -> np.ndarray:
    return np.full(n, value)


def test_level_is_the_rms_log_residual_less_the_models_own_variance():
    draws = np.exp(np.random.default_rng(0).normal(0.0, 0.05, 4000)) * 100.0   # own log-variance 0.0025
    own = float(np.var(np.log(draws), ddof=1))
    res = Residuals.from_points([("s", "x", 2016 + i, 100.0 * math.exp(r), draws)
                                 for i, r in enumerate([0.2, -0.2, 0.2, -0.2])])
    d = res.estimate(pool_years=0.0)["s"]
    median_log = float(np.median(np.log(draws)))
    expected = np.mean([(r + math.log(100.0) - median_log) ** 2 for r in (0.2, -0.2, 0.2, -0.2)]) - own
    assert d.level_sd == pytest.approx(math.sqrt(expected), rel=1e-9)
    assert d.level_sd < 0.2                    # the model's own spread is not counted twice


def test_no_excess_means_no_level():
    res = Residuals.from_points([("s", "x", 2016, 100.0, np.array([80.0, 100.0, 125.0]))])
    assert res.estimate(pool_years=0.0)["s"].level_sd == 0.0


def test_partial_pooling_weighs_the_pool_as_stated_years():
    res = Residuals.from_points([("a", "a", 2016, 110.0, flat(100.0)), ("a", "a", 2017, 110.0, flat(100.0)),
                                 ("b", "b", 2016, 100.0, flat(100.0)), ("b", "b", 2017, 100.0, flat(100.0))])
    r2 = math.log(1.1) ** 2
    est = res.estimate(pool_years=2.0)
    pool = r2 / 2                                        # mean over the four points
    assert est[POOLED].level_sd == pytest.approx(math.sqrt(pool))
    assert est["a"].level_sd == pytest.approx(math.sqrt((2 * r2 + 2 * pool) / 4))
    assert est["b"].level_sd == pytest.approx(math.sqrt(2 * pool / 4))
    # a series the calibration did not fit takes the pool, drifting from the year it is told, but
    # never from a year after the last one the calibration fitted
    other = for_series(est, "c", "c", 2016)
    assert other.level_sd == est[POOLED].level_sd and other.last_year == 2016
    assert for_series(est, "c", "c", 2021).last_year == 2017


def wide_and_narrow() -> Residuals:
    """Series ``a``: replicates spread over +-50 %, residuals small (excess far below zero); series
    ``b``: replicates with no spread, residuals +-10 % (excess 0.01 a year)."""
    spread = np.exp(np.random.default_rng(1).normal(0.0, 0.3, 400)) * 100.0
    return Residuals.from_points([*[("a", "a", 2016 + i, 100.0, spread) for i in range(2)],
                                  *[("b", "b", 2016 + i, 100.0 * math.exp(r), flat(100.0))
                                    for i, r in enumerate([0.1, -0.1])]])


def test_truncating_each_series_first_keeps_one_series_wide_replicates_from_anothers_level():
    res = wide_and_narrow()
    new, old = res.estimate(method=TRUNCATE_THEN_POOL), res.estimate(method=POOL_THEN_TRUNCATE)
    # truncate, then pool: a's level is 0, the pool (2 * 0 + 2 * 0.01) / 4, b's (2 * 0.01 + 3 * pool) / 5
    assert new["a"].level_sd == pytest.approx(math.sqrt(3 * 0.005 / 5), rel=1e-9)
    assert new[POOLED].level_sd == pytest.approx(math.sqrt(0.005), rel=1e-9)
    assert new["b"].level_sd == pytest.approx(math.sqrt((0.02 + 3 * 0.005) / 5), rel=1e-9)
    # pool, then truncate: a's negative excess drags the pool to zero and b's level below its own 0.1
    assert old[POOLED].level_sd == 0.0 and old["a"].level_sd == 0.0
    assert old["b"].level_sd < new["b"].level_sd
    assert new["b"].drift_sd == old["b"].drift_sd           # the drift does not depend on the method


def test_the_published_estimator_is_the_registered_one_and_a_wrong_name_is_refused():
    assert METHOD == TRUNCATE_THEN_POOL
    with pytest.raises(ValueError, match="method must be one of"):
        wide_and_narrow().estimate(method="median")


def test_drift_grows_the_variance_linearly_after_the_last_fitted_year():
    d = SeriesDiscrepancy("s", "x", level_sd=0.05, drift_sd=0.04, last_year=2021)
    assert d.sd(2016) == d.sd(2021) == pytest.approx(0.05)
    for h in (1, 4, 14):
        assert d.sd(2021 + h) ** 2 == pytest.approx(0.05 ** 2 + h * 0.04 ** 2)


def test_drift_counts_only_consecutive_years():
    res = Residuals.from_points([("s", "x", 2016, 100.0, flat(100.0)), ("s", "x", 2017, 110.0, flat(100.0)),
                                 ("s", "x", 2019, 100.0, flat(100.0))])
    d = res.estimate(pool_years=0.0)["s"]
    assert d.increments == 1 and d.drift_sd == pytest.approx(math.log(1.1))


def test_leave_out_drops_the_point_from_the_series_and_the_pool():
    rows = [("a", "a", 2016, 100.0, flat(100.0)), ("a", "a", 2017, 150.0, flat(100.0)),
            ("b", "b", 2016, 100.0, flat(100.0))]
    res = Residuals.from_points(rows)
    left = res.estimate(leave_out=("a", 2017))
    assert left["a"].level_sd == 0.0 and left[POOLED].level_sd == 0.0 and left["a"].last_year == 2016
    assert res.estimate()["a"].level_sd > 0.2


def test_points_without_a_log_scale_are_left_out():
    res = Residuals.from_points([("s", "x", 2016, 0.0, flat(1.0)), ("s", "x", 2017, 1.0, np.array([0.0, 1.0]))])
    assert res.points == []


def test_widen_contains_the_models_band_and_matches_the_lognormal():
    draws = np.random.default_rng(1).normal(100.0, 3.0, 40)
    assert widen(draws, 0.0) == pytest.approx([np.quantile(draws, 0.05), np.quantile(draws, 0.95)])
    lo, hi = widen(draws, 0.1)
    assert lo < np.quantile(draws, 0.05) and hi > np.quantile(draws, 0.95)
    lo, hi = widen(flat(100.0), 0.2)
    assert lo == pytest.approx(100.0 * math.exp(-1.645 * 0.2), rel=0.01)
    assert hi == pytest.approx(100.0 * math.exp(1.645 * 0.2), rel=0.01)
    assert widen(np.array([-1.0, 2.0]), 0.3) == pytest.approx([np.quantile([-1.0, 2.0], 0.05),
                                                               np.quantile([-1.0, 2.0], 0.95)])


def forecast_coverage(level: float, drift: float, seed: int = 7) -> float:
    """Synthetic series whose real values are the model's times exp(delta), delta a random walk with
    the stated level and drift; fit on 2016-2018, forecast 2019-2021."""
    rng = np.random.default_rng(seed)
    rows, truth = [], {}
    for s in range(60):
        delta = rng.normal(0.0, level)
        for year in range(2016, 2022):
            if year > 2016:
                delta += rng.normal(0.0, drift)
            model = 1000.0 * (1.05 ** (year - 2016)) * np.exp(rng.normal(0.0, 0.01, 40))
            real = float(np.median(model)) * math.exp(delta)
            truth[(s, year)] = (real, model)
            if year <= 2018:
                rows.append((f"s{s}", "x", year, real, model))
    est = Residuals.from_points(rows).estimate()
    hits = [lo <= real <= hi for (s, year), (real, model) in truth.items() if year > 2018
            for lo, hi in [widen(model, est[f"s{s}"].sd(year))]]
    return float(np.mean(hits))


def test_forecast_bands_cover_about_ninety_percent_when_the_assumptions_hold():
    # 180 forecast points; the drift estimate also holds the year-to-year noise, so a little over 90 % is
    # expected, and the pooled estimate from 3 years per series keeps it from being exact
    assert 0.8 <= forecast_coverage(level=0.05, drift=0.04) <= 0.99


def test_without_structural_error_the_bands_stay_near_the_models_own():
    est = Residuals.from_points([(f"s{s}", "x", y, 1000.0, flat(1000.0)) for s in range(3)
                                 for y in (2016, 2017, 2018)]).estimate()
    assert all(d.level_sd == 0.0 and d.drift_sd == 0.0 for d in est.values())


def test_the_table_round_trips():
    res = Residuals.from_points([("a", "a", 2016, 110.0, flat(100.0)), ("a", "a", 2017, 95.0, flat(100.0))])
    est = res.estimate()
    back = from_frame(to_frame(est))
    assert set(back) == set(est)
    for k in est:
        assert back[k].level_sd == pytest.approx(est[k].level_sd, abs=1e-6)
        assert back[k].drift_sd == pytest.approx(est[k].drift_sd, abs=1e-6)
        assert back[k].last_year == est[k].last_year


@pytest.mark.parametrize("folder", ["calibration", "calibration/backtest_2018/calibration"])
def test_the_committed_discrepancy_follows_from_the_committed_fit(folder):
    """The published ``discrepancy.csv`` is what the estimator gives on the committed residuals."""
    where = data_file(folder)
    fit = pd.read_csv(where / "fit.csv", keep_default_na=False, na_values=[""])
    est = Residuals.from_fit(fit, pd.read_parquet(where / "predictive.parquet")).estimate()
    committed = from_frame(pd.read_csv(where / "discrepancy.csv"))
    assert set(committed) == set(est)
    for k, d in est.items():
        assert committed[k].level_sd == pytest.approx(d.level_sd, abs=1e-6), k
        assert committed[k].drift_sd == pytest.approx(d.drift_sd, abs=1e-6), k


def test_a_ranks_quantiles_are_places_it_took():
    ranks = np.array([3.0, 4.0, 4.0, 5.0])
    # linear interpolation would give a median of 4 but a band of 3.15 to 4.85
    assert whole_place_quantiles(ranks) == (4.0, 3.0, 5.0)
    assert whole_place_quantiles(np.array([4.0, 5.0])) == (4.0, 4.0, 5.0)      # ties go to the better place
    assert all(math.isnan(q) for q in whole_place_quantiles(np.array([math.nan])))


def test_a_ranks_band_with_error_widens_the_position_and_stays_in_whole_places():
    positions = np.random.default_rng(3).normal(3.9, 0.15, 400)
    narrow = place_band(positions, 0.0, 5)
    wide = place_band(positions, 0.25, 5)
    assert narrow == (4.0, 4.0)
    assert wide[0] < narrow[0] and wide[1] > narrow[1]
    assert all(q == round(q) and 1 <= q <= 5 for q in wide)
    # the band never leaves the ranking: a large error at the top is cut at first and last place
    assert place_band(np.full(50, 1.2), 1.5, 5) == (1.0, 5.0)


def test_a_ranks_band_with_error_is_never_narrower_than_its_own():
    # two of forty replicates just past 4.5, so the own band reaches fifth place; a small error
    # rounded from linear quantiles of the positions would have given "3 to 4"
    positions = np.r_[np.full(19, 3.7), np.full(19, 4.2), 4.51, 4.52]
    own = whole_place_quantiles(np.rint(positions), (0.05, 0.95))
    assert own == (4.0, 5.0)
    for sd in (0.0, 0.01, 0.05, 0.3):
        lo, hi = place_band(positions, sd, 5)
        assert lo <= own[0] and hi >= own[1], sd


def test_a_position_far_ahead_stays_first_and_a_year_without_positions_has_no_band():
    # a position at or below zero is far ahead of the second: a relative error keeps it first,
    # and the other replicates are still widened
    lo, hi = place_band(np.array([-0.2, 1.0, 1.3, 2.2]), 0.5, 5)
    assert lo == 1.0 and hi >= 3.0
    assert all(math.isnan(q) for q in place_band(np.array([math.nan]), 0.2, 5))


#: The registered test's figures (docs/calibration.md, section 4.2): the mean interval score of the
#: 90 % bands over every held-out point, each committed backtest rescored with each estimator. When
#: the test was decided (the 27-parameter fit's backtests) truncating first scored lower in both:
#: 0.4906 against 0.5026 (2018) and 0.4530 against 0.4602 (2019). On the backtests of the 35-parameter
#: fit with the knowledge selection's drift it tied in 2018 and scored worse in 2019; on those
#: without the drift it scored better in 2018 (0.6549 against 0.6734) and worse in 2019 (0.4712
#: against 0.4562), and so it did with the 2016 foreign stock drawn from the rules' steady state
#: (0.6697 against 0.6767; 0.5819 against 0.5732) and with the April 2018 residence step (0.4501
#: against 0.4804; 0.4796 against 0.4587) and with organisations' capacity (0.5507 against 0.5784;
#: 0.5075 against 0.5035). With foreign scientists' retirement it scored better in both years
#: (0.5724 against 0.6110; 0.5572 against 0.5738), for the first time since the decision; on the
#: ones fitted with the sampler's hold, better in 2018 (0.5658 against 0.6036) and worse in 2019 by
#: a hair (0.4963 against 0.4947); with the patent queues' history, better in 2018 (0.5964 against
#: 0.7709) and worse in 2019 (0.3923 against 0.3829); on the committed ones, fitted with the regime
#: that research posts bind, better in both years (0.5169 against 0.5654; 0.4744 against 0.5023),
#: the second time since the decision. The estimator stays
#: as registered, and the docs say that the held-out years, over all the reruns, do not clearly
#: support it.
REGISTERED = {2018: {"points": 31, POOL_THEN_TRUNCATE: 0.5654, TRUNCATE_THEN_POOL: 0.5169},
              2019: {"points": 20, POOL_THEN_TRUNCATE: 0.5023, TRUNCATE_THEN_POOL: 0.4744}}
#: Whether the published estimator scores lower than the other on each committed backtest, as it
#: came out (it did on both when the decision was taken).
PUBLISHED_SCORES_LOWER = {2018: True, 2019: True}


@pytest.mark.parametrize("train_until", sorted(REGISTERED))
def test_the_registered_test_is_recorded_as_it_came_out(train_until):
    """docs/calibration.md, section 4.2: rescored from a committed backtest's own simulations, each
    estimator's mean interval score over every held-out point (none missing) is the one recorded,
    and whether the published estimator's is the lower is as recorded. A record of a decision taken
    once, not a gate: a rerun of a backtest changes these figures, and they are then reported again
    as they come out."""
    from sim.backtest.run import observed
    from sim.backtest.score import score_points
    from sim.targets import load_series

    where = data_file(f"calibration/backtest_{train_until}/calibration")
    fit = pd.read_csv(where / "fit.csv", keep_default_na=False, na_values=[""])
    draws = pd.read_parquet(where / "predictive.parquet")
    res = Residuals.from_fit(fit, draws)
    real = observed(load_series(data_file("calibration/targets.yaml")))
    recorded = REGISTERED[train_until]
    score = {}
    for method in (POOL_THEN_TRUNCATE, TRUNCATE_THEN_POOL):
        points = score_points(draws, real, train_until, res.estimate(method=method))
        assert len(points) == recorded["points"] and points["interval_score"].notna().all()
        score[method] = points["interval_score"].mean()
        assert score[method] == pytest.approx(recorded[method], abs=1e-4), method
    assert (score[METHOD] < score[POOL_THEN_TRUNCATE]) == PUBLISHED_SCORES_LOWER[train_until]
