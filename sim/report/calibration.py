"""The calibration report: ``report.md`` with its figures in ``img/``.

Figures:

* ``fit.png``: every comparable figure, one panel each: the accepted range (green), the
  documented value (black), the prior predictive 90 % range (grey, at the fitting scale), the
  posterior predictive median and 90 % band (blue, the baseline as ``innovsim run`` runs it) and
  the value at the posterior median (orange diamond). Held-out figures are marked.
* ``series.png``: the fitted indicators over 2016-2020 with posterior bands and the documented
  figures.
* ``marginals.png``: each free parameter's posterior (weighted histogram) over its prior range,
  with the catalogue's hand-set value.
* ``correlations.png``: the posterior's weighted correlation matrix.
* ``generations.png``: the distance threshold, the share of particles moved and the share distinct, generation by generation.

Beside the fit, the report can show what was measured after it (:func:`companion_sections`): each
backtest in the calibration's folder (``backtest_<year>/``, written by ``innovsim backtest --out``),
its verdict and per-series table, and the lever responses under the posterior (``responses.csv``,
written by ``innovsim responses``). They come after the calibration, so a new fit's report shows
none of them (any found beside it predate it); ``innovsim calibrate --report-only`` writes the
report again from the calibration's outputs, with the companions that are there now.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim.calibration.history import COVERAGE_REQUIRED, YEARS_REQUIRED, pooled_coverage, series_rows, series_summary
from sim.calibration.posterior import Posterior
from sim.calibration.priors import CATALOGUE, Priors
from sim.report.markdown import num as _num, save_png as _save, table as _table, yes as _yes
from sim.report.plots import OKABE_ITO, axis_label, fan, mark_context
from sim.results import summarise
from sim.targets import Target

BLUE, ORANGE, GREEN, GREY = OKABE_ITO[0], OKABE_ITO[1], OKABE_ITO[2], "0.55"




def _grid(n: int, cols: int, w: float, h: float) -> tuple[Figure, list]:
    rows = -(-n // cols)
    fig = Figure(figsize=(w * cols, h * rows), dpi=100)
    axes = list(fig.subplots(rows, cols, squeeze=False).flat)
    for ax in axes[n:]:
        ax.set_visible(False)
    return fig, axes[:n]


def _regimes(summary: dict) -> str:
    r = summary.get("regimes") or {"targets": 0}
    if not r["targets"]:
        return "none in the targets file"
    return f"{r['within_at_posterior_median']} of {r['targets']} regime years within their bounds at the posterior median"


def fit_figure(fit: pd.DataFrame) -> Figure:
    fig, axes = _grid(len(fit), 2, 5.2, 1.25)
    for ax, (_, r) in zip(axes, fit.iterrows()):
        ax.axvspan(r["low"], r["high"] if r["high"] > r["low"] else r["low"] + 1e-9, color=GREEN, alpha=0.18,
                   label="accepted range")
        if np.isfinite(r["prior_p05"]):
            ax.plot([r["prior_p05"], r["prior_p95"]], [2, 2], color=GREY, linewidth=5, solid_capstyle="butt",
                    label="prior predictive 90 %")
            ax.plot([r["prior_median"]], [2], "|", color="black", markersize=8)
        ax.plot([r["simulated_p05"], r["simulated_p95"]], [1, 1], color=BLUE, linewidth=5, solid_capstyle="butt",
                label="posterior predictive 90 %")
        ax.plot([r["simulated_median"]], [1], "o", color="white", markeredgecolor=BLUE, markersize=6)
        ax.plot([r["at_posterior_median"]], [0], "D", color=ORANGE, markersize=6, label="at posterior median")
        ax.axvline(r["documented"], color="black", linewidth=1.4, label="documented")
        ax.set_ylim(-0.7, 2.7)
        ax.set_yticks([])
        miss = "" if (r["within"] and r["covered"] and r["within_at_posterior_median"]) else "  (miss)"
        held = "  [held out]" if r["holdout"] else ""
        ax.set_title(f"{r['target_id'].replace('_', ' ')} {int(r['year'])}{held}{miss}", fontsize=8.5, loc="left")
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.25, axis="x")
        if r["indicator"] == "cluster_rank":
            ax.set_xlim(6.5, 0.5)                        # first place on the right, whole places
            ax.set_xticks(range(1, 7))
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=5, fontsize=7.5, frameon=False)
    fig.subplots_adjust(left=0.03, right=0.98, top=0.95, bottom=0.08 + 0.25 / len(axes), hspace=1.0, wspace=0.1)
    return fig


def series_figure(table: pd.DataFrame, targets: Sequence[Target]) -> Figure:
    names = list(dict.fromkeys(t.indicator for t in targets if t.comparable))
    summary = summarise(table)
    fig, axes = _grid(len(names), 3, 3.6, 2.6)
    for ax, name in zip(axes, names):
        fan(ax, summary, name, BLUE, "posterior predictive")
        mark_context(ax, name, targets)
        ax.set_xlim(2015.6, table["year"].max() + 0.4)
        ax.set_title(axis_label(name), fontsize=8, loc="left")
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.25)
    fig.subplots_adjust(left=0.07, right=0.98, top=0.94, bottom=0.06, hspace=0.5, wspace=0.3)
    return fig


def marginals_figure(posterior: Posterior, priors: Priors) -> Figure:
    fig, axes = _grid(len(priors), 4, 3.1, 2.1)
    median = posterior.median()
    for ax, prior in zip(axes, priors.free):
        x = posterior.samples[prior.name].to_numpy()
        if prior.shape == "loguniform":
            bins = np.geomspace(prior.low, prior.high, 21)
            ax.set_xscale("log")
        else:
            bins = np.linspace(prior.low, prior.high, 21)
        ax.hist(x, bins=bins, weights=posterior.weights, density=True, color=BLUE, alpha=0.75, label="posterior")
        mass = np.diff(prior.to_unit(bins))          # the prior's probability in each bin
        ax.stairs(mass / np.diff(bins), bins, color=GREY, linestyle="--", label="prior")
        ax.axvline(median[prior.name], color="black", linewidth=1.2, label="posterior median")
        ax.axvline(CATALOGUE[prior.name].default, color=ORANGE, linewidth=1.2, linestyle=":", label="catalogue value")
        ax.set_title(prior.name, fontsize=7.5, loc="left")
        ax.set_yticks([])
        ax.tick_params(labelsize=6.5)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=4, fontsize=7.5, frameon=False)
    fig.subplots_adjust(left=0.02, right=0.99, top=0.95, bottom=0.1, hspace=0.6, wspace=0.08)
    return fig


def correlations_figure(posterior: Posterior) -> Figure:
    corr = posterior.correlation()
    n = len(corr)
    fig = Figure(figsize=(0.42 * n + 3.2, 0.42 * n + 2.0), dpi=100)
    ax = fig.subplots()
    im = ax.imshow(corr.to_numpy(), cmap="RdBu_r", vmin=-1, vmax=1)
    ax.set_xticks(range(n), corr.columns, rotation=60, ha="right", fontsize=7)
    ax.set_yticks(range(n), corr.index, fontsize=7)
    for i in range(n):
        for j in range(n):
            v = corr.iat[i, j]
            if i != j and np.isfinite(v) and abs(v) >= 0.2:
                ax.text(j, i, f"{v:.1f}", ha="center", va="center", fontsize=6,
                        color="white" if abs(v) > 0.6 else "black")
    fig.colorbar(im, ax=ax, shrink=0.7, label="weighted correlation")
    fig.subplots_adjust(left=0.3, bottom=0.3, right=0.97, top=0.97)
    return fig


def generations_figure(history: pd.DataFrame) -> Figure:
    fig = Figure(figsize=(7.5, 2.6), dpi=100)
    a, b = fig.subplots(1, 2)
    eps = history["epsilon"].replace(np.inf, np.nan)
    a.plot(history["generation"], eps, "o-", color=BLUE, label="threshold (epsilon)")
    a.plot(history["generation"], history["median_distance"], "s--", color=ORANGE, label="median distance of the particles")
    a.set_xlabel("generation", fontsize=8)
    a.set_ylabel("distance (tolerances, RMS)", fontsize=8)
    a.legend(fontsize=7, frameon=False)
    b.plot(history["generation"], history["acceptance"], "o-", color=GREEN, label="moved (new this generation)")
    b.set_xlabel("generation", fontsize=8)
    b.plot(history["generation"], history["unique"] / history["unique"].iloc[0], "s--", color=ORANGE,
           label="distinct particles (share)")
    b.set_ylabel("share of particles", fontsize=8)
    b.legend(fontsize=7, frameon=False)
    for ax in (a, b):
        ax.grid(alpha=0.25)
        ax.tick_params(labelsize=7)
    fig.subplots_adjust(left=0.09, right=0.98, bottom=0.18, top=0.95, wspace=0.3)
    return fig








#: Posterior 90 % interval as a share of the prior's at or above which a parameter counts as
#: unidentified by the data, and the share from which it counts as weakly identified.
UNIDENTIFIED, WEAK = 0.8, 0.5


def identification(priors: Priors, posterior: Posterior) -> dict[str, float]:
    """Each free parameter's posterior 90 % interval as a share of the prior's (in the prior's own
    scale: 1 means the data said nothing about it)."""
    q05, q95 = posterior.quantiles(0.05), posterior.quantiles(0.95)
    return {p.name: float((p.to_unit(q95[p.name]) - p.to_unit(q05[p.name])) / 0.9) for p in priors.free}


def _distinct(summary: dict) -> str:
    """``; N distinct of M particles`` where the summary has it (older summaries do not)."""
    n = summary.get("distinct_particles")
    return "" if n is None else f" ({n} distinct of {summary['particles']} particles)"


def _adjustment(summary: dict) -> str:
    a = summary.get("adjustment") or {}
    if not a.get("tried"):
        return "the final population is published as sampled (no regression adjustment)"
    d_adj, d_raw = a.get("check_distance_adjusted", float("nan")), a.get("check_distance_sampled", float("nan"))
    if a.get("kept"):
        return (f"the final population is regression-adjusted (Beaumont et al. 2002): its check lies nearer the fitted "
                f"targets ({d_adj:.3g} tolerances, RMS of the predictive medians) than the sampled population's ({d_raw:.3g})")
    return (f"the regression adjustment (Beaumont et al. 2002) was tried and rejected: its check lay farther from the "
            f"fitted targets ({d_adj:.3g} tolerances, RMS of the predictive medians) than the sampled population's "
            f"({d_raw:.3g}), which is published")


#: Columns of a backtest's ``backtest_summary.csv`` that its table shows (``interval_score`` may be
#: missing in a backtest written before the score existed).
BACKTEST_SUMMARY_COLUMNS = ("series", "points", "coverage", "coverage_model_only", "mape_model", "mape_line",
                            "mape_loglinear", "beats_line")
#: Columns of ``responses.csv`` that the response table shows.
RESPONSE_COLUMNS = ("lever", "change", "outcome", "year", "replicates", "effect_median_pct", "effect_p05_pct",
                    "effect_p95_pct", "range_low_pct", "range_high_pct", "inside", "consistent")


def _error(path: Path, field: str | None, what: str) -> Exception:
    """The one-line error for a companion file (:class:`sim.errors.InputError`)."""
    from sim.errors import InputError

    return InputError(what, file=path, field=field)


def read_table(path: Path, columns: Sequence[str], allowed: str, **read) -> pd.DataFrame:
    """``path`` as a table with at least ``columns`` and one row, or the one-line error naming it;
    ``read`` goes to :func:`pandas.read_csv`."""
    try:
        frame = pd.read_csv(path, **read)
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise _error(path, None, f"cannot be read as a table ({exc.__class__.__name__}); allowed: {allowed}") from None
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise _error(path, missing[0], f"column missing; allowed: {allowed}, with columns {', '.join(columns)}")
    if frame.empty:
        raise _error(path, None, f"holds no rows; allowed: {allowed}")
    return frame


def _flags(frame: pd.DataFrame, column: str, path: Path) -> pd.Series:
    """A column of true/false values (``True``/``False`` as pandas writes them, or 1/0), strictly."""
    words = frame[column].astype(str).str.strip().str.lower()
    known = words.isin(["true", "false", "1", "0", "1.0", "0.0"])
    if not known.all():
        raise _error(path, column, f"must be true or false in every row, got {frame[column][~known].iloc[0]!r}")
    return words.isin(["true", "1", "1.0"])


def backtest_section(where: Path) -> list[str]:
    """Markdown lines for the backtest in ``where`` (``backtest.json`` and ``backtest_summary.csv``):
    its verdict and per-series table, as its own report gives them."""
    from sim.report.backtest import summary_table

    brief_path, table_path = where / "backtest.json", where / "backtest_summary.csv"
    allowed = "what innovsim backtest writes"
    for path in (brief_path, table_path):
        if not path.is_file():
            raise _error(path, None, f"missing; a backtest folder holds backtest.json and backtest_summary.csv "
                                     f"({allowed})")
    try:
        brief = json.loads(brief_path.read_text())
    except (OSError, ValueError) as exc:
        raise _error(brief_path, None, f"cannot be read as JSON ({exc.__class__.__name__}); allowed: {allowed}") from None
    if not isinstance(brief, dict):
        raise _error(brief_path, None, f"must be a JSON object; allowed: {allowed}")
    year = where.name.removeprefix("backtest_")
    if str(brief.get("train_until")) != year:
        raise _error(brief_path, "train_until", f"must be the folder's year, {year}, got {brief.get('train_until')!r}")
    verdict = brief.get("verdict")
    if not (isinstance(verdict, list) and verdict and all(isinstance(v, str) for v in verdict)):
        raise _error(brief_path, "verdict", "must be a list of sentences, as innovsim backtest writes it")
    per_series = read_table(table_path, BACKTEST_SUMMARY_COLUMNS, allowed)
    if "interval_score" not in per_series:          # a backtest written before the score existed
        per_series["interval_score"] = math.nan
    try:
        table = summary_table(per_series)
    except (TypeError, ValueError) as exc:
        raise _error(table_path, None, f"holds a value that is not a number where one is needed "
                                       f"({exc.__class__.__name__}); allowed: {allowed}") from None
    return [f"### Trained to {year} (`{where.name}/report.md`)", "", *[f"- {sentence}" for sentence in verdict], "",
            table, ""]


def responses_section(path: Path) -> list[str]:
    """Markdown lines for the lever responses in ``path`` (``responses.csv`` of ``innovsim
    responses``): how many checked rows lie inside their evidence ranges, and every checked row."""
    allowed = "the responses.csv of innovsim responses"
    result = read_table(path, RESPONSE_COLUMNS, allowed)
    checked = result[result["inside"].notna()]
    if checked.empty:
        raise _error(path, "inside", f"no row is checked against an evidence range; allowed: {allowed}")
    familywise = "consistent_familywise" if "consistent_familywise" in checked else "consistent"
    inside, consistent = _flags(checked, "inside", path), _flags(checked, familywise, path)
    try:
        rows = [[f"`{r.lever}`", r.change, r.outcome, int(r.year),
                 f"{float(r.effect_median_pct):+.2f} % ({float(r.effect_p05_pct):+.1f} to {float(r.effect_p95_pct):+.1f})",
                 f"{float(r.range_low_pct):g} to {float(r.range_high_pct):g} %", _yes(ins), _yes(con)]
                for r, ins, con in zip(checked.itertuples(), inside, consistent)]
        pairs = checked["replicates"].astype(int)
    except (TypeError, ValueError) as exc:
        raise _error(path, None, f"holds a value that is not a number where one is needed "
                                 f"({exc.__class__.__name__}); allowed: {allowed}") from None
    paired = f"{pairs.min()}-{pairs.max()}" if pairs.min() != pairs.max() else f"{pairs.min()}"
    test = "family-wise" if familywise == "consistent_familywise" else "per row"
    return [f"{int(inside.sum())} of {len(checked)} checked responses have their median inside the evidence range, "
            f"and {int((~consistent).sum())} are inconsistent with it ({test}; `{path.name}`, {paired} paired "
            f"replicates per row; docs/responses.md gives the method and the ranges' sources). Effect: the paired "
            f"difference from the baseline, median and 90 % band.", "",
            _table(["lever", "change", "outcome", "year", "effect", "evidence range", "inside", f"consistent ({test})"],
                   rows), ""]


#: A backtest folder's name: ``backtest_`` and the year it was trained to.
BACKTEST_FOLDER = re.compile(r"backtest_\d{4}")


def companion_sections(folder: Path | None) -> str:
    """The backtests (folders ``backtest_<year>/``) and lever responses (``responses.csv``) found in
    ``folder``, as report sections; empty when there are none. A companion that is there but cannot
    be read, or is incomplete, is the one-line error naming its file and field."""
    if folder is None or not Path(folder).is_dir():
        return ""
    folder = Path(folder)
    lines: list[str] = []
    backtests = sorted(p for p in folder.iterdir() if BACKTEST_FOLDER.fullmatch(p.name))
    for where in backtests:
        if not where.is_dir():
            raise _error(where, None, "must be a backtest folder written by innovsim backtest")
    if backtests:
        lines += ["## Backtests", "",
                  "Each backtest fits the real series up to a year only, with the same method, and forecasts the later "
                  "years (`innovsim backtest`; docs/calibration.md, section 6). Its bands carry the model discrepancy "
                  "of its training years; its errors are set beside two naive forecasters; the interval score is the "
                  "band's log width plus 20 times the log distance by which a real value falls outside it (lower is "
                  "better; docs/calibration.md, section 4.2). This section and the next "
                  "show the files found beside the calibration when `innovsim calibrate --report-only` wrote this "
                  "report; rerun them after a new fit.", ""]
        for where in backtests:
            lines += backtest_section(where)
    responses = folder / "responses.csv"
    if responses.exists():
        if not responses.is_file():
            raise _error(responses, None, "must be the responses.csv file of innovsim responses")
        lines += ["## Lever responses under this posterior", ""] + responses_section(responses)
    return "\n".join(lines)


def _then_blank(text: str) -> str:
    return f"{text.rstrip()}\n\n" if text.strip() else ""


def write_report(folder: Path, summary: dict, fit: pd.DataFrame, history: pd.DataFrame, priors: Priors,
                 posterior: Posterior, checks: dict[str, pd.DataFrame], targets: Sequence[Target],
                 companions: str = "") -> Path:
    """Write ``report.md`` and its figures into ``folder``; ``companions`` (the sections of
    :func:`companion_sections`, already read) goes after the history."""
    img = folder / "img"
    img.mkdir(exist_ok=True)
    fitted, held = fit[~fit["holdout"]], fit[fit["holdout"]]
    _save(fit_figure(fit), img / "fit.png")
    _save(series_figure(checks["posterior"], targets), img / "series.png")
    _save(marginals_figure(posterior, priors), img / "marginals.png")
    _save(correlations_figure(posterior), img / "correlations.png")
    _save(generations_figure(history), img / "generations.png")

    s = summary["settings"]
    per_series = series_summary(fit)
    misses = [f"- series `{r.series}`: within tolerance at the posterior median in {r.within_at_median} of {r.points} "
              f"years (needs {r.required}; outside: {r.missed_years or 'none'}); the band with discrepancy covers "
              f"{r.covered} of {r.points}, the model's own {round(r.coverage_model_only * r.points)}."
              for r in per_series.itertuples() if not r.passes or r.covered < r.points]
    documented = fit[fit["kind"] == "documented"]
    regimes = fit[fit["kind"] == "regime"]
    for _, r in regimes.iterrows():
        if not r["within_at_posterior_median"]:
            misses.append(f"- regime `{r['target_id']}`: at the posterior median the model gives "
                          f"{_num(r['at_posterior_median'])}, outside the bound of reasoning {_num(r['low'])} to "
                          f"{_num(r['high'])}.")
    documented_fitted = documented[~documented["holdout"].astype(bool) & (documented["weight"] > 0)]
    for _, r in documented.iterrows():
        what = "held-out figure" if r["holdout"] else "figure"
        if not r["within"]:
            misses.append(f"- {what} `{r['target_id']}`: posterior predictive median {_num(r['simulated_median'])} "
                          f"outside the accepted {_num(r['low'])} to {_num(r['high'])}.")
        if not r["within_at_posterior_median"]:
            misses.append(f"- {what} `{r['target_id']}`: at the posterior median the model gives "
                          f"{_num(r['at_posterior_median'])}, outside {_num(r['low'])} to {_num(r['high'])}.")
        if not r["covered"]:
            also = (f" The document states \"{r['qualifier']} {_num(r['documented'])}\", and the band lies on that "
                    f"side of it: consistent with the statement, but not touching its bound."
                    if r["consistent"] else "")
            misses.append(f"- {what} `{r['target_id']}`: the 90 % band {_num(r['simulated_p05'])} to "
                          f"{_num(r['simulated_p95'])} does not contain the documented {_num(r['documented'])}.{also}")
    fit_rows = [[f"`{r['target_id']}`", r["year"], f"{_num(r['documented'])} ({r['qualifier']})",
                 f"{_num(r['low'])} to {_num(r['high'])}", _num(r["simulated_median"]),
                 f"{_num(r['simulated_p05'])} to {_num(r['simulated_p95'])}", _num(r["at_posterior_median"]),
                 _yes(r["within"]), _yes(r["covered"]), _yes(r["consistent"]), _yes(r["within_at_posterior_median"])]
                for _, r in fitted.iterrows() if r["kind"] == "documented"]
    regime_rows = [[f"`{r['target_id']}`", f"`{r['indicator']}`", f"{_num(r['low'])} to {_num(r['high'])}",
                    _num(r["prior_median"]) + f" ({_num(r['prior_p05'])} to {_num(r['prior_p95'])})",
                    _num(r["at_posterior_median"]), _num(r["simulated_median"]),
                    f"{_num(r['simulated_p05'])} to {_num(r['simulated_p95'])}", _yes(r["within_at_posterior_median"])]
                   for _, r in regimes.iterrows()]
    history_rows = [[f"`{r.series}`", r.points, f"{r.within_at_median} (needs {r.required})", _yes(r.passes),
                     f"{r.covered} ({r.coverage:.0%})", f"{r.coverage_model_only:.0%}", r.missed_years or "none"]
                    for r in per_series.itertuples()]
    year_rows = [[f"`{r['series']}`", r["year"], _num(r["documented"]) + (f" (published {_num(r['published'])})"
                  if np.isfinite(r["published"]) else ""), r["confidence"], f"{_num(r['low'])} to {_num(r['high'])}",
                  _num(r["at_posterior_median"]), _num(r["simulated_median"]),
                  f"{_num(r['simulated_p05'])} to {_num(r['simulated_p95'])}",
                  f"{_num(r['predictive_p05'])} to {_num(r['predictive_p95'])}", _yes(r["within_at_posterior_median"]),
                  _yes(r["covered"])] for _, r in series_rows(fit).iterrows()]
    held_rows = [[f"`{r['target_id']}`", r["year"], f"{_num(r['documented'])} ({r['qualifier']})",
                  f"{_num(r['low'])} to {_num(r['high'])}", _num(r["simulated_median"]),
                  f"{_num(r['simulated_p05'])} to {_num(r['simulated_p95'])}", _yes(r["within"]), _yes(r["covered"])]
                 for _, r in held.iterrows()]
    med, q05, q95 = posterior.median(), posterior.quantiles(0.05), posterior.quantiles(0.95)
    widths = identification(priors, posterior)
    post_rows = [[f"`{p.name}`", CATALOGUE[p.name].unit, f"{p.shape} {_num(p.low)} to {_num(p.high)}",
                  _num(CATALOGUE[p.name].default), _num(med[p.name]), f"{_num(q05[p.name])} to {_num(q95[p.name])}",
                  f"{widths[p.name]:.0%}"] for p in priors.free]
    unidentified = [f"`{n}` ({w:.0%})" for n, w in widths.items() if w >= UNIDENTIFIED]
    weak = [f"`{n}` ({w:.0%})" for n, w in widths.items() if WEAK <= w < UNIDENTIFIED]
    gen_rows = [[int(r.generation), _num(r.epsilon) if np.isfinite(r.epsilon) else "none (prior)", int(r.proposals),
                 int(r.runs), f"{r.acceptance:.0%}", int(r.unique), f"{r.ess:.0f}", _num(r.median_distance)]
                for r in history.itertuples()]
    sims = summary["simulations"]
    text = f"""# Calibration report

Written by `innovsim calibrate`; see `docs/calibration.md` for the method and its reasons.
Everything here is regenerated by the command below; nothing is edited by hand.

```
innovsim calibrate --budget {summary['budget']} --seed {s['seed']}
```

## Summary

- **Fit, all points**: {summary['fit']['within']} of {summary['fit']['targets']} fitted points (figures and series years) have their posterior
  predictive median within tolerance, {summary['fit']['within_at_posterior_median']} of
  {summary['fit']['targets']} at the posterior median, and {summary['fit']['covered']} of
  {summary['fit']['targets']} have a 90 % band containing the documented value
  ({summary['fit']['consistent']} of {summary['fit']['targets']} consistent with what the document states:
  see "band consistent" below).
- **History 2016-2021**: {int(per_series['passes'].sum())} of {len(per_series)} real series within tolerance at the
  posterior median in at least {YEARS_REQUIRED} of their years (all, if fewer); the 90 % bands with the model
  discrepancy cover {pooled_coverage(fit):.0%} of the {len(series_rows(fit))} fitted series points (the aim:
  {COVERAGE_REQUIRED:.0%}), each point scored with the discrepancy estimated from the other points; the model's own
  bands (parameters and dice only) cover {pooled_coverage(fit, "covered_by_model"):.0%}.
  Failing: {", ".join(f"`{r.series}`" for r in per_series.itertuples() if not r.passes) or "none"}.
- **Documented figures**: {int(documented_fitted['within_at_posterior_median'].sum())} of {len(documented_fitted)} fitted
  figures within tolerance at the posterior median.
- **Regimes** (bounds of reasoning, not figures): {_regimes(summary)}.
- **Held out**: {summary['holdout']['within']} of {summary['holdout']['targets']} within tolerance.
- **Method**: ABC-SMC with {s['particles']} particles at scale {s['scale']:g} (persons per agent), to the last
  target year; {summary['generations']} generations, generation {summary.get('published_generation', summary['generations'] - 1)}
  published, at threshold {summary['final_epsilon']:.3g} (distance in tolerances, RMS); stopped: {summary["stopped"]}; effective sample size
  {summary['effective_sample_size']:.0f} with copies pooled{_distinct(summary)}; {_adjustment(summary)}.
- **Cost**: {sims['fitting']:,} fitting simulations ({sims['failed']} failed) and {sims['check']} check runs;
  {summary['wall_seconds_total']:.0f} s wall time in {summary['sessions']} session(s).
- **Check runs**: the baseline as `innovsim run` runs it, at scale {s['check_scale']:g}: {s['check_replicates']}
  replicates from its seed, each with its own posterior draw (the bands), and {s['check_replicates']} at the
  posterior median.

## Misses

{chr(10).join(misses) if misses else "None: every figure is within tolerance at the posterior median and inside the 90 % band."}

## History 2016-2021: Beijing's real series against the model

Each series of `calibration/targets.yaml` (official statistics, `shared/data`), year by year. A series passes
when at least {YEARS_REQUIRED} of its years (all, if it has fewer) are within tolerance at the posterior median;
the 90 % bands should cover at least {COVERAGE_REQUIRED:.0%} of all points (here {pooled_coverage(fit):.0%}).

Two bands are shown. The model's own band holds the posterior's parameter uncertainty and the dice, but no
error of the model's structure, so where the medians miss by a systematic few per cent it misses too: alone it
covers {pooled_coverage(fit, "covered_by_model"):.0%} of the points. The band with discrepancy adds the model's
structural error on each series (`discrepancy.csv`; docs/calibration.md, "Model discrepancy"), estimated by
method of moments from the residuals of the fitted years. Each point here is scored with the discrepancy
estimated *without* that point (leave one out), so no point is covered by its own residual; the out-of-sample
test of the same estimator is the backtest (`backtest_2018/report.md`).

{_table(["series", "years", "within at median", "passes", "band covers", "own band covers", "years outside"], history_rows) if history_rows else "No series in the targets file."}

{_table(["series", "year", "real", "confidence", "accepted", "at posterior median", "predictive median", "own 90 % band", "90 % band with discrepancy", "within at median", "band covers"], year_rows) if year_rows else ""}

{_then_blank(companions)}## Documented figures against simulated

![fit](img/fit.png)

{_table(["figure", "year", "documented", "accepted", "median", "90 % band", "at posterior median", "within", "band covers", "band consistent", "within at median"], fit_rows)}

The medians and bands come from the posterior predictive check runs; "at posterior median" is the median over
replicates run at the posterior's marginal medians. "Band covers": the 90 % band contains the documented value.
"Band consistent": the band reaches what the document states, which is the same for "around", "about" and
"exact"; "over" and "nearly" state a bound ("over 3,500"), which a band lying wholly on the stated side
satisfies without containing the bound itself. The accepted range follows the qualifier
(`calibration/targets.yaml`): counts within 10 % unless the qualifier says otherwise, shares within half a
percentage point, ranks exact.

![series](img/series.png)

## Regimes

Bounds of reasoning on a measure of a mechanism's state (`regimes:` in `calibration/targets.yaml`, each with
its reasoning), fitted like the figures so that the history is not matched in a regime that the evidence's
lever responses contradict (docs/calibration.md, section 2). They are not counted among the fitted points above.

{_table(["regime year", "measure", "accepted", "prior predictive median (90 %)", "at posterior median", "predictive median", "90 % band", "within at median"], regime_rows) if regime_rows else "None."}

## Held-out figures (out of sample)

{_table(["figure", "year", "documented", "accepted", "median", "90 % band", "within", "band covers"], held_rows) if held_rows else "None."}

## Posterior

{_table(["parameter", "unit", "prior", "catalogue value", "posterior median", "90 % interval", "width vs prior"], post_rows)}

"Width vs prior" is the 90 % interval's width as a share of what the prior alone would give (in the prior's own
scale, logarithmic for log-uniform priors): near 100 % the
figures say little about the parameter and its uncertainty is carried, unreduced, into every projection.

**Identification.** Left unidentified by the data (90 % interval at least {UNIDENTIFIED:.0%} of the prior's):
{", ".join(unidentified) or "none"}. Weakly identified ({WEAK:.0%} to {UNIDENTIFIED:.0%}): {", ".join(weak) or "none"}.
None of them is fixed: every run draws them from the posterior with the rest, so their uncertainty is in the
bands of every projection.

![marginals](img/marginals.png)

![correlations](img/correlations.png)

## Generations

{_table(["generation", "threshold", "simulations counted", "simulations run", "moved", "distinct", "ESS",
         "median distance"], gen_rows)}

![generations](img/generations.png)
"""
    path = folder / "report.md"
    path.write_text(text)
    return path
