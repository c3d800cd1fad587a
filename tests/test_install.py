"""A plain (non-editable) install works from any folder, with the posterior it ships.

Builds the project's wheel once (from a copy of the source, so the work tree gets no build
files), installs it with the tested versions of constraints.txt into a fresh virtual environment,
and runs a tiny baseline from an unrelated folder. About a minute (most of it installing the
dependencies); marked ``install`` so that ``-m "not install"`` leaves it out while developing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "constraints.txt", "sim", "calibration", "scenarios")

pytestmark = pytest.mark.install


def sh(*cmd, cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess:
    done = subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(map(str, cmd))} exited {done.returncode}:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The ``bin/`` folder of a fresh virtual environment with the project's wheel installed."""
    work = tmp_path_factory.mktemp("install")
    src = work / "src"
    src.mkdir()
    for name in SOURCE:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "img", "*.md"))
        else:
            shutil.copy2(ROOT / name, src / name)
    sh(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", work / "dist", src, cwd=work)
    wheel = next((work / "dist").glob("innovsim-*.whl"))
    sh(sys.executable, "-m", "venv", work / "venv", cwd=work)
    bin_ = work / "venv" / "bin"
    sh(bin_ / "python", "-m", "pip", "install", "-q", "-c", ROOT / "constraints.txt", wheel, cwd=work)
    return bin_


def test_an_installed_package_runs_a_tiny_baseline_from_another_folder_with_its_posterior(installed, tmp_path):
    # one test, not several, so that parallel test workers do not each build an environment
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    sh(installed / "innovsim", "run", "baseline", "--replicates", "2", "--scale", "100", "--horizon", "2020",
       "--workers", "1", "--quiet", cwd=elsewhere)
    manifest = json.loads((elsewhere / "results" / "baseline" / "manifest.json").read_text())
    assert manifest["parameters"]["source"] == "posterior"
    assert "site-packages" in manifest["parameters"]["posterior"]          # the copy inside the package
    assert (elsewhere / "results" / "baseline" / "report.html").exists()
    assert not (elsewhere / "calibration").exists()

    assert sh(installed / "innovsim", "--version", cwd=tmp_path).stdout.startswith("innovsim ")
    assert "posterior median" in sh(installed / "innovsim", "parameters", cwd=tmp_path).stdout
    assert "baseline:" in sh(installed / "innovsim", "levers", cwd=tmp_path).stdout
    out = sh(installed / "python", "-c", "import sim.resources as r; print(r.in_checkout(), r.data_root())", cwd=tmp_path)
    assert out.stdout.startswith("False ") and "site-packages" in out.stdout
