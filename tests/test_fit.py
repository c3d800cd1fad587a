"""Fit of the baseline to the documented figures and the real series, with the committed posterior.

The calibration's check runs the baseline's replicate seeds, each with its draw from
``calibration/posterior.parquet``, at the check's scale (``calibration/summary.json``), and commits
every replicate's yearly indicators (``calibration/predictive.parquet``) and the fit they give
(``calibration/fit.csv``). Here:

* a few of those replicates are rerun with today's code and must reproduce the committed
  indicators exactly, every indicator of every year: a change to the model that moves the baseline
  off the record, in any fitted series or anywhere else, fails here (recalibrate with
  ``innovsim calibrate`` and commit the new posterior and fit, or fix the change);
* the committed fit is recomputed from the committed replicates: every simulated median equal to
  ``fit.csv``, and every comparable figure within the accepted range of
  ``calibration/targets.yaml`` where the fit reports it within and outside where it reports a miss.

Together they hold the baseline to its fitted series within their tolerances: the code reproduces
the replicates, and the replicates give the fit. Rerunning a handful of replicates rather than all
forty keeps this under a minute; ``tests/test_history_fit.py`` judges the fit itself.
"""

import json

import numpy as np
import pandas as pd
import pytest

from sim.calibration.posterior import for_replicates
from sim.resources import data_file
from sim.results import milestone_table
from sim.runner import Job, replicate_seeds, run_replicate
from sim.targets import load_targets

SETTINGS = json.loads(data_file("calibration/summary.json").read_text())["settings"]
PREDICTIVE = pd.read_parquet(data_file("calibration/predictive.parquet"))
#: Replicates rerun: the first, the last and two between (of the check's forty).
RERUN = (0, 13, 26, 39)


@pytest.fixture(scope="module")
def rerun(baseline):
    seeds = replicate_seeds(int(baseline.run["seed"]), int(SETTINGS["check_replicates"]))
    reps = for_replicates("posterior", seeds, baseline.parameters)
    horizon = int(PREDICTIVE["year"].max())
    schedules = baseline.quarterly(horizon)
    return {r: run_replicate(Job(r, seeds[r], schedules, reps.parameters[r], float(SETTINGS["check_scale"]), horizon))
            for r in RERUN}


@pytest.mark.parametrize("replicate", RERUN)
def test_the_committed_check_replicates_are_reproduced_exactly(rerun, replicate):
    new = rerun[replicate].set_index("year")
    old = PREDICTIVE[PREDICTIVE["replicate"] == replicate].set_index("year")
    assert list(new.index) == list(old.index)
    assert int(new["seed"].iloc[0]) == int(old["seed"].iloc[0])
    moved = {}
    for name in old.columns.drop(["replicate", "seed"]):
        a, b = new[name].to_numpy(dtype=float), old[name].to_numpy(dtype=float)
        if not np.allclose(a, b, rtol=1e-9, atol=0.0, equal_nan=True):
            year = int(new.index[np.flatnonzero(~np.isclose(a, b, rtol=1e-9, atol=0.0, equal_nan=True))[0]])
            moved[name] = (year, float(new.loc[year, name]), float(old.loc[year, name]))
    assert not moved, (f"replicate {replicate} no longer reproduces the committed check (indicator: (year, now, "
                       f"committed)): {moved}; recalibrate and commit, or fix the change")


TARGETS = [t for t in load_targets() if t.comparable and not t.holdout]
_FIT = pd.read_csv(data_file("calibration/fit.csv")).set_index("target_id")


@pytest.fixture(scope="module")
def committed():
    return milestone_table(PREDICTIVE)


@pytest.mark.parametrize("target", TARGETS, ids=[t.id for t in TARGETS])
def test_the_committed_replicates_give_the_committed_fit(committed, target):
    row = committed[committed["kind"].isin(["documented", "series", "regime"]) & (committed["id"] == target.id)].iloc[0]
    assert row["simulated_median"] == pytest.approx(_FIT.loc[target.id, "simulated_median"], rel=1e-9)
    within = bool(_FIT.loc[target.id, "within"])
    assert bool(row["met"]) == within, (f"{target.id}: simulated median {row['simulated_median']:.4g} against "
                                        f"{row['low']:.4g}-{row['high']:.4g}; the fit reports "
                                        f"{'within' if within else 'a miss'}")


def test_held_out_figures_are_reported(committed):
    held = committed[(committed["kind"] == "documented") & (committed["holdout"] == True)]  # noqa: E712
    assert len(held) >= 1 and np.isfinite(held["simulated_median"]).all()
