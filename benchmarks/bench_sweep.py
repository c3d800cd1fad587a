"""Benchmark: sweep throughput and the cost of the Dask path.

1. Runs per minute of a Latin-hypercube sweep of the baseline at scale 10 (to 2035), with 1 and
   with 2 local worker processes, and the speed-up (target: at least 1.8 on 2 cores).
2. Per-run overhead of Dask against local processes: the same sweep of very short runs (scale 200,
   to 2020) through a LocalCluster of 2 workers and through 2 local processes; the difference in
   wall time per run, and the cluster's start-up time.

Prints the figures and writes them to ``benchmarks/results.json`` (key ``sweep``).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from common import ROOT, save

SPEC = """name: bench
scenario: {scenario}
design: {{method: lhs, samples: {samples}, seed: 1}}
replicates: 1
run: {{scale: {scale}, horizon: {horizon}}}
parameters:
  visa_processing_days: {{low: 5, high: 60, from: 2017}}
  ft_visa_weight: {{low: 0.1, high: 1.0}}
outputs:
  - {{indicator: foreign_talent, year: {horizon}}}
"""


def timed_sweep(tmp: Path, evaluator, samples: int, scale: float, horizon: int, tag: str) -> float:
    from sim.sweep.run import run_sweep
    from sim.sweep.spec import load_sweep

    spec = tmp / f"{tag}.yaml"
    spec.write_text(SPEC.format(scenario=ROOT / "scenarios" / "baseline.yaml", samples=samples, scale=scale, horizon=horizon))
    stats = run_sweep(load_sweep(spec), tmp / tag, evaluator, progress=False)
    return stats["seconds"]


def main() -> None:
    from sim.sweep.evaluators import DaskEvaluator, LocalEvaluator

    results: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        n = 12
        one = timed_sweep(tmp, LocalEvaluator(1), n, 10, 2035, "w1")
        two = timed_sweep(tmp, LocalEvaluator(2), n, 10, 2035, "w2")
        results["throughput_scale_10"] = {"runs": n, "seconds_1_worker": round(one, 2), "seconds_2_workers": round(two, 2),
                                          "runs_per_minute_1": round(60 * n / one, 1), "runs_per_minute_2": round(60 * n / two, 1),
                                          "speedup": round(one / two, 2)}
        print(f"scale 10, {n} runs: 1 worker {60 * n / one:.1f} runs/min, 2 workers {60 * n / two:.1f} runs/min, "
              f"speed-up {one / two:.2f}x")

        m = 60
        local = timed_sweep(tmp, LocalEvaluator(2), m, 200, 2020, "short_local")
        dask = DaskEvaluator(workers=2)
        t = time.perf_counter()
        with dask:
            start_up = time.perf_counter() - t
        dask_time = timed_sweep(tmp, DaskEvaluator(workers=2), m, 200, 2020, "short_dask")
        results["dask_overhead"] = {"runs": m, "seconds_local_2": round(local, 2), "seconds_dask_2_incl_start": round(dask_time, 2),
                                    "cluster_start_s": round(start_up, 2),
                                    "overhead_per_run_ms": round(1000 * (dask_time - start_up - local) / m, 1)}
        print(f"{m} short runs on 2 workers: local {local:.2f} s, Dask LocalCluster {dask_time:.2f} s "
              f"(of which about {start_up:.2f} s starting the cluster); overhead per run "
              f"{1000 * (dask_time - start_up - local) / m:.1f} ms")
    save("sweep", results)


if __name__ == "__main__":
    main()
