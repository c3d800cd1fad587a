"""The single-run report: one self-contained HTML file a planner reads first.

Figures are embedded as PNG data, styles inline, so the file opens offline and can be mailed
as it is. The same PNGs are written to ``plots/``.
"""

from __future__ import annotations

import base64
import html
import math
from pathlib import Path
from typing import Iterable

import pandas as pd

from sim import indicators
from sim.report import plots
from sim.targets import load_targets

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.6em;margin-bottom:.2em} h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ddd;padding-bottom:.2em}
table{border-collapse:collapse;font-size:.85em;margin:.5em 0} th,td{border:1px solid #ddd;padding:.25em .5em;text-align:right;vertical-align:top}
th{background:#f4f4f4} td.l,th.l{text-align:left} .met{background:#e3f4e8} .miss{background:#fbe4e4} .na{color:#777}
.meta{color:#555;font-size:.85em} figure{margin:1em 0} figure img{max-width:100%} .grid{display:grid;grid-template-columns:1fr 1fr;gap:.5em}
.note{font-size:.8em;color:#555}
.warning{background:#fff4e5;border-left:4px solid #e08a00;padding:.4em .6em}
"""


def fmt(value: object, indicator: str | None = None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "&ndash;"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        v = float(value)
        if indicator and ("share" in indicator):
            return f"{100 * v:.1f} %"
        if abs(v) >= 1000:
            return f"{v:,.0f}"
        if abs(v) >= 10:
            return f"{v:.1f}"
        return f"{v:.3g}"
    return html.escape(str(value))


def fmt_difference(value: object, indicator: str) -> str:
    """A difference between two values of ``indicator``: percentage points for a share (a
    difference of shares is not a percent change), otherwise as :func:`fmt`."""
    if "share" in indicator and isinstance(value, (int, float)) and not math.isnan(float(value)):
        return f"{100 * float(value):+.2f} pp"
    return fmt(value, indicator)


def img(data: bytes, alt: str) -> str:
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{base64.b64encode(data).decode()}">'


def table(headers: Iterable[str], rows: Iterable[Iterable[str]], left: int = 1, classes: Iterable[str] | None = None) -> str:
    heads = "".join(f'<th class="{"l" if i < left else ""}">{h}</th>' for i, h in enumerate(headers))
    body = []
    for r, cls in zip(rows, classes or iter(lambda: "", None)):
        cells = "".join(f'<td class="{"l" if i < left else ""}">{c}</td>' for i, c in enumerate(r))
        body.append(f'<tr class="{cls}">{cells}</tr>')
    return f"<table><tr>{heads}</tr>{''.join(body)}</table>"


def band(summary: pd.DataFrame, indicator: str, year: int) -> str:
    row = summary[(summary["indicator"] == indicator) & (summary["year"] == year)]
    if row.empty:
        return "&ndash;"
    r = row.iloc[0]
    return f"{fmt(r['median'], indicator)} <span class=na>({fmt(r['p05'], indicator)}&ndash;{fmt(r['p95'], indicator)})</span>"


def _is_share(name: str) -> bool:
    return "share" in name or "/" in name


def criterion_value(value: object, name: str) -> str:
    """A criterion's threshold, median or real value, formatted (ratios as percentages)."""
    if value is None or isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        return fmt(value, name)
    v = float(value)
    if _is_share(name):
        return f"{100 * v:.2f} %"
    if "rank" in name:
        return f"{v:g}"
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3g}"


def criterion_distance(distance: object, relative: object, name: str) -> str:
    """Median (or real value) minus threshold: percentage points for shares, places for ranks."""
    if distance is None or (isinstance(distance, float) and math.isnan(distance)):
        return "&ndash;"
    d = float(distance)
    if _is_share(name):
        text = f"{100 * d:+.2f} pp"
    elif "rank" in name:
        text = f"{d:+g} place{'s' if abs(d) != 1 else ''}"
    else:
        text = f"{d:+,.0f}" if abs(d) >= 10 else f"{d:+.3g}"
    if relative is not None and not (isinstance(relative, float) and math.isnan(relative)):
        text += f" <span class=na>({100 * float(relative):+.0f} %)</span>"
    return text


def criteria_section(milestones: pd.DataFrame) -> str:
    """The criteria table that leads the report: one row per criterion, then the all-criteria
    figure per milestone as a secondary line."""
    m = milestones[milestones["kind"] == "milestone"]
    crit = m[m["indicator"] != "all criteria"]
    rows, classes = [], []
    for _, r in crit.iterrows():
        name = str(r["indicator"])
        basis = str(r.get("basis", "forecast"))
        threshold = (f"{html.escape(r['comparison'])} {criterion_value(r['target'], name)}"
                     f"<br><span class=note>{html.escape(str(r.get('source', '') or ''))}</span>")
        if basis == "scored on data":
            probability = "met" if bool(r["met"]) else "not met"
            value = f"{criterion_value(r['real_value'], name)} <span class=na>(published)</span>"
            cls = "met" if bool(r["met"]) else "miss"
        elif basis == "forecast":
            probability = f"{100 * r['probability_met']:.0f} %"
            with_error = r.get("probability_with_discrepancy")
            shown = with_error if with_error is not None and pd.notna(with_error) else None
            if shown is not None:
                probability += f"<br><span class=note>with model error: {100 * shown:.0f} %</span>"
            value = (f"{criterion_value(r['simulated_median'], name)} <span class=na>"
                     f"({criterion_value(r['simulated_p05'], name)}&ndash;{criterion_value(r['simulated_p95'], name)})</span>")
            cls = "met" if (r["probability_met"] if shown is None else shown) >= 0.5 else "miss"
        else:
            probability, value, cls = "&ndash;", f"<span class=na>{html.escape(str(r.get('note', '')))}</span>", "na"
        note = str(r.get("note", "") or "")
        verdict = {"met": ": likely" if basis == "forecast" else ": met",
                   "miss": ": unlikely" if basis == "forecast" else ": not met"}.get(cls, "")
        status = html.escape(basis) + verdict + (f"<br><span class=note>{html.escape(note)}</span>"
                                                 if note and basis != "skipped" else "")
        rows.append([html.escape(str(r["description"])), str(r["year"]), html.escape(name.replace("_", " ")),
                     threshold, status, probability, value,
                     criterion_distance(r.get("distance"), r.get("relative_distance"), name)])
        classes.append(cls)
    out = table(["milestone", "year", "criterion", "threshold and its source", "status", "replicates meeting it",
                 "median (90 % band) or published value", "distance to threshold"], rows, left=4, classes=classes)
    overall = m[m["indicator"] == "all criteria"]
    if len(overall):
        parts = [f"{r['year']} ({html.escape(str(r['id']))}): "
                 + ("&ndash;" if pd.isna(r["probability_met"]) else f"{100 * r['probability_met']:.0f} %")
                 for _, r in overall.iterrows()]
        out += (f"<p class=note>All of a milestone's criteria at once (a secondary figure, no higher than its "
                f"weakest criterion): {'; '.join(parts)}.</p>")
    return out


def judged_cells(r: pd.Series) -> list[str]:
    """A judged target's row of ``milestones.csv`` (a documented figure, a series year or a regime
    year) as table cells: its accepted range, the simulated median with its 90 % band, and whether
    the median is within."""
    ind = r["indicator"]
    return [f"{fmt(r['low'], ind)}&ndash;{fmt(r['high'], ind)}",
            f"{fmt(r['simulated_median'], ind)} ({fmt(r['simulated_p05'], ind)}&ndash;{fmt(r['simulated_p95'], ind)})",
            "yes" if bool(r["met"]) else "no"]


def documented_section(milestones: pd.DataFrame) -> str:
    d = milestones[milestones["kind"] == "documented"]
    comp = d[d["met"].notna()]
    rows, classes = [], []
    for _, r in comp.iterrows():
        rows.append([html.escape(r["id"]) + (" <i>(held out)</i>" if r.get("holdout") is True else ""),
                     html.escape(r["indicator"]), str(r["year"]), f"{html.escape(r['comparison'])} {fmt(r['target'], r['indicator'])}",
                     *judged_cells(r), html.escape(str(r["source"]))])
        classes.append("met" if bool(r["met"]) else "miss")
    out = table(["figure", "indicator", "year", "documented", "accepted range", "simulated median (90 %)", "within", "source"],
                rows, left=2, classes=classes)
    other = d[d["met"].isna()]
    if len(other):
        items = "".join(f"<li><b>{html.escape(r['id'])}</b> ({r['year']}, {fmt(r['target'])}): {html.escape(str(r['description']))}</li>"
                        for _, r in other.iterrows())
        out += f"<details><summary>{len(other)} documented figures not compared, and why</summary><ul class=note>{items}</ul></details>"
    return out


def regime_section(milestones: pd.DataFrame) -> str:
    """The regimes the calibration asks the model to stay in (bounds of reasoning, not figures), as this run has them."""
    d = milestones[(milestones["kind"] == "regime") & milestones["met"].notna()]
    if d.empty:
        return ""
    rows = [[html.escape(r["id"]), html.escape(r["indicator"]), str(r["year"]), *judged_cells(r)] for _, r in d.iterrows()]
    classes = ["met" if bool(m) else "miss" for m in d["met"]]
    return ("<h2>Regimes</h2><p class=note>Bounds of reasoning, not published figures (calibration/targets.yaml, "
            "<code>regimes:</code>): the evidence's lever responses hold only while the model stays in them, so the "
            "calibration fits them with the history. Outside them, read the levers' effects with care "
            "(docs/calibration.md, section 2).</p>"
            + table(["regime", "indicator", "year", "accepted range", "simulated median (90 %)", "within"], rows,
                    left=2, classes=classes))


def summary_sentences(summary: pd.DataFrame, milestones: pd.DataFrame, horizon: int) -> str:
    parts = []
    m = milestones[(milestones["kind"] == "milestone") & (milestones["indicator"] != "all criteria")]
    for year, rows in m.groupby("year", sort=True):
        basis = rows["basis"] if "basis" in rows else pd.Series("forecast", index=rows.index)
        fc, data = rows[basis == "forecast"], rows[basis == "scored on data"]
        text = []
        if len(fc):
            text.append(f"{int((fc['probability_met'] >= 0.5).sum())} of {len(fc)} forecast criteria are met in at "
                        f"least half the replicates")
        if len(data):
            text.append(f"{int(data['met'].astype(bool).sum())} of {len(data)} criteria scored on data are met")
        if text:
            parts.append(f"for {year}, {' and '.join(text)}")
    d = milestones[(milestones["kind"] == "documented") & milestones["met"].notna()]
    fit = f"{int(d['met'].astype(bool).sum())} of {len(d)} comparable documented figures are matched at the median"
    key = ", ".join(f"{name.replace('_', ' ')} {band(summary, name, horizon)}" for name in ("researchers", "foreign_talent", "rd_share_of_gdp", "cluster_rank"))
    crit = f"Milestone criteria: {'; '.join(parts)}. " if parts else ""
    return f"<p>In {horizon}: {key} (median, 90 % band). {crit}{fit.capitalize()}.</p>"


def forecast_section(forecast: pd.DataFrame | None, years: list[int], note: dict | None) -> str:
    """The indicators with a real series: median, the replicates' own band and the band with the
    model discrepancy, in the report's years."""
    if forecast is None or not len(forecast):
        why = (note or {}).get("why", "no model discrepancy was given")
        return f"<p class=note>No forecast bands with model discrepancy in this run: {html.escape(why)}.</p>"
    rows = []
    for indicator, part in forecast.groupby("indicator", sort=False):
        by_year = part.set_index("year")
        cells = []
        for y in years:
            if y not in by_year.index:
                cells.append("&ndash;")
                continue
            r = by_year.loc[y]
            cells.append(f"{fmt(r['median'], indicator)} <span class=na>({fmt(r['p05'], indicator)}&ndash;"
                         f"{fmt(r['p95'], indicator)}; own {fmt(r['model_p05'], indicator)}&ndash;"
                         f"{fmt(r['model_p95'], indicator)})</span>")
        rows.append([html.escape(indicator.replace("_", " ")), *cells])
    out = table(["indicator", *map(str, years)], rows)
    # where the calibration's misses of the fitted years were within the replicates' own spread, it
    # estimated no level error: up to the last fitted year the band is the replicates' own, and a
    # published value the fit misses can lie outside it
    flat = sorted(i for i, part in forecast.groupby("indicator") if (part["discrepancy_sd"] == 0).any())
    if flat:
        out += ("<p class=note>No level error was estimated for " + ", ".join(html.escape(i.replace("_", " ")) for i in flat)
                + ": the calibration's misses of their fitted years lay within the replicates' own spread, so up to "
                "the last fitted year their band is the replicates' own, and a published value the fit misses (listed "
                "in calibration/report.md) can lie outside it. After it, the error grows with the years as for "
                "every series.</p>")
    return out


def glossary_section() -> str:
    """Every indicator with its unit and what it measures (:data:`sim.indicators.INDICATORS`), folded."""
    from sim.indicators import INDICATORS

    rows = [[html.escape(i.name), html.escape(i.unit), html.escape(i.kind), html.escape(i.description)] for i in INDICATORS]
    return (f"<details><summary>What each of the {len(rows)} indicators measures</summary>"
            f"{table(['indicator', 'unit', 'stock or flow', 'what it measures'], rows, left=4)}</details>")


def write_run_report(tables: dict, folder: Path) -> None:
    """Write ``plots/*.png`` and ``report.html`` into ``folder``."""
    summary, milestones, manifest = tables["summary"], tables["milestones"], tables["manifest"]
    scenario = manifest["scenario"]
    name = scenario["name"]
    targets = load_targets()
    plot_dir = folder / "plots"
    plot_dir.mkdir(exist_ok=True)
    summaries = {name: summary}

    overview, panels = plots.panels(summaries, targets)
    (plot_dir / "overview.png").write_bytes(overview)
    for ind, data in panels.items():
        (plot_dir / f"{ind}.png").write_bytes(data)

    run = manifest["run"]
    horizon = int(run["horizon"])
    years = [y for y in (2020, 2025, 2030, 2035, horizon) if y <= horizon]
    years = sorted(set(years))
    key_rows = [[html.escape(i.replace("_", " ")), html.escape(indicators.BY_NAME[i].unit), *[band(summary, i, y) for y in years]]
                for i in plots.KEY_INDICATORS]
    lever_rows = [[html.escape(k), html.escape(", ".join(f"{q}: {v:g}" for q, v in changes.items()))]
                  for section in ("levers", "exogenous") for k, changes in scenario[section].items()]
    git = manifest.get("git", {})
    meta = (f"{run['replicates']} replicates, seed {run['seed']}, scale {run['scale']:g} (persons per agent), "
            f"2016&ndash;{horizon}; parameters: {html.escape(manifest['parameters']['source'])}; "
            f"innovsim {manifest['innovsim']}, commit {html.escape(str(git.get('commit') or 'unknown'))[:12]}"
            f"{' (modified)' if git.get('dirty') else ''}; created {manifest['created_utc']}")
    body = f"""
<h1>innovsim: {html.escape(name)}</h1>
<p>{html.escape(scenario['description'] or '')}</p>
<p class=meta>{meta}</p>
{"".join(f"<p class=warning><b>Warning:</b> {html.escape(w)}</p>" for w in manifest.get("warnings", []))}
<h2>Milestone criteria</h2>
<p class=note>Each goal of the plans is read as criteria on indicators with a published counterpart (see docs/model.md,
section 1, "Milestones made measurable"). A year the data cover is scored on the published value; later years are forecasts: the
share of replicates meeting the criterion, below it the chance that the real value meets it once the model's
structural error is added (model discrepancy; docs/calibration.md, section 4.1; for a ratio, its two indicators' errors
taken as independent; for a rank, as a factor on its continuous position), and the
median's distance to the threshold (for &ge; a negative distance is
a shortfall; for a rank, &le;, a positive one). Green, and "likely" in the status: met (on data), or a chance of at least
one half (with model error where it is shown, otherwise the share of replicates).</p>
{criteria_section(milestones)}
<h2>At a glance</h2>
{summary_sentences(summary, milestones, horizon)}
<figure>{img(panels["rd_expenditure_bn_yuan"], "R&D expenditure")}{img(panels["sci_papers"], "SCI papers")}{img(panels["cluster_rank"], "cluster rank")}</figure>
<h2>Fit to documented figures</h2>
{documented_section(milestones)}
{regime_section(milestones)}
<h2>Key indicators</h2>
<p class=note>Median across replicates, 90 % band in brackets.</p>
{table(["indicator", "unit", *map(str, years)], key_rows, left=2)}
{glossary_section()}
<h2>Forecast bands with the model's structural error</h2>
<p class=note>For the indicators with a published counterpart: the median, the 90 % forecast band, and (after "own")
the replicates' own band. The replicates' band holds the posterior's parameter uncertainty and the dice; the forecast
band adds the model discrepancy the calibration estimated from its misses of the fitted years, growing with the years
after them (forecast.csv; docs/calibration.md, section 4.1); calibration/backtest_2018/report.md tests such bands on years
the calibration did not see. Differences between scenarios carry no discrepancy (the shared error
cancels), so comparisons use the replicates' own bands. The milestone criteria above show both probabilities.</p>
{forecast_section(tables.get("forecast"), years, manifest.get("forecast"))}
<h2>Figures</h2>
<p class=note>Median across replicates with 50 % (dark) and 90 % (light) bands; filled black points: Beijing's real
yearly series 2016-2021 (shared/data), open diamonds: documented figures, each with its accepted range; dotted
lines: milestone years; short black bars: milestone thresholds (both for the milestones within the run's years).
Each panel is also in plots/ as its own PNG.</p>
<figure>{img(overview, "all key indicators")}</figure>
<h2>Levers and outside inputs in this scenario</h2>
<p class=note>Values per quarter where they change (from files: {html.escape(', '.join(Path(f).name for f in scenario['files']))}).</p>
{table(["input", "value from quarter"], lever_rows)}
<h2>Files</h2>
<p class=note>indicators.csv / indicators.parquet (one row per replicate and year), summary.csv (quantiles),
forecast.csv (bands with the model discrepancy, for indicators with a published counterpart),
milestones.csv (milestone criteria with threshold, source, basis, probability and distance; documented figures), manifest.json (everything needed to rerun), plots/.</p>
"""
    page = f"<!doctype html><html lang=en><head><meta charset=utf-8><title>innovsim: {html.escape(name)}</title><style>{CSS}</style></head><body>{body}</body></html>"
    (folder / "report.html").write_text(page, encoding="utf-8")
