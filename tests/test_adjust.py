"""Regression adjustment: moves points onto the figures where the relation is linear, keeps
points inside the prior's support, and leaves parameters the figures do not inform alone."""

import doctest

import numpy as np

import sim.calibration.abc_smc
import sim.calibration.adjust
import sim.calibration.distance
import sim.calibration.priors
from sim.calibration.adjust import regression_adjust


def test_docstring_examples_of_the_calibration_modules_hold():
    for module in (sim.calibration.adjust, sim.calibration.abc_smc, sim.calibration.distance, sim.calibration.priors):
        assert doctest.testmod(module).failed == 0, module.__name__


def test_adjustment_removes_the_blur_of_the_threshold():
    rng = np.random.default_rng(3)
    n = 400
    unit = rng.uniform(0.3, 0.7, size=(n, 2))
    logit = np.log(unit / (1 - unit))
    # z depends on the first parameter only (plus noise); the figure is at logit = 0.
    z = (logit[:, [0]] / 0.4) + 0.05 * rng.standard_normal((n, 1))
    d = np.abs(z[:, 0])
    keep = d <= 1.0
    args = (unit[keep], z[keep], np.full(keep.sum(), 1 / keep.sum()), d[keep], 1.0)
    adjusted, w = regression_adjust(*args, ridge=0.0)
    raw_sd = np.std(unit[keep, 0])
    assert np.std(adjusted[:, 0]) < 0.2 * raw_sd                      # pulled onto theta_0 = 0.5
    shrunk, _ = regression_adjust(*args)                               # the default ridge penalty
    assert np.std(adjusted[:, 0]) < np.std(shrunk[:, 0]) < 0.5 * raw_sd
    assert abs(np.average(adjusted[:, 0], weights=w) - 0.5) < 0.01
    assert np.allclose(adjusted[:, 1], unit[keep, 1], atol=0.02)       # uninformed: left alone
    assert np.all((adjusted > 0) & (adjusted < 1)) and np.isclose(w.sum(), 1)


def test_points_at_the_threshold_get_no_weight():
    unit = np.array([[0.4], [0.5], [0.6]])
    z = np.array([[-1.0], [0.0], [1.0]])
    _, w = regression_adjust(unit, z, np.full(3, 1 / 3), np.abs(z[:, 0]), epsilon=1.0)
    assert w[0] == 0 and w[2] == 0 and w[1] == 1
