"""ABC-SMC with MCMC moves on a toy simulator: correct posterior, reproducible, resumable, robust
to failures.

The toy has two parameters in the unit cube and observes ``y = (theta_0 + noise, theta_1 + noise)``
with the data at (0.3, 0.7); with a uniform prior the ABC posterior concentrates around the data.
"""

import numpy as np
import pytest

from sim.calibration.abc_smc import ABCSMC, SMCSettings, systematic_resample, weighted_quantile
from sim.calibration.journal import Journal

DATA = np.array([0.3, 0.7])


def toy(batch):
    for index, unit, seed in batch:
        rng = np.random.default_rng(seed)
        yield index, {"a": unit[0] + 0.03 * rng.standard_normal(), "b": unit[1] + 0.03 * rng.standard_normal()}, ""


def toy_distance(stats):
    return float(np.hypot(stats["a"] - DATA[0], stats["b"] - DATA[1]))


SETTINGS = SMCSettings(particles=60, min_epsilon=0.05, seed=11)


def run(folder, budget=4000, workers=1, settings=SETTINGS, evaluate=toy):
    return ABCSMC(2, toy_distance, settings, Journal(folder)).run(evaluate, budget, progress=False, workers=workers)


@pytest.fixture(scope="module")
def straight(tmp_path_factory):
    return run(tmp_path_factory.mktemp("straight"))


def test_posterior_concentrates_on_the_data(straight):
    pop = straight.population
    assert straight.stopped.startswith("reached the target distance")
    assert np.allclose(pop.mean(), DATA, atol=0.03)
    assert np.all(np.sqrt(np.diag(pop.covariance())) < 0.06)
    assert np.isclose(pop.weights.sum(), 1.0) and pop.ess > 0.3 * len(pop.weights)


def test_weights_stay_equal_and_the_population_stays_diverse(straight):
    """The failure of importance weights in many dimensions was one particle weighted as all:
    moves keep every weight equal, and enough particles move to keep most of them distinct."""
    for p in straight.history:
        assert np.allclose(p.weights, 1 / len(p.weights))
        assert p.unique >= 0.3 * len(p.weights) and p.ess <= p.unique * (1 + 1e-9)
        assert 0 < p.acceptance <= 1


def test_the_posterior_has_the_width_the_data_allow():
    """One observation y ~ N(theta, 0.05) at 0.3 under a uniform prior: the posterior is N(0.3, 0.05)
    (the ABC kernel of half-width 0.01 adds under 1 %). A sampler that lost its diversity would give a
    narrower one; one that did not converge, a wider one."""
    import tempfile

    def one(batch):
        for index, unit, seed in batch:
            yield index, {"y": unit[0] + 0.05 * np.random.default_rng(seed).standard_normal()}, ""
    smc = ABCSMC(1, lambda st: abs(st["y"] - 0.3), SMCSettings(particles=400, min_epsilon=0.01, seed=5),
                 Journal(tempfile.mkdtemp()))
    pop = smc.run(one, budget=20_000, progress=False).population
    assert pop.epsilon == 0.01
    assert abs(pop.mean()[0] - 0.3) < 0.01
    assert 0.042 < np.sqrt(pop.covariance()[0, 0]) < 0.058


def test_systematic_resampling_keeps_each_share_to_within_one_copy():
    w = np.random.default_rng(1).random(50)
    counts = np.bincount(systematic_resample(w, 200, np.random.default_rng(2)), minlength=50)
    expected = 200 * w / w.sum()
    assert counts.sum() == 200 and np.all(np.abs(counts - expected) < 1)


def split(result, hold=SETTINGS.hold_generations):
    """The generations of the threshold's schedule, and the ``hold`` generations held after it."""
    return result.history[:-hold], result.history[-hold:]


def test_thresholds_shrink_and_every_kept_particle_meets_its_threshold(straight):
    eps = [p.epsilon for p in split(straight)[0]]
    assert eps[0] == np.inf and all(b < a for a, b in zip(eps, eps[1:]))
    for p in straight.history:
        assert np.all(p.distances <= p.epsilon)
        assert np.all((p.unit >= 0) & (p.unit <= 1))


def test_the_threshold_holds_for_the_set_generations_once_the_target_is_reached(straight):
    """After the generation that reached the target distance, the sampler moves the particles at
    that threshold for ``hold_generations`` more generations, and its note says so."""
    ran, held = split(straight)
    assert ran[-1].epsilon == SETTINGS.min_epsilon and ran[-2].epsilon > SETTINGS.min_epsilon
    assert [p.epsilon for p in held] == [SETTINGS.min_epsilon] * SETTINGS.hold_generations
    assert straight.stopped == (f"reached the target distance {SETTINGS.min_epsilon:g}; then 4 of 4 generations of "
                                f"moves at the threshold of generation {len(ran) - 1} ({SETTINGS.min_epsilon:g})")


def test_a_held_generation_moves_particles_without_resampling_them(straight):
    """At a threshold every particle already meets, resampling is the identity: particle ``i`` of a
    held generation is particle ``i`` of the one before, or where an accepted move took it."""
    for before, now in zip(straight.history[-SETTINGS.hold_generations - 1:], split(straight)[1]):
        moved = now.born == now.generation
        assert moved.any() and not moved.all()
        kept = [(r.index, b) for r, b, m in zip(now.records, now.born, moved) if not m]
        assert kept == [(r.index, b) for r, b, m in zip(before.records, before.born, moved) if not m]


def test_holding_turns_copies_back_into_distinct_particles(tmp_path):
    """Where the moves stop mixing (here: a demanding ``min_acceptance`` ends the schedule early),
    the held generations descend from the generation before, at its threshold, where the chain did
    mix; their moves make that generation's copies distinct again."""
    settings = SMCSettings(particles=60, min_epsilon=0.05, min_acceptance=0.3, seed=11)
    result = run(tmp_path, settings=settings)
    ran, held = split(result)
    failed, base = ran[-1], ran[-2]
    assert failed.acceptance < 0.3 <= base.acceptance and failed.epsilon > settings.min_epsilon and len(ran) > 3
    assert result.stopped == (f"fewer than 0.3 of the moves were accepted in generation {failed.generation}; then 4 "
                              f"of 4 generations of moves at the threshold of generation {base.generation} "
                              f"({base.epsilon:.3g})")
    assert [p.epsilon for p in held] == [base.epsilon] * 4
    first = held[0]
    unmoved = first.born != first.generation
    assert [(r.index, b) for r, b, m in zip(first.records, first.born, unmoved) if m] == \
        [(r.index, b) for r, b, m in zip(base.records, base.born, unmoved) if m]
    assert [p.unique for p in held] == sorted(p.unique for p in held) and held[-1].unique > base.unique + 3
    assert held[-1].ess > base.ess


def test_no_hold_stops_where_the_schedule_ends(straight, tmp_path):
    import dataclasses

    bare = run(tmp_path, settings=dataclasses.replace(SETTINGS, hold_generations=0))
    assert bare.stopped == f"reached the target distance {SETTINGS.min_epsilon:g}"
    assert len(bare.history) == len(straight.history) - SETTINGS.hold_generations
    assert np.array_equal(bare.population.unit, split(straight)[0][-1].unit)


def test_a_cap_that_comes_first_is_reported_as_the_cap(tmp_path):
    """The generation cap reached on a generation whose moves no longer mixed: the run stopped
    at the cap (the hold never started), and says so as it did before there was a hold."""
    settings = SMCSettings(particles=60, min_epsilon=0.05, min_acceptance=0.3, seed=11, max_generations=7)
    capped = run(tmp_path, settings=settings)
    assert capped.history[-1].acceptance < 0.3 and capped.stopped == "reached 7 generations"


def test_resuming_under_a_shorter_hold_counts_only_the_generations_it_uses(straight, tmp_path):
    import dataclasses

    run(tmp_path)                                             # the whole run on disk, four held
    shorter = run(tmp_path, settings=dataclasses.replace(SETTINGS, hold_generations=1))
    assert len(shorter.history) == len(straight.history) - 3 and shorter.runs_now == 0
    assert shorter.runs == sum(p.runs for p in shorter.history) < straight.runs


def test_same_seed_same_posterior_whatever_the_workers(straight, tmp_path):
    other = run(tmp_path, workers=7)            # other block sizes, same proposals
    assert np.array_equal(other.population.unit, straight.population.unit)
    assert np.array_equal(other.population.weights, straight.population.weights)


def test_another_seed_gives_another_sample(straight, tmp_path):
    other = run(tmp_path, settings=SMCSettings(particles=60, min_epsilon=0.05, seed=12))
    assert not np.array_equal(other.population.unit, straight.population.unit)


def test_resuming_after_a_spent_budget_gives_the_uninterrupted_posterior(straight, tmp_path):
    first = run(tmp_path, budget=150)
    assert first.stopped.startswith("budget of 150 simulations spent") and first.partial
    assert 150 <= first.runs <= 150 + 60   # at most a block of the prior draw on top
    second = run(tmp_path, budget=4000)
    assert second.runs_now == second.runs - first.runs   # nothing on disk was run again
    assert np.array_equal(second.population.unit, straight.population.unit)
    assert np.array_equal(second.population.weights, straight.population.weights)


def test_a_crash_mid_block_loses_only_runs_in_flight(straight, tmp_path):
    def crashing(batch):
        for n, item in enumerate(toy(batch)):
            if n == 25:
                raise KeyboardInterrupt
            yield item
    with pytest.raises(KeyboardInterrupt):
        run(tmp_path, evaluate=crashing)
    journal = Journal(tmp_path)
    assert len(journal.records(0)) == 25
    with open(tmp_path / "generation_00.jsonl", "a") as f:
        f.write('{"i": 999, "u": [0.1')            # a line cut short by the crash
    resumed = run(tmp_path)
    assert np.array_equal(resumed.population.unit, straight.population.unit)


def test_failed_simulations_are_rejected_and_counted(tmp_path):
    def flaky(batch):
        for index, stats, error in toy(batch):
            yield (index, None, "ValueError: boom") if index % 5 == 0 else (index, stats, error)
    result = run(tmp_path, evaluate=flaky)
    assert result.failed > 0 and result.population is not None
    assert all(r.ok for p in result.history for r in p.records)


def test_weighted_quantile_matches_the_unweighted_one_for_equal_weights():
    x = np.random.default_rng(0).random(101)
    assert weighted_quantile(x, np.ones(101), 0.5) == pytest.approx(np.median(x))


@pytest.mark.parametrize("budget", [150, 333, 900])     # 900: during the second held generation
def test_a_binding_budget_cuts_at_the_same_proposal_whatever_the_workers(tmp_path, budget):
    """The budget counts simulations by index, not finished ones: blocks sized for 1 or 16
    workers overshoot differently, and must still give the same posterior."""
    one = run(tmp_path / "one", budget=budget, workers=1)
    many = run(tmp_path / "many", budget=budget, workers=16)
    assert one.partial and one.partial == many.partial and len(one.history) == len(many.history) >= 1
    assert np.array_equal(one.population.unit, many.population.unit)
    assert np.array_equal(one.population.weights, many.population.weights)


def test_a_target_met_in_the_last_generation_allowed_is_reported_as_the_target(straight, tmp_path):
    """When the generation cap and the target distance fall on the same generation, the run
    stopped because it reached its target, and says so."""
    import dataclasses

    capped = run(tmp_path, settings=dataclasses.replace(SETTINGS, max_generations=len(split(straight)[0])))
    assert capped.population.epsilon <= SETTINGS.min_epsilon
    assert capped.stopped.startswith("reached the target distance"), capped.stopped
    holding = run(tmp_path, settings=dataclasses.replace(SETTINGS, max_generations=len(straight.history) - 2))
    assert holding.stopped.endswith(f"then 2 of 4 generations of moves at the threshold of generation "
                                    f"{len(split(straight)[0]) - 1} (0.05); reached 10 generations")
    short = run(tmp_path / "short", settings=dataclasses.replace(SETTINGS, max_generations=2))
    assert short.stopped == "reached 2 generations"


def test_resuming_under_a_lower_cap_counts_only_the_generations_it_uses(straight, tmp_path):
    import dataclasses

    run(tmp_path)                                             # the whole run on disk
    capped = run(tmp_path, settings=dataclasses.replace(SETTINGS, max_generations=2))
    assert capped.runs == sum(p.runs for p in capped.history) == sum(p.runs for p in straight.history[:2])
    assert capped.runs < straight.runs and capped.runs_now == 0
