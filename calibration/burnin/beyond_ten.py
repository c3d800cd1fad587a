"""Do invention patents settle with burn-ins longer than the catalogue's ten years?

The settling study (``spec.yaml``, ``summarise.py``) stops at ten years, the top of
``init_burn_in_years``' range. With the knowledge-share gain at 0.05 the patents had not settled
by then, so this script runs the baseline at the posterior median with burn-ins of 10, 15, 20 and 30
years, six replicates each on common random numbers (seed 23, scale 5, as the study), and prints
the median invention patents granted in 2016, 2021 and 2035 and the paired log drift from the
ten-year burn-in. It builds the parameters directly, past the catalogue's bound, which no command
allows: it is a measurement of the model, not a setting to run it with.

    python calibration/burnin/beyond_ten.py [GAIN]      # default 0.05; about a minute on 2 cores
"""

from __future__ import annotations

import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

LENGTHS, REPLICATES, SEED, SCALE, YEARS = (10, 15, 20, 30), 6, 23, 5, (2016, 2021, 2035)


def one(job: tuple[int, float, int]) -> tuple[int, list[float]]:
    years, gain, replicate = job
    from sim.calibration.posterior import Posterior
    from sim.model import InnovationModel
    from sim.parameters import Parameters
    from sim.runner import replicate_seeds
    from sim.scenario import load_scenario

    median = Parameters.defaults().replace(**Posterior.load(ROOT / "calibration" / "posterior.parquet").median())
    params = Parameters({**{k: median[k] for k in median}, "init_burn_in_years": float(years),
                         "firm_knowledge_share_gain": gain})
    model = InnovationModel(load_scenario(ROOT / "scenarios" / "baseline.yaml").quarterly(), params, scale=SCALE,
                            rng=replicate_seeds(SEED, REPLICATES)[replicate])
    try:
        by_year = {r["year"]: r for r in model.run()}
    finally:
        model.release()
    return years, [by_year[y]["invention_patents_granted"] for y in YEARS]


def main() -> None:
    gain = float(sys.argv[1]) if len(sys.argv) > 1 else 0.05
    jobs = [(y, gain, r) for y in LENGTHS for r in range(REPLICATES)]
    with ProcessPoolExecutor(2) as pool:
        results = list(pool.map(one, jobs))
    logged = {y: np.log([v for yy, v in results if yy == y]) for y in LENGTHS}
    print(f"gain {gain}; invention patents granted in {YEARS}, median, and paired log drift from 10 years (± s.e.)")
    for y in LENGTHS:
        d = logged[y] - logged[LENGTHS[0]]
        se = d.std(axis=0, ddof=1) / np.sqrt(len(d))
        print(f"{y:>3} years: " + ", ".join(f"{np.exp(np.median(logged[y][:, i])):,.0f} ({d[:, i].mean():+.2f} ± {se[i]:.2f})"
                                          for i in range(len(YEARS))))


if __name__ == "__main__":
    main()
