"""How the fit to the real series is judged (sim.calibration.history)."""

import pandas as pd

from sim.calibration.history import pooled_coverage, series_summary


def rows(series, within, covered, holdout=False, weight=1.0):
    return [{"target_id": f"{series}@{2016 + i}", "series": series, "indicator": series, "year": 2016 + i,
             "within_at_posterior_median": w, "covered": c, "holdout": holdout, "weight": weight}
            for i, (w, c) in enumerate(zip(within, covered))]


def test_a_series_passes_with_five_years_within_and_fails_with_four():
    fit = pd.DataFrame(rows("a", [1, 1, 1, 1, 1, 0], [1] * 6) + rows("b", [1, 1, 1, 1, 0, 0], [1] * 6)
                       + [{"target_id": "doc", "series": "", "indicator": "x", "year": 2020,
                           "within_at_posterior_median": 0, "covered": 0, "holdout": False, "weight": 1.0}])
    summary = series_summary(fit).set_index("series")
    assert bool(summary.loc["a", "passes"]) and not bool(summary.loc["b", "passes"])
    assert summary.loc["b", "missed_years"] == "2020 2021"
    assert "doc" not in summary.index and "" not in summary.index


def test_a_short_series_must_be_within_in_every_year():
    fit = pd.DataFrame(rows("c", [1, 1, 0], [1, 1, 1]))
    summary = series_summary(fit).iloc[0]
    assert summary["required"] == 3 and not summary["passes"]


def test_coverage_pools_fitted_points_only():
    fit = pd.DataFrame(rows("a", [1] * 4, [1, 1, 1, 0]) + rows("h", [1] * 4, [0] * 4, holdout=True)
                       + rows("w", [1] * 2, [0] * 2, weight=0.0))
    assert pooled_coverage(fit) == 0.75
