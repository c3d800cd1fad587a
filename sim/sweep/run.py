"""A sweep from file to folder: design, tasks, execution, tables, indices and plots."""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from pathlib import Path

import pandas as pd

from sim.calibration.posterior import Posterior
from sim.inputs import check_output, locked, publish_files, remove_tree, staged
from sim.sweep import designs, sensitivity
from sim.sweep.execute import ModelContext, Store, assemble, execute, identity, make_tasks, model_task
from sim.sweep.spec import Sweep


def sweep_summary(sweep: Sweep) -> dict:
    return {"name": sweep.name, "file": str(sweep.path), "scenario": sweep.scenario.resolved(),
            "method": sweep.method, "samples": sweep.samples, "seed": sweep.seed, "second_order": sweep.second_order,
            "morris_levels": sweep.morris_levels, "replicates": sweep.replicates,
            "parameters": [asdict(p) | {"start": p.start.isoformat() if p.start else None} for p in sweep.parameters],
            "outputs": [list(o) for o in sweep.outputs], "base_parameters": sweep.base_parameters}


def run_sweep(sweep: Sweep, out: Path, evaluator, *, resume: bool = False, progress: bool = True) -> dict:
    """Run (or resume) ``sweep`` into ``out``; returns counts and timings."""
    design = designs.from_sweep(sweep)
    starts = {p.name: p.start for p in sweep.parameters if p.kind in ("lever", "exogenous")}
    if sweep.base_parameters == "median":
        posterior = Posterior.load()
        base, source = posterior.median(), {"source": "median", "posterior_sha256": posterior.sha256()}
    else:
        base, source = {}, {"source": "default"}
    context = ModelContext(sweep.scenario, float(sweep.scenario.run["scale"]), sweep.scenario.horizon, starts, base)
    tasks = make_tasks(design, sweep.replicates, int(sweep.scenario.run["seed"]), context)
    out = check_output(out)
    with locked(out):
        return _run(sweep, out, evaluator, design, tasks, identity(_portable(sweep), design, source), resume, progress)


def _portable(sweep: Sweep) -> dict:
    summary = sweep_summary(sweep)
    summary["scenario"] = {k: v for k, v in summary["scenario"].items() if k != "files"}   # paths may differ by machine
    return summary


def _run(sweep: Sweep, out: Path, evaluator, design, tasks, ident: dict, resume: bool, progress: bool) -> dict:
    store = Store(out)
    fresh = not out.exists() or not any(out.iterdir())
    store.prepare(ident, resume)
    try:
        pd.DataFrame(design.matrix, columns=list(design.names)).rename_axis("sample_id").reset_index() \
            .to_csv(out / "design.csv", index=False)
        stats = execute(tasks, model_task, store, evaluator, progress=progress, label=sweep.name)
    except BaseException:
        if fresh and not store.has_runs():     # e.g. an unreachable scheduler: leave nothing that blocks a retry
            remove_tree(out)
        raise
    t = time.perf_counter()
    with staged(out, inside=True) as stage:      # the derived outputs replace theirs file by file, each whole
        finish(stage, tasks, store, design, sweep.outputs, sweep.seed, sweep.name, sweep.description)
        stats["outputs_seconds"] = time.perf_counter() - t
        (stage / "timings.json").write_text(json.dumps(stats, indent=1))
        publish_files(stage, out)
    return stats


def finish(out: Path, tasks, store: Store, design, outputs, seed: int, title: str = "",
           description: str = "") -> dict[str, pd.DataFrame]:
    """Tables, sensitivity indices, plots and report from what is on disk (idempotent)."""
    from sim.report.sweep import write_sweep_plots, write_sweep_report

    runs, yearly = assemble(tasks, store, design, outputs)
    runs.to_parquet(out / "runs.parquet", index=False)
    runs.to_csv(out / "runs.csv", index=False)
    names = [f"{i}_{y}" for i, y in outputs]
    n_samples = len(design)
    table = sensitivity.indices(design, {n: sensitivity.sample_means(runs, n, n_samples) for n in names}, seed=seed)
    if design.method in ("sobol", "morris"):
        table.to_csv(out / "sensitivity.csv", index=False)
    if len(table.attrs.get("S2", [])):
        table.attrs["S2"].to_csv(out / "sensitivity_s2.csv", index=False)
    write_sweep_plots(out, runs, yearly, table, design, outputs)
    write_sweep_report(out, runs, table, design, outputs, title, description)
    return {"runs": runs, "sensitivity": table}
