"""Write ``spec.yaml``: a Morris screen of every parameter the calibration neither fits nor fixes.

The calibration frees some parameters and fixes others from data (``calibration/priors.yaml``);
the rest keep their hand-set catalogue values. The issue asks that hand-set parameters a sensitivity
screen shows to matter be fitted too. This screen measures, with the same runs, what each
hand-set parameter and each free one does to the fitted series in 2021 and to the main
projections in 2035, so that the two groups can be ranked on one scale (``summarise.py``). The
fitted outputs are the twelve series in 2021 and the six documented figures no series stands for.

Ranges, by rule rather than by hand:

* free parameters: their prior's bounds (what the calibration searched);
* hand-set parameters: from half to twice the catalogue value, inside the catalogue's range (the
  width the calibration's priors use, docs/calibration.md section 2); log-odds and other values
  at or below zero: the value plus or minus one;
* shares that must sum to at most one with their siblings: the foreign scientists' origins within
  15 % of their value (they sum to 0.85) and the zones' shares within half and one and a half
  times (the four named zones hold 0.6 and 0.65). The destination shares of mobile scientists
  (0.98 with Beijing's) cannot move without another share moving against them, so they are left
  out; a Morris design moves one parameter at a time.

Fixed parameters are held at their catalogue values, as every run holds them; the base is the
catalogue (``default``), which differs from the posterior median only in parameters the screen
sweeps, so the screen does not depend on the posterior and a refit leaves it current.

Run ``python calibration/screen/make_spec.py`` from the repository; ``tests/test_screen.py``
checks that the committed spec is what this script writes.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from sim.parameters import SPECS  # noqa: E402

#: Trajectories of the Morris design (each moves every parameter once), grid levels and seed.
TRAJECTORIES, LEVELS, SEED = 10, 4, 11
#: Persons per agent: the calibration's fitting scale is 5; 10 halves the cost, and common random
#: numbers plus the dummy say how much noise that leaves.
SCALE = 10
#: The fitted series, read in their last fitted year, and the projections planners read.
FITTED_YEAR, PROJECTION_YEAR = 2021, 2035
FITTED = ("rd_expenditure_bn_yuan", "rd_share_of_gdp", "basic_research_bn_yuan", "rd_personnel_fte",
          "researchers_fte", "patents_granted", "invention_patents_granted", "sci_papers",
          "high_tech_enterprises", "tech_contract_turnover_bn_yuan", "multinational_regional_hq", "cluster_rank")
PROJECTED = ("rd_share_of_gdp", "sci_papers", "invention_patents_granted", "high_tech_enterprises",
             "foreign_talent")
#: The documented figures the calibration fits that no series above stands for (targets.yaml).
DOCUMENTED = (("researchers", 2019), ("intl_coauthored_papers", 2018), ("multinational_corporations", 2020),
              ("foreign_companies", 2020), ("foreign_scientists_settled_cum", 2020),
              ("permanent_residence_grants_cum", 2020))
#: Shares that sum with their siblings to at most one, and how far each may move (relative).
ORIGIN_SHARES = ("ft_origin_share_north_america", "ft_origin_share_europe", "ft_origin_share_asia_pacific")
ORIGIN_MOVE = 0.15
ZONE_PREFIX, ZONE_MOVE = "init_zone_share_", 0.5
LEFT_OUT = ("ft_destination_share_other_china", "ft_destination_share_east_asia", "ft_destination_share_west")


def hand_set_range(name: str, default: float, low: float, high: float) -> tuple[float, float]:
    """The range a hand-set parameter is screened over (module docstring)."""
    if name in ORIGIN_SHARES:
        lo, hi = default * (1 - ORIGIN_MOVE), default * (1 + ORIGIN_MOVE)
    elif name.startswith(ZONE_PREFIX):
        lo, hi = default * (1 - ZONE_MOVE), default * (1 + ZONE_MOVE)
    elif default > 0:
        lo, hi = default / 2, default * 2
    else:
        lo, hi = default - 1, default + 1
    return max(lo, low), min(hi, high)


def spec() -> dict:
    priors = yaml.safe_load((ROOT / "calibration" / "priors.yaml").read_text())
    free, fixed = priors["free"], set(priors["fixed"])
    params = {}
    for p in SPECS:
        if p.name in fixed or p.name in LEFT_OUT:
            continue
        lo, hi = (free[p.name]["low"], free[p.name]["high"]) if p.name in free else \
            hand_set_range(p.name, p.default, p.low, p.high)
        params[p.name] = {"low": round(float(lo), 10), "high": round(float(hi), 10)}
    return {
        "name": "handset_screen",
        "description": (f"Morris screen of the {sum(n in params for n in free)} free parameters (over their priors) and "
                        f"the {sum(n not in free for n in params)} hand-set ones "
                        "(half to twice their values): which move the fitted series and figures and the 2035 "
                        "projections as much as the fitted ones do? Written by calibration/screen/make_spec.py."),
        "scenario": "../../scenarios/baseline.yaml",
        "design": {"method": "morris", "samples": TRAJECTORIES, "seed": SEED, "levels": LEVELS, "dummy": True},
        "replicates": 1,
        "run": {"scale": SCALE},
        "base_parameters": "default",         # every free parameter is swept: the base holds only the fixed ones
        "parameters": params,
        "outputs": [{"indicator": i, "year": FITTED_YEAR} for i in FITTED]
                   + [{"indicator": i, "year": y} for i, y in DOCUMENTED]
                   + [{"indicator": i, "year": PROJECTION_YEAR} for i in PROJECTED],
    }


def text() -> str:
    return ("# Written by calibration/screen/make_spec.py; edit that, not this.\n"
            + yaml.safe_dump(spec(), sort_keys=False, width=100))


if __name__ == "__main__":
    (HERE / "spec.yaml").write_text(text())
    print(f"written {(HERE / 'spec.yaml').relative_to(ROOT)}: {len(spec()['parameters'])} parameters")
