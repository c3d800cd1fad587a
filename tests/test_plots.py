"""Figures (sim.report.plots): milestone thresholds where the run reaches them, inside the panel."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from sim.milestones import MILESTONES
from sim.report.plots import HEADROOM, fan, mark_context


def _summary(indicator: str, years: range, level: float) -> pd.DataFrame:
    n = len(years)
    median = level * np.linspace(1.0, 1.4, n)
    return pd.DataFrame({"indicator": indicator, "year": list(years), "median": median, "p05": 0.9 * median,
                         "p25": 0.95 * median, "p75": 1.05 * median, "p95": 1.1 * median})


def _panel(indicator: str, years: range, level: float):
    fig = Figure()
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    fan(ax, _summary(indicator, years, level), indicator, "C0", "run")
    mark_context(ax, indicator, [])
    return ax


def _thresholds(indicator: str, last: int) -> list[float]:
    return [c.threshold for m in MILESTONES for c in m.criteria
            if c.indicator == indicator and c.per is None and m.year <= last]


def test_a_history_panel_is_not_stretched_by_later_milestones():
    assert _thresholds("sci_papers", 2035)                    # the plans do set thresholds on papers
    ax = _panel("sci_papers", range(2016, 2022), 50_000.0)
    assert ax.get_ylim()[1] < min(_thresholds("sci_papers", 2035))
    assert not ax.texts                                          # no threshold labels
    assert ax.get_xlim()[1] < 2023


def test_a_projection_panel_shows_every_threshold_with_room_for_its_label():
    ax = _panel("sci_papers", range(2016, 2036), 50_000.0)
    thresholds = _thresholds("sci_papers", 2035)
    assert len(ax.texts) == len(thresholds)
    low, high = ax.get_ylim()
    assert max(thresholds) + 0.9 * HEADROOM * (high - low) <= high


def test_a_series_year_counted_on_another_measure_is_drawn_on_the_series_panel_marked_apart():
    """Certified firms in November 2017 are compared with the stock before the round; the year-end
    panel still shows the point, open, labelled with the measure it is judged on."""
    from sim.targets import load_targets

    fig = Figure()
    ax = fig.add_subplot()
    ax.plot([2016, 2021], [15000, 30000])
    mark_context(ax, "high_tech_enterprises", load_targets())
    labels = [line.get_label() for line in ax.get_lines()]
    assert "real, compared with high_tech_enterprises_before_round" in labels
    (point,) = [line for line in ax.get_lines() if line.get_label().startswith("real, compared")]
    assert list(point.get_xdata()) == [2017] and list(point.get_ydata()) == [16000]
