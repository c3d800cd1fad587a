"""The command line: a full run, and one-line errors with exit 2 and nothing written."""

import json
import subprocess
import sys

import pandas as pd
import pytest

from sim import indicators
from sim.cli import main

from conftest import SCENARIOS

RUN = ["--replicates", "2", "--scale", "100", "--horizon", "2026", "--quiet", "--workers", "1"]


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "base"
    assert main(["run", str(SCENARIOS / "baseline.yaml"), "--out", str(out), *RUN]) == 0
    return out


def test_run_writes_every_output(results):
    for name in ("indicators.csv", "indicators.parquet", "summary.csv", "milestones.csv", "manifest.json", "report.html"):
        assert (results / name).exists(), name
    assert len(list((results / "plots").glob("*.png"))) >= 10


def test_indicator_table_layout(results):
    table = pd.read_csv(results / "indicators.csv")
    assert list(table.columns[:3]) == ["replicate", "seed", "year"]
    assert set(indicators.NAMES) <= set(table.columns)
    assert table["year"].min() == 2016 and table["year"].max() == 2026 and table["replicate"].nunique() == 2
    pd.testing.assert_frame_equal(table, pd.read_parquet(results / "indicators.parquet"), check_dtype=False)


def test_summary_and_milestones_layout(results):
    summary = pd.read_csv(results / "summary.csv")
    assert list(summary.columns) == ["indicator", "year", "mean", "median", "p05", "p25", "p75", "p95"]
    assert (summary["p05"] <= summary["median"]).all() and (summary["median"] <= summary["p95"]).all()
    ms = pd.read_csv(results / "milestones.csv")
    assert set(ms["kind"]) == {"milestone", "documented", "series", "regime"}
    assert {2025} <= set(ms.loc[ms["kind"] == "milestone", "year"])


def test_manifest_records_what_is_needed_to_rerun(results):
    m = json.loads((results / "manifest.json").read_text())
    assert m["run"]["seed"] == 1 and m["run"]["replicates"] == 2 and len(m["replicate_seeds"]) == 2
    assert m["scenario"]["levers"]["visa_processing_days"]["2021Q1"] == 10.0
    assert m["packages"]["mesa"] and "commit" in m["git"]


def test_each_replicate_draws_its_parameters_from_the_committed_posterior(results):
    from sim.calibration.posterior import DEFAULT_POSTERIOR, Posterior

    m = json.loads((results / "manifest.json").read_text())
    assert m["parameters"]["source"] == "posterior"
    post = Posterior.load(DEFAULT_POSTERIOR)
    assert m["parameters"]["posterior_sha256"] == post.sha256()
    drawn = pd.read_csv(results / "parameters.csv", dtype={"seed": str})
    assert list(drawn["seed"]) == [str(s) for s in m["replicate_seeds"]]
    for _, row in drawn.iterrows():
        assert row["particle"] == post.particle_of(int(row["seed"]))
        assert all(row[name] == pytest.approx(value) for name, value in post.values(int(row["particle"])).items())


def test_a_posterior_run_writes_forecast_bands_with_the_calibrated_discrepancy(results):
    """``forecast.csv``: every indicator with a real series, its replicates' band widened by the
    committed discrepancy, growing after the last fitted year; the median stays the replicates'."""
    from sim.calibration.discrepancy import DEFAULT_DISCREPANCY, from_frame
    from sim.targets import load_series

    m = json.loads((results / "manifest.json").read_text())
    assert m["forecast"]["written"] and "forecast.csv" in m["files"]
    forecast = pd.read_csv(results / "forecast.csv")
    summary = pd.read_csv(results / "summary.csv").set_index(["indicator", "year"])
    assert set(forecast["indicator"]) == {s.indicator for s in load_series()}
    est = from_frame(pd.read_csv(DEFAULT_DISCREPANCY))
    for r in forecast.itertuples():
        assert r.median == pytest.approx(summary.loc[(r.indicator, r.year), "median"])
        assert r.discrepancy_sd == pytest.approx(est[r.series].sd(r.year), abs=1e-6)
        if "rank" not in r.indicator:        # whole places: the mixture's quantiles may sit inside them
            assert r.p05 <= r.model_p05 + 1e-9 and r.p95 >= r.model_p95 - 1e-9
    papers = forecast[forecast["indicator"] == "sci_papers"].set_index("year")
    assert papers.loc[2026, "discrepancy_sd"] > papers.loc[2021, "discrepancy_sd"] == papers.loc[2016, "discrepancy_sd"]
    assert "Forecast bands with the model" in (results / "report.html").read_text()
    # every criterion of the 2025 milestone gets a probability with the discrepancy, the rank's on its position
    ms = pd.read_csv(results / "milestones.csv")
    crit = ms[(ms["kind"] == "milestone") & (ms["year"] == 2025) & (ms["basis"] == "forecast")
              & (ms["indicator"] != "all criteria")]
    single = crit.set_index("indicator")["probability_with_discrepancy"]
    assert single.notna().all() and "cluster_rank" in single.index
    assert single.between(0, 1).all() and ((single > 0) & (single < 1)).any()
    # each uses the error of 2025 that forecast.csv states, on the replicates' 2025 values (positions for the rank)
    from sim.milestones import MILESTONES, probability_with_discrepancy

    table = pd.read_csv(results / "indicators.csv")
    sd_2025 = forecast[forecast["year"] == 2025].set_index("indicator")["discrepancy_sd"]
    for c in MILESTONES[0].criteria:
        values = c.values(table, 2025) if c.position is None else c.positions(table, 2025)
        expected = probability_with_discrepancy(c, values, float(sd_2025[c.indicator]))
        assert single[c.name] == pytest.approx(expected), c.name


def test_parameter_source_median_gives_every_replicate_the_same_parameters(tmp_path):
    out = tmp_path / "median"
    assert main(["run", str(SCENARIOS / "baseline.yaml"), "--out", str(out), "--parameters", "median", *RUN]) == 0
    drawn = pd.read_csv(out / "parameters.csv").drop(columns=["replicate", "seed"])
    assert len(drawn.drop_duplicates()) == 1
    m = json.loads((out / "manifest.json").read_text())
    assert m["parameters"]["source"] == "median"
    # the discrepancy was estimated against posterior draws: no forecast bands here, and the manifest says why
    assert not (out / "forecast.csv").exists() and not m["forecast"]["written"] and "posterior" in m["forecast"]["why"]
    assert pd.read_csv(out / "milestones.csv")["probability_with_discrepancy"].isna().all()


def test_report_is_self_contained(results):
    page = (results / "report.html").read_text()
    assert page.count("data:image/png;base64,") >= 4
    assert "http://" not in page and "https://" not in page and "<script" not in page
    # every indicator is explained, with what binds those a planner may expect to move
    from sim.indicators import INDICATORS

    assert f"What each of the {len(INDICATORS)} indicators measures" in page
    assert all(f"<td class=\"l\">{i.name}</td>" in page for i in INDICATORS)
    assert "Seed money caps the number" in page and "no policy lever adds to it" in page


def test_validate_levers_parameters(capsys):
    assert main(["validate", str(SCENARIOS / "open_door.yaml")]) == 0
    assert "valid scenario 'open_door'" in capsys.readouterr().out
    assert main(["levers"]) == 0 and "visa_processing_days" in capsys.readouterr().out
    assert main(["parameters"]) == 0 and "ft_visa_weight" in capsys.readouterr().out


@pytest.mark.parametrize("args, expected", [
    (["run", "missing.yaml"], "missing.yaml: file not found"),
    (["run", "{bad}", "--replicates", "0"], "--replicates: must be at least 1"),
    (["run", "{bad}", "--scale", "0.5"], "--scale: must be at least 1"),
    (["run", "{bad}", "--workers", "x"], "--workers: must be a whole number"),
    (["run"], "required: scenario"),
    (["run", "{bad}", "--parameters", "mean"], "--parameters: invalid choice"),
    (["fly"], "invalid choice"),
    (["run", "{bad}"], "levers.visa_days: unknown lever"),
])
def test_errors_are_one_line_exit_2_and_write_nothing(args, expected, tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nlevers: {visa_days: 3}\n")
    out = tmp_path / "out"
    args = [a.replace("{bad}", str(bad)) for a in args] + (["--out", str(out)] if args[0] == "run" and len(args) > 1 else [])
    assert main(args) == 2
    err = capsys.readouterr().err
    assert expected in err and err.count("\n") == 1 and "Traceback" not in err
    assert not out.exists() and not list(tmp_path.glob(".out.*"))


def test_existing_results_are_protected(results, capsys):
    assert main(["run", str(SCENARIOS / "baseline.yaml"), "--out", str(results), *RUN]) == 2
    assert "already exists; use --overwrite" in capsys.readouterr().err


def test_console_entry_point_in_a_real_process(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nlevers: {visa_processing_days: {2016: [1,\n")
    proc = subprocess.run([sys.executable, "-m", "sim", "run", str(bad)], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 2 and proc.stderr.startswith("innovsim: error:") and "YAML syntax error" in proc.stderr
    assert "Traceback" not in proc.stderr and not (tmp_path / "results").exists()
