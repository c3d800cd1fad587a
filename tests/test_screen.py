"""The screen of hand-set parameters (calibration/screen): the committed spec is what its generator
writes, the ranges follow the stated rule, and the classification against the noise floor and the
fitted parameters behaves as its docstring says."""

import importlib.util
from pathlib import Path

import pandas as pd
import yaml

from conftest import ROOT

SCREEN = ROOT / "calibration" / "screen"


def _module(name: str):
    spec = importlib.util.spec_from_file_location(f"screen_{name}", SCREEN / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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


def test_a_parameter_counts_only_above_the_dummy_and_the_median_fitted_one():
    summarise = _module("summarise")
    sens = pd.DataFrame({"output": ["y_2021"] * 5, "parameter": ["a", "b", "h1", "h2", "dummy"],
                         "mu_star": [1.0, 3.0, 2.5, 1.2, 1.0], "mu_star_conf": [0.1, 0.1, 0.2, 0.5, 0.1]})
    t = summarise.classify(sens, free={"a", "b"}).set_index("parameter")
    assert bool(t.loc["h1", "above_noise"]) and bool(t.loc["h1", "as_strong_as_fitted"])   # 2.3 > 1 and 2.5 >= 2
    assert not t.loc["h2", "above_noise"]                    # 1.2 - 0.5 is inside the dummy's 1.0
    assert not t.loc["a", "above_noise"]
    ranked = summarise.rank(t.reset_index())
    assert list(ranked["parameter"]) == ["b", "h1", "h2", "a"]         # strong ones first, then by effect
    assert list(ranked["strong_on_fitted"]) == [1, 1, 0, 0] and "dummy" not in set(ranked["parameter"])


def test_the_committed_summary_is_what_the_committed_runs_give(tmp_path):
    summarise = _module("summarise")
    summarise.summarise(SCREEN, tmp_path)
    for name in ("summary.csv", "sensitivity_log.csv"):          # to float precision across NumPy versions
        pd.testing.assert_frame_equal(pd.read_csv(tmp_path / name), pd.read_csv(SCREEN / name), rtol=1e-6)
    assert (tmp_path / "summary.md").read_text() == (SCREEN / "summary.md").read_text()
    ranked = pd.read_csv(tmp_path / "summary.csv")
    assert len(ranked) == 147 and ranked["group"].value_counts().to_dict() == {"hand-set": 120, "free": 27}
