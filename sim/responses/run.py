"""Running the baseline and the experiments, paired by seed, resumable, into one output folder.

Every arm (the baseline and each experiment) runs the same replicates: replicate ``r`` uses the
seed :func:`sim.runner.replicate_seeds` gives it and the parameters it draws from the calibrated
posterior by that seed (as ``innovsim run`` does), so the arms differ only by the lever.

Each finished replicate is written at once to a partial folder beside the destination,
``.<out>.partial-<hash>/<arm hash>/replicate_NNNNN.parquet``; the first hash covers everything
common to the arms (baseline scenario, seed, scale, horizon, parameter source, model source),
the second the arm's schedules. A run started again with the same inputs reuses them (also
with more replicates or other ``--levers``). The folder is published with one rename, and an
existing one is replaced only with ``overwrite``, as for ``innovsim run``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from sim.errors import InputError
from sim.responses.effects import BASELINE, effects, missing_indicators
from sim.responses.experiments import HORIZONS, Experiment, experiments, reading_year, uncovered
from sim.runner import Job, publish, refuse_existing, replicate_seeds, run_resumable, source_fingerprint
from sim.scenario.schedule import changes

ROOT = Path(__file__).resolve().parents[2]
BASELINE_SCENARIO = ROOT / "scenarios" / "baseline.yaml"
HORIZON = reading_year(max(HORIZONS))


def choose(names: str | None) -> tuple[Experiment, ...]:
    """The experiments ``--levers`` names (comma-separated), or all of them."""
    catalogue = experiments()
    if names is None:
        return catalogue
    by_lever = {e.lever: e for e in catalogue}
    wanted = [n.strip() for n in names.split(",") if n.strip()]
    unknown = [n for n in wanted if n not in by_lever]
    twice = [n for i, n in enumerate(wanted) if n in wanted[:i]]
    if unknown or twice or not wanted:
        from sim.inputs import did_you_mean

        what = (f"unknown lever {unknown[0]!r}{did_you_mean(unknown[0], by_lever)}" if unknown else f"names {twice[0]!r} twice" if twice
                else "no lever named")
        raise InputError(f"{what}; allowed: {', '.join(by_lever)}", field="--levers")
    return tuple(e for e in catalogue if e.lever in wanted)


def _hash(payload: object) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()[:12]


def arm_hash(schedules: Mapping[str, np.ndarray]) -> str:
    return _hash({name: changes(np.asarray(q)) for name, q in sorted(schedules.items())})


def run_responses(out: Path, *, scale: float = 10.0, replicates: int = 10, seed: int = 1, workers: int = 1,
                  overwrite: bool = False, levers: str | None = None, progress: bool = True,
                  scenario_path: Path = BASELINE_SCENARIO, parameter_source: str = "posterior") -> dict:
    """Run the check and publish ``out`` (responses.csv, report.md, report.html, ...); returns a summary."""
    from sim.calibration.posterior import for_replicates
    from sim.responses.report import write_report
    from sim.scenario import load_scenario

    chosen = choose(levers)
    scenario = load_scenario(scenario_path, horizon=HORIZON)
    seeds = replicate_seeds(seed, replicates)
    draws = for_replicates(parameter_source, seeds, scenario.parameters)
    out = refuse_existing(out, overwrite)

    base = scenario.quarterly(HORIZON)
    arms: list[tuple[str, dict[str, np.ndarray]]] = [(BASELINE, base)] + [(e.lever, e.apply(base)) for e in chosen]
    common = _hash({"scenario": scenario.resolved() | {"run": None}, "seed": seed, "scale": scale, "horizon": HORIZON,
                    "parameters": draws.provenance, "source": source_fingerprint()})
    partial = out.parent / f".{out.name}.partial-{common}"
    jobs: list[Job] = []
    folder_of: dict[int, Path] = {}
    for _, schedules in arms:
        folder = partial / arm_hash(schedules)
        for r, s in enumerate(seeds):
            job = Job(r, s, schedules, draws.parameters[r], scale, HORIZON)
            jobs.append(job)
            folder_of[id(job)] = folder
    frames, reused = run_resumable(jobs, lambda job: folder_of[id(job)] / f"replicate_{job.replicate:05d}.parquet",
                                   workers, progress=progress, desc="responses")
    names = [name for name, _ in arms for _ in seeds]
    table = pd.concat([f.assign(arm=name) for name, f in zip(names, frames)], ignore_index=True)
    table = table[["arm", *[c for c in table.columns if c != "arm"]]]
    result = effects(table, chosen, base)
    manifest = {
        "created_utc": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "baseline": str(scenario.path), "replicates": replicates, "seed": seed, "scale": scale, "horizon": HORIZON,
        "change_from": "2026-01-01", "reading_years": {f"year {k}": reading_year(k) for k in HORIZONS},
        "replicate_seeds": seeds, "parameters": draws.provenance, "source_fingerprint": source_fingerprint(),
        "experiments": [e.lever for e in chosen], "uncovered_catalogue_entries": list(uncovered()),
        "skipped_indicators": missing_indicators(chosen), "replicates_reused": reused,
    }

    def write(folder: Path) -> None:
        result.to_csv(folder / "responses.csv", index=False)
        table.to_parquet(folder / "replicates.parquet", index=False)
        (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str) + "\n")
        write_report(result, manifest, folder)

    publish(out, write, overwrite=overwrite, staging=partial / "complete")
    for stale in out.parent.glob(f".{out.name}.partial-*"):     # ours, and any left by other inputs
        shutil.rmtree(stale, ignore_errors=True)
    return {"out": out, "table": result, "manifest": manifest}


def summary_line(result: pd.DataFrame) -> str:
    checked = result[result["inside"].notna()]
    inside = int(checked["inside"].sum())
    off = int((checked["consistent"] == False).sum())  # noqa: E712 - nullable booleans
    far = int((checked["consistent_familywise"] == False).sum())  # noqa: E712
    return (f"{inside} of {len(checked)} checks inside their evidence range; {off} inconsistent with it at two "
            f"standard errors, {far} at the family-wise 5 % level "
            f"({result['lever'].nunique()} levers and inputs; {int(result['inside'].isna().sum())} rows skipped)")


def describe_skips(skipped: Sequence[str]) -> str | None:
    if not skipped:
        return None
    return f"indicators not in this model yet, rows skipped: {', '.join(skipped)}"
