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
    "rd_share_of_gdp": "short in 2019-2021: 0.0578, 0.0582 and 0.0592 against 0.0630, 0.0644 and 0.0653 (tolerance "
                       "half a point); 2016-2018 within. R&D expenditure is 8-10 % short in 2019-2021 at the "
                       "posterior median (205, 210 and 238 against 223, 233 and 263 bn yuan), just within its "
                       "10 %, so the share falls outside; it missed the same years in the fit before",
    "invention_patents_granted": "short at the posterior median in 2016-2017 and 2020-2021 (36,166, 40,370, 52,829 "
                                 "and 55,362 against 40,602, 46,091, 63,266 and 79,210; tolerance 10 %); 2018-2019 "
                                 "within. The predictive median is nearer (38,525 to 61,847) and its band covers "
                                 "every year: the published (sampled) population is wider than the fit before's "
                                 "regression-adjusted one, and a run at its marginal medians lies below it. It "
                                 "passed in the fit before",
    "patents_granted": "invention patents times a fixed ratio: 11-31 % short in 2016, 2018, 2020 and 2021 (89,512, "
                       "107,977, 130,752 and 137,022 against 100,578, 123,496, 162,824 and 198,778; tolerance 10 %); "
                       "2017 and 2019 within",
    "sci_papers": "short in 2019-2021 (54,389, 56,176 and 60,753 against 66,310, 71,157 and 76,505; tolerance "
                  "15 %); 2016-2018 within. With posts binding (the regime of calibration/targets.yaml) fewer "
                  "stand vacant, and organisations' money per researcher rises 2 % over 2016-2021 at the "
                  "posterior median (7 % in the fit before, which placed every graduate from 2018 and passed "
                  "narrowly; scale 10, 4 replicates each)",
    "high_tech_enterprises": "40-45 % high in 2016-2017 (23,274 and 22,423 against 16,000; tolerance 15 %); "
                             "within in 2018, 2019 and 2021 (it missed 2019 in the fit before)",
    "permanent_residence_applications": "652.5 grants in 2016 against 598 applications accepted, an upper bound "
                                        "(accepted 478-598); 2017 within (648 against 662)",
    "cluster_rank": "one place too good in 2018: fourth against fifth; 2020 within",
}
#: Whether the committed bands cover 80 % of the fitted points. With the model discrepancy, each
#: point scored on a discrepancy estimated without it, they cover 94 % (62 of 66, with the regime
#: that research posts bind; 89 %, 59 of 66, with the patent queues' history; 95 %, 63 of 66, with the sampler's hold; 91 %, 60 of 66, with foreign
#: scientists retiring; 95 %, 63 of 66, with organisations' capacity; 94 %, 62 of 66, with the
#: residence applications; 95 %, 61 of 64, before the April 2018 residence step; 91 %, 58 of 64,
#: before the 2016 foreign stock was drawn from the rules' steady state; 94 %, 60 of 64, in the fit
#: whose patents grew by the knowledge selection's drift; 89 %, 57 of 64, with 27 free
#: parameters). Under the estimator the 27-parameter fit was first
#: published with (pool the points' excesses, then truncate) they covered 77 % (49 of 64), below
#: the 80 % asked: the patents' wide replicates made the pooled excess negative and took the levels
#: of other series to zero. The estimator was then changed by a test registered before its figures
#: were computed and decided on the held-out years of the two backtests, not on this coverage
#: (docs/calibration.md, section 4.2; ``tests/test_discrepancy.py``). This in-sample figure is a
#: consistency check, not evidence. The model's own bands (parameters and dice) cover 61 % (40 of
#: 66: the sampled population is published, its adjustment rejected; 52 % in the fit before, whose
#: regression-adjusted posterior was narrower, 61 % and 65 % in the two before it, 76 % in the one
#: before them); that figure is asserted below so it cannot be dropped.
COVERAGE_MET = True
#: The model's own bands' coverage, stated in the report beside the discrepancy's.
COVERAGE_MODEL_ONLY = 0.606


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
    # never negative; zero only if every series' excess of squared misses over the replicates' own
    # variance is negative (each truncated at zero before pooling), and then the band is the model's own
    assert rows["discrepancy_sd"].ge(0).all()
    zero = rows["discrepancy_sd"].eq(0)
    assert (rows.loc[zero, "predictive_p05"] == rows.loc[zero, "simulated_p05"]).all()
    inside = (rows["predictive_p05"] <= rows["documented"]) & (rows["documented"] <= rows["predictive_p95"])
    assert (inside == rows["covered"].astype(bool)).all()
    # the band with discrepancy is never narrower than the model's own (ranks aside: their draws are
    # whole places). It need not contain it end for end: the mixture smooths the forty draws, and
    # where their tail is sparse its quantile can sit a little inside theirs (SCI papers in 2016-2017,
    # 0.3-0.4 % at the top, where three draws lie 9 % above the rest)
    rows = rows[~rows["indicator"].str.contains("rank")]
    own = rows["simulated_p95"] - rows["simulated_p05"]
    assert (rows["predictive_p95"] - rows["predictive_p05"] >= own - 1e-9).all()
    assert (rows["predictive_p05"] <= rows["simulated_p05"] + 1e-9).mean() > 0.9
    assert (rows["predictive_p95"] >= rows["simulated_p95"] - 1e-9).mean() > 0.9


def test_every_miss_is_in_the_report():
    report = data_file("calibration/report.md").read_text()
    for series in SUMMARY.index[~SUMMARY["passes"].astype(bool)]:
        assert f"series `{series}`: within tolerance" in report, series


# --- the committed backtest (innovsim backtest --train-until 2018) ------------------------------
BACKTEST = data_file("calibration/backtest_2018")
#: Whether the committed backtest's bands cover 80 % of the held-out points (they do: 27 of 31 with
#: the regime that research posts bind; 25 of 31 with the patent queues' history and with foreign
#: scientists retiring; 26 with organisations' capacity and before it; 27 before the April 2018 residence step; 24 before the 2016 foreign stock was drawn from the rules'
#: steady state).
BACKTEST_COVERAGE_MET = True


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
    # the forecast bands are widened by the discrepancy of the training years only. They cover 27 of
    # 31 points, above the 80 % asked (25 with the patent queues' history; 27 with the sampler's hold; 25 with foreign scientists'
    # retirement; 26 with organisations' capacity and before it; 27 before the April
    # 2018 residence step; 24, below it, before
    # the 2016 foreign stock was drawn from the rules' steady state; 28 with the knowledge
    # selection's drift in the model); the replicates' own bands would cover 18 (17 with the queues'
    # history, 17 with the hold,
    # 16 with retirement, 14 before it, 16 before the capacity). Recorded as it came out: a rerun that crosses the line
    # either way fails here until this is updated.
    assert (brief["coverage"] >= COVERAGE_REQUIRED) == BACKTEST_COVERAGE_MET, brief["coverage"]
    assert brief["coverage_model_only"] < brief["coverage"]
    assert f"would cover {round(brief['coverage_model_only'] * brief['points'])}" in report
    if brief["mape_model"] >= brief["mape_line"]:
        assert "does not beat the straight line" in report and "points above" in report
    else:
        assert "is below the straight line's" in report


def test_the_registered_backtest_to_2019_is_reported_as_it_came_out():
    """The second backtest was registered (docs/calibration.md, section 6) before it was run. Its
    first, blind result (17 of 20 covered, MAPE 10.5 %) stays in the docs as it came out; the
    committed folder is its rerun on the model as it now is (the faster patent office, research
    money per head, certification in a yearly round, the eight parameters freed after the screen, the
    knowledge selection switched off, the 2016 foreign stock drawn from the rules' steady state, the
    April 2018 residence step, organisations' capacity, foreign scientists' retirement, the
    sampler's hold, the patent queues' history, the regime that research posts bind: not blind, and said so; and the discrepancy's estimator of docs/calibration.md section 4.2,
    under which basic research in 2020 is covered where the other estimator leaves it out), held
    here so that it cannot be rerun quietly until it looks better."""
    where = data_file("calibration/backtest_2019")
    brief = json.loads((where / "backtest.json").read_text())
    report = (where / "report.md").read_text()
    assert brief["train_until"] == 2019 and brief["points"] == 20
    assert set(pd.read_csv(where / "backtest.csv")["year"]) == {2020, 2021}
    assert round(brief["coverage"] * brief["points"]) == 16 and round(brief["coverage_model_only"] * 20) == 9
    assert brief["mape_model"] == pytest.approx(0.0980, abs=5e-4) and brief["mape_line"] == pytest.approx(0.0702, abs=5e-4)
    assert brief["interval_score"] == pytest.approx(0.4744, abs=1e-4)
    assert "at or above the 80 % target" in report and "does not beat the straight line" in report
    docs = data_file("docs/calibration.md").read_text()
    assert "**coverage 85 %** (17 of 20)" in docs and "**MAPE 10.5 %**" in docs      # the blind run, kept
    assert "**This rerun is not blind:**" in docs and "**coverage 80 %** (16 of 20)" in docs   # the committed rerun


def test_the_committed_report_shows_the_committed_backtests_and_responses():
    """``calibration/report.md`` shows the backtests and the response table beside the fit, as they
    are committed: rerunning one of them without ``innovsim calibrate --report-only`` fails here."""
    from sim.report.calibration import companion_sections

    shown = companion_sections(data_file("calibration"))
    assert "### Trained to 2018" in shown and "### Trained to 2019" in shown and "## Lever responses" in shown
    assert shown.rstrip() in data_file("calibration/report.md").read_text()


def test_the_regime_is_fitted_reported_apart_and_its_misses_listed():
    """The regime that research posts bind (calibration/targets.yaml, ``regimes:``) is among the
    calibration's targets, outside the 75 fitted points, and each year outside its bound is a miss
    in the report."""
    regimes = FIT[FIT["kind"] == "regime"]
    assert set(regimes["year"]) == set(range(2017, 2022))
    summary = json.loads(data_file("calibration/summary.json").read_text())
    assert summary["regimes"]["targets"] == len(regimes)
    assert summary["regimes"]["within_at_posterior_median"] == int(regimes["within_at_posterior_median"].sum())
    assert summary["fit"]["targets"] == int((~FIT["holdout"].astype(bool) & (FIT["kind"] != "regime")).sum())
    report = data_file("calibration/report.md").read_text()
    assert "## Regimes" in report
    for r in regimes.itertuples():
        assert (f"regime `{r.target_id}`: at the posterior median" in report) == (not r.within_at_posterior_median)
