"""Benchmark: wall time and model runs of a calibration on this machine.

``python benchmarks/bench_calibrate.py`` runs the full calibration exactly as committed
(``innovsim calibrate --budget 5000 --workers 2``, 200 particles at scale 5, to the documented
figures and the real series 2016-2021, fit check of 40 + 40 full-scale replicates) into a
temporary folder, and reports its wall time, the number of model runs, the runs per second and the
posterior's size. Target: under 45 minutes on 2 cores.

``--smoke`` runs the smoke calibration the tests use (30 particles, scale 20, budget 120);
target: under 60 s. ``--smoke-backtest`` runs the tests' smoke backtest (``innovsim backtest
--train-until 2018``, 20 particles, scale 20, budget 60); target: under 60 s.

``--from-summary calibration/summary.json`` records the figures of a calibration that has
already run (the committed one) instead of running it again; the entry says so. Likewise
``--from-backtest calibration/backtest_2018`` records the committed backtest.

Prints the figures and writes them to ``benchmarks/results.json`` (key ``calibrate``,
``calibrate_smoke``, ``backtest`` or ``backtest_smoke``).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from common import save


def run(args: list[str]) -> tuple[float, dict]:
    from sim.cli import main

    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        code = main(["calibrate", "--work", f"{tmp}/work", "--out", f"{tmp}/out", "--quiet", *args])
        seconds = time.perf_counter() - started
        if code != 0:
            raise SystemExit(f"calibration failed with exit status {code}")
        return seconds, json.loads(Path(f"{tmp}/out/summary.json").read_text())


def figures(seconds: float, summary: dict, how: str) -> dict:
    sims = summary["simulations"]
    return {
        "how": how, "cores": os.cpu_count(), "wall_seconds": round(seconds, 1),
        "wall_minutes": round(seconds / 60, 2), "fitting_runs": sims["fitting"], "check_runs": sims["check"],
        "runs_per_second": round((sims["fitting"] + sims["check"]) / seconds, 2),
        "generations": summary["generations"], "final_epsilon": round(summary["final_epsilon"], 3),
        "stopped": summary["stopped"], "effective_sample_size": summary["effective_sample_size"],
        "fit": summary["fit"], "holdout": summary["holdout"], "history": summary.get("history"),
    }


def backtest_smoke() -> tuple[float, dict]:
    from sim.cli import main

    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        code = main(["backtest", "--train-until", "2018", "--budget", "60", "--particles", "20", "--scale", "20",
                     "--check-replicates", "4", "--check-scale", "20", "--workers", "2", "--out", f"{tmp}/bt", "--quiet"])
        seconds = time.perf_counter() - started
        if code != 0:
            raise SystemExit(f"backtest failed with exit status {code}")
        return seconds, read_backtest(Path(f"{tmp}/bt"))


def read_backtest(folder: Path) -> dict:
    """A finished backtest's backtest.json, with the check runs its training calibration made (2 x replicates
    for each candidate it checked, adjusted and sampled: read from its summary, not assumed)."""
    brief = json.loads((folder / "backtest.json").read_text())
    summary = json.loads((folder / "calibration" / "summary.json").read_text())
    return {**brief, "check_runs": int(summary["simulations"]["check"])}


def backtest_figures(seconds: float, brief: dict, how: str) -> dict:
    return {"how": how, "cores": os.cpu_count(), "wall_seconds": round(seconds, 1), "wall_minutes": round(seconds / 60, 2),
            "fitting_runs": brief["runs"], "check_runs": brief["check_runs"],
            "generations": brief["generations"], "final_epsilon": round(brief["final_epsilon"], 3),
            "coverage": brief["coverage"], "mape_model": brief["mape_model"], "mape_line": brief["mape_line"],
            "mape_loglinear": brief["mape_loglinear"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="the tests' smoke calibration only")
    parser.add_argument("--smoke-backtest", action="store_true", help="the tests' smoke backtest only")
    parser.add_argument("--from-summary", type=Path, help="record a finished calibration's summary.json")
    parser.add_argument("--from-backtest", type=Path, help="record a finished backtest's folder")
    args = parser.parse_args()
    if args.from_backtest:
        brief = read_backtest(args.from_backtest)
        result = backtest_figures(brief["calibration_seconds"], brief, f"recorded from {args.from_backtest} (innovsim backtest "
                                  f"--train-until {brief['train_until']} --budget {brief['budget']})")
        key = "backtest"
    elif args.smoke_backtest:
        seconds, brief = backtest_smoke()
        result = backtest_figures(seconds, brief, "smoke: backtest --train-until 2018 --budget 60 --particles 20 "
                                                  "--scale 20, 2 workers")
        key = "backtest_smoke"
    elif args.from_summary:
        summary = json.loads(args.from_summary.read_text())
        result = figures(summary["wall_seconds_total"], summary,
                         f"recorded from {args.from_summary} (innovsim calibrate --budget {summary['budget']})")
        key = "calibrate"
    elif args.smoke:
        seconds, summary = run(["--budget", "120", "--particles", "30", "--scale", "20", "--check-replicates", "4",
                                "--check-scale", "20", "--workers", "2"])
        result, key = figures(seconds, summary, "smoke: --budget 120 --particles 30 --scale 20, 2 workers"), "calibrate_smoke"
    else:
        seconds, summary = run(["--budget", "5000", "--workers", "2"])
        result, key = figures(seconds, summary, "innovsim calibrate --budget 5000 --workers 2"), "calibrate"
    for k, v in result.items():
        print(f"{k:>22}: {v}")
    target = 60 if key.endswith("_smoke") else 2700
    print(f"{'target':>22}: under {target} s -> {'met' if result['wall_seconds'] < target else 'NOT met'}")
    save(key, result)


if __name__ == "__main__":
    main()
