"""Per-replicate parameters: posterior draws keyed by replicate seed, medians, priors, defaults."""

import numpy as np
import pandas as pd
import pytest

from sim.calibration.posterior import Posterior, for_replicates
from sim.calibration.priors import load_priors
from sim.errors import InputError
from sim.parameters import Parameters
from sim.runner import replicate_seeds


@pytest.fixture
def posterior_file(tmp_path):
    """A small posterior over two parameters, with unequal weights."""
    frame = pd.DataFrame({"particle": range(4), "weight": [0.1, 0.2, 0.3, 0.4],
                          "res_exit_rate": [0.005, 0.01, 0.02, 0.03], "foreign_exit_rate": [0.02, 0.04, 0.05, 0.06],
                          "distance": [0.5, 0.4, 0.3, 0.2], "generation": 3, "epsilon": 0.6})
    path = tmp_path / "posterior.parquet"
    frame.to_parquet(path, index=False)
    return path


def test_a_replicate_draws_the_same_particle_whatever_the_number_of_replicates(posterior_file):
    few = for_replicates("posterior", replicate_seeds(1, 3), posterior=posterior_file)
    many = for_replicates("posterior", replicate_seeds(1, 50), posterior=posterior_file)
    assert list(few.table["particle"]) == list(many.table["particle"][:3])
    assert [dict(p) for p in few.parameters] == [dict(p) for p in many.parameters[:3]]


def test_draws_follow_the_weights(posterior_file):
    draws = for_replicates("posterior", replicate_seeds(7, 4000), posterior=posterior_file)
    shares = draws.table["particle"].value_counts(normalize=True).sort_index().to_numpy()
    assert np.allclose(shares, [0.1, 0.2, 0.3, 0.4], atol=0.03)


def test_median_gives_every_replicate_the_weighted_median(posterior_file):
    reps = for_replicates("median", replicate_seeds(1, 5), posterior=posterior_file)
    assert all(p.res_exit_rate == 0.02 and p.foreign_exit_rate == 0.05 for p in reps.parameters)
    assert reps.provenance["source"] == "median" and len(reps.provenance["posterior_sha256"]) == 64


def test_scenario_overrides_win_over_every_source(posterior_file):
    for source in ("posterior", "median", "prior", "default"):
        reps = for_replicates(source, replicate_seeds(1, 3), {"res_exit_rate": 0.05}, posterior=posterior_file)
        assert all(p.res_exit_rate == 0.05 for p in reps.parameters), source


def test_prior_draws_stay_in_their_ranges_and_default_is_the_catalogue(posterior_file):
    priors = load_priors()
    reps = for_replicates("prior", replicate_seeds(1, 20))
    for p in reps.parameters:
        assert all(q.low <= p[q.name] <= q.high for q in priors.free)
    assert len({p.res_exit_rate for p in reps.parameters}) == 20
    default = for_replicates("default", replicate_seeds(1, 2))
    assert all(dict(p) == dict(Parameters.defaults()) for p in default.parameters)


@pytest.mark.parametrize("change, message", [
    (lambda f: f.drop(columns="weight"), "has no `weight` column"),
    (lambda f: f.assign(weight=-1.0), "weights must be non-negative"),
    (lambda f: f.assign(bogus=1.0), "unknown parameter column 'bogus'"),
    (lambda f: f.assign(res_exit_rate=5.0), "res_exit_rate: value 5 outside the plausible range"),
])
def test_a_bad_posterior_file_is_a_one_line_error(posterior_file, change, message):
    change(pd.read_parquet(posterior_file)).to_parquet(posterior_file, index=False)
    with pytest.raises(InputError) as err:
        Posterior.load(posterior_file)
    assert str(err.value).startswith(str(posterior_file)) and message in str(err.value)


def test_a_missing_posterior_says_what_to_do(tmp_path):
    with pytest.raises(InputError, match="run `innovsim calibrate`"):
        for_replicates("posterior", [1], posterior=tmp_path / "none.parquet")
