"""Scenario loading: extends, merging, and a clear one-line error for every kind of bad input."""

from pathlib import Path

import numpy as np
import pytest

from sim import levers
from sim.errors import InputError
from sim.scenario import load_scenario

from conftest import SCENARIOS


def test_every_shipped_scenario_validates():
    files = sorted(SCENARIOS.glob("*.yaml"))
    assert len(files) >= 7
    for f in files:
        s = load_scenario(f)
        assert s.description, f"{f.name} needs a description"


def test_policy_scenarios_extend_the_baseline_and_say_what_they_change():
    for f in sorted(SCENARIOS.glob("*.yaml")):
        if f.name == "baseline.yaml":
            continue
        s = load_scenario(f)
        assert s.chain[0].name == "baseline.yaml" and s.own_levers


def test_child_overrides_from_its_first_date_and_inherits_the_rest(write):
    write("parent.yaml", "name: p\nlevers: {visa_processing_days: {2016: 30, 2021: 10}, research_grants_bn_yuan: 40}\n")
    child = write("child.yaml", "name: c\nextends: parent.yaml\nlevers: {visa_processing_days: {2026: 5}}\n")
    s = load_scenario(child)
    q = s.quarterly()
    assert q["visa_processing_days"][0] == 30 and q["visa_processing_days"][20] == 10
    assert q["visa_processing_days"][40] == 5
    assert np.all(q["research_grants_bn_yuan"] == 40)
    assert s.own_levers == ("visa_processing_days",)
    # a parameter the child sets is one of its changes too (validate and compare list it)
    tuned = write("tuned.yaml", "name: t\nextends: parent.yaml\nparameters: {ft_visa_weight: 0.5}\n")
    assert load_scenario(tuned).own_levers == ("ft_visa_weight",)
    assert [p.name for p in s.chain] == ["parent.yaml", "child.yaml"]


def test_unnamed_levers_take_the_catalogue_default(write):
    s = load_scenario(write("a.yaml", "name: a\n"))
    q = s.quarterly()
    for lever in levers.LEVERS:
        assert np.all(q[lever.name] == lever.default)


def test_run_settings_merge_and_command_line_wins(write):
    write("p.yaml", "name: p\nrun: {replicates: 3, seed: 9}\n")
    c = write("c.yaml", "name: c\nextends: p.yaml\nrun: {seed: 4}\n")
    assert load_scenario(c).run == {"horizon": 2035, "replicates": 3, "seed": 4, "scale": 1}
    assert load_scenario(c, seed=11, horizon=2030).run["seed"] == 11


BAD = {
    "syntax": ("name: x\nlevers: {visa_processing_days: [1,\n", "line 3"),
    "unknown_lever": ("name: x\nlevers: {visa_days: 10}\n", "levers.visa_days: unknown lever; allowed:"),
    "out_of_range": ("name: x\nlevers: {visa_processing_days: {2016: 400}}\n", "outside the allowed range 1 to 365"),
    "wrong_type": ("name: x\nlevers: {visa_processing_days: {2016: fast}}\n", "values must be numbers"),
    "bool_value": ("name: x\nlevers: {visa_processing_days: true}\n", "must be a number, a mapping of dates"),
    "date_after_horizon": ("name: x\nlevers: {visa_processing_days: {2040: 5}}\n", "outside the simulated period"),
    "date_before_2016": ("name: x\nlevers: {visa_processing_days: {2010: 5}}\n", "outside the simulated period"),
    "bad_date": ("name: x\nlevers: {visa_processing_days: {2016-13-01: 5}}\n", "month must be in 1..12"),
    "unknown_field": ("name: x\nfoo: 1\n", "foo: unknown field; allowed: name"),
    "missing_name": ("levers: {}\n", "name: required field is missing"),
    "wrong_section": ("name: x\nexogenous: {visa_processing_days: 3}\n", "is a lever; put it under `levers:`"),
    "bad_interpolation": ("name: x\nlevers: {visa_processing_days: {interpolation: cubic, values: {2016: 3}}}\n",
                          "interpolation must be step or linear"),
    "bad_run": ("name: x\nrun: {replicates: 0}\n", "run.replicates"),
    "bad_parameter": ("name: x\nparameters: {ft_visa_weight: 99}\n", "parameters.ft_visa_weight: 99 is outside"),
    "unknown_parameter": ("name: x\nparameters: {no_such: 1}\n", "unknown parameter"),
    "not_a_mapping": ("- a\n- b\n", "must be a mapping"),
    "levers_not_a_mapping": ("name: x\nlevers: [1, 2]\n", "levers: Input should be a valid dictionary"),
    "ramp_without_values": ("name: x\nlevers: {visa_processing_days: {interpolation: linear}}\n", "a ramp needs `values`"),
    "duplicate_date": ("name: x\nlevers: {visa_processing_days: {2016: 3, 2016-01-01: 4}}\n", "the date 2016-01-01 appears twice"),
    "python_tag": ("name: !!python/object/apply:os.system ['echo hi']\n", "YAML"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_names_file_and_field(case, write):
    text, expected = BAD[case]
    path = write(f"{case}.yaml", text)
    with pytest.raises(InputError) as info:
        load_scenario(path)
    message = str(info.value)
    assert str(path) in message and expected in message
    assert "\n" not in message


def test_missing_file_and_missing_parent_and_cycle(write, tmp_path):
    with pytest.raises(InputError, match="file not found"):
        load_scenario(tmp_path / "nope.yaml")
    orphan = write("orphan.yaml", "name: o\nextends: gone.yaml\n")
    with pytest.raises(InputError, match=r"orphan.yaml: extends: extends a file that does not exist"):
        load_scenario(orphan)
    write("a.yaml", "name: a\nextends: b.yaml\n")
    write("b.yaml", "name: b\nextends: a.yaml\n")
    with pytest.raises(InputError, match=r"circular extends \(a.yaml -> b.yaml -> a.yaml\)"):
        load_scenario(tmp_path / "a.yaml")


def test_error_in_a_parent_names_the_parent(write):
    write("parent.yaml", "name: p\nlevers: {research_grants_bn_yuan: -5}\n")
    child = write("child.yaml", "name: c\nextends: parent.yaml\n")
    with pytest.raises(InputError, match="parent.yaml: levers.research_grants_bn_yuan"):
        load_scenario(child)


def test_resolved_description_is_json_ready(baseline):
    import json
    text = json.dumps(baseline.resolved())
    assert "visa_processing_days" in text and Path(baseline.path).name in text


def test_command_line_horizon_may_end_the_run_before_later_dates(write):
    s = load_scenario(write("h.yaml", "name: h\nlevers: {visa_processing_days: {2016: 30, 2030: 5}}\n"), horizon=2026)
    assert s.horizon == 2026 and s.quarterly()["visa_processing_days"].size == 44
    with pytest.raises(InputError, match="--horizon: must be a year from 2020 to 2060"):
        load_scenario(write("h2.yaml", "name: h\n"), horizon=2070)
