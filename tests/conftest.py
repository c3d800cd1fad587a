"""Shared fixtures: scenarios, small fast models, and cached runs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.model import InnovationModel
from sim.parameters import Parameters
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
#: Persons per agent in tests: small enough to be quick, large enough for stable directions.
TEST_SCALE = 20


def load_script(path: Path):
    """A committed script outside the package (``calibration/screen/summarise.py`` and the like),
    loaded as a module under a name of its own, so that two scripts of one name do not collide."""
    import importlib.util

    name = "script_" + "_".join(path.relative_to(ROOT).with_suffix("").parts)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def baseline():
    return load_scenario(SCENARIOS / "baseline.yaml")


@pytest.fixture(scope="session")
def baseline_schedules(baseline):
    return baseline.quarterly(2035)


def make_model(schedules, *, seed=1, scale=TEST_SCALE, horizon=2035, parameters=None, agents="lazy"):
    return InnovationModel(schedules, parameters or Parameters.defaults(), scale=scale, horizon=horizon,
                           rng=seed, agents=agents)


def run_table(schedules, *, seed=1, scale=TEST_SCALE, horizon=2035, parameters=None, agents="lazy") -> pd.DataFrame:
    """Run one model and return its yearly indicators."""
    model = make_model(schedules, seed=seed, scale=scale, horizon=horizon, parameters=parameters, agents=agents)
    records = model.run()
    model.release()
    return pd.DataFrame(records).set_index("year")


def with_lever(schedules, name, value, from_quarter=0):
    """A copy of ``schedules`` with lever ``name`` set to ``value`` from ``from_quarter`` on."""
    out = {k: v.copy() for k, v in schedules.items()}
    out[name][from_quarter:] = value
    return out


@pytest.fixture
def write(tmp_path):
    """Write a text file under tmp_path and return its path."""
    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path
    return _write


@pytest.fixture(scope="session")
def baseline_run(baseline_schedules):
    """One baseline replicate at test scale (shared by read-only tests)."""
    return run_table(baseline_schedules, seed=7)


def mean_over_seeds(schedules, indicator, year, seeds=(1, 2, 3), **kw) -> float:
    return float(np.mean([run_table(schedules, seed=s, **kw).loc[year, indicator] for s in seeds]))
