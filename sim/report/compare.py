"""The comparison report: several scenarios on shared axes, differences from the baseline.

One self-contained HTML file (figures embedded, styles inline; opens offline) with, in order:
the milestone criteria, each criterion's probability per scenario side by side with the
difference from the baseline (the all-criteria figure beneath, secondary); a plain-language
summary of the largest differences; what each scenario changes; small multiples of the key
indicators for every scenario (one colour per scenario throughout, Okabe-Ito); each scenario's
paired difference from the baseline with bands; the data files. Figures are also written as PNG
and SVG.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Sequence

import pandas as pd

from sim import indicators
from sim.compare import (Run, common_years, describe_differences, lever_table, milestone_probabilities, mismatches,
                         paired_differences)
from sim.report import plots
from sim.report.html import CSS, criterion_distance, criterion_value, fmt_difference, img, table
from sim.targets import load_targets


def write_compare_report(runs: Sequence[Run], base: Run, names: Sequence[str], folder: Path) -> dict[str, pd.DataFrame]:
    """Write the comparison tables, figures and ``report.html`` into ``folder``."""
    years, _ = common_years(runs)
    note = " ".join(mismatches(runs)) or None
    others = [r for r in runs if r is not base]
    differences = pd.concat([paired_differences(r, base, names, years) for r in others], ignore_index=True) \
        if others else pd.DataFrame(columns=["scenario", "indicator", "year", "median_diff", "p05_diff",
                                             "p25_diff", "p75_diff", "p95_diff", "paired", "pairs"])
    milestones, criteria = milestone_probabilities(runs, years, base)
    levers = lever_table(runs, base)
    summary = pd.concat([r.summary.assign(scenario=r.label) for r in runs], ignore_index=True)
    summary = summary[summary["year"].isin(years) & summary["indicator"].isin(names)]
    summary = summary[["scenario", *[c for c in summary.columns if c != "scenario"]]]

    differences[["scenario", "indicator", "year", "median_diff", "p05_diff", "p95_diff"]].to_csv(folder / "differences.csv", index=False)
    differences.to_csv(folder / "differences_full.csv", index=False)
    milestones.to_csv(folder / "milestones.csv", index=False)
    criteria.to_csv(folder / "milestone_criteria.csv", index=False)
    levers.to_csv(folder / "levers.csv", index=False)
    summary.to_csv(folder / "summary.csv", index=False)

    palette = plots.colours([r.label for r in runs])
    targets = load_targets()
    summaries = {r.label: r.summary[r.summary["year"].isin(years)] for r in runs}
    plot_dir = folder / "plots"
    plot_dir.mkdir(exist_ok=True)
    fig, fan_panels, fans_png = plots.fan_figure(summaries, targets, names, palette)
    (folder / "fans.svg").write_bytes(plots.svg_bytes(fig))
    (folder / "fans.png").write_bytes(fans_png)
    for name, data in fan_panels.items():
        (plot_dir / f"{name}.png").write_bytes(data)
    diff_png = None
    if others:
        fig, diff_panels, diff_png = plots.difference_figure(differences, names, palette, base.label)
        (folder / "differences.svg").write_bytes(plots.svg_bytes(fig))
        (folder / "differences.png").write_bytes(diff_png)
        for name, data in diff_panels.items():
            (plot_dir / f"difference_{name}.png").write_bytes(data)

    final = years[-1]
    sentences = describe_differences(differences, base, milestones, final, criteria=criteria) if others else []
    page = _page(runs, base, names, years, note, sentences, levers, milestones, criteria, differences,
                 fans_png, diff_png, palette, final)
    (folder / "report.html").write_text(page, encoding="utf-8")
    return {"differences": differences, "milestones": milestones, "criteria": criteria, "levers": levers,
            "summary": summary}


def criteria_rows(criteria: pd.DataFrame, runs, base) -> list[list[str]]:
    """One row per criterion: each scenario's probability, and its difference from the baseline."""
    rows = []
    for (_, name), group in criteria.groupby(["id", "indicator"], sort=False):
        first = group.iloc[0]
        basis = str(first.get("basis", "forecast"))
        by = group.set_index("scenario")
        cells = []
        for r in runs:
            if r.label not in by.index:
                cells.append("&ndash;")
                continue
            row = by.loc[r.label]
            if row.get("basis") == "scored on data":
                cells.append("met (data)" if bool(row["met"]) else "not met (data)")
            elif pd.isna(row["probability_met"]):
                cells.append("&ndash;")
            elif r is base:
                cells.append(f"{100 * row['probability_met']:.0f} %{_with_error(row)}")
            else:
                diff = row.get("probability_diff")
                tail = "" if pd.isna(diff) else f" <span class=na>({100 * diff:+.0f})</span>"
                cells.append((f"<b>{100 * row['probability_met']:.0f} %</b>{tail}" if not pd.isna(diff) and abs(diff) >= 0.1
                              else f"{100 * row['probability_met']:.0f} %{tail}") + _with_error(row))
        distances = "; ".join(f"{html.escape(r.label)} {criterion_distance(by.loc[r.label].get('distance'), by.loc[r.label].get('relative_distance'), name)}"
                              for r in runs if r.label in by.index)
        rows.append([f"{first['year']}: {html.escape(name.replace('_', ' '))}",
                     f"{html.escape(first['comparison'])} {criterion_value(first['target'], name)}"
                     f"<br><span class=note>{html.escape(str(first.get('source', '') or ''))}</span>",
                     html.escape(basis) + (f"<br><span class=note>{html.escape(str(first['note']))}</span>"
                                           if isinstance(first.get("note"), str) and first["note"] else ""),
                     *cells, distances])
    return rows


def _with_error(row) -> str:
    """The run's own probability with the model error, below its share of replicates, where it has one."""
    p = row.get("probability_with_discrepancy")
    return "" if p is None or pd.isna(p) else f"<br><span class=note>with model error: {100 * float(p):.0f} %</span>"


def _swatch(colour: str) -> str:
    return f'<span style="display:inline-block;width:.9em;height:.9em;background:{colour};vertical-align:middle;border-radius:2px"></span>'


def _page(runs, base, names, years, note, sentences, levers, milestones, criteria, differences,
          fans_png, diff_png, palette, final) -> str:
    label = lambda r: f"{_swatch(palette[r.label])} {html.escape(r.label)}"  # noqa: E731
    scen_rows = []
    for r in runs:
        s, run = r.scenario, r.manifest["run"]
        extends = " &rarr; ".join(html.escape(Path(f).name) for f in s["files"])
        changes = ", ".join(s.get("changes_from_parent") or []) or ("the reference" if r is base else "nothing")
        scen_rows.append([label(r) + (" <i>(baseline)</i>" if r is base else ""), html.escape(s["description"] or ""),
                          extends, html.escape(changes),
                          f"{run['replicates']} &times; seed {run['seed']}, scale {run['scale']:g}, to {run['horizon']}",
                          html.escape(r.manifest["parameters"]["source"])])
    lever_rows = [[html.escape(row["input"]), row["kind"], *[html.escape(str(row[r.label])) for r in runs]]
                  for _, row in levers.iterrows()]

    pivot = milestones.pivot_table(index="scenario", columns="year", values="probability_met", sort=False)
    ms_rows, ms_classes = [], []
    for r in runs:
        if r.label in pivot.index:
            ms_rows.append([label(r), *[f"{100 * pivot.loc[r.label, y]:.0f} %" for y in pivot.columns]])
            ms_classes.append("")
    crit_rows = criteria_rows(criteria, runs, base)

    diff_rows = []
    d = differences[differences["year"] == final]
    for _, row in d.iterrows():
        unit = indicators.BY_NAME[row["indicator"]].unit
        diff_rows.append([f"{_swatch(palette[row['scenario']])} {html.escape(row['scenario'])}",
                          html.escape(row["indicator"].replace("_", " ")), html.escape(unit),
                          fmt_difference(row["median_diff"], row["indicator"]),
                          f"{fmt_difference(row['p05_diff'], row['indicator'])} to "
                          f"{fmt_difference(row['p95_diff'], row['indicator'])}",
                          "yes" if row["paired"] else "no"])
    paired_note = ("Differences are paired by replicate seed, so noise common to both runs cancels."
                   if differences.empty or differences["paired"].all()
                   else "Some runs share no replicate seeds with the baseline; their differences compare every pair of replicates (paired = no).")
    sources = sorted({t.source for t in load_targets() if t.comparable and not t.series and t.indicator in names})
    body = f"""
<h1>innovsim: comparison of {len(runs)} scenarios</h1>
<p class=meta>Baseline: {html.escape(base.label)}. Years compared: {years[0]}&ndash;{years[-1]}.
{html.escape(note) if note else ''}</p>
<h2>Milestone criteria by scenario</h2>
<p class=note>Each criterion on its own (docs/model.md, section 1, "Milestones made measurable"): the share of replicates meeting it in
each scenario, with the difference from {html.escape(base.label)} in percentage points, and the median's distance to
the threshold. Below a share, where the run has it, the chance that the real value meets the criterion once the
model's structural error is added (from the run's own milestones.csv; it is the same error in every scenario, so
it does not tell scenarios apart and the differences are of the shares). A year the data cover is scored on the
published value, the same for every scenario.</p>
{table(["criterion", "threshold", "status", *[label(r) for r in runs], "median distance to threshold"], crit_rows, left=3)
 if crit_rows else '<p>No milestone year within the years compared.</p>'}
<p class=note>All of a milestone's criteria at once (a secondary figure, no higher than its weakest criterion):</p>
{table(["scenario", *map(str, pivot.columns)], ms_rows)}
<h2>In short</h2>
{''.join(f'<p>{html.escape(s)}</p>' for s in sentences) or '<p>Only one scenario: nothing to compare against.</p>'}
<h2>Scenarios</h2>
{table(["scenario", "description", "files (extends &rarr;)", "changes relative to what it extends", "run", "parameters"], scen_rows, left=6)}
<h3>Levers, inputs and parameters that differ</h3>
<p class=note>Values per quarter where they change (units: <code>innovsim levers</code>); a behavioural parameter a
scenario sets itself (units: <code>innovsim parameters</code>) replaces every replicate's calibrated draw.</p>
{table(["input", "kind", *[label(r) for r in runs]], lever_rows, left=2 + len(runs)) if lever_rows else '<p>None: the runs differ only in their seeds or parameter source.</p>'}
<h2>Key indicators</h2>
<p class=note>Median across replicates with 50 % (dark) and 90 % (light) bands, one colour per scenario.
Filled black points: Beijing's real yearly series (shared/data); open diamonds: documented figures
({', '.join(sources)}); each with its accepted range. Dotted lines: milestone years;
short bars: milestone thresholds. Units are in each panel's title.</p>
<figure>{img(fans_png, "key indicators by scenario")}</figure>
<h2>Difference from {html.escape(base.label)}</h2>
<p class=note>{paired_note} Line: median difference; bands: 50 % and 90 % of replicate differences.</p>
{f'<figure>{img(diff_png, "differences from the baseline")}</figure>' if diff_png else ''}
<h3>In {final}</h3>
{table(["scenario", "indicator", "unit", "median difference", "90 % band", "paired"], diff_rows, left=3) if diff_rows else ''}
<h2>Files</h2>
<p class=note>differences.csv (scenario, indicator, year, median_diff, p05_diff, p95_diff; differences_full.csv adds
the quartiles and pairing), milestones.csv (scenario, milestone, year, probability_met: all criteria at once), milestone_criteria.csv (each
criterion per scenario: threshold, source, basis, probability, median, distance, real value where scored on data,
baseline_probability and probability_diff),
levers.csv, summary.csv, fans.png/.svg, differences.png/.svg, plots/ (each panel). Source folders:
{', '.join(html.escape(str(r.folder)) for r in runs)}.</p>
"""
    return (f"<!doctype html><html lang=en><head><meta charset=utf-8><title>innovsim comparison</title>"
            f"<style>{CSS}</style></head><body>{body}</body></html>")
