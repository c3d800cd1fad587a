"""The screen of hand-set parameters (calibration/screen): the committed spec is what its generator
writes, the ranges follow the stated rule, the classification against the noise floor and the 5 %
threshold behaves as its docstring says, and the committed summary is what the committed runs give."""

import pandas as pd
import pytest
import yaml

from conftest import ROOT, load_script

SCREEN = ROOT / "calibration" / "screen"


def _module(name: str):
    return load_script(SCREEN / f"{name}.py")


def test_the_committed_spec_is_what_its_generator_writes():
    assert (SCREEN / "spec.yaml").read_text() == _module("make_spec").text()


def test_ranges_follow_the_rule_and_every_unfixed_parameter_is_screened():
    from sim.parameters import BY_NAME

    make = _module("make_spec")
    priors = yaml.safe_load((ROOT / "calibration" / "priors.yaml").read_text())
    screened = make.spec()["parameters"]
    for name, p in BY_NAME.items():
        if name in priors["fixed"] or name in make.LEFT_OUT:
            assert name not in screened
        elif name in priors["free"]:
            assert screened[name] == {"low": priors["free"][name]["low"], "high": priors["free"][name]["high"]}
        else:
            lo, hi = screened[name]["low"], screened[name]["high"]
            assert p.low <= lo < hi <= p.high and lo <= p.default <= hi, name
    assert len(screened) == len(BY_NAME) - len(priors["fixed"]) - len(make.LEFT_OUT)
    origins = [screened[n]["high"] for n in make.ORIGIN_SHARES]
    assert sum(origins) < 1.0                               # the largest shares together still leave room


def test_a_parameter_moves_a_target_only_above_the_dummy_and_by_at_least_five_percent():
    summarise = _module("summarise")
    table = pd.DataFrame({"output": ["y_2021"] * 5 + ["z_2035"] * 2, "same_as": [""] * 7,
                          "parameter": ["a", "h1", "h2", "h3", "dummy", "h1", "dummy"],
                          "effect": [0.30, 0.20, 0.12, 0.04, 0.10, 0.5, 0.1],
                          "effect_conf": [0.05, 0.05, 0.05, 0.0, 0.02, 0.1, 0.0]})
    t = summarise.classify(table, free={"a"}).set_index(["output", "parameter"])
    assert t.loc[("y_2021", "h1"), "moves"] and t.loc[("y_2021", "a"), "moves"]
    assert not t.loc[("y_2021", "h2"), "above_noise"]           # 0.12 - 0.05 is inside the dummy's 0.10
    table.loc[table["parameter"] == "dummy", "effect"] = 0.0      # no noise at all (a rank that never moves)
    t = summarise.classify(table, free={"a"}).set_index(["output", "parameter"])
    assert t.loc[("y_2021", "h3"), "above_noise"] and not t.loc[("y_2021", "h3"), "moves"]   # under 0.05
    ranked = summarise.rank(t.reset_index())
    assert list(ranked["parameter"]) == ["h1", "a", "h2", "h3"]        # h1 also moves the projection
    assert list(ranked["moves_fitted"]) == [1, 1, 1, 0] and "dummy" not in set(ranked["parameter"])


def test_outputs_that_are_constant_multiples_count_once():
    summarise = _module("summarise")
    runs = pd.DataFrame({"status": ["ok"] * 4, "spend": [1.0, 2.0, 3.0, 5.0], "share": [0.1, 0.2, 0.3, 0.5],
                         "papers": [1.0, 2.0, 3.0, 4.0]})
    assert summarise.duplicates(runs, ["spend", "share", "papers"]) == {"share": "spend"}
    table = pd.DataFrame({"output": ["spend", "share"], "same_as": ["", "spend"], "parameter": ["dummy"] * 2,
                          "effect": [0.1, 0.1], "effect_conf": [0.0, 0.0]})
    assert list(summarise.classify(table, free=set())["output"]) == ["spend"]


def test_the_screen_does_not_depend_on_the_posterior():
    """Its base is the catalogue and it sweeps every free parameter over its prior, so no value of the
    posterior enters a run and a refit leaves it current (summarise.py's docstring)."""
    import json

    recorded = json.loads((SCREEN / "sweep.json").read_text())
    assert recorded["base"]["source"] == "default" and "posterior_sha256" not in recorded["base"]
    priors = yaml.safe_load((ROOT / "calibration" / "priors.yaml").read_text())
    swept = yaml.safe_load((SCREEN / "spec.yaml").read_text())["parameters"]
    assert set(priors["free"]) <= set(swept)


def test_the_committed_summary_is_what_the_committed_runs_give(tmp_path):
    summarise = _module("summarise")
    summarise.summarise(SCREEN, tmp_path)
    for name in ("summary.csv", "sensitivity_log.csv"):          # to float precision across NumPy versions
        pd.testing.assert_frame_equal(pd.read_csv(tmp_path / name, keep_default_na=False),
                                      pd.read_csv(SCREEN / name, keep_default_na=False), rtol=1e-6)
    assert (tmp_path / "summary.md").read_text() == (SCREEN / "summary.md").read_text()
    ranked = pd.read_csv(tmp_path / "summary.csv")
    free = summarise.free_parameters()
    swept = len(yaml.safe_load((SCREEN / "spec.yaml").read_text())["parameters"])       # 144: every one ranked
    assert len(ranked) == swept and ranked["group"].value_counts().to_dict() == {"hand-set": swept - len(free),
                                                                                "free": len(free)}


def test_runs_of_another_design_are_refused(tmp_path):
    import json
    import shutil

    summarise = _module("summarise")
    runs = pd.read_parquet(SCREEN / "runs.parquet")
    runs.loc[runs["sample_id"] == 3, "grant_size_myuan"] *= 1.01
    runs.to_parquet(tmp_path / "runs.parquet")
    shutil.copy(SCREEN / "sweep.json", tmp_path / "sweep.json")
    with pytest.raises(SystemExit, match="grant_size_myuan does not follow"):
        summarise.summarise(tmp_path, tmp_path)
    recorded = json.loads((SCREEN / "sweep.json").read_text())
    recorded["design"]["matrix_sha"] = "0" * 16
    (tmp_path / "sweep.json").write_text(json.dumps(recorded))
    with pytest.raises(SystemExit, match="its design is not the one"):
        summarise.summarise(tmp_path, tmp_path)


def test_an_output_that_cannot_be_logged_stops_the_summary():
    summarise = _module("summarise")
    runs = pd.read_parquet(SCREEN / "runs.parquet")
    runs.loc[5, "multinational_regional_hq_2021"] = 0.0
    with pytest.raises(SystemExit, match="multinational_regional_hq_2021 is zero or negative in 1 runs"):
        summarise.log_indices(runs, *summarise.sweep_and_design())
