"""Bad input to every command: one line on stderr naming the file or flag, exit 2, no traceback,
nothing written (the working folder is the same before and after), checked before any work."""

import os
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from sim.resources import data_file
from sim.cli import main

from conftest import SCENARIOS

BASE = SCENARIOS / "baseline.yaml"
RUN = ["--replicates", "2", "--scale", "100", "--horizon", "2021", "--quiet", "--workers", "1"]

BOMB = "name: x\na: &a [1,1,1,1,1,1,1,1,1,1]\n" + "".join(
    f"{c}: &{c} [{', '.join([f'*{p}'] * 10)}]\n" for p, c in zip("abcdef", "bcdefg")) + "levers: {visa_processing_days: *g}\n"

FILES = {
    "dup.yaml": "name: a\nlevers: {visa_processing_days: 5}\nname: b\n",
    "dup_lever.yaml": "name: a\nlevers: {visa_processing_days: 5, visa_processing_days: 9}\n",
    "bool.yaml": "name: a\nrun: {replicates: true}\n",
    "bool_lever.yaml": "name: a\nlevers: {visa_processing_days: true}\n",
    "nan.yaml": "name: a\nlevers: {visa_processing_days: {2020: .nan}}\n",
    "inf.yaml": "name: a\nexogenous: {geopolitical_pressure: .inf}\n",
    "bomb.yaml": BOMB,
    "self.yaml": "name: a\nlevers: &l {x: *l}\n",
    "huge_int.yaml": "name: a\nrun: {seed: " + "9" * 400 + "}\n",
    "ext_loop.yaml": "name: a\nextends: loop1.yaml\n",
    "deep.yaml": "name: a\nlevers: {x: " + "[" * 50_000 + "]" * 50_000 + "}\n",
    "big.yaml": "name: a\n" + "#" * 10_000_001 + "\n",
    "sweep_loop.yaml": "name: s\nscenario: loop1.yaml\ndesign: {method: lhs, samples: 4}\n"
                       "parameters: {ft_visa_weight: {low: 0.2, high: 0.8}}\noutputs: [{indicator: papers, year: 2020}]\n",
    "afile": "not a folder\n",
    "sweep_dup.yaml": f"name: s\nscenario: {BASE}\nscenario: {BASE}\ndesign: {{method: lhs, samples: 4}}\n"
                      "parameters: {ft_visa_weight: {low: 0.2, high: 0.8}}\noutputs: [{indicator: papers, year: 2020}]\n",
    "sweep_nan.yaml": f"name: s\nscenario: {BASE}\ndesign: {{method: grid}}\n"
                      "parameters: {ft_visa_weight: {levels: [0.2, .nan]}}\noutputs: [{indicator: papers, year: 2020}]\n",
    "sweep_sobol1.yaml": f"name: s\nscenario: {BASE}\ndesign: {{method: sobol, samples: 1}}\n"
                         "parameters: {ft_visa_weight: {low: 0.2, high: 0.8}, ft_settle_rate: {low: 0.01, high: 0.02}}\n"
                         "outputs: [{indicator: papers, year: 2020}]\n",
    "sweep_huge.yaml": f"name: s\nscenario: {BASE}\ndesign: {{method: sobol, samples: 262144}}\nreplicates: 2\n"
                       "parameters: {ft_visa_weight: {low: 0.2, high: 0.8}, ft_settle_rate: {low: 0.01, high: 0.02}}\n"
                       "outputs: [{indicator: papers, year: 2020}]\n",
    "sweep_grid.yaml": f"name: s\nscenario: {BASE}\ndesign: {{method: grid}}\nparameters:\n"
                       + "".join(f"  {n}: {{levels: [{', '.join(str(0.2 + i / 100) for i in range(60))}]}}\n"
                                 for n in ("ft_visa_weight",)) +
                       "  visa_processing_days: {levels: [" + ", ".join(str(5 + i) for i in range(60)) + "]}\n"
                       "  research_grants_bn_yuan: {levels: [" + ", ".join(str(10 + i) for i in range(40)) + "]}\n"
                       "outputs: [{indicator: papers, year: 2020}]\n",
    "sweep_bool.yaml": f"name: s\nscenario: {BASE}\ndesign: {{method: lhs, samples: 4}}\nreplicates: true\n"
                       "parameters: {ft_visa_weight: {low: 0.2, high: 0.8}}\noutputs: [{indicator: papers, year: 2020}]\n",
    "priors_dup.yaml": "free:\n  ft_visa_weight: {low: 0.2, high: 0.8, reason: a}\n"
                       "  ft_visa_weight: {low: 0.3, high: 0.8, reason: b}\n",
    "priors_bool.yaml": "free:\n  ft_visa_weight: {low: true, high: 0.8, reason: a}\n",
    "targets_series.yaml": "targets:\n- {id: a, year: 2020, value: 1, qualifier: around, source: s, indicator: papers, "
                           "tolerance: 0.1}\nseries:\n- {id: s, indicator: sci_papers, unit: u, source: s, "
                           "confidence: sure, values: {2016: 1}}\n",
    "targets_nan.yaml": "targets:\n- {id: a, year: 2020, value: .nan, qualifier: around, source: s, indicator: papers, "
                        "tolerance: 0.1}\n",
    "targets_bool.yaml": "targets:\n- {id: a, year: 2020, value: true, qualifier: around, source: s, indicator: papers, "
                         "tolerance: 0.1}\n",
    "targets_dup.yaml": "targets: []\ntargets:\n- {id: a, year: 2020, value: 3, qualifier: around, source: s, "
                        "indicator: papers, tolerance: 0.1}\n",
    "targets_empty.yaml": "targets: []\nseries: []\n",
    "date_bad.yaml": "name: a\nlevers: {visa_processing_days: {2024-13-45: 5}}\n",
    "date_float.yaml": "name: a\nlevers: {visa_processing_days: {2026.5: 5}}\n",
    "typo_lever.yaml": "name: a\nlevers: {visa_procesing_days: 5}\n",
    "typo_parameter.yaml": "name: a\nparameters: {ft_visa_wieght: 0.5}\n",
    "date_twice.yaml": "name: a\nlevers: {visa_processing_days: {2026: 5, 2026-01-01: 7}}\n",
    "ext_dir.yaml": "name: a\nextends: .\n",
    "sweep_dir.yaml": "name: s\nscenario: .\ndesign: {method: lhs, samples: 4}\n"
                      "parameters: {ft_visa_weight: {low: 0.2, high: 0.8}}\noutputs: [{indicator: papers, year: 2020}]\n",
    "targets_unknown.yaml": "targets:\n- {id: a, year: 2020, value: 3, qualifier: around, source: s, indicator: papers, "
                            "tolerance: 0.1, bogus: 1}\n",
    "priors_unknown.yaml": "free:\n  ft_visa_weight: {low: 0.2, high: 0.8, reason: a}\nextra: 1\n",
    "sweep_unknown.yaml": f"name: s\nscenario: {BASE}\ndesign: {{method: lhs, samples: 4}}\nbogus: 1\n"
                          "parameters: {ft_visa_weight: {low: 0.2, high: 0.8}}\noutputs: [{indicator: papers, year: 2020}]\n",
}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    """One small results folder, and damaged copies of it."""
    root = tmp_path_factory.mktemp("good")
    good = root / "good"
    assert main(["run", str(BASE), "--out", str(good), *RUN]) == 0
    return good


DAMAGED = ("trunc_summary", "short_summary", "garbage_parquet", "trunc_parquet", "trunc_manifest", "empty_milestones")


def damaged(results: Path, where: Path) -> dict[str, Path]:
    out = {}
    for name, file, damage in (("trunc_summary", "summary.csv", lambda b: b[: len(b) // 2]),
                               ("short_summary", "summary.csv", lambda b: b"\n".join(b.split(b"\n")[:-5]) + b"\n"),
                               ("garbage_parquet", "indicators.parquet", lambda b: b"PAR1 garbage"),
                               ("trunc_parquet", "indicators.parquet", lambda b: b[: len(b) - 40]),
                               ("trunc_manifest", "manifest.json", lambda b: b[:100]),
                               ("empty_milestones", "milestones.csv", lambda b: b"")):
        copy = where / name
        shutil.copytree(results, copy)
        (copy / file).write_bytes(damage((copy / file).read_bytes()))
        out[name] = copy
    return out


def posterior_files(where: Path) -> dict[str, Path]:
    frame = pd.read_parquet(data_file("calibration/posterior.parquet"))
    no_params = where / "no_params.parquet"
    frame[["particle", "weight", "distance"]].to_parquet(no_params)
    garbage = where / "garbage.parquet"
    garbage.write_bytes(b"not parquet")
    return {"no_params": no_params, "garbage": garbage}


CASES = [
    # run: scenario files
    ("run {dup.yaml}", "duplicate key 'name'"),
    ("run {dup_lever.yaml}", "duplicate key 'visa_processing_days'"),
    ("run {bool.yaml}", "run.replicates"),
    ("run {bool_lever.yaml}", "levers.visa_processing_days"),
    ("run {nan.yaml}", "levers.visa_processing_days.2020: must be a finite number"),
    ("run {inf.yaml}", "exogenous.geopolitical_pressure: must be a finite number"),
    ("run {bomb.yaml}", "expands to more than 100,000 values"),
    ("run {self.yaml}", "refers to the node that contains it"),
    ("run {huge_int.yaml}", "run.seed"),
    ("run {ext_loop.yaml}", "extends: points at"),
    ("run {deep.yaml}", "nested too deeply"),
    ("validate {big.yaml}", "is larger than 10 MB"),
    ("validate {ext_loop.yaml}", "loop of symbolic links"),
    ("validate {dup.yaml}", "duplicate key 'name'"),
    ("validate {date_bad.yaml}", "line 2, column 33: invalid YAML: '2024-13-45' is not a valid date"),
    ("validate {ext_dir.yaml}", "ext_dir.yaml: extends: must name a scenario file"),
    ("validate {typo_lever.yaml}", "levers.visa_procesing_days: unknown lever (did you mean 'visa_processing_days'?)"),
    ("validate {typo_parameter.yaml}", "parameters.ft_visa_wieght: unknown parameter (did you mean 'ft_visa_weight'?)"),
    ("responses --levers visa_procesing_days --out {tmp}/o", "unknown lever 'visa_procesing_days' (did you mean"),
    ("validate {date_float.yaml}", "levers.visa_processing_days: 2026.5 is not a date; dates are a year (2026)"),
    ("validate {date_twice.yaml}", "levers.visa_processing_days: the date 2026-01-01 appears twice"),
    ("sweep {sweep_dir.yaml}", "sweep_dir.yaml: scenario: must name a scenario file"),
    ("run {base} --parameters default --posterior {tmp}/p.parquet", "--posterior: is read only with --parameters posterior"),
    ("run {base} --posterior {tmp}", "is not a file; a posterior is one Parquet file"),
    ("responses --levers= --out {tmp}/o", "--levers: no lever named"),
    ("responses --levers visa_processing_days,visa_processing_days --out {tmp}/o", "--levers: names 'visa_processing_days' twice"),
    # run: flags
    ("run {base} --seed " + "1" * 400, "--seed: must be at most 9223372036854775807"),
    ("run {base} --scale inf", "--scale: must be at most 100000, got inf"),
    ("run {base} --scale nan", "--scale: must be at least 1"),
    ("run {base} --replicates 1000000000", "--replicates: must be at most 10000"),
    ("run {base} --horizon 99999", "--horizon: must be at most 2060"),
    ("run {base} --workers 100000", "--workers: must be at most 256"),
    ("run {base} --out {afile}", "--out: is an existing file"),
    ("run {base} --out {afile}/sub", "--out: cannot be created"),
    ("run {base} --out /proc/innovsim-test", "--out: cannot be written"),
    ("run {base} --posterior {no_params}", "has no parameter columns"),
    ("run {base} --posterior {garbage}", "cannot be read as Parquet"),
    # compare
    ("compare {good} --indicators ,", "--indicators: names no indicator"),
    ("compare {good} {trunc_summary}", "summary.csv: is incomplete or damaged"),
    ("compare {good} {short_summary}", "summary.csv: is incomplete or damaged"),
    ("compare {good} {garbage_parquet}", "indicators.parquet: cannot be read"),
    ("compare {good} {trunc_parquet}", "indicators.parquet: cannot be read"),
    ("compare {good} {trunc_manifest}", "manifest.json: cannot be read"),
    ("compare {good} {empty_milestones}", "milestones.csv: cannot be read"),
    ("compare {good} {afile}", "is not an innovsim results folder"),
    ("compare {good} {tmp}/loop1.yaml", "a loop of symbolic links"),
    ("compare {good} --out {afile}", "--out: is an existing file"),
    ("compare {good} --out {good} --overwrite", "is one of the folders being compared"),
    # sweep
    ("sweep {sweep_dup.yaml}", "duplicate key 'scenario'"),
    ("sweep {sweep_loop.yaml}", "sweep_loop.yaml: scenario: points at"),
    ("sweep {sweep_nan.yaml}", "parameters.ft_visa_weight.levels[1]: must be a finite number"),
    ("sweep {sweep_sobol1.yaml}", "design.samples: a Sobol' design needs at least 8 samples"),
    ("sweep {sweep_huge.yaml}", "at most 100,000 are allowed"),
    ("sweep {sweep_grid.yaml}", "144,000 design rows"),
    ("sweep {sweep_bool.yaml}", "replicates"),
    ("sweep {sweep_nan.yaml} --workers 0", "--workers: must be at least 1"),
    (f"sweep {SCENARIOS / 'sweeps' / 'rd_tax_lhs.yaml'} --scheduler notaurl", "--scheduler: must be a scheduler address"),
    (f"sweep {SCENARIOS / 'sweeps' / 'rd_tax_lhs.yaml'} --out {{afile}}", "--out: is an existing file"),
    # calibrate
    ("calibrate --budget 10 --work {tmp}/w --out {afile}", "--out: is an existing file"),
    ("calibrate --budget 10 --work {tmp}/w", "calibration: --out: already holds a calibration; use --overwrite"),
    ("calibrate --budget 10 --work {tmp}/w --out {tmp}/w", "--work: must differ from --out"),
    ("calibrate --budget 10 --work {tmp}/w --out {tmp}/o --priors {priors_dup.yaml}", "duplicate key 'ft_visa_weight'"),
    ("calibrate --budget 10 --work {tmp}/w --out {tmp}/o --priors {priors_bool.yaml}", "free.ft_visa_weight.low"),
    ("calibrate --budget 10 --work {tmp}/w --out {tmp}/o --targets {targets_nan.yaml}", "must be a finite number"),
    ("calibrate --budget 10 --work {tmp}/w --out {tmp}/o --targets {targets_bool.yaml}", "targets[0].value"),
    ("calibrate --budget 10 --work {tmp}/w --out {tmp}/o --targets {targets_dup.yaml}", "duplicate key 'targets'"),
    ("calibrate --budget 10 --particles 1000000000", "--particles: must be at most 10000"),
    ("calibrate --budget 1e9", "--budget: must be a whole number"),
    ("calibrate --budget 10 --min-epsilon inf", "--min-epsilon: must be at most"),
    ("calibrate --budget 10 --scheduler 'tcp://'", "--scheduler: must be a scheduler address"),
    ("calibrate --budget 10 --work {tmp}/w --out {tmp}/o --targets {targets_series.yaml}", "series[0].confidence"),
    ("calibrate --budget 10 --work {tmp}/w --out {tmp}/o --targets {targets_empty.yaml}", "targets: holds no target to fit"),
    # an unknown field lists the fields allowed where it stands, not a scenario file's
    ("calibrate --budget 10 --work {tmp}/w --out {tmp}/o --targets {targets_unknown.yaml}",
     "targets[0].bogus: unknown field; allowed: id, year, value"),
    ("calibrate --budget 10 --work {tmp}/w --out {tmp}/o --priors {priors_unknown.yaml}",
     "extra: unknown field; allowed: free, fixed"),
    ("sweep {sweep_unknown.yaml}", "bogus: unknown field; allowed: name, description, scenario, design"),
    ("calibrate --report-only --out {tmp}/o", "--out: does not exist; allowed: a folder written by innovsim calibrate"),
    ("calibrate --report-only --out {tmp}", "--out: holds no calibration to report"),
    ("calibrate --report-only --out {afile}", "--out: is an existing file"),
    ("calibrate --report-only --out {tmp}/o --budget 5", "--budget: is not used with --report-only"),
    ("calibrate --report-only --out {tmp}/o --resume", "--resume: is not used with --report-only"),
    ("calibrate --budget 10 --work {tmp}/w --out {tmp}/o --workers 1 --dask-workers 2",
     "--dask-workers: sets the LocalCluster's workers, so it needs --cluster local"),
    # backtest
    ("backtest --train-until 2021 --out {tmp}/o", "--train-until: must be a year from 2016 to 2020"),
    ("backtest --train-until 2015 --out {tmp}/o", "--train-until: must be a year from 2016 to 2020"),
    ("backtest --train-until 2100 --out {tmp}/o", "--train-until: must be a year from 2016 to 2020"),
    ("backtest --train-until 2018.5 --out {tmp}/o", "--train-until: must be a whole number"),
    ("backtest --train-until 2018 --out {afile}", "--out: is an existing file"),
    ("backtest --train-until 2018 --out {tmp}/o --targets {targets_nan.yaml}", "must be a finite number"),
    ("backtest --train-until 2018 --out {tmp}/o --targets {targets_series.yaml}", "series[0].confidence"),
    ("backtest --train-until 2018 --out {tmp}/o --priors {priors_bool.yaml}", "free.ft_visa_weight.low"),
    ("backtest --train-until 2018 --out {tmp}/o --budget 0", "--budget: must be at least 1"),
    ("backtest --train-until 2018 --out {tmp}/o --budget 5 --particles 10", "--budget: must be at least --particles (10)"),
    ("calibrate --budget 5 --particles 10 --work {tmp}/w --out {tmp}/o", "--budget: must be at least --particles (10)"),
]


def listing(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


@pytest.mark.parametrize("command, expected", CASES, ids=[f"{c.split()[0]}-{i}" for i, (c, _) in enumerate(CASES)])
def test_bad_input_is_one_line_exit_2_and_writes_nothing(command, expected, results, tmp_path, capsys):
    for name, text in FILES.items():
        if "{" + name + "}" in command:
            (tmp_path / name).write_text(text)
    os.symlink("loop2.yaml", tmp_path / "loop1.yaml")
    os.symlink("loop1.yaml", tmp_path / "loop2.yaml")
    places = {"tmp": tmp_path, "base": BASE, "good": results, **{n: tmp_path / n for n in FILES}}
    if "{no_params}" in command or "{garbage}" in command:
        places.update(posterior_files(tmp_path))
    if any("{" + k + "}" in command for k in DAMAGED):
        places.update(damaged(results, tmp_path))
    words = [w.strip("'") for w in command.split()]
    args = [re.sub(r"\{([^}]+)\}", lambda m: str(places[m.group(1)]), w) for w in words]
    if args[0] == "run" and "--out" not in args:
        args += ["--out", str(tmp_path / "out")]
    if args[0] == "run":
        args += [a for a in RUN if a not in args] if "--workers" not in args else []
    if args[0] in ("compare", "sweep", "backtest") and "--out" not in args:
        args += ["--out", str(tmp_path / "out")]
    committed = data_file("calibration/posterior.parquet")
    before, stamp = listing(tmp_path), committed.stat().st_mtime_ns
    assert main(args) == 2
    err = capsys.readouterr().err
    assert expected in err, err
    assert err.startswith("innovsim: error: ") and err.count("\n") == 1 and "Traceback" not in err
    assert len(err) < 2000                       # no alias bomb or huge value printed back
    assert listing(tmp_path) == before           # nothing written, no lock, staging or partial folder left
    assert committed.stat().st_mtime_ns == stamp


@pytest.mark.parametrize("out", [".", "", ".."])
def test_the_current_folder_or_one_holding_it_is_refused_as_an_output(out, tmp_path, monkeypatch, capsys):
    here = tmp_path / "results" / "here"
    here.mkdir(parents=True)
    (here / "keep.txt").write_text("mine")
    monkeypatch.chdir(here)
    before = listing(tmp_path)
    assert main(["run", str(BASE), "--out", out, "--overwrite", *RUN]) == 2
    err = capsys.readouterr().err
    assert "--out: is the current folder or holds it" in err and err.count("\n") == 1
    assert listing(tmp_path) == before and (here / "keep.txt").read_text() == "mine"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_refused_up_front(tmp_path, capsys):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        assert main(["run", str(BASE), "--out", str(ro / "x"), *RUN]) == 2
        assert "--out: cannot be written" in capsys.readouterr().err
    finally:
        ro.chmod(0o700)


class Unreachable:
    """An evaluator whose scheduler cannot be reached, as DaskEvaluator reports it."""

    def __enter__(self):
        from sim.errors import InputError
        raise InputError("cannot reach a Dask scheduler at 'tcp://nowhere:1' (OSError)", field="--scheduler")

    def __exit__(self, *exc):
        return None


def test_an_unreachable_scheduler_leaves_no_folder_that_blocks_the_corrected_command(tmp_path):
    from sim.calibration.abc_smc import SMCSettings
    from sim.calibration.run import CalibrationSettings, calibrate
    from sim.errors import InputError
    from sim.sweep.run import run_sweep
    from sim.sweep.spec import load_sweep

    with pytest.raises(InputError, match="--scheduler"):
        calibrate(Unreachable(), budget=10, settings=CalibrationSettings(SMCSettings(particles=10)),
                  work=tmp_path / "work", out=tmp_path / "out", progress=False)
    with pytest.raises(InputError, match="--scheduler"):
        run_sweep(load_sweep(SCENARIOS / "sweeps" / "rd_tax_lhs.yaml"), tmp_path / "sweep", Unreachable(),
                  progress=False)
    assert list(tmp_path.iterdir()) == []
