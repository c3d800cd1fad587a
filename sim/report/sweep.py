"""Plots of a sweep: sensitivity indices with confidence bars, outputs against parameters, and
fans of the swept outputs over time (across all runs)."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from sim import indicators
from sim.report.plots import OKABE_ITO, axis_label, small_multiples


def _save(fig: Figure, path: Path) -> None:
    FigureCanvasAgg(fig)
    fig.savefig(path.with_suffix(".png"), pil_kwargs={"compress_level": 1})
    fig.savefig(path.with_suffix(".svg"))


#: Parameters drawn per output in the index plot of a large design: the largest indices, and the
#: dummy (a bar chart of a hundred parameters is unreadable; the report's table lists them all).
MAX_PLOTTED = 15
#: Parameters in the scatter plot of a large design: those whose indices rank highest on average.
MAX_SCATTERED = 8


def _key(method: str) -> str:
    return "ST" if method == "sobol" else "mu_star"


def leading(table: pd.DataFrame, method: str, n: int) -> list[str]:
    """The ``n`` parameters with the largest indices, averaged over outputs after dividing each
    output's indices by its largest (so outputs in large units do not decide); the dummy excluded."""
    from sim.sweep.spec import DUMMY

    t = table[table["parameter"] != DUMMY]
    key = _key(method)
    share = t[key] / t.groupby("output")[key].transform("max").replace(0.0, np.nan)
    order = share.fillna(0.0).groupby(t["parameter"], sort=False).mean().sort_values(ascending=False, kind="stable")
    return list(order.index[:n])


def scattered(design, table: pd.DataFrame) -> list[str]:
    """The parameters the scatter plot draws: all, or the :data:`MAX_SCATTERED` that :func:`leading`
    ranks first when there are more and the design has indices."""
    names = list(design.names)
    if len(names) > MAX_SCATTERED and len(table) and table[_key(design.method)].notna().any():
        return leading(table, design.method, MAX_SCATTERED)
    return names


def _plotted(t: pd.DataFrame, method: str) -> pd.DataFrame:
    """One output's rows to draw: all in design order, or the largest and the dummy when too many."""
    from sim.sweep.spec import DUMMY

    if len(t) <= MAX_PLOTTED:
        return t
    top = t[t["parameter"] != DUMMY].sort_values(_key(method), ascending=False, kind="stable").head(MAX_PLOTTED)
    return t.loc[[*top.index, *t.index[t["parameter"] == DUMMY]]]


def indices_figure(table: pd.DataFrame, method: str) -> Figure:
    outputs = list(dict.fromkeys(table["output"]))
    fig = Figure(figsize=(5.0 * min(len(outputs), 3), 3.4 * -(-len(outputs) // 3)), dpi=100)
    axes = fig.subplots(-(-len(outputs) // 3), min(len(outputs), 3), squeeze=False)
    for ax, out in zip(axes.flat, outputs):
        t = _plotted(table[table["output"] == out], method)
        x = np.arange(len(t))
        if method == "sobol":
            ax.bar(x - 0.2, t["S1"], 0.4, yerr=t["S1_conf"], capsize=3, color=OKABE_ITO[0], label="S1 (first order)")
            ax.bar(x + 0.2, t["ST"], 0.4, yerr=t["ST_conf"], capsize=3, color=OKABE_ITO[1], label="ST (total)")
            ax.set_ylabel("share of output variance", fontsize=8)
        else:
            ax.bar(x, t["mu_star"], 0.6, yerr=t["mu_star_conf"], capsize=3, color=OKABE_ITO[0], label="mu* (mean |effect|)")
            ax.plot(x, t["sigma"], "o", color=OKABE_ITO[3], label="sigma (spread of effects)")
            ax.set_ylabel(f"effect on output ({_unit(out)})", fontsize=8)
        ax.set_xticks(x, [p.replace("_", " ") for p in t["parameter"]], rotation=30, ha="right", fontsize=7)
        ax.set_title(out.replace("_", " "), fontsize=9, loc="left")
        ax.grid(alpha=0.25, axis="y")
        ax.legend(fontsize=7, frameon=False)
    for ax in list(axes.flat)[len(outputs):]:
        ax.set_visible(False)
    shown = len(table["parameter"].unique()) > MAX_PLOTTED
    fig.text(0.99, 0.005, "bars: 95 % bootstrap confidence intervals (SALib)"
             + (f"; each output's {MAX_PLOTTED} largest and the dummy, all in the report's table" if shown else ""),
             ha="right", fontsize=6.5, color="0.35")
    fig.subplots_adjust(left=0.08, right=0.98, top=0.92, bottom=0.25, wspace=0.3, hspace=0.8)
    return fig


def _unit(output: str) -> str:
    name = output.rsplit("_", 1)[0]
    return indicators.BY_NAME[name].unit if name in indicators.BY_NAME else ""


def scatter_figure(runs: pd.DataFrame, parameters: Sequence[str], outputs: Sequence[str]) -> Figure:
    ok = runs[runs["status"] == "ok"]
    fig = Figure(figsize=(2.6 * len(parameters) + 0.6, 2.2 * len(outputs) + 0.4), dpi=100)
    axes = fig.subplots(len(outputs), len(parameters), squeeze=False)
    for i, out in enumerate(outputs):
        for j, p in enumerate(parameters):
            ax = axes[i, j]
            # rasterized: the SVG embeds the points as an image (a screen's thousands of runs drawn
            # as vector marks made a 31 MB file); axes and labels stay vector
            ax.scatter(ok[p], ok[out], s=5, alpha=0.5, color=OKABE_ITO[0], linewidths=0, rasterized=True)
            ax.tick_params(labelsize=6)
            if i == len(outputs) - 1:
                ax.set_xlabel(p.replace("_", " "), fontsize=7)
            if j == 0:
                ax.set_ylabel(f"{out.replace('_', ' ')}\n({_unit(out)})", fontsize=7)
    fig.subplots_adjust(left=0.12, right=0.98, top=0.97, bottom=0.12, wspace=0.35, hspace=0.35)
    return fig


def write_sweep_plots(out: Path, runs: pd.DataFrame, yearly: pd.DataFrame, table: pd.DataFrame,
                      design, outputs: Sequence[tuple[str, int]]) -> None:
    plots = Path(out) / "plots"
    plots.mkdir(exist_ok=True)
    names = [f"{i}_{y}" for i, y in outputs]
    if len(table) and table[["S1", "mu_star"]].notna().any().any():
        _save(indices_figure(table, design.method), plots / "sensitivity")
    _save(scatter_figure(runs, scattered(design, table), names), plots / "scatter")
    if yearly.empty:
        return
    inds = list(dict.fromkeys(i for i, _ in outputs))
    q = yearly.groupby("year")[inds].quantile([0.05, 0.25, 0.5, 0.75, 0.95]).unstack()

    def draw(ax, name: str) -> None:
        years = q.index
        ax.fill_between(years, q[(name, 0.05)], q[(name, 0.95)], color=OKABE_ITO[0], alpha=0.15, linewidth=0)
        ax.fill_between(years, q[(name, 0.25)], q[(name, 0.75)], color=OKABE_ITO[0], alpha=0.35, linewidth=0)
        ax.plot(years, q[(name, 0.5)], color=OKABE_ITO[0], linewidth=1.8, label="median over all runs")
        ax.set_title(axis_label(name), fontsize=9, loc="left")

    fig, _, png = small_multiples(inds, draw, cols=min(3, len(inds)))
    (plots / "fan.png").write_bytes(png)


def write_sweep_report(out: Path, runs: pd.DataFrame, table: pd.DataFrame, design, outputs: Sequence[tuple[str, int]],
                       title: str, description: str) -> None:
    """A self-contained page: the design, the runs, the indices (marked against the dummy) and the plots."""
    import html

    from sim.report.html import CSS, fmt, img
    from sim.report.html import table as html_table
    from sim.sweep.spec import DUMMY

    plots = Path(out) / "plots"
    ok, failed = int((runs["status"] == "ok").sum()), int((runs["status"] != "ok").sum())
    names = [f"{i}_{y}" for i, y in outputs]
    parts = [f"<h1>innovsim sweep: {html.escape(title)}</h1><p>{html.escape(description)}</p>",
             f"<p class=meta>{design.method} design, {len(design)} samples of {len(design.names)} parameters, "
             f"{runs['replicate'].nunique()} replicate(s) each: {len(runs)} runs, {ok} finished, {failed} failed "
             f"(see runs.csv, column error).</p>"]
    if len(table) and design.method in ("sobol", "morris"):
        key = "ST" if design.method == "sobol" else "mu_star"
        conf = "ST_conf" if design.method == "sobol" else "mu_star_conf"
        rows, classes = [], []
        for out_name in names:
            t = table[table["output"] == out_name].sort_values(key, ascending=False)
            floor = t.loc[t["parameter"] == DUMMY, key]
            floor = float(floor.iloc[0]) if len(floor) else None
            for _, r in t.iterrows():
                above = floor is not None and r["parameter"] != DUMMY and r[key] - r[conf] > floor
                cells = [html.escape(out_name), html.escape(r["parameter"])]
                if design.method == "sobol":
                    cells += [f"{r['S1']:.3f} &plusmn; {r['S1_conf']:.3f}", f"{r['ST']:.3f} &plusmn; {r['ST_conf']:.3f}"]
                else:
                    cells += [f"{fmt(r['mu_star'])} &plusmn; {fmt(r['mu_star_conf'])}", fmt(r["sigma"])]
                rows.append(cells)
                classes.append("met" if above else ("na" if r["parameter"] == DUMMY else ""))
        heads = ["output", "parameter", "S1 (95 %)", "ST (95 %)"] if design.method == "sobol" \
            else ["output", "parameter", "mu* (95 %)", "sigma"]
        note = ("Green: the index's lower confidence bound exceeds the dummy parameter's index (the noise floor)."
                if any(p == DUMMY for p in design.names) else
                "Add `dummy: true` to the design to see the noise floor.")
        parts += ["<h2>Sensitivity</h2>", f"<p class=note>{note}</p>", html_table(heads, rows, left=2, classes=classes)]
        if (plots / "sensitivity.png").exists():
            parts.append(f"<figure>{img((plots / 'sensitivity.png').read_bytes(), 'sensitivity indices')}</figure>")
    parts.append("<h2>Outputs against parameters</h2>")
    if len(scattered(design, table)) < len(design.names):
        swept = sum(name != DUMMY for name in design.names)
        parts.append(f"<p class=note>The {MAX_SCATTERED} of {swept} parameters whose indices rank "
                     f"highest on average over the outputs (each output's indices over its largest).</p>")
    parts.append(f"<figure>{img((plots / 'scatter.png').read_bytes(), 'scatter')}</figure>")
    if (plots / "fan.png").exists():
        parts += ["<h2>Outputs over time, all runs</h2>", f"<figure>{img((plots / 'fan.png').read_bytes(), 'fan')}</figure>"]
    page = (f"<!doctype html><html lang=en><head><meta charset=utf-8><title>sweep {html.escape(title)}</title>"
            f"<style>{CSS}</style></head><body>{''.join(parts)}</body></html>")
    (Path(out) / "report.html").write_text(page, encoding="utf-8")
