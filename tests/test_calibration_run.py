"""The whole calibration command on a smoke budget: outputs, reproducibility, resumption.

A smoke calibration uses 30 particles at 20 persons per agent and a budget of 120 simulations;
it checks the plumbing (journal, posterior, check runs, fit table, report), not the fit itself.
"""

import json

import numpy as np
import pandas as pd
import pytest

from sim.calibration.run import FIT_COLUMNS
from sim.cli import main

SMOKE = ["--particles", "30", "--scale", "20", "--check-replicates", "4", "--check-scale", "20", "--quiet"]


def calibrate(tmp_path, name, budget, *extra):
    args = ["calibrate", "--budget", str(budget), "--work", str(tmp_path / name / "work"),
            "--out", str(tmp_path / name / "out"), *SMOKE, *extra]
    assert main(args) == 0
    return tmp_path / name / "out"


@pytest.fixture(scope="module")
def smoke(tmp_path_factory):
    return calibrate(tmp_path_factory.mktemp("cal"), "a", 120, "--workers", "2")


def test_outputs_are_written(smoke):
    for name in ("posterior.parquet", "fit.csv", "report.md", "generations.csv", "summary.json",
                 "img/fit.png", "img/marginals.png", "img/correlations.png", "img/series.png"):
        assert (smoke / name).exists(), name
    fit = pd.read_csv(smoke / "fit.csv")
    assert list(fit.columns[:len(FIT_COLUMNS)]) == FIT_COLUMNS
    assert fit["holdout"].any() and fit["simulated_p05"].le(fit["simulated_p95"]).all()
    # a rank's medians and bands are whole places, as a run's forecast table gives them
    ranks = fit[fit["indicator"] == "cluster_rank"]
    assert len(ranks) >= 2
    for column in ("simulated_median", "simulated_p05", "simulated_p95", "predictive_p05", "predictive_p95",
                   "at_posterior_median"):
        assert (ranks[column] % 1 == 0).all(), column
    post = pd.read_parquet(smoke / "posterior.parquet")
    assert len(post) == 30 and abs(post["weight"].sum() - 1) < 1e-9
    summary = json.loads((smoke / "summary.json").read_text())
    # the budget counts proposals; simulations in flight when a generation completes come on top
    assert summary["simulations"]["fitting"] <= 120 + 30 * summary["generations"]
    report = (smoke / "report.md").read_text()
    assert "## Misses" in report and "## Held-out figures" in report and "img/fit.png" in report
    assert "## History 2016-2021" in report and "**Identification.**" in report
    # the regression adjustment is kept only where its check fits the targets better
    a = summary["adjustment"]
    assert a["tried"] and a["kept"] == (a["check_distance_adjusted"] < a["check_distance_sampled"])
    assert summary["simulations"]["check"] == 4 * 4
    assert not (smoke / ".posterior_adjusted.parquet").exists()


def test_same_seed_same_posterior_and_a_resumed_run_matches(smoke, tmp_path):
    # One worker instead of two; stopped at 60 simulations, resumed to 120 under a cap of two
    # generations, then resumed again with the default cap: the cap, like the budget, is a
    # stopping rule, so raising it continues the journal and lands on the same posterior.
    calibrate(tmp_path, "b", 60, "--workers", "1")
    capped = calibrate(tmp_path, "b", 120, "--workers", "1", "--resume", "--overwrite", "--max-generations", "2")
    assert json.loads((capped / "summary.json").read_text())["stopped"].startswith("reached 2 generations")
    resumed = calibrate(tmp_path, "b", 120, "--workers", "1", "--resume", "--overwrite")
    a = pd.read_parquet(smoke / "posterior.parquet")
    b = pd.read_parquet(resumed / "posterior.parquet")
    pd.testing.assert_frame_equal(a, b)


def test_the_commands_default_generation_cap_is_the_samplers():
    from sim.calibration.abc_smc import SMCSettings
    from sim.cli import build_parser

    for command in ("calibrate", "backtest"):
        args = build_parser().parse_args([command] + (["--train-until", "2018"] if command == "backtest" else []))
        assert args.max_generations == SMCSettings.max_generations
        assert args.hold_generations == SMCSettings.hold_generations


def test_an_existing_journal_needs_resume(smoke, tmp_path, capsys):
    calibrate(tmp_path, "c", 30, "--workers", "1")
    assert main(["calibrate", "--budget", "30", "--work", str(tmp_path / "c" / "work"),
                 "--out", str(tmp_path / "c" / "out"), *SMOKE]) == 2
    assert "use --resume" in capsys.readouterr().err


def _population(generation: int, weights: list[float], copies_of: list[int] | None = None):
    """A population of one-parameter particles; ``copies_of[i]`` is the particle row ``i`` copies."""
    from sim.calibration.abc_smc import Population
    from sim.calibration.journal import Record

    w = np.asarray(weights, dtype=float) / np.sum(weights)
    rows = list(range(w.size)) if copies_of is None else copies_of
    records = [Record(i, (0.0,), 0, {}, 0.0) for i in rows]
    return Population(generation, 10.0 - generation, np.zeros((w.size, 1)), w, np.zeros(w.size), records,
                      np.zeros(w.size, dtype=int), w.size, w.size, 1.0)


def test_a_generation_whose_weights_collapsed_is_not_published():
    """The published posterior is the last generation with an effective sample of at least
    ``min_ess_share`` of the particles; the record of all generations is kept."""
    from sim.calibration.abc_smc import Result, SMCSettings
    from sim.calibration.run import CalibrationSettings, published_generation

    settings = CalibrationSettings(smc=SMCSettings(particles=10), min_ess_share=0.3)
    even, half, collapsed = [1.0] * 10, [1.0] * 5 + [1e-9] * 5, [1.0] + [1e-9] * 9
    history = [_population(0, even), _population(1, half), _population(2, collapsed), _population(3, collapsed)]
    result = published_generation(Result(history[-1], history, "budget spent", 40), settings)
    assert result.population is history[1] and len(result.history) == 4
    assert "generation 1 (ESS 5) is published" in result.stopped and result.stopped.startswith("budget spent")
    healthy = Result(history[1], history[:2], "budget spent", 20)
    assert published_generation(healthy, settings) is healthy


def test_a_generation_of_copies_is_not_published():
    """Equal weights are not a sample when the particles are copies of a few ancestors (moves that
    stopped being accepted): copies pool their weights in the effective sample size."""
    from sim.calibration.abc_smc import Result, SMCSettings
    from sim.calibration.run import CalibrationSettings, published_generation

    settings = CalibrationSettings(smc=SMCSettings(particles=10), min_ess_share=0.3)
    spread, copies = _population(1, [1.0] * 10), _population(2, [1.0] * 10, [0] * 9 + [1])
    assert spread.ess == pytest.approx(10) and copies.ess < 1.3 and copies.unique == 2
    result = published_generation(Result(copies, [spread, copies], "budget spent", 20), settings)
    assert result.population is spread


# --- the report written again from a calibration's outputs (innovsim calibrate --report-only) -------------
def committed_copy(tmp_path, *companions):
    """The committed calibration's outputs (and the named companions beside them) in a fresh folder."""
    import shutil

    from sim.calibration.run import REPORT_SOURCES
    from sim.resources import data_file

    source, out = data_file("calibration"), tmp_path / "cal"
    out.mkdir()
    for name in (*REPORT_SOURCES, "report.md", "discrepancy.csv"):
        shutil.copy(source / name, out / name)
    for name in companions:
        (shutil.copytree if (source / name).is_dir() else shutil.copy)(source / name, out / name)
    return source, out


def test_the_report_written_again_from_the_outputs_is_the_calibrations_own(tmp_path):
    """With nothing beside it, the report is byte for byte the one the calibration wrote, and no
    output file changes: the report needs nothing the outputs do not hold."""
    source, out = committed_copy(tmp_path)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and p.name != "report.md"}
    # the committed report shows the companions committed beside it: compare with them left out
    from sim.report.calibration import companion_sections

    committed = (source / "report.md").read_text()
    shown = companion_sections(source)
    expected = committed.replace(shown.rstrip() + "\n\n", "") if shown else committed
    assert main(["calibrate", "--report-only", "--out", str(out)]) == 0
    assert (out / "report.md").read_text() == expected
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and p.name != "report.md"} == before
    assert {p.name for p in (out / "img").iterdir()} == {"fit.png", "series.png", "marginals.png",
                                                          "correlations.png", "generations.png"}


def test_the_report_shows_the_backtests_and_responses_beside_it(tmp_path):
    _, out = committed_copy(tmp_path, "backtest_2018", "backtest_2019", "responses.csv")
    assert main(["calibrate", "--report-only", "--out", str(out)]) == 0
    report = (out / "report.md").read_text()
    for year in (2018, 2019):
        brief = json.loads((out / f"backtest_{year}" / "backtest.json").read_text())
        section = report[report.index(f"### Trained to {year}"):]
        assert brief["verdict"][0] in section and brief["verdict"][1] in section
        assert f"| **all** | {brief['points']} | {100 * brief['coverage']:.1f} % |" in section
    responses = pd.read_csv(out / "responses.csv")
    checked = responses[responses["inside"].notna()]
    assert f"{int(checked['inside'].astype(bool).sum())} of {len(checked)} checked responses" in report
    assert report.count("| `research_grants_bn_yuan` |") == int((checked["lever"] == "research_grants_bn_yuan").sum())
    assert report.index("## Backtests") < report.index("## Lever responses") < report.index("## Documented figures")


def test_the_report_is_written_again_in_the_current_folder(tmp_path, monkeypatch, capsys):
    """``--report-only`` replaces files one by one inside ``--out``, never the folder itself, so
    ``--out .`` from inside the calibration is allowed (a run's ``--out`` must not hold the current
    folder: it is replaced whole). The lock is the folder's own, whichever way it is named."""
    import fcntl

    _, out = committed_copy(tmp_path)
    monkeypatch.chdir(out)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and p.name != "report.md"}
    assert main(["calibrate", "--report-only", "--out", "."]) == 0
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and p.name != "report.md"} == before
    assert "## Summary" in (out / "report.md").read_text()
    assert not [p for p in [*tmp_path.iterdir(), *out.iterdir()] if p.name.startswith(".")]   # no lock or staging left
    capsys.readouterr()
    with open(tmp_path / ".cal.lock", "w") as held:        # another process holds the folder by its name
        fcntl.flock(held, fcntl.LOCK_EX)
        assert main(["calibrate", "--report-only", "--out", "."]) == 2
    assert "is in use by another innovsim process" in capsys.readouterr().err


def test_an_unreadable_companion_is_the_one_line_error_and_nothing_is_rewritten(tmp_path, capsys):
    _, out = committed_copy(tmp_path, "backtest_2018")
    (out / "backtest_2018" / "backtest.json").write_text("{not json")
    before = (out / "report.md").read_bytes()
    assert main(["calibrate", "--report-only", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "backtest_2018/backtest.json: cannot be read as JSON" in err
    assert (out / "report.md").read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]      # no staging or lock left


def _broken(tmp_path, damage, *companions):
    """A committed copy damaged by ``damage(out)``, then ``--report-only``: exit status and stderr."""
    _, out = committed_copy(tmp_path, *companions)
    damage(out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    status = main(["calibrate", "--report-only", "--out", str(out)])
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before or status == 0
    return status


def _csv_edit(path, column, value):
    """Set every filled cell of ``column`` to ``value`` (unchecked rows stay empty)."""
    frame = pd.read_csv(path)
    frame[column] = frame[column].where(frame[column].isna(), value)
    frame.to_csv(path, index=False)


@pytest.mark.parametrize("damage, expected", [
    (lambda o: _csv_edit(o / "responses.csv", "inside", "maybe"), "responses.csv: inside: must be true or false"),
    (lambda o: (o / "backtest_2018" / "backtest_summary.csv").unlink(), "backtest_summary.csv: missing"),
    (lambda o: (o / "backtest_2018" / "backtest.json").write_text('{"train_until": 2019, "verdict": ["x"]}'),
     "backtest.json: train_until: must be the folder's year, 2018"),
    (lambda o: (o / "backtest_2018" / "backtest.json").write_text('{"train_until": 2018, "verdict": "x"}'),
     "backtest.json: verdict: must be a list of sentences"),
    (lambda o: (o / "predictive.parquet").write_text("not parquet"), "predictive.parquet: cannot be read as Parquet"),
    (lambda o: (o / "summary.json").write_text("[]"), "summary.json: settings: key missing"),
    (lambda o: pd.read_csv(o / "fit.csv").drop(columns="holdout").to_csv(o / "fit.csv", index=False),
     "fit.csv: holdout: column missing"),
])
def test_a_broken_output_or_companion_is_the_one_line_error_naming_it(tmp_path, capsys, damage, expected):
    assert _broken(tmp_path, damage, "backtest_2018", "responses.csv") == 2
    err = capsys.readouterr().err
    assert expected in err and err.count("\n") == 1 and "Traceback" not in err, err


def test_responses_written_as_one_and_zero_are_counted(tmp_path):
    def as_numbers(out):
        frame = pd.read_csv(out / "responses.csv")
        for column in ("inside", "consistent_familywise"):
            frame[column] = frame[column].map({True: 1, False: 0})
        frame.to_csv(out / "responses.csv", index=False)

    assert _broken(tmp_path, as_numbers, "responses.csv") == 0
    checked = pd.read_csv(tmp_path / "cal" / "responses.csv").dropna(subset=["inside"])
    assert f"{int(checked['inside'].sum())} of {len(checked)} checked" in (tmp_path / "cal" / "report.md").read_text()


def test_targets_or_priors_other_than_the_calibrations_are_refused(tmp_path, capsys):
    """A backtest's training calibration fits fewer targets than the targets file lists; a prior
    range other than the fit's gives other identification widths: both refused, nothing written."""
    from sim.resources import data_file

    source, out = committed_copy(tmp_path)
    assert main(["calibrate", "--report-only", "--out", str(source / "backtest_2018" / "calibration")]) == 2
    assert "targets: does not match the calibration" in capsys.readouterr().err
    narrower = tmp_path / "priors.yaml"
    priors = data_file("calibration/priors.yaml").read_text()
    narrower.write_text(priors.replace("res_exit_rate:\n    low: 0.004\n", "res_exit_rate:\n    low: 0.01\n", 1))
    assert narrower.read_text() != priors
    before = (out / "report.md").read_bytes()
    assert main(["calibrate", "--report-only", "--out", str(out), "--priors", str(narrower)]) == 2
    assert "free: does not match the calibration" in capsys.readouterr().err
    assert (out / "report.md").read_bytes() == before


def test_a_checks_resume_folder_changes_with_the_code_its_runs_depend_on(tmp_path, monkeypatch):
    """The journal's identity leaves out sim/runner.py and sim/calibration/posterior.py (seeds, run
    and draws of the check) and this module; the check's folder must not."""
    import shutil

    import sim.runner
    from sim.calibration.run import check_folder
    from sim.resources import PACKAGE_DIR

    copy = tmp_path / "sim"
    shutil.copytree(PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(sim.runner, "PACKAGE_DIR", copy)
    before = check_folder(tmp_path, "posterior", "ab" * 32, 1.0)
    for changed in ("runner.py", "calibration/posterior.py", "calibration/run.py"):
        (copy / changed).write_text((copy / changed).read_text() + "\n# changed\n")
        now = check_folder(tmp_path, "posterior", "ab" * 32, 1.0)
        assert now != before, changed
        before = now
    (copy / "report" / "calibration.py").write_text((copy / "report" / "calibration.py").read_text() + "\n# x\n")
    assert check_folder(tmp_path, "posterior", "ab" * 32, 1.0) == before
    assert check_folder(tmp_path, "median", "ab" * 32, 1.0) != before
