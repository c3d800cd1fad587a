"""The backtest command on a smoke budget: it trains on the years up to --train-until only,
forecasts the later years and scores them (the scoring itself: test_backtest_score.py)."""

import json

import pandas as pd
import pytest

from sim.cli import main

SMOKE = ["--particles", "20", "--scale", "20", "--check-replicates", "4", "--check-scale", "20", "--quiet"]


@pytest.fixture(scope="module")
def smoke(tmp_path_factory):
    out = tmp_path_factory.mktemp("backtest") / "bt"
    assert main(["backtest", "--train-until", "2018", "--budget", "60", "--workers", "2", "--out", str(out), *SMOKE]) == 0
    return out


def test_outputs_are_written(smoke):
    for name in ("backtest.csv", "backtest_summary.csv", "report.md", "backtest.json", "calibration/posterior.parquet",
                 "calibration/predictive.parquet", "calibration/fit.csv", "calibration/report.md"):
        assert (smoke / name).exists(), name
    assert list((smoke / "img").glob("backtest_*.png"))
    brief = json.loads((smoke / "backtest.json").read_text())
    assert brief["train_until"] == 2018 and brief["runs"] > 0


def test_training_sees_no_year_after_train_until_and_the_forecast_covers_the_rest(smoke):
    fit = pd.read_csv(smoke / "calibration" / "fit.csv")
    assert fit["year"].max() <= 2018
    points = pd.read_csv(smoke / "backtest.csv")
    assert set(points["year"]) == {2019, 2020, 2021}
    predictive = pd.read_parquet(smoke / "calibration" / "predictive.parquet")
    assert predictive["year"].max() == 2021


def test_an_existing_backtest_is_kept_without_overwrite(smoke, capsys):
    assert main(["backtest", "--train-until", "2018", "--budget", "60", "--out", str(smoke), *SMOKE]) == 2
    assert "already holds a backtest; use --overwrite" in capsys.readouterr().err
