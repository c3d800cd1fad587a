"""Priors: the committed file, the unit-cube mapping, and one-line errors for bad files."""

import numpy as np
import pytest

from sim.calibration.priors import CATALOGUE, DEFAULT_PRIORS, Prior, load_priors
from sim.cli import main
from sim.errors import InputError


def test_committed_priors_load_and_contain_the_hand_set_values():
    priors = load_priors(DEFAULT_PRIORS)
    assert len(priors) >= 10 and priors.fixed
    for p in priors.free:
        assert p.low <= CATALOGUE[p.name].default <= p.high, p.name
        assert CATALOGUE[p.name].low <= p.low < p.high <= CATALOGUE[p.name].high
        assert len(p.reason) > 40, f"{p.name} needs a real reason"
    assert not set(priors.names) & set(priors.fixed)


@pytest.mark.parametrize("shape", ["uniform", "loguniform"])
def test_unit_cube_mapping_round_trips_and_spans_the_range(shape):
    p = Prior("ft_settle_rate", 0.005, 0.05, shape, "why")
    u = np.linspace(0, 1, 11)
    assert np.allclose(p.to_unit(p.to_value(u)), u)
    assert np.isclose(p.to_value(0.0), 0.005) and np.isclose(p.to_value(1.0), 0.05)


def test_draws_come_from_the_model_generator_and_are_reproducible():
    priors = load_priors()
    a = priors.draw(np.random.default_rng(5))
    b = priors.draw(np.random.default_rng(5))
    assert a == b and set(a) == set(priors.names)
    assert all(p.low <= a[p.name] <= p.high for p in priors.free)


BAD = [
    ("free: {not_a_parameter: {low: 0, high: 1, reason: x}}", "free.not_a_parameter: unknown parameter"),
    ("free: {res_exit_rate: {low: 0.02, high: 0.01, reason: x}}", "free.res_exit_rate: low (0.02) must be below high"),
    ("free: {res_exit_rate: {low: 0.0, high: 0.5, reason: x}}", "free.res_exit_rate: prior range 0 to 0.5 must lie within"),
    ("free: {res_exit_rate: {low: 0, high: 0.05, prior: loguniform, reason: x}}", "free.res_exit_rate.low: a loguniform prior needs low > 0"),
    ("free: {res_exit_rate: {low: 0.01, high: 0.05, prior: normal, reason: x}}", "free.res_exit_rate.prior"),
    ("free: {res_exit_rate: {low: 0.01, high: 0.05}}", "free.res_exit_rate.reason: required field is missing"),
    ("free: {res_exit_rate: {low: 0.01, high: 0.05, reason: x, mean: 1}}", "free.res_exit_rate.mean: unknown field"),
    ("free: {res_exit_rate: {low: 0.01, high: 0.05, reason: x}}\nfixed: {res_exit_rate: data}", "fixed.res_exit_rate: is both free and fixed"),
    ("free: {}", "free"),
    ("[1, 2]", "must be a mapping"),
]


@pytest.mark.parametrize("text, message", BAD, ids=[m.split(":")[0] for _, m in BAD])
def test_bad_priors_are_one_line_errors_naming_file_and_field(write, text, message):
    path = write("priors.yaml", text)
    with pytest.raises(InputError) as err:
        load_priors(path)
    assert str(err.value).startswith(str(path)) and message in str(err.value)


def test_calibrate_with_bad_priors_exits_2_with_one_line(write, capsys, tmp_path):
    path = write("priors.yaml", BAD[1][0])
    assert main(["calibrate", "--priors", str(path), "--work", str(tmp_path / "w"), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and str(path) in err and "low (0.02) must be below high" in err
    assert not (tmp_path / "o").exists() and not (tmp_path / "w").exists()


def test_calibrate_with_bad_targets_exits_2_with_one_line(write, capsys, tmp_path):
    path = write("targets.yaml", "targets:\n  - {id: x, indicator: nonsense, year: 2019, value: 1, qualifier: around, "
                                 "tolerance: 0.1, source: s}\n")
    assert main(["calibrate", "--targets", str(path), "--work", str(tmp_path / "w"), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith(f"innovsim: error: {path}: targets[0]") and "unknown indicator" in err
