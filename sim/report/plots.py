"""Fan charts of indicators over time, shared by every report.

A fan chart shows, for each scenario, the median across replicates as a line with the 50 %
band (25th to 75th percentile) darker and the 90 % band (5th to 95th) lighter. Documented
figures are drawn as black points with their tolerance as an error bar; milestone years are
marked with dotted lines, and a milestone threshold on the indicator as a short bar at its year.
Colours come from the Okabe-Ito palette (distinguishable with the common colour-vision
deficiencies), assigned in order, so a scenario keeps its colour across a report.
"""

from __future__ import annotations

import io
from typing import Callable, Mapping, Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, MultipleLocator
import numpy as np
import pandas as pd

from sim import indicators
from sim.milestones import MILESTONES
from sim.targets import Target

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
MILESTONE_YEARS = tuple(sorted({m.year for m in MILESTONES}))

#: Indicators drawn in every run report, in order.
#: First those with a published yearly counterpart (the real series are drawn beside them), then
#: the ones only documented figures or nothing published speak to.
KEY_INDICATORS: tuple[str, ...] = (
    "rd_expenditure_bn_yuan", "rd_share_of_gdp", "basic_research_bn_yuan", "researchers_fte",
    "invention_patents_granted", "sci_papers", "high_tech_enterprises", "tech_contract_turnover_bn_yuan",
    "multinational_regional_hq", "cluster_rank", "researchers", "foreign_talent", "intl_coauthored_papers",
    "intl_coauthored_share", "foreign_companies", "startups_founded", "ip_pledge_loans_bn_yuan",
    "permanent_residence_grants_cum", "foreign_scientists_settled_cum",
)


def colours(names: Sequence[str]) -> dict[str, str]:
    return {name: OKABE_ITO[i % len(OKABE_ITO)] for i, name in enumerate(names)}


def axis_label(indicator: str) -> str:
    spec = indicators.BY_NAME[indicator]
    return f"{indicator.replace('_', ' ')} ({spec.unit})"


def fan(ax, summary: pd.DataFrame, indicator: str, colour: str, label: str) -> None:
    """Median line with 50 % and 90 % bands for one scenario."""
    s = summary[summary["indicator"] == indicator].sort_values("year")
    ax.fill_between(s["year"], s["p05"], s["p95"], color=colour, alpha=0.15, linewidth=0)
    ax.fill_between(s["year"], s["p25"], s["p75"], color=colour, alpha=0.35, linewidth=0)
    ax.plot(s["year"], s["median"], color=colour, linewidth=1.8, label=label)


#: Share of a panel's height kept free above its highest milestone threshold, for the threshold's label.
HEADROOM = 0.12


def mark_milestone_years(ax, last: float) -> None:
    """Dotted lines at the milestone years up to ``last``, the panel's last year: a later line would
    stretch the axis beyond the years drawn."""
    for year in MILESTONE_YEARS:
        if year <= last:
            ax.axvline(year, color="0.6", linestyle=":", linewidth=0.9, zorder=0)


def mark_context(ax, indicator: str, targets: Sequence[Target]) -> None:
    """Documented figures (open diamonds), real series (filled points), milestone years and milestone
    thresholds on one axis. Milestones after the last year already drawn (a history to 2021) are left
    out, so that a threshold of 2035 does not stretch the axis of a panel that ends in 2021."""
    last = ax.dataLim.x1 if np.isfinite(ax.dataLim.x1) else np.inf
    mark_milestone_years(ax, last)
    thresholds = []
    for m in MILESTONES:
        for c in m.criteria:
            # a ratio criterion has no panel of its own
            if c.indicator == indicator and c.per is None and m.year <= last:
                ax.plot([m.year - 0.6, m.year + 0.6], [c.threshold] * 2, color="0.2", linewidth=2.2, zorder=4)
                sign = {"<=": "\u2264", ">=": "\u2265"}[c.comparison]
                value = f"{c.threshold:,.0f}" if c.threshold >= 100 else f"{c.threshold:.3g}"
                ax.annotate(f"{sign}{value}", (m.year, c.threshold), textcoords="offset points",
                            xytext=(-3, 3), ha="right", va="bottom", fontsize=6.5, color="0.2")
                thresholds.append(c.threshold)
    labelled = set()
    for t in targets:
        if t.comparable and t.indicator == indicator:
            low, high = t.bounds()
            label = {"series": "real series (shared/data)", "regime": "regime bound (reasoning)"}.get(t.kind, "documented figure")
            ax.errorbar([t.year], [t.value], yerr=[[t.value - low], [high - t.value]], fmt="o" if t.series else "D",
                        color="black", markersize=4.0 if t.series else 4.5, capsize=3, zorder=5,
                        mfc="black" if t.series else "white", label=None if label in labelled else label)
            labelled.add(label)
        elif t.comparable and t.series and t.series_indicator == indicator:
            # a year of this series counted on another measure (before the year's round): shown, not judged here
            label = f"real, compared with {t.indicator}"
            ax.plot([t.year], [t.value], "o", color="black", mfc="white", markersize=4.0, zorder=5,
                    label=None if label in labelled else label)
            labelled.add(label)
    if indicator == "cluster_rank":
        low, high = ax.get_ylim()
        ax.set_ylim(max(high, 5.5), min(low, 0.5))     # rank 1 at the top, room for the labels
    elif thresholds:
        # Room above the highest threshold for its label, inside the panel rather than over its title.
        low, high = ax.get_ylim()
        top = max(thresholds)
        if top + HEADROOM * (high - low) > high:
            ax.set_ylim(low, top + HEADROOM * (max(high, top) - low))


def small_multiples(names: Sequence[str], draw: Callable[[object, str], None], cols: int = 3,
                    legend_below: bool = False) -> tuple[Figure, dict[str, bytes], bytes]:
    """Draw one panel per name with ``draw(ax, name)``, render once, and crop each panel.

    Returns the figure (for SVG), each panel as its own PNG, and the whole figure as PNG. Drawing
    every panel as a separate figure costs about ten times as much, mostly in text rendering.
    """
    from PIL import Image

    rows = -(-len(names) // cols)
    fig = Figure(figsize=(4.2 * cols, 3.1 * rows + (0.4 if legend_below else 0)), dpi=100)   # no pyplot: no global state
    FigureCanvasAgg(fig)
    axes = fig.subplots(rows, cols, squeeze=False)
    for ax, name in zip(axes.flat, names):
        draw(ax, name)
        ax.grid(alpha=0.25)
        ax.tick_params(labelsize=7)
        ax.xaxis.set_major_locator(MultipleLocator(5))       # few ticks: each costs milliseconds to draw
        ax.yaxis.set_major_locator(MaxNLocator(5, integer=name == "cluster_rank"))
        if not legend_below:
            ax.legend(fontsize=6.5, frameon=False, loc="best")     # where it hides the fewest points
    for ax in list(axes.flat)[len(names):]:
        ax.set_visible(False)
    bottom = 0.03
    if legend_below:
        handles, labels = axes.flat[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="lower center", ncol=min(len(labels), 5), frameon=False, fontsize=8)
        bottom = 0.4 / (3.1 * rows + 0.4) + 0.03
    fig.subplots_adjust(left=0.06, right=0.99, top=0.97, bottom=bottom, hspace=0.42, wspace=0.22)
    fig.canvas.draw()
    width, height = fig.canvas.get_width_height()
    image = Image.frombuffer("RGBA", (width, height), bytes(fig.canvas.buffer_rgba()), "raw", "RGBA", 0, 1)
    crops: dict[str, bytes] = {}
    for ax, name in zip(axes.flat, names):
        # The panel's slot in the grid, widened by fixed margins for tick labels and the title.
        box = ax.get_position()
        left, right = max(int(box.x0 * width) - 48, 0), min(int(box.x1 * width) + 8, width)
        top, bottom_px = max(int((1 - box.y1) * height) - 22, 0), min(int((1 - box.y0) * height) + 22, height)
        crops[name] = _png(image.crop((left, top, right, bottom_px)))
    return fig, crops, _png(image)


def _png(image) -> bytes:
    buf = io.BytesIO()
    image.convert("RGB").save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


def svg_bytes(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="svg")
    return buf.getvalue()


def panels(summaries: Mapping[str, pd.DataFrame], targets: Sequence[Target],
           names: Sequence[str] = KEY_INDICATORS, palette: Mapping[str, str] | None = None,
           cols: int = 3) -> tuple[bytes, dict[str, bytes]]:
    """Fan charts of ``names`` for every scenario in ``summaries``: the whole figure as PNG and
    each panel as its own PNG."""
    fig, crops, whole = fan_figure(summaries, targets, names, palette, cols)
    return whole, crops


def fan_figure(summaries: Mapping[str, pd.DataFrame], targets: Sequence[Target],
               names: Sequence[str] = KEY_INDICATORS, palette: Mapping[str, str] | None = None,
               cols: int = 3) -> tuple[Figure, dict[str, bytes], bytes]:
    palette = palette or colours(list(summaries))

    def draw(ax, name: str) -> None:
        for label, summary in summaries.items():
            fan(ax, summary, name, palette[label], label)
        mark_context(ax, name, targets)
        ax.set_title(axis_label(name), fontsize=9, loc="left")

    return small_multiples(names, draw, cols, legend_below=len(summaries) > 1)


def difference_figure(differences: pd.DataFrame, names: Sequence[str], palette: Mapping[str, str],
                      baseline: str, cols: int = 3) -> tuple[Figure, dict[str, bytes], bytes]:
    """Each scenario's difference from the baseline (median, 50 % and 90 % bands) per indicator."""
    def draw(ax, name: str) -> None:
        ax.axhline(0.0, color="0.3", linewidth=0.8)
        d = differences[differences["indicator"] == name]
        if len(d):                          # those the runs reach: a comparison to 2030 ends in 2030
            mark_milestone_years(ax, d["year"].max())
        for scenario, rows in d.groupby("scenario", sort=False):
            rows = rows.sort_values("year")
            colour = palette[scenario]
            ax.fill_between(rows["year"], rows["p05_diff"], rows["p95_diff"], color=colour, alpha=0.15, linewidth=0)
            ax.fill_between(rows["year"], rows["p25_diff"], rows["p75_diff"], color=colour, alpha=0.35, linewidth=0)
            ax.plot(rows["year"], rows["median_diff"], color=colour, linewidth=1.8, label=f"{scenario} minus {baseline}")
        ax.set_title(f"difference in {axis_label(name)}", fontsize=9, loc="left")

    return small_multiples(names, draw, cols, legend_below=True)
