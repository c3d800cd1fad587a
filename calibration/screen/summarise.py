"""Rank the hand-set parameters against the fitted ones from the Morris screen (``spec.yaml``).

Morris's ``mu*`` is the mean absolute elementary effect of moving a parameter by two thirds of its
range (four levels; Morris 1991; Campolongo, Cariboni & Saltelli 2007). The screen's runs spread
over orders of magnitude (in some corners of the box invention patents run to a hundred times
their median, certified firms fall to a twentieth), and in the outputs' own units a few such runs
would decide every index. The indices are therefore computed here on the **logarithm** of each
output, from the sweep's runs, with the sweep's own Morris design and SALib (through
:func:`sim.sweep.sensitivity.indices`): ``mu*`` is then the typical change of the output in log
points (0.1 is about 10 %), comparable across outputs. For each output a parameter is

* **above noise** when its ``mu*`` less its 95 % bootstrap half-width exceeds the dummy's ``mu*``
  (the dummy only re-seeds the run; Khorashadi Zadeh et al. 2017), and
* **as strong as a fitted one** when, above noise, its ``mu*`` is at least the median ``mu*`` of
  the 27 free parameters on that output.

A hand-set parameter as strong as a fitted one on a fitted target is one whose value the history
could inform and whose uncertainty the bands leave out: a candidate to free. The count over the
18 fitted targets (the twelve series in 2021 and six documented figures of 2018-2020) and over the
five projections (2035) ranks them.

``python calibration/screen/summarise.py SWEEP_FOLDER`` reads the folder's ``runs.parquet`` and
writes ``sensitivity_log.csv``, ``summary.csv`` and ``summary.md`` beside this file. The screen's
own ``runs.parquet`` is committed here (the sweep's ``innovsim sweep calibration/screen/spec.yaml
--out DIR`` writes it, 1,490 runs in 17 minutes on 2 cores), so ``summarise.py calibration/screen``
reproduces the committed summary; ``tests/test_screen.py`` checks that it does.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DUMMY = "dummy"
#: Outputs of this year are projections; all earlier ones are fitted targets (series or figures).
PROJECTION_YEAR = "2035"
#: Rows of the hand-set ranking shown in summary.md (summary.csv has every parameter).
SHOWN = 25


def free_parameters() -> set[str]:
    return set(yaml.safe_load((ROOT / "calibration" / "priors.yaml").read_text())["free"])


def log_indices(runs: pd.DataFrame) -> pd.DataFrame:
    """Morris indices of the log of every output of the screen, from its runs (module docstring)."""
    sys.path.insert(0, str(ROOT))
    from sim.sweep import designs
    from sim.sweep.sensitivity import indices, sample_means
    from sim.sweep.spec import load_sweep

    sweep = load_sweep(HERE / "spec.yaml")
    design = designs.from_sweep(sweep)
    ok = runs[runs["status"] == "ok"]
    for name in design.names:                # the runs are the design's: refuse a folder of another screen
        values = ok.groupby("sample_id")[name].first().reindex(range(len(design))).to_numpy()
        if not np.allclose(values, design.matrix[:, list(design.names).index(name)], equal_nan=True):
            raise SystemExit(f"the runs do not follow {HERE / 'spec.yaml'}: parameter {name} differs")
    logged = runs.copy()
    outputs = [f"{i}_{y}" for i, y in sweep.outputs]
    logged[outputs] = np.log(logged[outputs].where(logged[outputs] > 0))
    return indices(design, {o: sample_means(logged, o, len(design)) for o in outputs}, seed=sweep.seed)


def classify(sensitivity: pd.DataFrame, free: set[str]) -> pd.DataFrame:
    """One row per parameter and output: effect in log points, above noise, as strong as a fitted one."""
    t = sensitivity[["output", "parameter", "mu_star", "mu_star_conf"]].copy()
    t["relative_effect"] = t["mu_star"]
    floor = t[t["parameter"] == DUMMY].set_index("output")["mu_star"]
    t["noise_floor"] = t["output"].map(floor)
    t["above_noise"] = (t["mu_star"] - t["mu_star_conf"]) > t["noise_floor"]
    fitted_median = t[t["parameter"].isin(free)].groupby("output")["mu_star"].median()
    t["free_median"] = t["output"].map(fitted_median)
    t["as_strong_as_fitted"] = t["above_noise"] & (t["mu_star"] >= t["free_median"])
    t["group"] = t["parameter"].map(lambda p: "dummy" if p == DUMMY else ("free" if p in free else "hand-set"))
    t["fitted"] = ~t["output"].str.endswith(f"_{PROJECTION_YEAR}")
    return t


def rank(t: pd.DataFrame) -> pd.DataFrame:
    """One row per parameter: counts over fitted series and projections, and its largest effect."""
    rows = []
    for name, g in t[t["group"] != "dummy"].groupby("parameter", sort=False):
        fit, proj = g[g["fitted"]], g[~g["fitted"]]
        top = g.loc[g["relative_effect"].idxmax()]
        rows.append({"parameter": name, "group": g["group"].iloc[0],
                     "strong_on_fitted": int(fit["as_strong_as_fitted"].sum()),
                     "strong_on_projections": int(proj["as_strong_as_fitted"].sum()),
                     "above_noise_fitted": int(fit["above_noise"].sum()),
                     "above_noise_projections": int(proj["above_noise"].sum()),
                     "largest_relative_effect": float(top["relative_effect"]),
                     "largest_on": top["output"]})
    out = pd.DataFrame(rows)
    return out.sort_values(["strong_on_fitted", "strong_on_projections", "largest_relative_effect"],
                           ascending=False, kind="stable").reset_index(drop=True)


def markdown(ranked: pd.DataFrame, t: pd.DataFrame, runs: pd.DataFrame) -> str:
    hand = ranked[ranked["group"] == "hand-set"]
    free = ranked[ranked["group"] == "free"]
    n_fit, n_proj = int(t.loc[t["fitted"], "output"].nunique()), int(t.loc[~t["fitted"], "output"].nunique())
    strong = hand[hand["strong_on_fitted"] > 0]
    lines = [
        "# Screen of the hand-set parameters",
        "",
        f"Morris screen (`calibration/screen/spec.yaml`): {len(ranked)} parameters, {len(free)} free and "
        f"{len(hand)} hand-set; {len(runs)} runs, {int((runs['status'] == 'ok').sum())} finished. Indices of "
        "the log of each output, so an effect of 0.10 is about 10 %. Written by "
        "`calibration/screen/summarise.py`; the method is in its docstring and in docs/calibration.md, "
        "section 2.1.",
        "",
        f"- Hand-set parameters as strong as the median fitted one on at least one of the {n_fit} fitted "
        f"targets (twelve series in 2021, six documented figures): **{len(strong)}** of {len(hand)}.",
        f"- On at least one of the {n_proj} projections (2035): "
        f"**{int((hand['strong_on_projections'] > 0).sum())}**.",
        f"- Hand-set parameters above noise on no output at all: "
        f"{int(((hand['above_noise_fitted'] + hand['above_noise_projections']) == 0).sum())}.",
        f"- Free parameters above noise on no fitted target: "
        f"{int((free['above_noise_fitted'] == 0).sum())} of {len(free)}.",
        "",
        f"## The {min(SHOWN, len(hand))} hand-set parameters that rank highest",
        "",
        f"| parameter | strong on fitted targets (of {n_fit}) | strong on projections (of {n_proj}) "
        "| largest effect (log points) | on |",
        "|---|---|---|---|---|",
    ]
    for _, r in hand.head(SHOWN).iterrows():
        lines.append(f"| `{r['parameter']}` | {r['strong_on_fitted']} | {r['strong_on_projections']} "
                     f"| {r['largest_relative_effect']:.3f} | {r['largest_on']} |")
    lines += ["", "## The free parameters, for comparison", "",
              f"| parameter | strong on fitted targets (of {n_fit}) | strong on projections (of {n_proj}) "
              "| largest effect (log points) | on |", "|---|---|---|---|---|"]
    for _, r in free.iterrows():
        lines.append(f"| `{r['parameter']}` | {r['strong_on_fitted']} | {r['strong_on_projections']} "
                     f"| {r['largest_relative_effect']:.3f} | {r['largest_on']} |")
    floor = t[t["group"] == "dummy"][["output", "relative_effect"]]
    lines += ["", "## Noise floor (the dummy's mu*, log points)", "", "| output | dummy |", "|---|---|"]
    lines += [f"| {o} | {v:.4f} |" for o, v in floor.itertuples(index=False)]
    return "\n".join(lines) + "\n"


def summarise(sweep: Path, out: Path = HERE) -> pd.DataFrame:
    runs = pd.read_parquet(sweep / "runs.parquet")
    sensitivity = log_indices(runs)
    sensitivity.to_csv(out / "sensitivity_log.csv", index=False, float_format="%.6g")
    t = classify(sensitivity, free_parameters())
    ranked = rank(t)
    ranked.to_csv(out / "summary.csv", index=False, float_format="%.6g")
    (out / "summary.md").write_text(markdown(ranked, t, runs))
    return ranked


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python calibration/screen/summarise.py SWEEP_FOLDER")
    ranked = summarise(Path(sys.argv[1]))
    print(ranked.head(15).to_string(index=False))
