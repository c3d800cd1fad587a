"""Global sensitivity indices from a finished sweep, with SALib.

* **Sobol'** (variance-based): ``S1`` is the share of an output's variance due to a parameter
  alone, ``ST`` the share in which it takes part (with interactions); bootstrap confidence
  intervals ``S1_conf``, ``ST_conf`` (95 %). Saltelli et al. (2010); Jansen (1999).
* **Morris** (elementary effects): ``mu_star`` is the mean absolute effect of moving a parameter
  one step of the grid, ``sigma`` the spread of effects (non-linearity or interaction), with a
  bootstrap interval for ``mu_star``. Morris (1991); Campolongo, Cariboni & Saltelli (2007).

Each sample's output is the mean over its replicates (replicates share seeds across samples, so
this mean removes much of the noise before the analysis). Grids and Latin hypercubes are not
analysed here: use ``runs.csv`` for regressions or partial rank correlations.

>>> import numpy as np
>>> from sim.sweep.designs import sobol
>>> d = sobol(["a", "b"], [(0, 1), (0, 1)], 256, seed=1)
>>> y = 3 * d.matrix[:, 0] + 0.1 * d.matrix[:, 1]
>>> table = indices(d, {"y": y}, seed=1)
>>> bool(table.loc[table.parameter == "a", "S1"].iloc[0] > 0.9)
True
"""

from __future__ import annotations

from typing import Mapping

import numpy as np
import pandas as pd

from sim.sweep.designs import Design

COLUMNS = ["output", "parameter", "method", "S1", "S1_conf", "ST", "ST_conf", "mu_star", "mu_star_conf", "sigma"]


def sample_means(runs: pd.DataFrame, output: str, n_samples: int) -> np.ndarray:
    """Mean of ``output`` over each sample's successful replicates (NaN where none succeeded)."""
    ok = runs[runs["status"] == "ok"]
    means = ok.groupby("sample_id")[output].mean()
    return means.reindex(range(n_samples)).to_numpy(dtype=float)


def indices(design: Design, outputs: Mapping[str, np.ndarray], seed: int = 1, resamples: int = 1000) -> pd.DataFrame:
    """Sensitivity indices of each output (one value per design row) to each parameter.

    With a second-order Sobol' design, the pairwise indices are in ``result.attrs["S2"]``
    (``output, parameter_1, parameter_2, S2, S2_conf``).
    """
    if design.method not in ("sobol", "morris"):
        return pd.DataFrame(columns=COLUMNS)
    rows, pairs = [], []
    for name, y in outputs.items():
        y = np.asarray(y, dtype=float)
        if not np.all(np.isfinite(y)):
            for p in design.names:
                rows.append({"output": name, "parameter": p, "method": design.method})
            continue
        if design.method == "sobol":
            from SALib.analyze import sobol

            res = sobol.analyze(design.problem, y, calc_second_order=design.options.get("second_order", False),
                                num_resamples=resamples, seed=seed)
            for i, p in enumerate(design.names):
                rows.append({"output": name, "parameter": p, "method": "sobol", "S1": res["S1"][i],
                             "S1_conf": res["S1_conf"][i], "ST": res["ST"][i], "ST_conf": res["ST_conf"][i]})
            if "S2" in res:
                for i, p in enumerate(design.names):
                    for j in range(i + 1, len(design.names)):
                        pairs.append({"output": name, "parameter_1": p, "parameter_2": design.names[j],
                                      "S2": res["S2"][i, j], "S2_conf": res["S2_conf"][i, j]})
        else:
            from SALib.analyze import morris

            res = morris.analyze(design.problem, design.matrix, y, num_levels=design.options.get("levels", 4),
                                 num_resamples=resamples, seed=seed)
            for i, p in enumerate(design.names):
                rows.append({"output": name, "parameter": p, "method": "morris", "mu_star": res["mu_star"][i],
                             "mu_star_conf": res["mu_star_conf"][i], "sigma": res["sigma"][i]})
    table = pd.DataFrame(rows).reindex(columns=COLUMNS)
    table.attrs["S2"] = pd.DataFrame(pairs, columns=["output", "parameter_1", "parameter_2", "S2", "S2_conf"])
    return table
