"""The lever-response report: a figure, ``report.md`` and a self-contained ``report.html``.

The figure has one line per lever and outcome: for each reading year (2, 5, 9 years after the
change) the median paired effect with its 90 % band as a point with a bar, and the evidence
range as a shaded box behind it (green point: inside, red: outside). The x axis is symmetric-log
(linear between -1 % and 1 %), so effects of a few tenths of a percent and of 100 % both show.
"""

from __future__ import annotations

import html
import io
import math
from pathlib import Path

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from sim.report.html import CSS, img, table
from sim.report.plots import OKABE_ITO
from sim.responses.experiments import HORIZONS

OFFSETS = {k: (i - 1) * 0.25 for i, k in enumerate(HORIZONS)}


def figure(result: pd.DataFrame) -> bytes:
    """PNG of every checked row's effects against its evidence ranges."""
    checked = result[result["inside"].notna()]
    pairs = list(dict.fromkeys(zip(checked["lever"], checked["outcome"])))
    fig = Figure(figsize=(9.5, 1.0 + 0.42 * max(len(pairs), 1)))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    for y, (lever, outcome) in enumerate(pairs):
        rows = checked[(checked["lever"] == lever) & (checked["outcome"] == outcome)]
        for _, r in rows.iterrows():
            yy = y + OFFSETS[int(r["year_index"])]
            lo, hi = r["range_low_pct"], r["range_high_pct"]
            ax.fill_betweenx([yy - 0.1, yy + 0.1], max(lo, -1e3), min(hi, 1e3), color="0.85", linewidth=0)
            colour = OKABE_ITO[2] if bool(r["inside"]) else OKABE_ITO[3]
            ax.plot([r["effect_p05_pct"], r["effect_p95_pct"]], [yy, yy], color=colour, linewidth=1.2)
            ax.plot([r["effect_median_pct"]], [yy], "o", color=colour, markersize=4)
    ax.set_yticks(range(len(pairs)), [f"{l}\n-> {o}" for l, o in pairs], fontsize=6.5)
    ax.set_ylim(len(pairs) - 0.5, -0.5)
    ax.set_xscale("symlog", linthresh=1.0)
    ax.axvline(0, color="0.4", linewidth=0.8)
    ax.set_xlabel("effect: paired % difference from the baseline (median, 90 % band); grey: evidence range")
    ax.set_title("Each lever's effect after 2, 5 and 9 years (top to bottom per line)", fontsize=9)
    ax.grid(axis="x", color="0.9")
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)
    return buf.getvalue()


def num(x: object, digits: int = 2) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA:
        return "–"
    v = float(x)
    if math.isinf(v):
        return "∞" if v > 0 else "-∞"
    return f"{v:.{digits}f}"


def rows(result: pd.DataFrame, replicates: int | None = None) -> list[list[str]]:
    """Table rows; ``check`` says inside, outside within the median's noise (two standard errors),
    outside and inconsistent at two standard errors but not at the family-wise level, or outside
    beyond both, and how many pairs a row rests on where fewer than ``replicates`` had a value."""
    replicates = int(result["replicates"].max()) if replicates is None and "replicates" in result else (replicates or 0)
    out = []
    for _, r in result.iterrows():
        skipped = r["inside"] is pd.NA or pd.isna(r["inside"])
        verdict = "skipped" if skipped else ("inside" if bool(r["inside"]) else
                                              "outside, within noise" if bool(r.get("consistent", False)) else
                                              "outside: inconsistent at 2 SE, within family-wise noise"
                                              if bool(r.get("consistent_familywise", False))
                                              else "OUTSIDE: inconsistent at the family-wise level")
        n = r.get("replicates")
        if not skipped and n is not None and not pd.isna(n) and int(n) < int(replicates):
            verdict += f" ({int(n)} of {int(replicates)} pairs)"
        effect = "–" if skipped else f"{num(r['effect_median_pct'])} ({num(r['effect_p05_pct'])} to {num(r['effect_p95_pct'])})"
        out.append([r["lever"], r["change"], r["outcome"], f"{r['year_index']} ({r['year']})", effect,
                    num(r["elasticity"], 3), f"{num(r['range_low_pct'])} to {num(r['range_high_pct'])}", verdict])
    return out


HEADERS = ["lever", "change", "outcome", "year", "effect % (90 % band)", "elasticity", "evidence range %", "check"]


def intro(manifest: dict, summary: str) -> str:
    skipped = manifest["skipped_indicators"]
    return (f"{manifest['replicates']} replicates per arm (a row resting on fewer pairs, where a baseline "
            f"replicate's value is zero and the experiment's is not, says so), seed {manifest['seed']}, scale {manifest['scale']:g}, "
            f"parameters: {manifest['parameters'].get('source')}. Each lever is changed from 1 January 2026 (year 1) "
            f"and read in 2027, 2030 and 2034 (years 2, 5 and 9); the effect is the median across replicates of the "
            f"paired percentage difference from the baseline (same seed, same parameter draw). {summary}."
            + (f" Indicators the model does not report yet (rows skipped): {', '.join(skipped)}." if skipped else "")
            + (f" Catalogue entries without an experiment: {', '.join(manifest['uncovered_catalogue_entries'])}."
               if manifest["uncovered_catalogue_entries"] else ""))


def sources(result: pd.DataFrame) -> list[tuple[str, str, str, str]]:
    seen = result.drop_duplicates(["lever", "outcome"])
    return [(r["lever"], r["outcome"], r["elasticity_unit"], r["source"] + (f" [{r['note']}]" if r["note"] else ""))
            for _, r in seen.iterrows()]


def write_report(result: pd.DataFrame, manifest: dict, folder: Path) -> None:
    """Write ``plots/responses.png``, ``report.md`` and ``report.html`` into ``folder``."""
    from sim.responses.run import summary_line

    png = figure(result)
    (folder / "plots").mkdir(exist_ok=True)
    (folder / "plots" / "responses.png").write_bytes(png)
    summary = summary_line(result)
    body = rows(result)

    md = ["# Lever responses against the evidence", "", intro(manifest, summary), "",
          "![effects against evidence ranges](plots/responses.png)", "",
          "| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    md += ["| " + " | ".join(c.replace("|", "/") for c in row) + " |" for row in body]
    md += ["", "## Sources of the ranges and elasticity units", ""]
    md += [f"- **{l} -> {o}** ({u}): {s}" for l, o, u, s in sources(result)]
    (folder / "report.md").write_text("\n".join(md) + "\n", encoding="utf-8")

    classes = ["na" if r[-1] == "skipped" else "met" if r[-1].startswith("inside") else "miss" for r in body]
    items = "".join(f"<li><b>{html.escape(l)} &rarr; {html.escape(o)}</b> ({html.escape(u)}): {html.escape(s)}</li>"
                    for l, o, u, s in sources(result))
    page = (f"<!doctype html><html lang=en><head><meta charset=utf-8><title>innovsim: lever responses</title>"
            f"<style>{CSS}</style></head><body><h1>Lever responses against the evidence</h1>"
            f"<p>{html.escape(intro(manifest, summary))}</p><figure>{img(png, 'effects against evidence ranges')}</figure>"
            f"{table(HEADERS, [[html.escape(str(c)) for c in r] for r in body], left=3, classes=classes)}"
            f"<h2>Sources of the ranges and elasticity units</h2><ul class=note>{items}</ul></body></html>")
    (folder / "report.html").write_text(page, encoding="utf-8")
