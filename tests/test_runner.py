"""Replicates: seeds, workers, durability and atomic publication of the results folder."""

import pandas as pd
import pytest

from sim.errors import InputError
from sim.parameters import Parameters
from sim.runner import RunSettings, execute, replicate_seeds

SMALL = {"scale": 100.0, "horizon": 2020}


def settings(baseline, replicates=3, workers=1, seed=5):
    return RunSettings(scenario=baseline, parameters=Parameters.defaults(), replicates=replicates, seed=seed,
                       workers=workers, **SMALL)


def save_indicators(table, settings, folder):
    table.to_csv(folder / "indicators.csv", index=False)


def test_replicate_seeds_are_prefix_stable_and_distinct():
    assert replicate_seeds(1, 3) == replicate_seeds(1, 10)[:3]
    assert len(set(replicate_seeds(1, 50))) == 50
    assert replicate_seeds(1, 3) != replicate_seeds(2, 3)


def test_results_do_not_depend_on_the_number_of_workers(baseline, tmp_path):
    one = execute(settings(baseline, workers=1), tmp_path / "one", progress=False, finish=save_indicators)
    two = execute(settings(baseline, workers=2), tmp_path / "two", progress=False, finish=save_indicators)
    a, b = pd.read_csv(one / "indicators.csv"), pd.read_csv(two / "indicators.csv")
    pd.testing.assert_frame_equal(a, b)
    assert a["replicate"].tolist() == sorted(a["replicate"].tolist())
    assert a.groupby("replicate")["seed"].first().tolist() == [int(s) for s in replicate_seeds(5, 3)]


def test_existing_folder_is_not_overwritten_without_permission(baseline, tmp_path):
    out = tmp_path / "run"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    (out / "report.html").write_text("an earlier run")      # --overwrite replaces only what innovsim wrote
    with pytest.raises(InputError, match="already exists; use --overwrite"):
        execute(settings(baseline, replicates=1), out, progress=False, finish=save_indicators)
    assert (out / "keep.txt").exists()
    execute(settings(baseline, replicates=1), out, overwrite=True, progress=False, finish=save_indicators)
    assert not (out / "keep.txt").exists() and (out / "indicators.csv").exists()


def test_a_crash_leaves_no_results_folder_and_the_rerun_reuses_finished_replicates(baseline, tmp_path):
    out = tmp_path / "run"

    def crash(table, settings, folder):
        (folder / "half-written.csv").write_text("x")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        execute(settings(baseline), out, progress=False, finish=crash)
    assert not out.exists()
    partial = list(tmp_path.glob(".run.partial-*"))
    assert len(partial) == 1 and len(list((partial[0] / "replicates").glob("*.parquet"))) == 3

    s = settings(baseline)
    execute(s, out, progress=False, finish=save_indicators)
    assert s.timings["replicates_reused"] == 3
    assert not list(tmp_path.glob(".run.partial-*"))
    fresh = execute(settings(baseline), tmp_path / "fresh", progress=False, finish=save_indicators)
    pd.testing.assert_frame_equal(pd.read_csv(out / "indicators.csv"), pd.read_csv(fresh / "indicators.csv"))


def test_partial_results_of_other_inputs_are_not_reused(baseline, tmp_path):
    s1, s2 = settings(baseline, seed=1), settings(baseline, seed=2)
    assert s1.fingerprint() != s2.fingerprint()
    assert settings(baseline, replicates=3).fingerprint() == settings(baseline, replicates=9).fingerprint()


def test_no_model_module_imports_the_milestones_it_leaves_out_of_the_fingerprint():
    """sim/milestones.py is in PRESENTATION (a calibration resumes across a change to it), which is
    true only while nothing that simulates or proposes imports it."""
    import ast

    from sim.runner import PACKAGE_DIR, PRESENTATION

    importers = []
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        name = path.relative_to(PACKAGE_DIR).as_posix()
        if name.startswith(PRESENTATION):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                modules = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:                   # relative: name it from the package root, roughly
                    base = "sim." + base if base else "sim"
                modules = [base] + [f"{base}.{a.name}" for a in node.names]
            else:
                continue
            if any(m == "sim.milestones" or m.startswith("sim.milestones.") or m.endswith(".milestones")
                   for m in modules):
                importers.append(name)
    assert importers == []
