"""Sweeps of the real model: identical results locally and on Dask, and kill-and-resume."""

import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest

from sim.cli import main
from sim.errors import InputError
from sim.sweep.evaluators import DaskEvaluator, LocalEvaluator
from sim.sweep.run import run_sweep
from sim.sweep.spec import load_sweep

from conftest import SCENARIOS

SPEC = f"""name: small
scenario: {SCENARIOS / 'baseline.yaml'}
design: {{method: sobol, samples: 8, seed: 5}}
replicates: 1
run: {{scale: 100, horizon: 2021}}
parameters:
  visa_processing_days: {{low: 5, high: 60, from: 2018}}
  ft_visa_weight: {{low: 0.1, high: 1.0}}
  research_grants_bn_yuan: {{low: 10, high: 60, from: 2017-07-01}}
outputs:
  - {{indicator: foreign_talent, year: 2021}}
  - {{indicator: papers, year: 2020}}
"""


@pytest.fixture(scope="module")
def spec_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("spec") / "small.yaml"
    path.write_text(SPEC)
    return path


@pytest.fixture(scope="module")
def reference(spec_path, tmp_path_factory):
    out = tmp_path_factory.mktemp("ref") / "sweep"
    run_sweep(load_sweep(spec_path), out, LocalEvaluator(1), progress=False)
    return out


def test_outputs_of_a_sweep(reference):
    runs = pd.read_csv(reference / "runs.csv")
    assert list(runs.columns[:5]) == ["run_id", "sample_id", "replicate", "seed", "status"]
    assert len(runs) == 8 * (3 + 2) * 1 and (runs["status"] == "ok").all()
    assert {"visa_processing_days", "foreign_talent_2021", "papers_2020"} <= set(runs.columns)
    # Common random numbers: every sample's replicate r has the same seed.
    assert runs.groupby("replicate")["seed"].nunique().eq(1).all()
    as_text = pd.read_csv(reference / "runs.csv", keep_default_na=False, dtype={"error": str})
    pd.testing.assert_frame_equal(as_text, pd.read_parquet(reference / "runs.parquet"), check_dtype=False)
    yearly = pd.read_parquet(reference / "indicators")
    assert len(yearly) == len(runs) * 6 and {"sample_id", "replicate", "run_id", "year"} <= set(yearly.columns)
    sens = pd.read_csv(reference / "sensitivity.csv")
    assert list(sens.columns[:7]) == ["output", "parameter", "method", "S1", "S1_conf", "ST", "ST_conf"]
    assert len(sens) == 2 * 3
    for name in ("sensitivity.png", "sensitivity.svg", "scatter.png", "fan.png"):
        assert (reference / "plots" / name).exists()
    page = (reference / "report.html").read_text()
    assert page.count("data:image/png;base64,") >= 3 and "40 runs, 40 finished, 0 failed" in page


def test_same_results_with_two_workers(spec_path, reference, tmp_path):
    run_sweep(load_sweep(spec_path), tmp_path / "two", LocalEvaluator(2), progress=False)
    pd.testing.assert_frame_equal(pd.read_csv(reference / "runs.csv"), pd.read_csv(tmp_path / "two" / "runs.csv"))


def test_same_results_on_a_dask_local_cluster_with_two_worker_processes(spec_path, reference, tmp_path):
    evaluator = DaskEvaluator(workers=2)
    run_sweep(load_sweep(spec_path), tmp_path / "dask", evaluator, progress=False)
    pd.testing.assert_frame_equal(pd.read_csv(reference / "runs.csv"), pd.read_csv(tmp_path / "dask" / "runs.csv"))
    pd.testing.assert_frame_equal(pd.read_csv(reference / "sensitivity.csv"), pd.read_csv(tmp_path / "dask" / "sensitivity.csv"))


def test_existing_folder_needs_resume_and_a_changed_spec_cannot_resume(spec_path, reference, tmp_path, capsys):
    assert main(["sweep", str(spec_path), "--out", str(reference), "--quiet"]) == 2
    assert "use --resume" in capsys.readouterr().err
    changed = tmp_path / "changed.yaml"
    changed.write_text(SPEC.replace("seed: 5", "seed: 6"))
    with pytest.raises(InputError, match="the sweep file changed"):
        run_sweep(load_sweep(changed), reference, LocalEvaluator(1), resume=True, progress=False)


def test_killed_sweep_resumes_to_the_same_tables(spec_path, reference, tmp_path):
    out = tmp_path / "killed"
    cmd = [sys.executable, "-m", "sim", "sweep", str(spec_path), "--out", str(out), "--workers", "1", "--quiet"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    parts = out / "indicators"
    deadline = time.time() + 120
    while time.time() < deadline and len(list(parts.glob("*/*.parquet"))) < 6:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done = len(list(parts.glob("*/*.parquet")))
    assert 6 <= done < 40, f"expected a part-way kill, found {done} runs on disk"
    assert not (out / "runs.csv").exists()
    assert main(["sweep", str(spec_path), "--out", str(out), "--resume", "--quiet", "--workers", "2"]) == 0
    pd.testing.assert_frame_equal(pd.read_csv(reference / "runs.csv"), pd.read_csv(out / "runs.csv"))
    timings = pd.read_json(out / "timings.json", typ="series")
    assert timings["reused"] == done and timings["ran"] == 40 - done


def test_a_finished_grid_sweep_resumes_with_everything_reused(tmp_path, capsys):
    """A grid's levels are a tuple in memory and a list in sweep.json: resuming compares them as written."""
    spec = tmp_path / "grid.yaml"
    spec.write_text(f"""name: grid
scenario: {SCENARIOS / 'baseline.yaml'}
design: {{method: grid}}
replicates: 1
run: {{scale: 100, horizon: 2020}}
parameters:
  innovation_fund_bn_yuan: {{levels: [0, 10], from: 2017}}
outputs:
  - {{indicator: startups_founded, year: 2020}}
""")
    out = tmp_path / "out"
    args = ["sweep", str(spec), "--out", str(out), "--quiet", "--workers", "1"]
    assert main(args) == 0
    first = pd.read_csv(out / "runs.csv")
    capsys.readouterr()
    assert main([*args, "--resume"]) == 0
    assert "0 run now, 2 reused" in capsys.readouterr().out
    pd.testing.assert_frame_equal(first, pd.read_csv(out / "runs.csv"))


def test_the_dummy_parameter_only_reseeds_the_run():
    from sim.sweep.execute import dummy_seed
    assert dummy_seed(5, 0.25) == dummy_seed(5, 0.25) != dummy_seed(5, 0.26)
    assert dummy_seed(5, 0.25) != dummy_seed(6, 0.25)


def test_a_sweeps_resume_identity_changes_with_any_code_its_runs_depend_on(tmp_path, monkeypatch):
    """Seeds (sim/runner.py) and the posterior median (sim/calibration/posterior.py) are outside
    the model proper but decide a sweep's runs; only the plots and report may change freely."""
    import shutil

    import sim.runner
    from sim.resources import PACKAGE_DIR
    from sim.sweep.execute import REWRITTEN

    copy = tmp_path / "sim"
    shutil.copytree(PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(sim.runner, "PACKAGE_DIR", copy)
    before = sim.runner.source_fingerprint(leave_out=REWRITTEN)
    for changed in ("runner.py", "calibration/posterior.py"):
        (copy / changed).write_text((copy / changed).read_text() + "\n# changed\n")
        assert sim.runner.source_fingerprint(leave_out=REWRITTEN) != before, changed
        before = sim.runner.source_fingerprint(leave_out=REWRITTEN)
    (copy / "report" / "sweep.py").write_text((copy / "report" / "sweep.py").read_text() + "\n# a plot fix\n")
    assert sim.runner.source_fingerprint(leave_out=REWRITTEN) == before
