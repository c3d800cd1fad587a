"""Run the model at both ends of every range in ``spec.yaml``, one parameter at a time, to 2019.

A Morris design visits each range's ends, and a run that fails there would break a trajectory.
This check, run before the screen, sets each swept parameter to its low and then its high end with
every other parameter at its catalogue value, runs the baseline to 2019 at 50 persons per agent,
and prints every failure (none when it was run before the committed screen: 288 runs, 19 s on 2
cores; 294 runs before three parameters were removed). ``python calibration/screen/check_ends.py [--workers N]``.
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from sim.sweep.spec import DUMMY, load_sweep  # noqa: E402

HORIZON, SCALE, SEED = 2019, 50.0, 1


def run_at(arg: tuple[str, float]) -> tuple[str, float, str]:
    from sim.model import InnovationModel
    from sim.parameters import Parameters

    name, value = arg
    scenario = load_sweep(HERE / "spec.yaml").scenario
    try:
        model = InnovationModel(scenario.quarterly(HORIZON), Parameters.defaults().replace(**{name: value}),
                                scale=SCALE, horizon=HORIZON, rng=SEED)
        model.run()
        model.release()
        return name, value, "ok"
    except Exception as exc:  # noqa: BLE001 - every failure is reported, the check goes on
        return name, value, f"{exc.__class__.__name__}: {exc}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    sweep = load_sweep(HERE / "spec.yaml")
    ends = [(p.name, v) for p in sweep.parameters if p.name != DUMMY for v in (p.low, p.high)]
    started = time.perf_counter()
    with ProcessPoolExecutor(args.workers) as pool:
        failures = [r for r in pool.map(run_at, ends) if r[2] != "ok"]
    for name, value, error in failures:
        print(f"{name} = {value}: {error}")
    print(f"{len(ends)} runs, {len(failures)} failed, {time.perf_counter() - started:.0f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
