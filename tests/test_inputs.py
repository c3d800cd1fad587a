"""The output-folder helpers of :mod:`sim.inputs`: a staging folder is fresh and always removed,
published files replace their old versions and keep their permission bits, and the lock clears
what a killed command left, beside the target and inside it."""

import os
import stat

import pytest

from sim.inputs import locked, publish_files, staged


def test_a_staging_folder_is_fresh_beside_its_target_and_gone_afterwards(tmp_path):
    out = tmp_path / "cal"
    left = tmp_path / f".cal.staging-{os.getpid()}"        # as an earlier command of this pid left it
    (left / "img").mkdir(parents=True)
    (left / "img" / "old.png").write_bytes(b"old")
    with staged(out) as stage:
        assert stage == left and list(stage.iterdir()) == []
        (stage / "report.md").write_text("new")
    assert not stage.exists() and not out.exists()


def test_a_staging_folder_is_removed_when_the_writing_fails(tmp_path):
    out = tmp_path / "cal"
    out.mkdir()
    with pytest.raises(RuntimeError):
        with staged(out, inside=True) as stage:
            assert stage.parent == out and stage.name.startswith(".staging-")
            (stage / "half.md").write_text("half")
            raise RuntimeError("the report failed")
    assert list(out.iterdir()) == []


def test_a_staging_folder_can_be_placed_elsewhere(tmp_path):
    at = tmp_path / "partial" / "complete"
    with staged(tmp_path / "run", at=at) as stage:
        assert stage == at and stage.is_dir()
    assert not at.exists() and (tmp_path / "partial").is_dir()


def test_published_files_replace_their_old_versions_and_keep_their_modes(tmp_path):
    out, stage = tmp_path / "out", tmp_path / "stage"
    (out / "img").mkdir(parents=True)
    (out / "report.md").write_text("old")
    (out / "report.md").chmod(0o444)
    (out / "keep.csv").write_text("untouched")
    (stage / "img").mkdir(parents=True)
    (stage / "report.md").write_text("new")
    (stage / "img" / "fit.png").write_bytes(b"png")
    publish_files(stage, out)
    assert (out / "report.md").read_text() == "new"
    assert stat.S_IMODE((out / "report.md").stat().st_mode) == 0o444
    assert (out / "img" / "fit.png").read_bytes() == b"png" and (out / "keep.csv").read_text() == "untouched"
    assert [p for p in stage.rglob("*") if p.is_file()] == []


def test_the_lock_clears_what_killed_commands_left_beside_the_target_and_nothing_inside(tmp_path):
    out = tmp_path / "backtest_2018"
    out.mkdir()
    (out / "backtest.json").write_text("{}")
    (out / ".staging-99999").mkdir()                       # inside: not the lock's to judge
    left = [tmp_path / ".backtest_2018.staging-99999", tmp_path / ".backtest_2018.old-99999",
            tmp_path / ".backtest_2018.backtest-staging-99999"]        # the last from earlier versions
    for folder in left:
        (folder / "img").mkdir(parents=True)
        (folder / "img").chmod(0o500)                     # read-only, as a SIGKILL may leave it
    (tmp_path / ".other.staging-99999").mkdir()            # another target's: not ours to remove
    with locked(out):
        assert not any(folder.exists() for folder in left)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.staging-99999", "backtest_2018"]
    assert sorted(p.name for p in out.iterdir()) == [".staging-99999", "backtest.json"]


def test_a_users_folder_keeps_its_own_staging_names_under_the_lock(tmp_path):
    out = tmp_path / "proj"
    (out / ".staging-area").mkdir(parents=True)
    (out / ".staging-area" / "notes.txt").write_text("mine")
    (out / ".staging-12").mkdir()
    with locked(out):
        pass
    assert (out / ".staging-area" / "notes.txt").read_text() == "mine" and (out / ".staging-12").is_dir()


def test_staging_inside_a_checked_folder_clears_only_what_killed_commands_left(tmp_path):
    out = tmp_path / "cal"
    for name in (".staging-99999", ".report-staging-99998", ".staging-area"):
        (out / name).mkdir(parents=True)
    (out / ".staging-77").write_text("a file, not ours")
    with staged(out, inside=True):
        pass
    assert sorted(p.name for p in out.iterdir()) == [".staging-77", ".staging-area"]


def test_a_mode_that_would_hide_the_new_file_from_its_owner_is_not_passed_on(tmp_path):
    out, stage = tmp_path / "out", tmp_path / "stage"
    out.mkdir()
    stage.mkdir()
    (out / "discrepancy.csv").write_text("old")
    (out / "discrepancy.csv").chmod(0o000)
    (stage / "discrepancy.csv").write_text("new")
    publish_files(stage, out)
    assert stat.S_IMODE((out / "discrepancy.csv").stat().st_mode) & 0o600 == 0o600
