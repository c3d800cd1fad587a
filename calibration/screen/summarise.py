"""Which hand-set parameters move the fitted targets: the Morris screen (``spec.yaml``) in brief.

**Indices.** Morris's ``mu*`` is the mean absolute elementary effect of a parameter (Morris 1991;
Campolongo, Cariboni & Saltelli 2007). SALib divides each step's change of the output by the
step, two thirds of the parameter's range on a four-level grid; multiplied back, it is the mean
absolute change of the output when the parameter moves by two thirds of its range, here called the
**effect**. The screen's runs spread over orders of magnitude (in some corners of the box
invention patents reach over a hundred times their median), and in the outputs' own units a few such
runs would decide every index, so the indices are computed on the **logarithm** of each output,
from the sweep's runs, with the sweep's own design and SALib (:func:`sim.sweep.sensitivity.indices`).
An effect of 0.05 is then a change of about 5 %. An output that is zero or negative in any run
cannot be logged and stops the summary.

**Rule.** A parameter **moves** an output when both hold:

* its effect less its 95 % bootstrap half-width exceeds the dummy's effect (the dummy only
  re-seeds the run: the noise floor; after Khorashadi Zadeh et al. 2017);
* its effect is at least :data:`MATERIAL`, 0.05 (about 5 %): half of 10 %, the tolerance of most
  fitted targets (``calibration/targets.yaml``), so a parameter that moves less cannot take a target
  across much of its tolerance.

Outputs that are one another's constant multiple in every run (R&D spending and its share of
GDP, R&D personnel and researchers in full-time equivalents, patents and invention patents, all
in 2021) have the same log indices; each such group counts as one target. A hand-set parameter that
moves a fitted target is one whose value the history could inform and whose uncertainty the bands
leave out: a candidate to free. The free parameters are counted by the same rule, for comparison.

``python calibration/screen/summarise.py SWEEP_FOLDER`` reads the folder's ``runs.parquet`` and
``sweep.json`` and writes ``sensitivity_log.csv``, ``summary.csv`` and ``summary.md`` beside this
file. The screen's own ``runs.parquet`` and ``sweep.json`` are committed here (``innovsim sweep
calibration/screen/spec.yaml --out DIR`` writes them: 1,490 runs in about 10 minutes on 2 cores), so
``summarise.py calibration/screen`` reproduces the committed summary; ``tests/test_screen.py``
checks that it does, and that the screen does not depend on the posterior.

Every free parameter is swept over its prior and every hand-set one over its range, so the
spec's base (``base_parameters``) sets only the parameters fixed from data (and the destination
shares left out, hand-set): the catalogue's values in every source. The spec names the catalogue
(``default``) as its base, so a new calibration does not make the screen stale.
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
DUMMY = "dummy"
#: Outputs of this year are projections; all earlier ones are fitted targets (series or figures).
PROJECTION_YEAR = "2035"
#: Smallest effect that counts, in log points (module docstring).
MATERIAL = 0.05
#: Rows of the hand-set ranking shown in summary.md (summary.csv has every parameter).
SHOWN = 25


def free_parameters() -> set[str]:
    return set(yaml.safe_load((ROOT / "calibration" / "priors.yaml").read_text())["free"])


def sweep_and_design():
    """The screen's sweep (``spec.yaml``) and its Morris design."""
    sys.path.insert(0, str(ROOT))
    from sim.sweep import designs
    from sim.sweep.spec import load_sweep

    sweep = load_sweep(HERE / "spec.yaml")
    return sweep, designs.from_sweep(sweep)


#: How the summary names the spec's base.
BASES = {"default": "the catalogue's values", "median": "the posterior median"}


def check_runs(runs: pd.DataFrame, recorded: dict, design) -> None:
    """Refuse runs that are not ``design``'s: the recorded design and every run's values must match."""
    from sim.sweep.execute import _sha

    if recorded.get("design", {}).get("matrix_sha") != _sha(design.matrix):
        raise SystemExit(f"sweep.json: its design is not the one {HERE / 'spec.yaml'} makes")
    ok = runs[runs["status"] == "ok"]
    for name in design.names:
        values = ok.groupby("sample_id")[name].first().reindex(range(len(design))).to_numpy()
        if not np.allclose(values, design.matrix[:, list(design.names).index(name)], equal_nan=True):
            raise SystemExit(f"runs.parquet: parameter {name} does not follow {HERE / 'spec.yaml'}")


def duplicates(runs: pd.DataFrame, outputs: list[str]) -> dict[str, str]:
    """Each output whose log is another's plus a constant in every run, mapped to the first of them."""
    ok = runs[runs["status"] == "ok"]
    same: dict[str, str] = {}
    for i, b in enumerate(outputs):
        for a in outputs[:i]:
            if a not in same and np.ptp(np.log(ok[b]) - np.log(ok[a])) < 1e-9:
                same[b] = a
                break
    return same


def log_indices(runs: pd.DataFrame, sweep, design) -> pd.DataFrame:
    """Morris indices of the log of every output of the screen, as effects (module docstring)."""
    from sim.sweep.sensitivity import indices, sample_means

    outputs = [f"{i}_{y}" for i, y in sweep.outputs]
    ok = runs[runs["status"] == "ok"]
    for o in outputs:
        if (ok[o] <= 0).any():
            raise SystemExit(f"runs.parquet: output {o} is zero or negative in {(ok[o] <= 0).sum()} runs; "
                             "its logarithm is undefined")
    logged = runs.copy()
    logged[outputs] = np.log(logged[outputs])
    table = indices(design, {o: sample_means(logged, o, len(design)) for o in outputs}, seed=sweep.seed)
    step = sweep.morris_levels / (2 * (sweep.morris_levels - 1))     # SALib's delta, in units of the range
    table["effect"], table["effect_conf"] = table["mu_star"] * step, table["mu_star_conf"] * step
    same = duplicates(runs, outputs)
    table["same_as"] = table["output"].map(same).fillna("")
    return table[["output", "same_as", "parameter", "effect", "effect_conf", "mu_star", "mu_star_conf", "sigma"]]


def classify(table: pd.DataFrame, free: set[str]) -> pd.DataFrame:
    """One row per parameter and distinct output: above noise, material, moves it."""
    t = table[table["same_as"].fillna("") == ""].copy()
    floor = t[t["parameter"] == DUMMY].set_index("output")["effect"]
    t["noise_floor"] = t["output"].map(floor)
    t["above_noise"] = (t["effect"] - t["effect_conf"]) > t["noise_floor"]
    t["moves"] = t["above_noise"] & (t["effect"] >= MATERIAL)
    t["group"] = t["parameter"].map(lambda p: "dummy" if p == DUMMY else ("free" if p in free else "hand-set"))
    t["fitted"] = ~t["output"].str.endswith(f"_{PROJECTION_YEAR}")
    return t


def rank(t: pd.DataFrame) -> pd.DataFrame:
    """One row per parameter: the targets and projections it moves, and its largest effect."""
    rows = []
    for name, g in t[t["group"] != "dummy"].groupby("parameter", sort=False):
        fit, proj = g[g["fitted"]], g[~g["fitted"]]
        top = g.loc[g["effect"].idxmax()]
        rows.append({"parameter": name, "group": g["group"].iloc[0],
                     "moves_fitted": int(fit["moves"].sum()), "moves_projections": int(proj["moves"].sum()),
                     "above_noise_fitted": int(fit["above_noise"].sum()),
                     "above_noise_projections": int(proj["above_noise"].sum()),
                     "largest_effect": float(top["effect"]), "largest_on": top["output"],
                     "fitted_moved": " ".join(fit.loc[fit["moves"], "output"])})
    out = pd.DataFrame(rows)
    return out.sort_values(["moves_fitted", "moves_projections", "largest_effect"],
                           ascending=False, kind="stable").reset_index(drop=True)


def markdown(ranked: pd.DataFrame, t: pd.DataFrame, table: pd.DataFrame, runs: pd.DataFrame,
             recorded: dict) -> str:
    hand, free = ranked[ranked["group"] == "hand-set"], ranked[ranked["group"] == "free"]
    n_fit, n_proj = int(t.loc[t["fitted"], "output"].nunique()), int(t.loc[~t["fitted"], "output"].nunique())
    merged = table.loc[table["same_as"] != "", ["output", "same_as"]].drop_duplicates()

    def share(group: pd.DataFrame, col: str, at_least: int) -> str:
        return f"{int((group[col] >= at_least).sum())} of {len(group)}"

    lines = [
        "# Screen of the hand-set parameters",
        "",
        f"Morris screen (`calibration/screen/spec.yaml`): {len(ranked)} parameters, {len(free)} free and "
        f"{len(hand)} hand-set; {len(runs)} runs, {int((runs['status'] == 'ok').sum())} finished. Every "
        f"parameter moves over its whole range (the free ones over their priors); the base, "
        f"{BASES.get(recorded.get('base', {}).get('source'), '?')}, holds only those fixed from data and the "
        f"three left out, so the runs do not depend on the posterior. Package code "
        f"{recorded.get('source', '?')}. Written by `calibration/screen/summarise.py`; method in its docstring "
        "and in docs/calibration.md, section 2.1.",
        "",
        f"Effect: the mean absolute change of the log output when the parameter moves by two thirds of "
        f"its range (0.05 is about 5 %). A parameter moves an output when its effect, less its 95 % "
        f"half-width, exceeds the dummy's and is at least {MATERIAL}. Targets counted once where two "
        f"outputs are constant multiples: " + "; ".join(f"{a} with {b}" for a, b in merged.itertuples(index=False))
        + f". That leaves {n_fit} fitted targets and {n_proj} projections.",
        "",
        "| | hand-set | free |",
        "|---|---|---|",
        f"| move at least one fitted target | {share(hand, 'moves_fitted', 1)} | {share(free, 'moves_fitted', 1)} |",
        f"| move three or more fitted targets | {share(hand, 'moves_fitted', 3)} | {share(free, 'moves_fitted', 3)} |",
        f"| move at least one projection (2035) | {share(hand, 'moves_projections', 1)} "
        f"| {share(free, 'moves_projections', 1)} |",
        f"| above noise on no output at all | "
        f"{int(((hand['above_noise_fitted'] + hand['above_noise_projections']) == 0).sum())} of {len(hand)} | "
        f"{int(((free['above_noise_fitted'] + free['above_noise_projections']) == 0).sum())} of {len(free)} |",
        "",
        f"## The {min(SHOWN, len(hand))} hand-set parameters that rank highest",
        "",
        f"| parameter | fitted targets moved (of {n_fit}) | projections moved (of {n_proj}) | largest effect | on |",
        "|---|---|---|---|---|",
    ]
    for _, r in hand.head(SHOWN).iterrows():
        lines.append(f"| `{r['parameter']}` | {r['moves_fitted']} | {r['moves_projections']} "
                     f"| {r['largest_effect']:.3f} | {r['largest_on']} |")
    lines += ["", "## The free parameters, for comparison", "",
              f"| parameter | fitted targets moved (of {n_fit}) | projections moved (of {n_proj}) "
              "| largest effect | on |", "|---|---|---|---|---|"]
    for _, r in free.iterrows():
        lines.append(f"| `{r['parameter']}` | {r['moves_fitted']} | {r['moves_projections']} "
                     f"| {r['largest_effect']:.3f} | {r['largest_on']} |")
    floor = t[t["group"] == "dummy"][["output", "effect"]]
    lines += ["", "## Noise floor (the dummy's effect)", "", "| output | dummy |", "|---|---|"]
    lines += [f"| {o} | {v:.4f} |" for o, v in floor.itertuples(index=False)]
    return "\n".join(lines) + "\n"


def summarise(sweep: Path, out: Path = HERE) -> pd.DataFrame:
    runs = pd.read_parquet(sweep / "runs.parquet")
    recorded = json.loads((sweep / "sweep.json").read_text())
    sweep, design = sweep_and_design()
    check_runs(runs, recorded, design)
    table = log_indices(runs, sweep, design)
    table.to_csv(out / "sensitivity_log.csv", index=False, float_format="%.6g")
    t = classify(table, free_parameters())
    ranked = rank(t)
    ranked.to_csv(out / "summary.csv", index=False, float_format="%.6g")
    (out / "summary.md").write_text(markdown(ranked, t, table, runs, recorded))
    return ranked


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python calibration/screen/summarise.py SWEEP_FOLDER")
    ranked = summarise(Path(sys.argv[1]))
    print(ranked.head(15).to_string(index=False))
