"""No command replaces a folder it did not make without --overwrite, even when two run at once;
--overwrite leaves no hidden copies; stale staging of killed commands is cleaned up."""

import subprocess
import sys

import pytest

from sim.cli import main
from sim.errors import InputError
from sim.inputs import locked
from sim.runner import publish

from conftest import SCENARIOS

RUN = ["--replicates", "2", "--scale", "100", "--horizon", "2021", "--quiet", "--workers", "1"]


def test_two_runs_into_one_folder_at_once_one_is_refused(tmp_path):
    out = tmp_path / "same"
    cmd = [sys.executable, "-m", "sim", "run", str(SCENARIOS / "baseline.yaml"), "--out", str(out), *RUN]
    procs = [subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    assert sorted(code for code, _ in results) == [0, 2], results
    refused = next(err for code, err in results if code == 2)
    assert "in use by another innovsim process" in refused or "already exists" in refused
    assert sorted(p.name for p in tmp_path.iterdir()) == ["same"]


def test_a_locked_target_is_refused_by_every_command(tmp_path, capsys):
    out = tmp_path / "busy"
    with locked(out):
        assert main(["run", str(SCENARIOS / "baseline.yaml"), "--out", str(out), *RUN]) == 2
        assert "in use by another innovsim process" in capsys.readouterr().err
    assert not out.exists() and not list(tmp_path.glob(".busy*"))


def test_two_calibrations_on_one_journal_cannot_both_run(tmp_path, capsys):
    work = tmp_path / "work"
    with locked(work):
        assert main(["calibrate", "--budget", "10", "--work", str(work), "--out", str(tmp_path / "o"),
                     "--resume", "--quiet"]) == 2
    assert "work: is in use by another innovsim process" in capsys.readouterr().err


def test_a_folder_made_while_we_worked_is_not_replaced(tmp_path):
    out = tmp_path / "out"

    def write(stage):
        (stage / "ours.txt").write_text("ours")
        out.mkdir()                                  # someone else, meanwhile
        (out / "theirs.txt").write_text("theirs")

    with pytest.raises(InputError, match="appeared while this command ran"):
        publish(out, write)
    assert [p.name for p in out.iterdir()] == ["theirs.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_overwrite_leaves_no_hidden_copies_and_cleans_what_killed_commands_left(tmp_path):
    out = tmp_path / "out"
    publish(out, lambda stage: (stage / "report.html").write_text("1"))
    for stale in (".out.staging-99999", ".out.old-99999"):       # as a SIGKILL between two renames leaves them
        (tmp_path / stale / "sub").mkdir(parents=True)
        (tmp_path / stale / "sub" / "f").write_text("x")
        (tmp_path / stale / "sub").chmod(0o500)
    with pytest.raises(InputError, match="already exists; use --overwrite"):
        publish(out, lambda stage: (stage / "report.html").write_text("2"))
    publish(out, lambda stage: (stage / "report.html").write_text("2"), overwrite=True)
    assert (out / "report.html").read_text() == "2"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_calibrate_does_not_replace_a_calibration_without_overwrite(tmp_path, capsys):
    out = tmp_path / "cal"
    out.mkdir()
    (out / "posterior.parquet").write_bytes(b"someone's posterior")
    assert main(["calibrate", "--budget", "10", "--work", str(tmp_path / "w"), "--out", str(out), "--quiet"]) == 2
    assert "already holds a calibration; use --overwrite" in capsys.readouterr().err
    assert (out / "posterior.parquet").read_bytes() == b"someone's posterior" and not (tmp_path / "w").exists()


@pytest.mark.parametrize("what", ["a project folder", "the committed calibration"])
def test_overwrite_replaces_only_what_innovsim_wrote(what, tmp_path, capsys):
    out = tmp_path / "precious"
    out.mkdir()
    (out / ("posterior.parquet" if "calibration" in what else "thesis.tex")).write_text("keep me")
    assert main(["run", str(SCENARIOS / "baseline.yaml"), "--out", str(out), "--overwrite", *RUN]) == 2
    assert "is not a folder innovsim wrote" in capsys.readouterr().err
    assert [p.read_text() for p in out.iterdir()] == ["keep me"]


def test_an_empty_folder_made_at_the_last_moment_is_not_replaced(tmp_path):
    """os.rename would silently replace an empty folder; the final rename refuses it."""
    from sim.inputs import rename_no_replace

    (tmp_path / "stage").mkdir()
    (tmp_path / "stage" / "f").write_text("new")
    (tmp_path / "out").mkdir()
    with pytest.raises(FileExistsError):
        rename_no_replace(tmp_path / "stage", tmp_path / "out")
    assert list((tmp_path / "out").iterdir()) == [] and (tmp_path / "stage" / "f").exists()
    rename_no_replace(tmp_path / "stage", tmp_path / "fresh")
    assert (tmp_path / "fresh" / "f").read_text() == "new"
