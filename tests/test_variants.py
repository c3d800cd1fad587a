"""The variants of the committed calibration (calibration/variants): each changes exactly the one
choice it names, ran on the current model code, and the committed summary is what its files give."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import pytest

from conftest import ROOT, load_script

VARIANTS = ROOT / "calibration" / "variants"


@pytest.fixture(scope="module")
def summarise():
    return load_script(VARIANTS / "summarise.py")


def test_the_committed_summary_is_what_the_committed_files_give(summarise, tmp_path):
    summarise.summarise(tmp_path)
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "summary.csv"), pd.read_csv(VARIANTS / "summary.csv"))
    assert (tmp_path / "summary.md").read_text() == (VARIANTS / "summary.md").read_text()


def test_every_variant_ran_on_the_model_code_of_the_committed_calibration_which_is_the_current_code(summarise):
    """A variant is a comparison with the committed fit: on other code it compares nothing. When the
    model changes, the calibration is rerun, and so must the variants be."""
    from sim.runner import source_fingerprint

    code = source_fingerprint(model_only=True)
    for name in ["committed", *(v["name"] for v in summarise.variants())]:
        identity = json.loads((VARIANTS / name / "identity.json").read_text())
        assert identity["source"] == code, (
            f"{name} ran on model code {identity['source']}, the package is now {code}: rerun the calibration and "
            "the variants (variants.yaml gives their commands; summarise.py --collect copies them in), or remove them")


def test_each_variant_changes_only_the_choice_it_names(summarise):
    """Against the committed calibration's settings (summary.json) and targets (targets.yaml)."""
    from sim.targets import load_targets

    committed = json.loads((ROOT / "calibration" / "summary.json").read_text())["settings"]
    expected = {"seed_2": ({"seed": 2}, True), "no_regime": ({}, False), "min_epsilon_0.8": ({"min_epsilon": 0.8}, True)}
    assert [v["name"] for v in summarise.variants()] == list(expected)
    for name, (changed, with_regime) in expected.items():
        identity = json.loads((VARIANTS / name / "identity.json").read_text())
        for key, value in identity["settings"].items():
            assert value == changed.get(key, committed[key]), (name, key)
        assert identity["regimes"] == (["research_posts_bind"] if with_regime else [])
    # the variant's targets file is the committed one without its regimes, nothing else
    full = [t.spec for t in load_targets(ROOT / "calibration" / "targets.yaml") if t.kind != "regime"]
    assert [t.spec for t in load_targets(VARIANTS / "no_regime" / "targets.yaml")] == full


def test_a_series_passes_by_the_projects_rule(summarise):
    fit = pd.DataFrame({"series": ["a"] * 6 + ["b"] * 2, "indicator": ["x"] * 8, "year": list(range(2016, 2024)),
                        "holdout": [False] * 8, "weight": [1.0] * 8, "covered": [True] * 8,
                        "within_at_posterior_median": [True] * 5 + [False, True, False]})
    assert summarise.series_passing(fit) == (1, 2, ["b"])       # five of six pass; one of two does not


def test_the_published_populations_score_is_the_calibrations_own(summarise):
    """populations.json judges the published population as the calibration's summary did."""
    for name in ["committed", *(v["name"] for v in summarise.variants())]:
        folder = ROOT / "calibration" if name == "committed" else VARIANTS / name
        fit = json.loads((folder / "summary.json").read_text())["fit"]
        published = [p for p in json.loads((VARIANTS / name / "populations.json").read_text()) if p["published"]]
        assert len(published) == 1, name
        if name == "committed":                # collected from the journal of the calibration committed now
            sha = hashlib.sha256((ROOT / "calibration" / "posterior.parquet").read_bytes()).hexdigest()
            assert published[0]["posterior_sha256"] == sha[:12], "recalibrated: collect `committed` again"
        assert (published[0]["within_at_posterior_median"], published[0]["within_at_predictive_median"],
                published[0]["points"]) == (fit["within_at_posterior_median"], fit["within"], fit["targets"]), name


def test_collect_refuses_bad_arguments_in_one_line_and_writes_nothing(tmp_path):
    import subprocess
    import sys

    def files() -> list:                    # bytecode caches come and go with other tests' imports
        return sorted(p.relative_to(VARIANTS) for p in VARIANTS.rglob("*") if "__pycache__" not in p.parts)

    before = files()
    script = str(VARIANTS / "summarise.py")
    cases = [("nope", ROOT / "calibration", tmp_path, "NAME: 'nope' is not a variant"),
             ("seed_2", tmp_path, tmp_path, "OUT"),
             ("committed", ROOT / "calibration", tmp_path, "WORK")]
    for name, out, work, field in cases:
        done = subprocess.run([sys.executable, script, "--collect", name, str(out), str(work)],
                              capture_output=True, text=True)
        assert done.returncode == 2 and done.stderr.count("\n") == 1 and field in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
    assert files() == before
