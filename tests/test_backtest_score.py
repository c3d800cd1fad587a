"""The backtest's scoring (sim.backtest.score) and its report (sim.report.backtest), on synthetic data."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sim.backtest.score import (Observed, ape, covered, forecast_bands, log_linear, score_points, straight_line,
                                summarise, verdict, within_tolerance)
from sim.report.backtest import write_backtest

YEARS = list(range(2016, 2022))
PNG = b"\x89PNG\r\n\x1a\n"


def test_straight_line_is_exact_on_linear_data():
    values = {y: 3.0 + 2.0 * (y - 2016) for y in YEARS}
    out = straight_line(values, [2016, 2017, 2018], [2019, 2020, 2021])
    assert out == pytest.approx({2019: 9.0, 2020: 11.0, 2021: 13.0})


def test_log_linear_is_exact_on_exponential_data():
    values = {y: 100.0 * 1.1 ** (y - 2016) for y in YEARS}
    out = log_linear(values, [2016, 2017, 2018], [2019, 2021])
    assert out == pytest.approx({2019: 100 * 1.1 ** 3, 2021: 100 * 1.1 ** 5})


def test_a_single_training_year_gives_a_flat_line():
    assert straight_line({2018: 5.0, 2020: 4.0}, [2018], [2019, 2020]) == {2019: 5.0, 2020: 5.0}
    assert log_linear({2018: 5.0}, [2018], [2020]) == pytest.approx({2020: 5.0})


def test_log_linear_refuses_non_positive_values():
    with pytest.raises(ValueError, match="positive"):
        log_linear({2016: 1.0, 2017: 0.0}, [2016, 2017], [2018])


def test_forecast_bands_are_quantiles_across_replicates_per_year():
    draws = pd.DataFrame({"replicate": np.repeat(range(101), 2), "year": [2019, 2020] * 101,
                          "x": np.concatenate([[r, 10 * r] for r in range(101)]).astype(float)})
    bands = forecast_bands(draws, "x")
    assert list(bands.columns) == ["year", "p05", "median", "p95"]
    assert bands.set_index("year").loc[2019].tolist() == pytest.approx([5.0, 50.0, 95.0])
    assert bands.set_index("year").loc[2020].tolist() == pytest.approx([50.0, 500.0, 950.0])


def test_ape_covered_and_tolerance():
    assert ape(110.0, 100.0) == pytest.approx(0.1)
    assert ape(90.0, -100.0) == pytest.approx(1.9)
    assert math.isnan(ape(math.nan, 100.0)) and math.isnan(ape(1.0, 0.0))
    assert covered(5.0, 5.0, 6.0) and covered(6.0, 5.0, 6.0) and not covered(6.1, 5.0, 6.0)
    assert not covered(5.0, math.nan, math.nan)
    assert within_tolerance(109.0, 100.0, 0.1) and not within_tolerance(111.0, 100.0, 0.1)
    assert within_tolerance(0.064, 0.060, 0.005) and not within_tolerance(0.066, 0.060, 0.005)   # share points
    assert within_tolerance(4.4, 4.0, 0.0, is_rank=True) and not within_tolerance(4.6, 4.0, 0.0, is_rank=True)


def draws_table(medians: dict[str, dict[int, float]], replicates: int = 21, spread: float = 0.1) -> pd.DataFrame:
    """Replicates spread evenly around each median: p05/p95 are median x (1 -/+ 0.9 spread)."""
    offsets = np.linspace(-1.0, 1.0, replicates)
    rows = []
    for r, k in enumerate(offsets):
        for year in YEARS:
            row = {"replicate": r, "seed": 100 + r, "year": year}
            row.update({name: m[year] * (1 + spread * k) for name, m in medians.items()})
            rows.append(row)
    return pd.DataFrame(rows)


@pytest.fixture
def case():
    linear = {y: 100.0 + 10.0 * (y - 2016) for y in YEARS}                     # real: a straight line
    model = {y: linear[y] * (1.05 if y <= 2019 else 1.5) for y in YEARS}        # misses 2020, 2021 by 50 %
    rank = {2018: 5.0, 2020: 4.0}
    draws = draws_table({"amount": model, "cluster_rank": {y: 4.0 for y in YEARS}})
    observed = [Observed("amount", "amount", linear, 0.1),
                Observed("rank", "cluster_rank", rank, 0.0, is_rank=True),
                Observed("missing", "not_modelled", {2016: 1.0, 2017: 2.0, 2019: 4.0}, 0.1)]
    return draws, observed


def test_score_points_counts_coverage_and_errors(case):
    draws, observed = case
    points = score_points(draws, observed, 2018)
    assert [(r.series, r.year) for r in points.itertuples()] == [
        ("amount", 2019), ("amount", 2020), ("amount", 2021), ("rank", 2020), ("missing", 2019)]
    amount = points[points["series"] == "amount"].set_index("year")
    assert amount["covered"].tolist() == [True, False, False]
    assert amount["ape_model"].tolist() == pytest.approx([0.05, 0.5, 0.5])
    assert amount["ape_line"].tolist() == pytest.approx([0.0, 0.0, 0.0])
    assert amount["line"].tolist() == pytest.approx([130.0, 140.0, 150.0])
    assert amount["within_tolerance"].tolist() == [True, False, False]
    rank = points[points["series"] == "rank"].iloc[0]
    assert rank["covered"] and rank["within_tolerance"] and rank["ape_model"] == 0.0
    assert math.isnan(rank["line"]) and math.isnan(rank["ape_loglinear"])
    assert "fewer than 2 training years" in rank["note"] and "crude" in rank["note"]
    missing = points[points["series"] == "missing"].iloc[0]
    assert math.isnan(missing["median"]) and not missing["covered"] and "no indicator" in missing["note"]
    assert missing["line"] == pytest.approx(4.0)


def test_summarise_pools_every_point(case):
    draws, observed = case
    summary = summarise(score_points(draws, observed, 2018)).set_index("series")
    assert list(summary.index) == ["amount", "rank", "missing", "all"]
    assert summary.loc["amount", "coverage"] == pytest.approx(1 / 3)
    assert summary.loc["amount", "mape_model"] == pytest.approx(0.35)
    assert not summary.loc["amount", "beats_line"]
    pooled = summary.loc["all"]
    assert pooled["points"] == 5 and pooled["coverage"] == pytest.approx(2 / 5)
    # compared on the points where both forecast: "missing" has no median, "rank" no line
    assert pooled["mape_model"] == pytest.approx((0.05 + 0.5 + 0.5) / 3)
    assert pooled["mape_line"] == pytest.approx(0.0)


def summary_of(coverage: float, model: float, line: float, points: int = 10) -> pd.DataFrame:
    return pd.DataFrame([{"series": "all", "points": points, "coverage": coverage, "mape_model": model,
                          "mape_line": line, "mape_loglinear": 0.2, "beats_line": model < line}])


def test_verdict_when_the_model_beats_the_line_and_covers():
    first, second = verdict(summary_of(0.9, 0.05, 0.12))
    assert "cover 9 of 10" in first and "at or above the 80 % target" in first
    assert "below the straight line's" in second and "7.0 percentage points" in second


def test_verdict_when_the_model_loses_to_the_line_and_misses_coverage():
    first, second = verdict(summary_of(0.5, 0.20, 0.125))
    assert "cover 5 of 10" in first and "below the 80 % target" in first
    assert "does not beat the straight line" in second
    assert "the model's error is 7.5 points above the straight line's" in second


def test_write_backtest_writes_every_file(case, tmp_path):
    draws, observed = case
    meta = {"budget": 60, "runs": 58, "seconds": 12.3, "units": {"amount": "bn yuan", "rank": "place"}}
    out = write_backtest(tmp_path, draws, observed, 2018, meta)
    for name in ("backtest.csv", "backtest_summary.csv", "report.md"):
        assert (tmp_path / name).stat().st_size > 0, name
    for obs in observed:
        data = (tmp_path / "img" / f"backtest_{obs.series}.png").read_bytes()
        assert len(data) > 100 and data.startswith(PNG)
    points = pd.read_csv(tmp_path / "backtest.csv")
    assert len(points) == 5 and set(points["year"]) == {2019, 2020, 2021}
    assert pd.read_csv(tmp_path / "backtest_summary.csv")["series"].iloc[-1] == "all"
    report = (tmp_path / "report.md").read_text()
    assert "trained to 2018" in report and "60 simulations budgeted" in report
    assert report.index(out["verdict"][0]) < report.index("| series | points")
    assert "(img/backtest_amount.png)" in report and "(img/backtest_rank.png)" in report
    assert out["points"] == 5 and out["coverage"] == pytest.approx(0.4)
    assert out["mape_line"] == pytest.approx(0.0) and out["beats_line"] is False


def test_the_discrepancy_widens_the_forecast_bands_with_the_horizon(case):
    from sim.calibration.discrepancy import POOLED, SeriesDiscrepancy

    draws, observed = case
    delta = {"amount": SeriesDiscrepancy("amount", "x", level_sd=0.05, drift_sd=0.3, last_year=2018),
             POOLED: SeriesDiscrepancy(POOLED, "", 0.1, 0.1, None)}
    plain = score_points(draws, observed, 2018).set_index(["series", "year"])
    wide = score_points(draws, observed, 2018, delta).set_index(["series", "year"])
    amount = wide.loc["amount"]
    assert amount["discrepancy_sd"].tolist() == pytest.approx([math.sqrt(0.05 ** 2 + h * 0.09) for h in (1, 2, 3)])
    widths = (amount["p95"] / amount["p05"]).tolist()
    assert widths[0] < widths[1] < widths[2]
    # the model's own band is kept beside it, and the median is the model's
    assert amount["model_p05"].tolist() == plain.loc["amount", "p05"].tolist()
    assert amount["median"].tolist() == plain.loc["amount", "median"].tolist()
    assert amount["covered_by_model"].tolist() == plain.loc["amount", "covered"].tolist()
    assert amount["covered"].sum() > amount["covered_by_model"].sum()
    # a series the calibration did not fit takes the pool, drifting from its last training year
    assert wide.loc[("rank", 2020), "discrepancy_sd"] == pytest.approx(math.sqrt(0.01 + 2 * 0.01))
    summary = summarise(score_points(draws, observed, 2018, delta)).set_index("series")
    assert summary.loc["all", "coverage"] > summary.loc["all", "coverage_model_only"]


def test_a_ranks_forecast_is_scored_in_whole_places_from_its_position():
    """As in a run's forecast table: the rank's median and own band are places, and the error widens
    the continuous position (``cluster_position``) before its ends are rounded to places."""
    from sim.calibration.discrepancy import POOLED, SeriesDiscrepancy

    rng = np.random.default_rng(5)
    rows = []
    for r in range(40):
        for year in YEARS:
            position = 3.9 + 0.4 * rng.standard_normal()
            rows.append({"replicate": r, "seed": r, "year": year, "cluster_position": position,
                         "cluster_rank": float(min(max(round(position), 1), 5))})
    draws = pd.DataFrame(rows)
    own = forecast_bands(draws, "cluster_rank", is_rank=True)
    assert ((own[["p05", "median", "p95"]] % 1) == 0).all().all()
    obs = [Observed("rank", "cluster_rank", {2018: 5.0, 2020: 4.0, 2021: 3.0}, 0.0, is_rank=True)]
    delta = {POOLED: SeriesDiscrepancy(POOLED, "", 0.15, 0.1, None)}
    points = score_points(draws, obs, 2018, delta).set_index("year")
    for column in ("median", "p05", "p95", "model_p05", "model_p95"):
        assert (points[column] % 1 == 0).all() and points[column].between(1, 5).all(), column
    assert (points["p05"] <= points["model_p05"]).all() and (points["p95"] >= points["model_p95"]).all()


def test_a_year_counted_on_another_indicator_is_scored_on_it():
    """A forecast year measured differently (a count dated before the year's round) is compared
    with its own indicator's band; the other years with the series' indicator."""
    years = {y: 100.0 for y in YEARS}
    draws = draws_table({"stock": {y: 120.0 for y in YEARS}, "stock_before": {y: 100.0 for y in YEARS}})
    obs = [Observed("stock", "stock", years, 0.1, measured_on={2020: "stock_before"})]
    points = score_points(draws, obs, 2018).set_index("year")
    assert points.loc[2020, "indicator"] == "stock_before" and points.loc[2020, "median"] == 100.0
    assert points.loc[2019, "indicator"] == "stock" and points.loc[2019, "median"] == 120.0
    assert points.loc[2020, "within_tolerance"] and not points.loc[2019, "within_tolerance"]


def test_the_backtest_figure_marks_a_year_counted_on_another_measure_apart():
    from sim.report.backtest import series_figure

    years = {y: 100.0 for y in YEARS}
    draws = draws_table({"stock": {y: 120.0 for y in YEARS}, "stock_before": {y: 100.0 for y in YEARS}})
    obs = Observed("stock", "stock", years, 0.1, measured_on={2017: "stock_before"})
    lines = {line.get_label(): line for line in series_figure(draws, obs, 2018).axes[0].get_lines()}
    assert list(lines["real, compared with stock_before"].get_xdata()) == [2017]
    assert 2017 not in list(lines["real (training)"].get_xdata())
