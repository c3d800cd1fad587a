"""Killing the main process by any signal leaves no worker alive and no stray folder, and the same
command then gives exactly the uninterrupted result."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import psutil
import pytest

from sim.cli import main

from conftest import SCENARIOS

ARGS = ["--replicates", "8", "--scale", "50", "--horizon", "2024", "--workers", "2", "--quiet"]


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    out = tmp_path_factory.mktemp("ref") / "run"
    assert main(["run", str(SCENARIOS / "baseline.yaml"), "--out", str(out), *ARGS]) == 0
    return pd.read_parquet(out / "indicators.parquet")


def wait_for_replicates(root: Path, name: str, count: int, timeout: float = 90) -> Path:
    deadline = time.time() + timeout
    while time.time() < deadline:
        for partial in root.glob(f".{name}.partial-*"):
            if len(list((partial / "replicates").glob("*.parquet"))) >= count:
                return partial
        time.sleep(0.02)
    raise AssertionError("no replicate finished in time")


def no_survivors(processes: list[psutil.Process], timeout: float = 5) -> list[int]:
    deadline = time.time() + timeout
    while time.time() < deadline:
        alive = [p.pid for p in processes if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
        if not alive:
            return []
        time.sleep(0.1)
    return alive


# SIGINT takes the same path as SIGTERM (both raise KeyboardInterrupt in the main process).
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=lambda s: s.name)
def test_a_killed_run_leaves_no_worker_and_the_rerun_is_exact(sig, reference, tmp_path):
    out = tmp_path / "run"
    cmd = [sys.executable, "-m", "sim", "run", str(SCENARIOS / "baseline.yaml"), "--out", str(out), *ARGS]
    log = tmp_path.parent / f"{tmp_path.name}.stderr"      # a file, not a pipe an orphan could hold open
    with log.open("w") as f:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=f)
    partial = wait_for_replicates(tmp_path, "run", 1)
    workers = psutil.Process(proc.pid).children(recursive=True)
    assert workers, "the run should have worker processes"
    os.kill(proc.pid, sig)
    proc.wait(timeout=60)
    err = log.read_text()
    assert no_survivors(workers) == []
    assert not out.exists() and "Traceback" not in err
    if sig != signal.SIGKILL:
        assert proc.returncode == 128 + sig and "reused by the same command" in err
    done = sorted(p.name for p in (partial / "replicates").glob("*.parquet"))
    assert 1 <= len(done) < 8, f"expected a part-way kill, found {len(done)} replicates"
    (partial / "replicates" / done[0]).write_bytes(b"cut short")        # a damaged part is run again
    assert main(["run", str(SCENARIOS / "baseline.yaml"), "--out", str(out), *ARGS]) == 0
    pd.testing.assert_frame_equal(pd.read_parquet(out / "indicators.parquet"), reference)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]       # no partial, staging or lock left


def test_a_killed_sweep_leaves_no_worker(tmp_path):
    spec = tmp_path / "s.yaml"
    spec.write_text(f"name: s\nscenario: {SCENARIOS / 'baseline.yaml'}\ndesign: {{method: lhs, samples: 12, seed: 1}}\n"
                    "run: {scale: 50, horizon: 2024}\nparameters: {ft_visa_weight: {low: 0.2, high: 0.8}}\n"
                    "outputs: [{indicator: papers, year: 2022}]\n")
    out = tmp_path / "sweep"
    cmd = [sys.executable, "-m", "sim", "sweep", str(spec), "--out", str(out), "--workers", "2", "--quiet"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 90
    while time.time() < deadline and not list((out / "indicators").glob("*/*.parquet")):
        time.sleep(0.02)
    workers = psutil.Process(proc.pid).children(recursive=True)
    assert workers
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    assert no_survivors(workers) == []


def test_the_interrupt_hint_names_resume_where_it_is_needed():
    from sim.cli import interrupted_hint

    assert "with --resume" in interrupted_hint(["sweep", "s.yaml"])
    assert "with --resume" in interrupted_hint(["calibrate", "--budget", "10"])
    assert "--resume" not in interrupted_hint(["calibrate", "--resume"]).replace("the same command", "")
    assert "reused by the same command" in interrupted_hint(["run", "s.yaml"])
