"""The backtest report: ``backtest.csv``, ``backtest_summary.csv``, a figure per series in
``img/`` and ``report.md`` (written by ``innovsim backtest``; the scoring is :mod:`sim.backtest.score`).

Each figure shows one real series and its forecast: the real values as black points (filled in
the training years, hollow in the forecast years), the posterior predictive median and the
replicates' own 90 % band over every simulated year (blue), the forecast band with the model
discrepancy (light blue, :mod:`sim.calibration.discrepancy`), the two naive forecasts fitted to the training years as dashed
lines over the forecast years (straight line orange, log-linear trend green), and a vertical line
between the last training year and the first forecast year. Ranks are drawn with first place at
the top.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from sim.backtest.score import (Observed, discrepancy_bands, forecast_bands, log_linear, pooled, score_points,
                                series_discrepancy, straight_line, summarise, verdict)
from sim.calibration.discrepancy import POOLED, SeriesDiscrepancy
from sim.report.markdown import num as _num, save_png as _save, table as _table, yes as _yes
from sim.report.plots import OKABE_ITO

BLUE, ORANGE, GREEN = OKABE_ITO[0], OKABE_ITO[1], OKABE_ITO[2]


def figure_name(series: str) -> str:
    """``backtest_<series>.png``, with anything but letters, digits, ``-`` and ``_`` replaced."""
    return f"backtest_{re.sub(r'[^A-Za-z0-9_-]+', '_', series)}.png"


def _naive_lines(obs: Observed, train_until: int) -> dict[str, dict[int, float]]:
    """The naive forecasts from the last training year to the last forecast year (none if they cannot be fitted)."""
    train = sorted(y for y in obs.values if y <= train_until)
    test = sorted(y for y in obs.values if y > train_until)
    if len(train) < 2 or not test:
        return {}
    years = [train[-1], *test]
    lines = {"straight line": straight_line(obs.values, train, years)}
    try:
        lines["log-linear trend"] = log_linear(obs.values, train, years)
    except ValueError:
        pass
    return lines


def series_figure(draws: pd.DataFrame, obs: Observed, train_until: int, unit: str = "",
                  delta: SeriesDiscrepancy | None = None) -> Figure:
    fig = Figure(figsize=(6.0, 3.6), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    if obs.indicator in draws.columns:
        if delta is not None:
            wide = discrepancy_bands(draws, obs, delta)
            ax.fill_between(wide["year"], wide["p05"], wide["p95"], color=BLUE, alpha=0.1, linewidth=0,
                            label="90 % band with discrepancy")
        bands = forecast_bands(draws, obs.indicator, obs.is_rank)
        ax.fill_between(bands["year"], bands["p05"], bands["p95"], color=BLUE, alpha=0.25, linewidth=0,
                        label="model's own 90 % band")
        ax.plot(bands["year"], bands["median"], color=BLUE, linewidth=1.8, label="model median")
    for (label, values), colour in zip(_naive_lines(obs, train_until).items(), (ORANGE, GREEN)):
        ax.plot(list(values), list(values.values()), "--", color=colour, linewidth=1.4, label=label)
    years = sorted(y for y in obs.values if y not in obs.measured_on)
    train = [y for y in years if y <= train_until]
    test = [y for y in years if y > train_until]
    ax.plot(train, [obs.values[y] for y in train], "o", color="black", markersize=5.5, zorder=5,
            label="real (training)")
    ax.plot(test, [obs.values[y] for y in test], "o", markerfacecolor="white", markeredgecolor="black",
            markersize=5.5, zorder=5, label="real (forecast years)")
    for name in dict.fromkeys(obs.measured_on.values()):
        # years counted on another measure (a count dated before the year's round) are compared
        # with that indicator, not with the band drawn here
        other = sorted(y for y, n in obs.measured_on.items() if n == name)
        ax.plot(other, [obs.values[y] for y in other], "s", markerfacecolor="white", markeredgecolor="0.35",
                markersize=5.0, zorder=5, label=f"real, compared with {name}")
    ax.axvline(train_until + 0.5, color="0.4", linestyle=":", linewidth=1.0)
    if obs.is_rank:
        low, high = ax.get_ylim()
        ax.set_ylim(max(low, high) + 0.5, min(low, high) - 0.5)        # first place at the top
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(f"{obs.series.replace('_', ' ')}" + (f" ({unit})" if unit else ""), fontsize=9, loc="left")
    ax.tick_params(labelsize=7.5)
    ax.grid(alpha=0.25)
    ax.legend(fontsize=7, frameon=False)
    fig.tight_layout()
    return fig






def _pct(x: float) -> str:
    return f"{100 * x:.1f} %" if math.isfinite(x) else "n/a"


def _band_text(discrepancy: Mapping[str, SeriesDiscrepancy] | None) -> str:
    if discrepancy is None:
        return "The bands are the replicates' own (parameters and dice): no model discrepancy was given."
    pool = discrepancy.get(POOLED)
    sizes = (f" Pooled over the training years it is {100 * pool.level_sd:.1f} % (one standard deviation) in "
             f"level and grows by {100 * pool.drift_sd:.1f} % per square-root year after the last training year."
             if pool is not None else "")
    return ("The forecast band is the replicates' values (each with its own posterior draw) widened by the model "
            "discrepancy: the model's structural error on each series, estimated by the training calibration from "
            "the residuals of the training years only and growing as a random walk after them "
            "(`discrepancy.csv` in `calibration/`; docs/calibration.md, \"Model discrepancy\")." + sizes +
            " The replicates' own band is shown beside it, so what the discrepancy adds can be seen.")


def summary_table(summary: pd.DataFrame) -> str:
    rows = [[f"`{r.series}`" if r.series != "all" else "**all**", r.points, _pct(r.coverage),
             _pct(r.coverage_model_only), f"{r.interval_score:.3f}" if math.isfinite(r.interval_score) else "n/a",
             _pct(r.mape_model), _pct(r.mape_line), _pct(r.mape_loglinear),
             _yes(r.beats_line) if math.isfinite(r.mape_model) and math.isfinite(r.mape_line) else "n/a"]
            for r in summary.itertuples()]
    return _table(["series", "points", "band covers", "own band covers", "interval score", "MAPE model", "MAPE straight line",
                   "MAPE log-linear", "model beats line"], rows)


def points_table(points: pd.DataFrame) -> str:
    rows = [[f"`{r.series}`", r.year, _num(r.observed), _num(r.median), f"{_num(r.p05)} to {_num(r.p95)}",
             _yes(r.covered), f"{_num(r.model_p05)} to {_num(r.model_p95)}", _yes(r.covered_by_model),
             _pct(r.ape_model), _num(r.line), _pct(r.ape_line), _num(r.loglinear),
             _pct(r.ape_loglinear), _yes(r.within_tolerance), r.note or ""] for r in points.itertuples()]
    return _table(["series", "year", "real", "model median", "90 % band", "covers", "own band", "own covers",
                   "APE model", "straight line",
                   "APE line", "log-linear", "APE log-linear", "within tolerance", "note"], rows)


def _count(x: object) -> str:
    return f"{x:,.0f}" if isinstance(x, (int, float, np.integer, np.floating)) else str(x)


def _trained(meta: Mapping, train_until: int, forecast: Sequence[int]) -> str:
    span = f"{forecast[0]}-{forecast[-1]}" if len(forecast) > 1 else (str(forecast[0]) if forecast else "none")
    cost = [f"{_count(meta['budget'])} simulations budgeted" if meta.get("budget") is not None else "",
            f"{_count(meta['runs'])} fitting runs" if meta.get("runs") is not None else "",
            f"{_count(meta['seconds'])} s wall time" if meta.get("seconds") is not None else ""]
    cost_text = "; ".join(c for c in cost if c)
    return (f"The model was calibrated on the real series and documented figures of {train_until} and before only"
            f"{' (' + cost_text + ')' if cost_text else ''}, then run on to forecast the later years ({span}) "
            "with posterior predictive replicates, each with its own posterior draw. The forecast is scored against "
            "the real values of those years, beside two naive forecasts fitted to each series' training years: a "
            "straight line (constant yearly increase) and a log-linear trend (constant growth rate).\n\n"
            "How blind it is: the model is given the scenario's inputs of the forecast years as they happened "
            "(GDP and prices as recorded; research grants that follow the basic-research spending the bulletins "
            "report), which the naive forecasts are not, so it forecasts the mechanisms given the outside world, "
            "not the outside world; and the R&D personnel and researcher series of the training years are spliced "
            "onto the coverage that starts in 2019 using the 2019 figures (calibration/targets.yaml), so a training "
            "year before 2019 carries some of 2019. docs/calibration.md, section 6, says more.")


def write_backtest(folder: Path, draws: pd.DataFrame, observed: Sequence[Observed], train_until: int,
                   meta: Mapping, discrepancy: Mapping[str, SeriesDiscrepancy] | None = None) -> dict:
    """Write ``backtest.csv``, ``backtest_summary.csv``, ``img/backtest_<series>.png`` and ``report.md``
    into ``folder``; return the pooled coverage and MAPEs (fractions) and the verdict sentences.
    ``discrepancy`` is the training calibration's model discrepancy (it widens the forecast bands)."""
    folder = Path(folder)
    (folder / "img").mkdir(parents=True, exist_ok=True)
    points = score_points(draws, observed, train_until, discrepancy)
    summary = summarise(points)
    sentences = verdict(summary)
    points.to_csv(folder / "backtest.csv", index=False)
    summary.to_csv(folder / "backtest_summary.csv", index=False)
    units = meta.get("units", {}) or {}
    figures = []
    for obs in observed:
        name = figure_name(obs.series)
        delta = series_discrepancy(discrepancy, obs, train_until)
        _save(series_figure(draws, obs, train_until, units.get(obs.series, ""), delta), folder / "img" / name)
        figures.append(f"![{obs.series}](img/{name})")
    forecast = sorted(int(y) for y in points["year"].unique())
    text = "\n".join([
        f"# Backtest: trained to {train_until}, forecast to {forecast[-1] if forecast else train_until}", "",
        "Written by `innovsim backtest`; nothing is edited by hand.", "",
        _trained(meta, train_until, forecast), "",
        "## Verdict", "", *[f"- {s}" for s in sentences], "",
        "## The forecast band", "", _band_text(discrepancy), "",
        "## Per series", "",
        "Interval score: the 90 % band's mean interval score on the log scale (Gneiting & Raftery 2007; the "
        "band's log width plus 20 times the log distance by which the real value falls outside it; lower is "
        "better). "
        "MAPE: mean absolute percentage error of each forecast over the forecast years, where it exists. "
        "Ranks (1 best) are small whole numbers, so their percentage errors are crude.", "",
        summary_table(summary), "",
        "## Every forecast point", "",
        "Within tolerance: relative for counts and amounts, in share points for shares, the exact place for "
        "ranks (the targets file's tolerances).", "",
        points_table(points), "",
        "## Figures", "",
        "Black points: real values (filled: training years; hollow: forecast years). Blue: the model's median "
        "and its own 90 % band; light blue: the 90 % band with the model discrepancy. Dashed: the naive forecasts. Dotted vertical line: end of training.", "",
        *[f"{f}\n" for f in figures],
    ])
    (folder / "report.md").write_text(text.rstrip() + "\n", encoding="utf-8")
    row = pooled(summary)
    return {"points": int(row["points"]), "coverage": float(row["coverage"]),
            "coverage_model_only": float(row["coverage_model_only"]),
            "interval_score": float(row["interval_score"]),
            "mape_model": float(row["mape_model"]), "mape_line": float(row["mape_line"]),
            "mape_loglinear": float(row["mape_loglinear"]), "beats_line": bool(row["beats_line"]),
            "verdict": sentences}
