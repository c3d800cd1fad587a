"""Comparing results folders: paired differences, common years, errors, and the report in a browser."""

import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from sim.cli import main
from sim.compare import Run, common_years, load_runs, paired_differences

from conftest import SCENARIOS

RUN = ["--replicates", "3", "--scale", "100", "--quiet", "--workers", "2"]


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    root = tmp_path_factory.mktemp("cmp")
    (root / "late.yaml").write_text(
        "name: late_change\nextends: " + str(SCENARIOS / "baseline.yaml") + "\n"
        "levers:\n  research_grants_bn_yuan: {interpolation: linear, values: {2030: 50, 2032: 90}}\n"
        "  visa_processing_days: {2030: 3}\n")
    out = {}
    for name, path, horizon in (("base", SCENARIOS / "baseline.yaml", "2033"), ("late", root / "late.yaml", "2033"),
                                ("short", SCENARIOS / "decoupling.yaml", "2028")):
        out[name] = root / name
        assert main(["run", str(path), "--out", str(out[name]), "--horizon", horizon, *RUN]) == 0
    return out


def test_a_folder_compared_with_itself_gives_zero_differences(folders):
    base = load_runs([folders["base"]])[0]
    d = paired_differences(base, base, ["researchers", "papers", "cluster_rank"], list(range(2016, 2034)))
    assert d["paired"].all() and (d[["median_diff", "p05_diff", "p25_diff", "p75_diff", "p95_diff"]] == 0).all().all()


def test_a_lever_changed_from_2030_makes_no_difference_before_2030(folders, tmp_path):
    out = tmp_path / "cmp"
    assert main(["compare", str(folders["base"]), str(folders["late"]), "--out", str(out)]) == 0
    d = pd.read_csv(out / "differences.csv")
    assert list(d.columns) == ["scenario", "indicator", "year", "median_diff", "p05_diff", "p95_diff"]
    before = d[d["year"] < 2030]
    assert (before[["median_diff", "p05_diff", "p95_diff"]] == 0).all().all()
    after = d[(d["year"] >= 2032) & (d["indicator"] == "papers")]
    assert (after["median_diff"] > 0).all()
    ms = pd.read_csv(out / "milestones.csv")
    assert list(ms.columns) == ["scenario", "milestone", "year", "probability_met"]
    for name in ("report.html", "fans.png", "fans.svg", "differences.png", "differences.svg", "levers.csv"):
        assert (out / name).exists(), name
    levers = pd.read_csv(out / "levers.csv")
    assert set(levers["input"]) == {"research_grants_bn_yuan", "visa_processing_days"}
    # each scenario's probability with the model error is its own run's, shown beside its share
    crit = pd.read_csv(out / "milestone_criteria.csv")
    for label, folder in (("baseline", folders["base"]), ("late_change", folders["late"])):
        own = pd.read_csv(folder / "milestones.csv")
        own = own[own["kind"] == "milestone"].set_index(["id", "indicator"])["probability_with_discrepancy"]
        mine = crit[crit["scenario"] == label].set_index(["id", "indicator"])["probability_with_discrepancy"]
        assert mine.notna().any() and mine.sort_index().equals(own.loc[mine.index].sort_index())
    assert "with model error:" in (out / "report.html").read_text()


def test_different_horizons_are_compared_over_common_years(folders, tmp_path, capsys):
    runs = load_runs([folders["base"], folders["short"]])
    years, note = common_years(runs)
    assert years[-1] == 2028 and "2028" in note
    out = tmp_path / "cmp"
    assert main(["compare", str(folders["base"]), str(folders["short"]), "--out", str(out)]) == 0
    assert "compared over 2016-2028" in capsys.readouterr().err
    assert pd.read_csv(out / "differences.csv")["year"].max() == 2028


@pytest.mark.parametrize("args, expected", [
    (["{tmp}"], "is not an innovsim results folder"),
    (["{base}", "--indicators", "papers,happiness"], "--indicators: unknown indicator 'happiness'"),
    (["{base}", "{tmp}/nowhere"], "nowhere: is not an innovsim results folder"),
])
def test_bad_input_is_one_line_and_writes_nothing(folders, tmp_path, capsys, args, expected):
    out = tmp_path / "out"
    args = [a.replace("{tmp}", str(tmp_path)).replace("{base}", str(folders["base"])) for a in args]
    assert main(["compare", *args, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert expected in err and err.count("\n") == 1
    assert not out.exists()


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    if shutil.which("apt-get"):        # install it the way the project's machines can (Debian's package)
        install = ["apt-get", "install", "-y", "-qq", "chromium"]
        if subprocess.run(install, capture_output=True, timeout=900).returncode != 0:
            subprocess.run(["apt-get", "update", "-qq"], capture_output=True, timeout=300)
            subprocess.run(install, capture_output=True, timeout=900)
        return shutil.which("chromium")
    return None


def test_report_renders_in_headless_chromium_with_every_figure_loaded(folders, tmp_path):
    browser = _chromium()
    if browser is None:
        pytest.skip("no Chromium: Debian's chromium package could not be installed on this machine")
    out = tmp_path / "cmp"
    assert main(["compare", str(folders["base"]), str(folders["late"]), str(folders["short"]), "--out", str(out)]) == 0
    page = out / "report.html"
    # Rewrite the page so that, once loaded, it lists each image's natural width in its title.
    probe = tmp_path / "probe.html"
    probe.write_text(page.read_text() + """<script>window.addEventListener('load',()=>{
      const imgs=[...document.images]; document.title='IMAGES '+imgs.length+' LOADED '+
      imgs.filter(i=>i.complete&&i.naturalWidth>0).length;});</script>""")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([browser, *flags, "--dump-dom", probe.as_uri()], capture_output=True, text=True, timeout=120)
    title = dom.stdout.split("<title>")[1].split("</title>")[0]
    n_images, loaded = int(title.split()[1]), int(title.split()[3])
    assert n_images >= 2 and loaded == n_images, title
    shot = tmp_path / "shot.png"
    subprocess.run([browser, *flags, "--window-size=1200,1600", f"--screenshot={shot}", page.as_uri()],
                   capture_output=True, timeout=120)
    assert shot.exists() and shot.stat().st_size > 20_000


def test_a_rank_difference_is_news_only_when_its_band_excludes_zero():
    from sim.compare import describe_differences

    base = Run("baseline", Path("b"), pd.DataFrame(), pd.DataFrame([{"indicator": "cluster_rank", "year": 2035,
                                                                     "median": 3.0}]), {})
    empty = pd.DataFrame(columns=["scenario", "milestone", "year", "probability_met"])

    def sentence(median, low, high):
        d = pd.DataFrame([{"scenario": "open", "indicator": "cluster_rank", "year": 2035, "median_diff": median,
                           "p05_diff": low, "p95_diff": high, "pairs": 6}])
        return describe_differences(d, base, empty, 2035)[0]

    assert "cluster rank" not in sentence(-0.5, -1.0, 0.0)          # three pairs a place better, three unchanged
    text = sentence(-1.0, -1.0, -1.0)
    assert "cluster rank better (median paired difference -1 place(s), 90 % band -1 to -1)" in text


def test_share_differences_are_percentage_points_not_percent():
    from sim.report.html import fmt_difference

    assert fmt_difference(0.000757, "rd_share_of_gdp") == "+0.08 pp"
    assert fmt_difference(-0.003747, "intl_coauthored_share") == "-0.37 pp"
    assert fmt_difference(2060.0, "foreign_talent") == "2,060"


def test_a_parameter_a_scenario_sets_is_one_of_its_changes_not_a_mismatch():
    from sim.compare import lever_table, mismatches

    def run(label, source, overrides):
        manifest = {"scenario": {"name": label, "levers": {}, "exogenous": {}, "parameters": overrides},
                    "run": {"scale": 10, "horizon": 2030}, "parameters": {"source": source}}
        return Run(label, Path(label), pd.DataFrame({"year": [2030]}), pd.DataFrame(), manifest)

    base = run("baseline", "posterior", {})
    other = run("visa_weight", "posterior with scenario overrides", {"ft_visa_weight": 0.5})
    assert not any("parameter source" in m for m in mismatches([base, other]))
    table = lever_table([base, other], base)
    assert table.to_dict("records") == [{"input": "ft_visa_weight", "kind": "parameter",
                                         "baseline": "not set (calibrated)", "visa_weight": "0.5"}]
    assert any("parameter source" in m for m in mismatches([base, run("defaults", "default", {})]))
