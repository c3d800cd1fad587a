"""How much the committed fit owes to its choices: the same calibration rerun with one choice changed.

A calibration rests on choices the data do not make: the sampler's seed, the distance at which
its threshold stops shrinking (``--min-epsilon``), and which targets it fits (here, whether the
regime of ``calibration/targets.yaml`` is among them). A reviewer who reads "6 of 13 series pass at
the posterior median" should know whether another seed gives 4 or 9, and what the regime cost.
Each *variant* is the committed calibration's command with exactly one choice changed
(``variants.yaml`` names it and gives the command), run on the same model code; its summary,
fit table and generations are kept in a folder of their own beside this file, with the identity
of its journal (code, settings, hashes of the targets and priors it read) in ``identity.json``.

This script compares them with the committed calibration (``calibration/``) on the issue's
criteria and the sampler's state:

* the sampler: simulations, generations, the threshold published, effective sample size (copies
  pooled) and distinct particles, and whether the regression adjustment was kept;
* the fit: points within tolerance at the posterior median (the issue's criterion) and at the
  predictive median, of the 75 fitted points; series passing (within in at least five of their
  years, or all where fewer) of 13, and which fail; the 90 % bands' coverage of the series points,
  with the discrepancy and the replicates' own; the regime's years held at the posterior median;
* the parameters: the medians of those the regime moved, and for every free parameter how far its
  median moved from the committed one, in units of its prior's width (the largest such move, and
  how many moved more than a tenth of the width).

It runs nothing. ``python calibration/variants/summarise.py`` writes ``summary.csv`` and
``summary.md`` here; ``python calibration/variants/summarise.py --collect NAME OUT WORK`` copies a
finished calibration's files (``--out OUT``, journal ``--work WORK``) into ``NAME/``.
``tests/test_variants.py`` checks that the committed summary is what the committed files give, and
that every variant ran on the model code of the committed calibration.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from pathlib import Path

import pandas as pd
import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from sim.calibration.history import fitted_points, series_summary  # noqa: E402
from sim.calibration.run import fit_table  # noqa: E402
from sim.targets import load_targets  # noqa: E402

COMMITTED = ROOT / "calibration"
#: Files of a calibration's output that a variant keeps (small; the posterior itself can be rebuilt
#: by the variant's command).
KEPT = ("summary.json", "fit.csv", "generations.csv")
#: Parameters whose medians the table shows: those the regime of section 2.4 of docs/calibration.md
#: moved most in the committed fit, with the decimals that show them.
SHOWN = {"res_entrants_per_year": 0, "org_capacity_headroom": 2, "firm_demand_gdp_elasticity": 2,
         "econ_patent_filing_growth_before_2016": 3, "econ_patent_grant_lag_years": 2}
#: A median that moves more than this share of its prior's width counts as moved.
MOVED = 0.10


def variants() -> list[dict]:
    """The variants of ``variants.yaml``, in its order."""
    return yaml.safe_load((HERE / "variants.yaml").read_text())["variants"]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class CollectError(ValueError):
    """Bad arguments to ``--collect``: one line on stderr, exit status 2, nothing written."""


def check_collect(name: str, out: Path, work: Path) -> None:
    """Refuse a name that is not a variant (or ``committed``) and folders that are not a finished
    calibration's output (``out``) and journal (``work``)."""
    names = [v["name"] for v in variants()]
    if name != "committed" and name not in names:
        raise CollectError(f"NAME: {name!r} is not a variant of variants.yaml ({', '.join(names)}) or committed")
    needed = ("summary.json", "posterior.parquet") + (() if name == "committed" else KEPT)
    missing = [f for f in needed if not (out / f).is_file()]
    if missing:
        raise CollectError(f"OUT {out}: no {missing[0]}; give the --out folder of a finished calibration")
    if not (work / "calibration.json").is_file() or not any(work.glob("check_median_*")):
        raise CollectError(f"WORK {work}: no calibration.json or check runs; give the --work folder (journal) "
                           "of the calibration in OUT")


def collect(name: str, out: Path, work: Path) -> None:
    """Copy a finished calibration (output folder ``out``, journal ``work``) into ``NAME/``: its kept
    files, its journal's identity and the fit of both populations it checked (:func:`populations`),
    judged on the targets it fitted (``NAME/targets.yaml`` where the variant has its own). For
    ``committed`` (the published calibration, whose files are ``calibration/`` itself) only the
    identity and the populations are written. Everything is read and scored before anything is
    written."""
    check_collect(name, out, work)
    folder = HERE / name
    journal = json.loads((work / "calibration.json").read_text())
    identity = {"source": journal["source"], "sampler": journal["sampler"], "settings":
                {k: v for k, v in journal["settings"].items() if k != "scenario"},
                "targets_sha256": hashlib.sha256(json.dumps(journal["targets"], sort_keys=True).encode()).hexdigest(),
                "priors_sha256": hashlib.sha256(json.dumps(journal["priors"], sort_keys=True).encode()).hexdigest(),
                "regimes": sorted({t["regime"] for t in journal["targets"] if t.get("regime")})}
    targets = folder / "targets.yaml" if (folder / "targets.yaml").exists() else COMMITTED / "targets.yaml"
    scored = populations(out, work, targets)
    folder.mkdir(exist_ok=True)
    if name != "committed":
        for file in KEPT:
            shutil.copyfile(out / file, folder / file)
    (folder / "identity.json").write_text(json.dumps(identity, indent=1) + "\n")
    (folder / "populations.json").write_text(json.dumps(scored, indent=1) + "\n")


def populations(out: Path, work: Path, targets_path: Path) -> list[dict]:
    """Both populations a calibration checked, judged as its fit table judges the published one.

    Where the regression adjustment is tried, the calibration runs the check (the baseline at full
    scale under posterior draws, and at the marginal medians) for the adjusted and for the sampled
    population, and publishes the one whose predictive medians lie nearer the targets
    (docs/calibration.md section 3). The journal keeps both checks (``check_{posterior,median}_<hash>``);
    this scores each with :func:`sim.calibration.run.fit_table` (no discrepancy: only the counts
    within tolerance are read), so the fit of the population *not* published is on record too."""
    published = _sha(out / "posterior.parquet")[:12]
    adjustment = json.loads((out / "summary.json").read_text())["adjustment"]
    kept = adjustment.get("kept", False)
    targets = [t for t in load_targets(targets_path) if t.comparable]
    found = []
    for median in sorted(work.glob("check_median_*")):
        sha = median.name.split("_")[2]
        draws = work / median.name.replace("check_median_", "check_posterior_")
        checks = {"median": _replicates(median), "posterior": _replicates(draws)}
        fit = fit_table(targets, checks, pd.DataFrame())
        is_published = sha == published
        found.append({"population": "adjusted" if is_published == kept else "sampled", "published": is_published,
                      "posterior_sha256": sha, **score(fit)})
    expected = 2 if adjustment.get("tried", False) else 1
    if len(found) != expected or sum(r["published"] for r in found) != 1:
        raise CollectError(f"WORK {work}: {len(found)} checks, {expected} expected with the published posterior among "
                         "them; a journal reused across code or posteriors holds others, so collect from a fresh one")
    return sorted(found, key=lambda r: not r["published"])


def score(fit: pd.DataFrame) -> dict:
    """A fit table's counts: fitted points within at the posterior and the predictive median, series
    passing (and which fail), regime years held at the posterior median."""
    fitted = fitted_points(fit)
    regime = fit[fit["kind"] == "regime"]
    passing, series, failing = series_passing(fit)
    return {"points": len(fitted),
            "within_at_posterior_median": int(fitted["within_at_posterior_median"].astype(bool).sum()),
            "within_at_predictive_median": int(fitted["within"].astype(bool).sum()),
            "series_passing": passing, "series": series, "failing": failing,
            "regime_held_at_posterior_median": int(regime["within_at_posterior_median"].astype(bool).sum()),
            "regime_years": len(regime)}


def _replicates(folder: Path) -> pd.DataFrame:
    return pd.concat([pd.read_parquet(p) for p in sorted(folder.glob("replicate_*.parquet"))], ignore_index=True)


def series_passing(fit: pd.DataFrame) -> tuple[int, int, list[str]]:
    """Series passing at the posterior median by the project's rule
    (:func:`sim.calibration.history.series_summary`): passing, all, and the failing ones by name."""
    judged = series_summary(fit)
    return int(judged["passes"].sum()), len(judged), list(judged.loc[~judged["passes"], "series"])


def row(label: str, folder: Path, reference: dict[str, float], widths: dict[str, float]) -> dict:
    """One line of the table: a calibration's sampler, fit and parameters."""
    summary = json.loads((folder / "summary.json").read_text())
    scored = score(pd.read_csv(folder / "fit.csv"))
    medians = summary["posterior_median"]
    moves = {n: abs(medians[n] - reference[n]) / widths[n] for n in widths}
    largest = max(moves, key=moves.get)
    adjustment = summary["adjustment"]
    return {
        "variant": label,
        "simulations": summary["simulations"]["fitting"], "minutes": round(summary["wall_seconds_total"] / 60, 1),
        "generations": summary["generations"], "published": summary["published_generation"],
        "threshold": round(summary["final_epsilon"], 3), "ess": round(summary["effective_sample_size"], 1),
        "distinct": summary["distinct_particles"], "adjusted": bool(adjustment.get("kept", False)),
        **{k: scored[k] for k in ("points", "within_at_posterior_median", "within_at_predictive_median", "series",
                                  "series_passing")},
        "failing": "; ".join(scored["failing"]),
        "coverage": summary["history"]["pooled_coverage"],
        "coverage_own": summary["history"]["pooled_coverage_model_only"],
        **{k: scored[k] for k in ("regime_years", "regime_held_at_posterior_median")},
        **{n: round(medians[n], d) for n, d in SHOWN.items()},
        "largest_move": largest, "largest_move_share": round(moves[largest], 3),
        "moved": sum(m > MOVED for m in moves.values()),
    }


def table() -> pd.DataFrame:
    """The committed calibration and every variant."""
    priors = yaml.safe_load((COMMITTED / "priors.yaml").read_text())["free"]
    widths = {n: float(p["high"]) - float(p["low"]) for n, p in priors.items()}
    reference = json.loads((COMMITTED / "summary.json").read_text())["posterior_median"]
    rows = [row("committed", COMMITTED, reference, widths)]
    rows += [row(v["name"], HERE / v["name"], reference, widths) for v in variants()]
    return pd.DataFrame(rows)


def markdown(t: pd.DataFrame) -> str:
    described = {v["name"]: v for v in variants()}
    lines = ["# The committed calibration against variants of its choices", "",
             "Each variant reruns the committed calibration's command with one choice changed, on the same "
             "model code (`identity.json` in its folder). Written by `calibration/variants/summarise.py`, "
             "which says what each column means; docs/calibration.md section 5.1 reads the table.", "",
             "| variant | what changed | command |", "|---|---|---|",
             "| committed | (the published fit) | `innovsim calibrate --budget 5000 --seed 1` |"]
    lines += [f"| {n} | {v['change']} | `{v['command']}` |" for n, v in described.items()]
    lines += ["", "## Sampler", "", "| variant | simulations | minutes | generations | published | threshold "
              "| ESS | distinct | adjusted |", "|---|---|---|---|---|---|---|---|---|"]
    lines += [f"| {r.variant} | {r.simulations:,} | {r.minutes:g} | {r.generations} | {r.published} | {r.threshold:g} "
              f"| {r.ess:g} | {r.distinct} | {'yes' if r.adjusted else 'no'} |" for r in t.itertuples()]
    lines += ["", "## Fit", "", "| variant | within at posterior median | within at predictive median | series "
              "passing | failing | coverage (with discrepancy) | coverage (own) | regime years held |",
              "|---|---|---|---|---|---|---|---|"]
    for r in t.itertuples():
        regime = f"{r.regime_held_at_posterior_median} of {r.regime_years}" if r.regime_years else "not fitted"
        lines.append(f"| {r.variant} | {r.within_at_posterior_median} of {r.points} | {r.within_at_predictive_median} "
                     f"of {r.points} | {r.series_passing} of {r.series} | {r.failing or 'none'} "
                     f"| {100 * r.coverage:.1f} % | {100 * r.coverage_own:.1f} % | {regime} |")
    lines += ["", "## Both populations checked", "", "Where the regression adjustment is tried, the calibration checks "
              "the adjusted and the sampled population and publishes the one whose predictive medians lie nearer the "
              "targets (docs/calibration.md section 3); `populations.json` in each folder scores both the same way.", "",
              "| variant | population | published | within at posterior median | within at predictive median "
              "| series passing | failing | regime years held |", "|---|---|---|---|---|---|---|---|"]
    for name in ["committed", *described]:
        for p in json.loads((HERE / name / "populations.json").read_text()):
            regime = f"{p['regime_held_at_posterior_median']} of {p['regime_years']}" if p["regime_years"] else "not fitted"
            lines.append(f"| {name} | {p['population']} | {'yes' if p['published'] else 'no'} "
                         f"| {p['within_at_posterior_median']} of {p['points']} "
                         f"| {p['within_at_predictive_median']} of {p['points']} | {p['series_passing']} of {p['series']} "
                         f"| {'; '.join(p['failing']) or 'none'} | {regime} |")
    lines += ["", "## Parameters", "", "Medians of the parameters the regime moved most; then, over all free "
              f"parameters, the largest move of a median from the committed one (in widths of its prior) and how "
              f"many moved more than {100 * MOVED:.0f} % of theirs.", "",
              "| variant | " + " | ".join(f"`{n}`" for n in SHOWN) + " | largest move | moved |",
              "|---|" + "---|" * (len(SHOWN) + 2)]
    for r in t.itertuples():
        values = " | ".join(f"{getattr(r, n):,.{d}f}" for n, d in SHOWN.items())
        largest = "" if r.variant == "committed" else f"`{r.largest_move}` {100 * r.largest_move_share:.0f} %"
        lines.append(f"| {r.variant} | {values} | {largest} | {'' if r.variant == 'committed' else r.moved} |")
    return "\n".join(lines) + "\n"


def summarise(out: Path = HERE) -> pd.DataFrame:
    t = table()
    t.to_csv(out / "summary.csv", index=False)
    (out / "summary.md").write_text(markdown(t))
    return t


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--collect":
        try:
            collect(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
        except CollectError as exc:
            print(f"summarise.py: {exc}", file=sys.stderr)
            sys.exit(2)
        print(f"collected {sys.argv[2]}")
    elif len(sys.argv) == 1:
        print(summarise().to_string(index=False))
    else:
        sys.exit("usage: python calibration/variants/summarise.py [--collect NAME OUT WORK]")
