"""Work reused on resume or rerun is keyed by everything it depends on: changed priors or
posterior give another key (recomputed or refused, never mixed); damaged parts are recomputed."""

import shutil

import numpy as np
import pandas as pd
import pytest
import yaml

from sim.calibration.posterior import DEFAULT_POSTERIOR, for_replicates
from sim.calibration.priors import DEFAULT_PRIORS
from sim.errors import InputError
from sim.parameters import Parameters
from sim.runner import RunSettings, replicate_seeds
from sim.scenario import load_scenario
from sim.sweep.execute import Store, Task

from conftest import SCENARIOS


def fingerprint(source, **where):
    scenario = load_scenario(SCENARIOS / "baseline.yaml")
    draws = for_replicates(source, replicate_seeds(1, 3), **where)
    return RunSettings(scenario=scenario, parameters=Parameters.defaults(), replicates=3, seed=1, scale=50.0,
                       horizon=2022, parameter_source=source, replicate_parameters=draws.parameters,
                       parameter_provenance=draws.provenance).fingerprint()


def test_editing_the_priors_file_changes_the_key_of_prior_runs(tmp_path):
    priors = tmp_path / "priors.yaml"
    shutil.copy(DEFAULT_PRIORS, priors)
    before = fingerprint("prior", priors=priors)
    spec = yaml.safe_load(priors.read_text())
    first = next(iter(spec["free"].values()))
    first["high"] = (first["low"] + first["high"]) / 2                  # same path, narrower prior
    priors.write_text(yaml.safe_dump(spec))
    assert fingerprint("prior", priors=priors) != before


def test_a_different_posterior_file_changes_the_key(tmp_path):
    other = tmp_path / "posterior.parquet"
    frame = pd.read_parquet(DEFAULT_POSTERIOR)
    frame["weight"] = np.roll(frame["weight"].to_numpy(), 1)
    frame.to_parquet(other)
    assert fingerprint("posterior", posterior=other) != fingerprint("posterior", posterior=DEFAULT_POSTERIOR)
    assert fingerprint("median", posterior=other) != fingerprint("median", posterior=DEFAULT_POSTERIOR)


def test_a_sweep_resumed_after_its_base_posterior_changed_is_refused(tmp_path):
    ident = {"sweep": {"name": "s"}, "design": {"rows": 2}, "source": "x",
             "base": {"source": "median", "posterior_sha256": "aaa"}}
    Store(tmp_path / "s").prepare(ident, resume=False)
    (tmp_path / "s" / "design.csv").write_text("x\n")
    with pytest.raises(InputError, match="the posterior that sets the parameters not swept changed"):
        Store(tmp_path / "s").prepare(ident | {"base": {"source": "median", "posterior_sha256": "bbb"}}, resume=True)
    Store(tmp_path / "s").prepare(ident, resume=True)            # the same sweep resumes


def test_an_unreadable_sweep_marker_is_refused(tmp_path):
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "sweep.json").write_text('{"sweep": ')
    with pytest.raises(InputError, match="sweep.json: cannot be read"):
        Store(tmp_path / "s").prepare({"sweep": {}}, resume=True)


def test_damaged_sweep_parts_are_run_again(tmp_path):
    store = Store(tmp_path)
    task = Task(0, 0, 0, 1, {"a": 1.0})
    table = pd.DataFrame({"year": [2016, 2017], "papers": [1.0, 2.0]})
    store.write(task, {"status": "ok", "table": table})
    assert store.done(task)
    data = store.part(task).read_bytes()
    store.part(task).write_bytes(data[: len(data) // 2])            # cut short
    assert not store.done(task) and not store.part(task).exists()
    store.write(task, {"status": "failed", "error": "boom"})
    assert store.done(task)
    store.failure(task).write_text('{"run_id": 0, "err')
    assert not store.done(task) and not store.failure(task).exists()


def test_an_unreadable_calibration_journal_is_refused(tmp_path):
    from sim.calibration.journal import Journal

    (tmp_path / "calibration.json").write_text("{")
    with pytest.raises(InputError, match="calibration.json: cannot be read"):
        Journal(tmp_path).prepare({"targets": []}, resume=True)
    assert [p.name for p in tmp_path.iterdir()] == ["calibration.json"]


def test_a_session_log_cut_short_loses_only_that_line(tmp_path):
    from sim.calibration.abc_smc import Result
    from sim.calibration.journal import Journal
    from sim.calibration.run import _sessions

    (tmp_path / "sessions.jsonl").write_text('{"seconds": 5, "runs_now": 10}\n{"seconds": 3, "ru')
    totals = _sessions(Journal(tmp_path), 2.0, Result(None, [], "", 0, runs_now=4))
    assert totals["sessions"] == 2 and totals["wall_seconds_total"] == 7.0
