"""Fit of the baseline to the documented figures, with the committed posterior.

Reruns the baseline to 2020 at scale 5 (persons per agent), the way ``innovsim run`` runs it:
replicates from the baseline's seed, each with its own draw from ``calibration/posterior.parquet``,
and again at the posterior median. Every comparable figure that is not held out must have its
median within the accepted range of ``calibration/targets.yaml``. A change to the model that
moves the baseline off the record fails here: recalibrate (``innovsim calibrate``) and commit
the new posterior, or fix the change.
"""

import numpy as np
import pandas as pd
import pytest

from sim.calibration.posterior import for_replicates
from sim.results import milestone_table
from sim.runner import Job, replicate_seeds, run_replicate
from sim.targets import load_targets

FIT_SCALE = 5
REPLICATES = {"posterior": 16, "median": 8}


@pytest.fixture(scope="module", params=list(REPLICATES))
def fit(request, baseline):
    source = request.param
    seeds = replicate_seeds(int(baseline.run["seed"]), REPLICATES[source])
    reps = for_replicates(source, seeds, baseline.parameters)
    schedules = baseline.quarterly(2020)
    table = pd.concat([run_replicate(Job(r, s, schedules, reps.parameters[r], FIT_SCALE, 2020))
                       for r, s in enumerate(seeds)], ignore_index=True)
    return source, milestone_table(table)


TARGETS = [t for t in load_targets() if t.comparable and not t.holdout]


@pytest.mark.parametrize("target", TARGETS, ids=[t.id for t in TARGETS])
def test_baseline_matches_documented_figure(fit, target):
    source, table = fit
    row = table[(table["kind"] == "documented") & (table["id"] == target.id)].iloc[0]
    assert bool(row["met"]), (f"{target.id} ({source}): simulated median {row['simulated_median']:.4g} outside "
                              f"{row['low']:.4g}-{row['high']:.4g} (documented {target.value:g}, {target.qualifier})")


def test_held_out_figures_are_reported(fit):
    _, table = fit
    held = table[(table["kind"] == "documented") & (table["holdout"] == True)]  # noqa: E712
    assert len(held) >= 1 and np.isfinite(held["simulated_median"]).all()
