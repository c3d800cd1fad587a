"""What a newcomer meets first: the README's commands, --version, help texts that name where
defaults come from, values runs actually use, a copied baseline, typed milestones, and a compare
that does not headline noise."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.cli import build_parser, main
from sim.compare import MIN_PAIRS, Run, describe_differences

from conftest import ROOT, SCENARIOS

README = (ROOT / "README.md").read_text()
TINY = ["--replicates", "2", "--scale", "100", "--horizon", "2021", "--quiet", "--workers", "1"]


def section(title: str) -> str:
    start = README.index(f"## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start:end if end > 0 else None]


def bash_blocks(text: str) -> list[str]:
    return re.findall(r"```bash\n(.*?)```", text, flags=re.S)


def two_commands() -> list[str]:
    return [line for line in bash_blocks(section("Two commands"))[0].splitlines()
            if line.strip() and not line.startswith("#")]


# -- the README's two commands ------------------------------------------------------------------
def test_the_readmes_second_command_is_what_ci_runs_on_the_main_python():
    first, second = two_commands()
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert any(line.startswith(second + " ||") or line == second for line in ci), second
    assert second.startswith("python3 -m venv .venv && ") and "-c constraints.txt" in second


def test_the_readmes_first_command_uses_a_venv_and_can_be_run_again():
    first, _ = two_commands()
    assert first.startswith("python3 -m venv .venv && .venv/bin/python -m pip install -c constraints.txt")
    run = shlex.split(first.split("&&")[-1])
    assert run[0] == ".venv/bin/innovsim" and "--overwrite" in run     # a second run replaces, and says so
    args = build_parser().parse_args(run[1:])
    assert args.overwrite and (ROOT / args.scenario).is_file()


def test_the_first_scenario_walkthrough_is_a_valid_scenario_that_extends_the_baseline(tmp_path, capsys):
    block = bash_blocks(section("Your first scenario"))[0]
    target, yaml_text = re.search(r"cat > (\S+) <<'EOF'\n(.*?)\nEOF\n", block, flags=re.S).groups()
    (tmp_path / "scenarios").mkdir()
    shutil.copy(SCENARIOS / "baseline.yaml", tmp_path / "scenarios" / "baseline.yaml")
    (tmp_path / target).write_text(yaml_text + "\n")
    assert main(["validate", str(tmp_path / target)]) == 0
    captured = capsys.readouterr()
    assert "changes visa_processing_days" in captured.out and "warning" not in captured.err
    for line in block.split("EOF\n")[-1].splitlines():          # every command after the file parses
        words = shlex.split(line)
        assert words[0] == ".venv/bin/innovsim"
        build_parser().parse_args(words[1:])


# -- version, help, values runs use -----------------------------------------------------------------
def test_version(capsys):
    from sim import __version__

    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0 and capsys.readouterr().out.strip() == f"innovsim {__version__}"


def test_run_help_says_defaults_come_from_the_scenarios_run_block():
    text = " ".join(build_parser()._subparsers._group_actions[0].choices["run"].format_help().split())
    for flag, default in (("--replicates", 10), ("--seed", 1), ("--scale", 1), ("--horizon", 2035)):
        assert re.search(rf"{flag} \S+ .*?default: the scenario's `run:` block, else {default}\)", text), flag


def test_parameters_and_levers_show_what_runs_use(capsys):
    from sim.calibration.posterior import DEFAULT_POSTERIOR, Posterior

    assert main(["parameters"]) == 0
    out = capsys.readouterr().out
    post = Posterior.load(DEFAULT_POSTERIOR)
    name = post.names[0]
    assert f"runs: posterior median {post.median()[name]:.4g}" in out
    assert main(["levers"]) == 0
    assert "baseline: 2016Q1: 30; 2018Q1: 20; 2021Q1: 10" in capsys.readouterr().out   # visa_processing_days


def test_a_shipped_scenario_can_be_named(capsys):
    assert main(["validate", "baseline"]) == 0
    assert "valid scenario 'baseline'" in capsys.readouterr().out


# -- a copied baseline ------------------------------------------------------------------------------
def test_a_changed_copy_of_the_baseline_that_keeps_its_name_is_warned_about(tmp_path, capsys):
    text = (SCENARIOS / "baseline.yaml").read_text()
    (tmp_path / "verbatim.yaml").write_text(text)
    assert main(["validate", str(tmp_path / "verbatim.yaml")]) == 0
    assert "warning" not in capsys.readouterr().err                 # the same scenario: harmless
    (tmp_path / "copy.yaml").write_text(text.replace("visa_processing_days: {2016: 30, 2018: 20, 2021: 10}",
                                                     "visa_processing_days: {2016: 30, 2018: 20, 2021: 5}"))
    assert main(["validate", str(tmp_path / "copy.yaml")]) == 0
    err = capsys.readouterr().err
    assert "copy.yaml: name: 'baseline'" in err and "(visa_processing_days)" in err and err.count("\n") == 1
    assert "extends: baseline.yaml" in err


# -- typed milestones --------------------------------------------------------------------------------
def test_milestones_met_is_true_or_false_or_the_row_says_why_not(tmp_path):
    out = tmp_path / "run"
    assert main(["run", str(SCENARIOS / "baseline.yaml"), "--out", str(out), *TINY]) == 0
    table = pd.read_csv(out / "milestones.csv")
    judged = table["met"].notna()
    assert set(table.loc[judged, "met"]) <= {True, False}
    assert (table.loc[judged, "status"] == table.loc[judged, "met"].map({True: "met", False: "not met"})).all()
    assert table.loc[~judged, "status"].str.startswith("not applicable: ").all() and (~judged).any()
    assert table.loc[(table["kind"] == "documented") & (table["year"] > 2021), "status"].str.contains("not simulated").all()


# -- compare ---------------------------------------------------------------------------------------
def fake_run(label: str, seeds, value) -> Run:
    years = [2030]
    ind = pd.DataFrame([{"replicate": i, "seed": s, "year": y, "papers": value(i)} for i, s in enumerate(seeds) for y in years])
    summary = pd.DataFrame([{"indicator": "papers", "year": 2030, "median": float(np.median([value(i) for i in range(len(seeds))]))}])
    manifest = {"scenario": {"name": label}, "run": {"scale": 1, "horizon": 2030}, "parameters": {"source": "posterior"}}
    return Run(label, Path(label), ind, summary, manifest)


@pytest.mark.parametrize("pairs, finding", [(MIN_PAIRS - 1, False), (MIN_PAIRS, True)])
def test_a_difference_is_a_finding_only_with_enough_pairs(pairs, finding):
    from sim.compare import paired_differences

    seeds = list(range(100, 100 + pairs))
    base, other = fake_run("baseline", seeds, lambda i: 1000.0 + i), fake_run("more", seeds, lambda i: 1100.0 + i)
    d = paired_differences(other, base, ["papers"], [2030])
    assert (d["p05_diff"] > 0).all()                                 # the band excludes zero either way
    empty = pd.DataFrame(columns=["scenario", "milestone", "year", "probability_met"])
    text = describe_differences(d, base, empty, 2030)[0]
    assert ("papers +10 %" in text) is finding
    assert ("too few" in text) is (not finding)


def test_compare_warns_about_runs_of_different_scale_or_parameter_source():
    from sim.compare import mismatches

    a, b = fake_run("baseline", [1, 2], float), fake_run("other", [1, 2], float)
    assert mismatches([a, b]) == []
    b.manifest["run"]["scale"] = 10
    b.manifest["parameters"]["source"] = "default"
    text = " ".join(mismatches([a, b]))
    assert "differ in scale (baseline: 1, other: 10)" in text and "differ in parameter source" in text
