"""After how many years of burn-in does the model's 2016 start stop drifting? (``spec.yaml``)

**Measure.** For every output, knowledge-share gain and burn-in length ``b``, the paired log
difference from the longest burn-in studied at the same gain, ``d_r(b) = log y_r(b) - log y_r(10)``,
replicate by replicate: the replicates share their seeds across lengths and gains (common random
numbers), so most of the noise cancels and what is left is the drift the extra years remove. Its
mean over the replicates, ``d(b)``, is the **drift** of a start after ``b`` years; its standard
error says how well the runs measure it.

**Rule.** An output has **settled** after ``b`` years when, at ``b`` and every longer length
studied, the drift is within :data:`MATERIAL` (0.05 log points, about 5 %: half the 10 % tolerance
of most fitted targets, the screen's threshold, ``calibration/screen/summarise.py``) or within two
standard errors of zero. The burn-in settles the start when every fitted output has settled. An
output whose drift is material at every length but the reference has **not settled** within the
lengths studied (the reference's own drift is zero by definition and says nothing).

**Attribution.** Every length is run with the knowledge-share gain at zero (no selection of firms
by patents per worker) and at a positive gain; the comparisons at each gain say which drift the
selection causes, and the paired log difference between the two gains at the model's burn-in is
what the selection adds to each output. The main table is the gain the model runs with (its
catalogue value).

``python calibration/burnin/summarise.py SWEEP_FOLDER`` reads the folder's ``runs.parquet`` and
``sweep.json`` and writes ``summary.csv`` and ``summary.md`` beside this file; the study's own
``runs.parquet`` and ``sweep.json`` are committed here, so ``summarise.py calibration/burnin``
reproduces the committed summary (``tests/test_burnin.py`` checks that it does).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
LENGTH, GAIN = "init_burn_in_years", "firm_knowledge_share_gain"
#: Largest drift that does not matter, in log points (module docstring).
MATERIAL = 0.05
#: Outputs of this year are projections; all earlier ones are fitted targets (series or figures).
PROJECTION_YEAR = "2035"


def _logged(runs: pd.DataFrame, output: str, gain: float) -> pd.DataFrame:
    """log of ``output``, replicates by burn-in lengths, at ``gain``; refuses values that cannot be logged."""
    ok = runs[(runs["status"] == "ok") & (runs[GAIN] == gain)]
    wide = ok.pivot(index="replicate", columns=LENGTH, values=output)
    if (wide <= 0).any().any():
        raise SystemExit(f"runs.parquet: {output} is zero or negative in some run; its log is undefined")
    return np.log(wide)


def drift(runs: pd.DataFrame, outputs: list[str]) -> pd.DataFrame:
    """Mean paired log difference from the longest burn-in at the same gain, and its standard
    error, per output, gain and length."""
    rows = []
    for gain in sorted(runs[GAIN].unique()):
        for output in outputs:
            logged = _logged(runs, output, gain)
            longest = logged.columns.max()
            for length in logged.columns:
                d = (logged[length] - logged[longest]).dropna()
                se = float(d.std(ddof=1) / np.sqrt(d.size)) if d.size > 1 else float("nan")
                rows.append({"output": output, "gain": float(gain), "years": int(length), "drift": float(d.mean()),
                             "se": se, "median": float(np.exp(logged[length].median())), "replicates": int(d.size)})
    return pd.DataFrame(rows)


def settled_after(table: pd.DataFrame) -> pd.Series:
    """Per output (of one gain), the shortest burn-in after which the drift stays immaterial
    (module docstring); None where only the reference, the longest burn-in, qualifies."""
    small = (table["drift"].abs() <= MATERIAL) | (table["drift"].abs() <= 2 * table["se"])
    out = {}
    for output, group in table.assign(small=small).groupby("output", sort=False):
        group = group.sort_values("years")
        ok = group["small"].to_numpy()
        later_all = np.flip(np.logical_and.accumulate(np.flip(ok)))    # immaterial here and at every longer length
        first = int(group["years"].to_numpy()[later_all.argmax()])
        out[output] = first if first < group["years"].max() else None
    return pd.Series(out, name="settled_after", dtype=object)


def selection_effect(runs: pd.DataFrame, outputs: list[str], length: int, gain: float) -> pd.DataFrame:
    """Paired log difference between ``gain`` and zero gain at burn-in ``length``, per output."""
    rows = []
    for output in outputs:
        d = (_logged(runs, output, gain)[length] - _logged(runs, output, 0.0)[length]).dropna()
        rows.append({"output": output, "effect": float(d.mean()), "se": float(d.std(ddof=1) / np.sqrt(d.size))})
    return pd.DataFrame(rows).set_index("output")


def _years(s) -> str:
    return str(s) if s is not None else "not settled"


def markdown(table: pd.DataFrame, settled: dict[float, pd.Series], effect: pd.DataFrame, recorded: dict,
             runs: pd.DataFrame, current: int, model_gain: float, scale: float) -> str:
    lengths = sorted(table["years"].unique())
    longest = max(lengths)
    on = max(settled)                                  # the positive gain studied
    main, other_gain = settled[model_gain], (0.0 if model_gain == on else on)
    other = settled[other_gain]
    fitted = [o for o in main.index if not o.endswith(PROJECTION_YEAR)]
    late = [o for o in fitted if main[o] is None or main[o] > current]
    late_other = [o for o in fitted if other[o] is None or other[o] > current]
    ok = runs[runs["status"] == "ok"]
    lines = [
        "# How long the burn-in must be",
        "",
        f"Grid of `{LENGTH}` over {', '.join(str(v) for v in lengths)} years and `{GAIN}` at "
        f"{' and '.join(str(g) for g in sorted(settled))} (the model runs {model_gain}; `calibration/burnin/spec.yaml`), "
        f"{int(table['replicates'].max())} replicates each on common random numbers, scale {scale}, other parameters at "
        f"the posterior median (`posterior.parquet` sha256 {recorded['base']['posterior_sha256'][:12]}); {len(ok)} of "
        f"{len(runs)} runs finished; package code {recorded['source']}. Written by `calibration/burnin/summarise.py`; "
        "the rule is in its docstring.",
        "",
        f"Drift: mean paired log difference from the {longest}-year burn-in at the same gain (0.05 is about 5 %), "
        f"with its standard error. Settled after: the shortest burn-in from which the drift stays within {MATERIAL} "
        f"or two standard errors; \"not settled\": material at every length below {longest}.",
        "",
        f"**The model runs a {current}-year burn-in with the gain at {model_gain}. After it, {len(late)} of the "
        f"{len(fitted)} fitted outputs have not settled** ({', '.join(f'`{o}`' for o in late) or 'none'}). With the "
        f"gain at {other_gain}, {len(late_other)} have not ({', '.join(f'`{o}`' for o in late_other) or 'none'}).",
        "",
        f"## Drift with the gain the model runs ({model_gain})",
        "",
        "| output | settled after (years) | " + " | ".join(f"drift at {v}" for v in lengths if v != longest) + " |",
        "|---|---|" + "---|" * (len(lengths) - 1),
    ]
    for output in main.index:
        g = table[(table["output"] == output) & (table["gain"] == model_gain)].set_index("years")
        cells = [f"{g.loc[v, 'drift']:+.3f} ± {g.loc[v, 'se']:.3f}" for v in lengths if v != longest]
        lines.append(f"| `{output}` | {_years(main[output])} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "## What the selection of firms by knowledge does",
        "",
        f"Settled after, and drift at the model's {current}-year burn-in, with the gain at {on} and at 0; and the "
        f"selection's effect: the paired log difference between gain {on} and gain 0 at the {current}-year burn-in.",
        "",
        f"| output | settled after, gain {on} | settled after, gain 0 | drift at {current}, gain {on} | "
        f"drift at {current}, gain 0 | selection's effect at {current} |",
        "|---|---|---|---|---|---|",
    ]
    for output in main.index:
        at = {gn: table[(table["output"] == output) & (table["gain"] == gn) & (table["years"] == current)].iloc[0]
              for gn in (on, 0.0)}
        e = effect.loc[output]
        lines.append(f"| `{output}` | {_years(settled[on][output])} | {_years(settled[0.0][output])} | "
                     f"{at[on]['drift']:+.3f} ± {at[on]['se']:.3f} | {at[0.0]['drift']:+.3f} ± {at[0.0]['se']:.3f} | "
                     f"{e['effect']:+.3f} ± {e['se']:.3f} |")
    return "\n".join(lines) + "\n"


def summarise(sweep: Path, out: Path = HERE) -> pd.DataFrame:
    runs = pd.read_parquet(sweep / "runs.parquet")
    recorded = json.loads((sweep / "sweep.json").read_text())
    outputs = [f"{i}_{y}" for i, y in recorded["sweep"]["outputs"]]
    sys.path.insert(0, str(ROOT))
    from sim.parameters import Parameters

    defaults = Parameters.defaults()
    current, model_gain = int(round(defaults.init_burn_in_years)), float(getattr(defaults, GAIN))
    table = drift(runs, outputs)
    settled = {g: settled_after(table[table["gain"] == g]) for g in sorted(table["gain"].unique())}
    if set(settled) != {0.0, max(settled)} or model_gain not in settled:
        raise SystemExit(f"runs.parquet: {GAIN} must take 0 and one positive value, one of them the model's {model_gain}")
    effect = selection_effect(runs, outputs, current, max(settled))
    both = pd.concat([s.rename_axis("output").reset_index().assign(gain=g) for g, s in settled.items()])
    table.merge(both, on=["output", "gain"]).to_csv(out / "summary.csv", index=False)
    scale = yaml.safe_load((HERE / "spec.yaml").read_text())["run"]["scale"]
    (out / "summary.md").write_text(markdown(table, settled, effect, recorded, runs, current, model_gain, scale))
    return table


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python calibration/burnin/summarise.py SWEEP_FOLDER")
    summarise(Path(sys.argv[1]))
    print((HERE / "summary.md").read_text())
