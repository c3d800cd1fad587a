"""The burn-in settling study (calibration/burnin): the committed spec is what its generator writes,
the drift and the settling rule behave as the docstring says, and the committed summary is what
the committed runs give, on the committed posterior."""

import hashlib
import json

import numpy as np
import pandas as pd
import pytest

from conftest import ROOT, load_script

BURNIN = ROOT / "calibration" / "burnin"


def _module(name: str):
    return load_script(BURNIN / f"{name}.py")


def test_the_committed_spec_is_what_its_generator_writes():
    assert (BURNIN / "spec.yaml").read_text() == _module("make_spec").text()


def _runs(values: dict[int, list[float]], gain: float = 0.05) -> pd.DataFrame:
    rows = [{"status": "ok", "replicate": r, "init_burn_in_years": float(b), "firm_knowledge_share_gain": gain,
             "y_2021": v} for b, vs in values.items() for r, v in enumerate(vs)]
    return pd.DataFrame(rows)


def test_drift_is_the_paired_log_difference_from_the_longest_burn_in():
    summarise = _module("summarise")
    # replicate noise shared across lengths (common random numbers) cancels in the pairs
    noise = np.array([1.0, 2.0, 0.5, 1.5])
    table = summarise.drift(_runs({0: list(0.8 * noise), 2: list(1.0 * noise), 10: list(noise)}), ["y_2021"])
    t = table[table["gain"] == 0.05].set_index("years")
    assert t.loc[0, "drift"] == pytest.approx(np.log(0.8)) and t.loc[0, "se"] == pytest.approx(0.0, abs=1e-12)
    assert t.loc[2, "drift"] == pytest.approx(0.0) and t.loc[10, "drift"] == 0.0


def test_an_output_settles_where_its_drift_stays_small_at_every_longer_length():
    summarise = _module("summarise")
    table = pd.DataFrame({"output": ["a"] * 4 + ["b"] * 4 + ["c"] * 4,
                          "years": [0, 2, 4, 10] * 3,
                          # a: large, small, large again (not settled before 4), then the reference
                          # b: large but within two standard errors from 2 on; c: never small before 10
                          "drift": [0.3, 0.01, -0.08, 0.0, 0.3, 0.09, 0.02, 0.0, 0.3, 0.2, 0.1, 0.0],
                          "se": [0.01, 0.01, 0.01, 0.0, 0.01, 0.05, 0.01, 0.0, 0.01, 0.01, 0.01, 0.0]})
    settled = summarise.settled_after(table)
    assert settled.to_dict() == {"a": None, "b": 2, "c": None}     # the reference itself says nothing


def test_the_selection_effect_pairs_the_two_gains_at_one_length():
    summarise = _module("summarise")
    noise = [1.0, 2.0, 0.5]
    runs = pd.concat([_runs({2: noise, 10: noise}, gain=0.0),
                      _runs({2: [1.5 * v for v in noise], 10: [3 * v for v in noise]}, gain=0.05)])
    effect = summarise.selection_effect(runs, ["y_2021"], 2, 0.05)
    assert effect.loc["y_2021", "effect"] == pytest.approx(np.log(1.5)) and effect.loc["y_2021", "se"] < 1e-12
    table = summarise.drift(runs, ["y_2021"]).set_index(["gain", "years"])
    assert table.loc[(0.0, 2), "drift"] == pytest.approx(0.0)                 # each gain against its own reference
    assert table.loc[(0.05, 2), "drift"] == pytest.approx(np.log(0.5))


def test_zero_outputs_are_refused_rather_than_logged():
    summarise = _module("summarise")
    with pytest.raises(SystemExit, match="zero or negative"):
        summarise.drift(_runs({0: [0.0, 1.0], 10: [1.0, 1.0]}), ["y_2021"])


def test_the_committed_summary_is_what_the_committed_runs_give(tmp_path):
    summarise = _module("summarise")
    summarise.summarise(BURNIN, out=tmp_path)
    assert (tmp_path / "summary.md").read_text() == (BURNIN / "summary.md").read_text()
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "summary.csv"), pd.read_csv(BURNIN / "summary.csv"))


def test_the_study_was_run_on_the_committed_posterior():
    """A new calibration makes the study's base values stale: rerun it (make_spec.py's docstring)."""
    recorded = json.loads((BURNIN / "sweep.json").read_text())
    committed = hashlib.sha256((ROOT / "calibration" / "posterior.parquet").read_bytes()).hexdigest()
    assert recorded["base"] == {"source": "median", "posterior_sha256": committed}
