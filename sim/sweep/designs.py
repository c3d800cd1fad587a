"""Experimental designs: which parameter values each sample takes.

A :class:`Design` holds the sample matrix (one row per sample, one column per parameter, in the
parameters' own units) and the SALib *problem* it was drawn for, so the analysis can be matched
to the design. Sobol', Morris and Latin-hypercube designs come from SALib; a grid is the full
factorial of the given levels.

References: Saltelli et al. (2010), *Comput. Phys. Commun.* 181, 259-270 (Sobol' sampling);
Morris (1991), *Technometrics* 33, 161-174, and Campolongo et al. (2007) (elementary effects);
McKay, Beckman & Conover (1979) (Latin hypercube).

>>> d = grid({"a": (1.0, 2.0), "b": (10.0, 20.0, 30.0)})
>>> d.matrix.shape, d.matrix[-1].tolist()
((6, 2), [2.0, 30.0])
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np


@dataclass(frozen=True)
class Design:
    """Samples of named parameters, with the SALib problem they were drawn for."""

    method: str
    names: tuple[str, ...]
    matrix: np.ndarray
    problem: dict = field(default_factory=dict)
    options: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return self.matrix.shape[0]

    def sample(self, i: int) -> dict[str, float]:
        return {n: float(v) for n, v in zip(self.names, self.matrix[i])}


def problem(names: Sequence[str], bounds: Sequence[tuple[float, float]]) -> dict:
    return {"num_vars": len(names), "names": list(names), "bounds": [list(map(float, b)) for b in bounds]}


def grid(levels: Mapping[str, Sequence[float]]) -> Design:
    names = tuple(levels)
    rows = list(itertools.product(*[list(map(float, levels[n])) for n in names]))
    return Design("grid", names, np.array(rows, dtype=float))


def lhs(names: Sequence[str], bounds: Sequence[tuple[float, float]], n: int, seed: int) -> Design:
    from SALib.sample import latin

    prob = problem(names, bounds)
    return Design("lhs", tuple(names), latin.sample(prob, n, seed=seed), prob)


def sobol(names: Sequence[str], bounds: Sequence[tuple[float, float]], n: int, seed: int,
          second_order: bool = False) -> Design:
    """Saltelli's extension of Sobol' sequences: ``n (D + 2)`` rows, or ``n (2D + 2)`` with second order."""
    from SALib.sample import sobol as sobol_sample

    prob = problem(names, bounds)
    matrix = sobol_sample.sample(prob, n, calc_second_order=second_order, seed=seed)
    return Design("sobol", tuple(names), matrix, prob, {"second_order": second_order})


def morris(names: Sequence[str], bounds: Sequence[tuple[float, float]], trajectories: int, seed: int,
           levels: int = 4) -> Design:
    """``trajectories (D + 1)`` rows of one-at-a-time steps on a ``levels``-point grid."""
    from SALib.sample import morris as morris_sample

    prob = problem(names, bounds)
    matrix = morris_sample.sample(prob, trajectories, num_levels=levels, seed=seed)
    return Design("morris", tuple(names), matrix, prob, {"levels": levels})


def from_sweep(sweep) -> Design:
    """The design a validated :class:`sim.sweep.spec.Sweep` asks for."""
    names = [p.name for p in sweep.parameters]
    bounds = [p.bounds for p in sweep.parameters]
    if sweep.method == "grid":
        return grid({p.name: p.levels for p in sweep.parameters})
    if sweep.method == "lhs":
        return lhs(names, bounds, sweep.samples, sweep.seed)
    if sweep.method == "sobol":
        return sobol(names, bounds, sweep.samples, sweep.seed, sweep.second_order)
    return morris(names, bounds, sweep.samples, sweep.seed, sweep.morris_levels)
