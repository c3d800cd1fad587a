"""The committed fit to Beijing's real series and the committed backtest, held to the project's
acceptance criteria (docs/calibration.md, "History" and "Backtest").

``calibration/fit.csv`` is the committed calibration's fit; ``tests/test_fit.py`` checks that
today's code reproduces it and fails when any simulated value drifts. Here the fit itself is judged: every series within
tolerance at the posterior median in at least five of its years (all, if fewer) and the 90 % bands
covering at least 80 % of the fitted points. Series that miss are listed in ``KNOWN_MISSES`` with
the reason, exactly: a series that starts to pass, or a new miss, fails the test, so the list (and
the report, which lists the same misses) stays true.
"""

import json

import pandas as pd
import pytest

from sim.calibration.history import COVERAGE_REQUIRED, pooled_coverage, series_summary
from sim.resources import data_file

FIT = pd.read_csv(data_file("calibration/fit.csv"), keep_default_na=False, na_values=[""])
SUMMARY = series_summary(FIT).set_index("series")

#: Series the committed posterior does not reproduce, and why (docs/calibration.md, section 5).
KNOWN_MISSES: dict[str, str] = {
    "invention_patents_granted": "within in 2016 only: the run at the posterior median is 15-18 % short in 2017-2019 "
                                 "(37,700-44,700 against 46,091-53,127) and 21-32 % short in 2020-2021 (49,800 and "
                                 "54,100 against 63,266 and 79,210). The predictive median sits about 10 % higher "
                                 "(firms' patents per R&D yuan has a skewed posterior, median 0.24 at the foot of "
                                 "its 0.21-0.45 interval), and the real 2020-2021 acceleration is beyond the model: "
                                 "not peculiar to Beijing (it kept 13.4-14.7 % of China's domestic invention grants)",
    "patents_granted": "the same: invention patents times a fixed ratio (90,500 in 2016 against 100,578, 10.0 % "
                       "short; 134,000 in 2021 against 198,778)",
    "sci_papers": "within in 2016-2019, then 16 % and 15 % short in 2020-2021 (59,900 and 64,700 against 71,157 "
                  "and 76,505; tolerance 15 %): papers grow 29 % in 2016-2021 against 57 %; the research money "
                  "per head of organisations rises only 1-3 % in the model (posts follow money), so the fitted "
                  "elasticity of papers to it (0.2) adds under 1 %",
    "high_tech_enterprises": "the 2016 reform works through too early: 22,400 in 2017 against 16,000; and 26,500 in "
                             "2019 against 'over 27,000'; 2016, 2018 and 2021 are within. The 2017 count is dated "
                             "November, perhaps before that year's recognition lists; the model certifies every quarter",
    "cluster_rank": "fourth in 2018 against fifth (2020 is right)",
}
#: Whether the committed bands cover 80 % of the fitted points. With the model discrepancy, each
#: point scored on a discrepancy estimated without it, they cover 89 % (57 of 64). The model's own
#: bands (parameters and dice) cover 59 % (38 of 64): the published population is the sampled one
#: (the regression adjustment was rejected by its check), the sampler ran on to its target distance
#: of one tolerance, and the medians still miss by systematic amounts; that figure is asserted
#: below so it cannot be dropped.
COVERAGE_MET = True
#: The model's own bands' coverage, stated in the report beside the discrepancy's.
COVERAGE_MODEL_ONLY = 0.59


@pytest.mark.parametrize("series", list(SUMMARY.index))
def test_every_series_within_tolerance_in_five_years_or_a_listed_miss(series):
    row = SUMMARY.loc[series]
    if series in KNOWN_MISSES:
        assert not row["passes"], (f"{series} now passes ({row['within_at_median']} of {row['points']} years): "
                                   f"remove it from KNOWN_MISSES")
        return
    assert row["passes"], (f"{series}: within tolerance at the posterior median in {row['within_at_median']} of "
                           f"{row['points']} years (needs {row['required']}; outside: {row['missed_years']})")


def test_the_bands_cover_80_percent_of_the_fitted_points_or_the_miss_is_stated():
    coverage = pooled_coverage(FIT)
    assert (coverage >= COVERAGE_REQUIRED) == COVERAGE_MET, coverage
    report = data_file("calibration/report.md").read_text()
    assert f"(here {coverage:.0%})" in report
    own = pooled_coverage(FIT, "covered_by_model")
    assert own == pytest.approx(COVERAGE_MODEL_ONLY, abs=0.005)
    assert f"bands (parameters and dice only) cover {own:.0%}" in report


def test_each_series_point_is_covered_by_a_discrepancy_estimated_without_it():
    """``covered`` reads the band with discrepancy (leave one out); ``covered_by_model`` the model's own."""
    from sim.calibration.history import series_rows

    rows = series_rows(FIT)
    # never negative; zero where the replicates' own spread already exceeds the series' misses
    # (method of moments truncated at zero: the patent series' fitted years, whose own bands are
    # about 40 % wide, and the 2018 rank), and then the band is the model's own
    assert rows["discrepancy_sd"].ge(0).all()
    zero = rows["discrepancy_sd"].eq(0)
    assert (rows.loc[zero, "predictive_p05"] == rows.loc[zero, "simulated_p05"]).all()
    inside = (rows["predictive_p05"] <= rows["documented"]) & (rows["documented"] <= rows["predictive_p95"])
    assert (inside == rows["covered"].astype(bool)).all()
    # the band with discrepancy contains the model's own (ranks aside: their draws are whole places,
    # and the mixture's quantiles of whole numbers can lie a little inside them)
    rows = rows[~rows["indicator"].str.contains("rank")]
    assert (rows["predictive_p05"] <= rows["simulated_p05"] + 1e-9).all()
    assert (rows["predictive_p95"] >= rows["simulated_p95"] - 1e-9).all()


def test_every_miss_is_in_the_report():
    report = data_file("calibration/report.md").read_text()
    for series in SUMMARY.index[~SUMMARY["passes"].astype(bool)]:
        assert f"series `{series}`: within tolerance" in report, series


# --- the committed backtest (innovsim backtest --train-until 2018) ------------------------------
BACKTEST = data_file("calibration/backtest_2018")


def test_the_backtest_covers_80_percent_and_beats_the_line_or_says_by_how_much():
    brief = json.loads((BACKTEST / "backtest.json").read_text())
    report = (BACKTEST / "report.md").read_text()
    assert brief["train_until"] == 2018
    points = pd.read_csv(BACKTEST / "backtest.csv")
    assert set(points["year"]) == {2019, 2020, 2021}
    if brief["coverage"] < COVERAGE_REQUIRED:
        assert "below the 80 % target" in report
    else:
        assert "at or above the 80 % target" in report
    # the forecast bands are widened by the discrepancy of the training years only: 29 of 31 points;
    # the replicates' own bands would cover 13
    assert brief["coverage"] >= COVERAGE_REQUIRED
    assert brief["coverage_model_only"] < brief["coverage"]
    assert f"would cover {round(brief['coverage_model_only'] * brief['points'])}" in report
    if brief["mape_model"] >= brief["mape_line"]:
        assert "does not beat the straight line" in report and "points above" in report
    else:
        assert "is below the straight line's" in report


def test_the_registered_backtest_to_2019_is_reported_as_it_came_out():
    """The second backtest was registered (docs/calibration.md, section 6) before it was run. Its
    first, blind result (17 of 20 covered, MAPE 10.5 %) stays in the docs as it came out; the
    committed folder is its rerun after the faster patent office and research money per head (not
    blind, and said so), held here so that it cannot be rerun quietly until it looks better."""
    where = data_file("calibration/backtest_2019")
    brief = json.loads((where / "backtest.json").read_text())
    report = (where / "report.md").read_text()
    assert brief["train_until"] == 2019 and brief["points"] == 20
    assert set(pd.read_csv(where / "backtest.csv")["year"]) == {2020, 2021}
    assert round(brief["coverage"] * brief["points"]) == 20 and round(brief["coverage_model_only"] * 20) == 11
    assert brief["mape_model"] == pytest.approx(0.1051, abs=5e-4) and brief["mape_line"] == pytest.approx(0.0702, abs=5e-4)
    assert "at or above the 80 % target" in report and "does not beat the straight line" in report
    docs = data_file("docs/calibration.md").read_text()
    assert "**coverage 85 %** (17 of 20)" in docs and "**MAPE 10.5 %**" in docs      # the blind run, kept
    assert "**This rerun is not blind:**" in docs and "**MAPE 10.5 %**" in docs        # the committed rerun
