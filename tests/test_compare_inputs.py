"""compare labels every run uniquely, and prints names with `$` as they are."""

import shutil

import pandas as pd
import pytest

from sim.cli import main
from sim.compare import load_runs

from conftest import SCENARIOS

RUN = ["--replicates", "2", "--scale", "100", "--horizon", "2021", "--quiet", "--workers", "1"]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp("one") / "base"
    assert main(["run", str(SCENARIOS / "baseline.yaml"), "--out", str(out), *RUN]) == 0
    return out


def test_runs_with_one_scenario_name_get_distinct_labels(run, tmp_path):
    folders = [tmp_path / "a" / "base", tmp_path / "b" / "base", tmp_path / "b" / "other", tmp_path / "a" / "x" / "base"]
    for f in folders:
        shutil.copytree(run, f)
    labels = [r.label for r in load_runs(folders)]
    assert len(set(labels)) == len(labels) == 4
    assert all(label.startswith("baseline (") for label in labels)


def test_dollar_signs_in_folder_names_reach_the_report_as_text(run, tmp_path):
    a, b = tmp_path / "d$x" / "base", tmp_path / "a$_$b" / "base"      # "$_$" is not valid mathtext
    shutil.copytree(run, a)
    shutil.copytree(run, b)
    out = tmp_path / "cmp"
    assert main(["compare", str(a), str(b), "--out", str(out)]) == 0
    labels = set(pd.read_csv(out / "differences.csv")["scenario"])
    assert labels == {f"baseline ({b})"}
    assert (out / "differences.png").exists() and "a$_$b" in (out / "report.html").read_text()
