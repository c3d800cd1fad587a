"""Write ``spec.yaml``: how long must the model settle before 2016?

Each simulation starts from a synthetic 2015 population (:mod:`sim.initial`) and runs
``init_burn_in_years`` under the 2016 levers, the 2008 certification rules and a still economy
before the history starts (``docs/model.md`` section 5.3). The screen of the hand-set parameters
(``calibration/screen``) found that the burn-in's length, between one and four years, moves four
fitted targets: the 2016 state the history starts from is not yet a steady state after two years.
This study measures how far from one: the baseline at the posterior median, with burn-ins of 0 to
10 years (the catalogue's range), twelve replicates each on common random numbers (replicate
``r`` has the same seed at every length), at the calibration's fitting scale (5 persons per agent).
Every length is run twice: with the knowledge-share gain at zero, which switches off the slow
selection of firms by their patents per worker, and at 0.05, the value the model ran with before
this study, so that the drift the selection causes can be told from the rest.
The outputs are every fitted series in its first (2016) and last (2021) fitted year, the documented
figures no series stands for, and the 2035 projections of the screen.

``summarise.py`` reads the runs and says, output by output, after how many years of burn-in the
start no longer drifts (its rule is in its docstring).

Run ``python calibration/burnin/make_spec.py`` from the repository, then ``innovsim sweep
calibration/burnin/spec.yaml --out DIR`` (216 runs), then ``python calibration/burnin/summarise.py
DIR``.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def _screen_spec():
    """The screen's ``make_spec.py`` (a file of the same name), loaded by path: its outputs are ours."""
    spec = importlib.util.spec_from_file_location("screen_make_spec", ROOT / "calibration" / "screen" / "make_spec.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_SCREEN = _screen_spec()
FITTED, PROJECTED, DOCUMENTED, PROJECTION_YEAR = _SCREEN.FITTED, _SCREEN.PROJECTED, _SCREEN.DOCUMENTED, _SCREEN.PROJECTION_YEAR

#: Burn-in lengths studied (years): every year to six, then eight and the catalogue's bound, ten.
LEVELS = (0, 1, 2, 3, 4, 5, 6, 8, 10)
#: The knowledge-share gains at which each length is run: zero, which switches off the selection
#: of firms by patents per worker (:mod:`sim.markets.product`), and 0.05, the gain the model ran
#: with until this study found that the selection has no steady state (docs/calibration.md,
#: section 2.2), so that the drift it causes can be told from the rest.
GAIN, GAINS = "firm_knowledge_share_gain", (0.0, 0.05)
#: Replicates per length (common random numbers across lengths), the fitting scale and the seed.
REPLICATES, SCALE, SEED = 12, 5, 23
#: The fitted series are read in the first and last year they are fitted.
FIRST_YEAR, LAST_YEAR = 2016, 2021


def spec() -> dict:
    return {
        "name": "burn_in_settling",
        "description": ("Burn-in lengths 0-10 years at the posterior median, common random numbers: after how "
                        "many years does the 2016 start stop drifting? Written by calibration/burnin/make_spec.py."),
        "scenario": "../../scenarios/baseline.yaml",
        "design": {"method": "grid"},
        "replicates": REPLICATES,
        "run": {"scale": SCALE, "seed": SEED},
        "base_parameters": "median",
        "parameters": {"init_burn_in_years": {"levels": [float(v) for v in LEVELS]},
                       GAIN: {"levels": [float(g) for g in GAINS]}},
        "outputs": [{"indicator": i, "year": y} for y in (FIRST_YEAR, LAST_YEAR) for i in FITTED]
                   + [{"indicator": i, "year": y} for i, y in DOCUMENTED]
                   + [{"indicator": i, "year": PROJECTION_YEAR} for i in PROJECTED],
    }


def text() -> str:
    return ("# Written by calibration/burnin/make_spec.py; edit that, not this.\n"
            + yaml.safe_dump(spec(), sort_keys=False, width=100))


if __name__ == "__main__":
    (HERE / "spec.yaml").write_text(text())
    print(f"written {(HERE / 'spec.yaml').relative_to(ROOT)}: {len(LEVELS)} lengths x 2 gains x {REPLICATES} replicates")
