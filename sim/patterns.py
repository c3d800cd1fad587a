"""Patterns: stylised facts of firms and science, measured on the simulated population each year.

A model that reproduces point figures can still be wrong in how it produces them; pattern-oriented
modelling (Grimm et al. 2005) asks it to reproduce, at the same time, regularities that the
mechanisms must generate and that no parameter sets directly. Each :class:`Pattern` names the
regularity, its published value and the range we accept, the source, and how it is measured.
They are written to ``patterns.csv`` (one row per replicate and year) and checked in the tests
at full scale (``tests/test_patterns.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim.agents.firm import IS_DOMESTIC

if TYPE_CHECKING:  # pragma: no cover
    from sim.model import InnovationModel


@dataclass(frozen=True)
class Pattern:
    name: str
    published: str
    low: float
    high: float
    source: str
    measure: str


PATTERNS: tuple[Pattern, ...] = (
    Pattern("firm_growth_kurtosis", "3 (Laplace) or more", 1.5, 15.0,
            "Stanley et al. (1996, Nature 379); Bottazzi & Secchi (2006, RAND J. Econ. 37): annual growth "
            "rates of firms are tent-shaped (Laplace), not Gaussian (0).",
            "Excess kurtosis of the log change of staff over the year, domestic firms alive all year."),
    Pattern("firm_growth_sd_size_slope", "-0.15 to -0.2", -0.35, -0.05,
            "Stanley et al. (1996): the standard deviation of growth falls with size as size^-0.15; "
            "Amaral et al. (1997): -0.2.",
            "OLS slope of log standard deviation of growth on mean log staff across ten size classes "
            "(deciles of staff at the start of the year)."),
    Pattern("firm_size_tail_index", "about 1.06", 0.8, 1.5,
            "Axtell (2001, Science 293): firm sizes by employees follow a Pareto law with exponent 1.06.",
            "Hill estimator of the tail index on the largest 5 % of domestic firms by staff."),
    Pattern("startup_survival_5y", "about one half", 0.40, 0.60,
            "OECD business demography and the US Business Dynamics Statistics: about half of new "
            "firms survive five years.",
            "Share of the firms founded five years earlier that are still alive (from 2021)."),
    Pattern("lotka_exponent", "about 2", 1.7, 2.8,
            "Lotka (1926): the number of authors with n papers falls as n^-2 (1.89 fitted on his data); "
            "exponents across fields and countries range about 1.7-2.4 (O'Neale & Hendy 2012 for patent "
            "applicants); yearly counts are steeper than career counts.",
            "Discrete power-law exponent by maximum likelihood (Clauset, Shalizi & Newman 2009, eq. 3.7, "
            "x_min = 1) of researchers' papers in the year, over researchers with at least one."),
    Pattern("top1pct_patent_share", "35-50 %", 0.30, 0.60,
            "Akcigit & Ates (2019): the top 1 % of US firms by patent stock took about 35 % of new "
            "patents in the early 1980s and nearly 50 % three decades later.",
            "Share of the year's firm patents granted to the top 1 % of patenting firms."),
    Pattern("academic_share_of_researchers", "0.55 in 2016, stable", 0.45, 0.65,
            "Beijing's R&D personnel by performer (statistical yearbooks): a little over half outside "
            "business enterprises; the split is set from it in 2016 and must not drift away.",
            "Researchers employed by universities, institutes and labs over all researchers."),
)
NAMES = tuple(p.name for p in PATTERNS)
BY_NAME = {p.name: p for p in PATTERNS}


def excess_kurtosis(x: np.ndarray) -> float:
    """Sample excess kurtosis (0 for a normal distribution, 3 for a Laplace)."""
    if x.size < 4:
        return float("nan")
    d = x - x.mean()
    m2 = float(np.mean(d * d))
    return float(np.mean(d ** 4) / (m2 * m2) - 3.0) if m2 > 0 else float("nan")


def sd_size_slope(size: np.ndarray, growth: np.ndarray, classes: int = 10) -> float:
    """Slope of log sd(growth) on mean log size across size classes of equal count."""
    if size.size < 10 * classes:
        return float("nan")
    order = np.argsort(size, kind="stable")
    groups = np.array_split(order, classes)
    log_size = np.array([np.log(size[g]).mean() for g in groups])
    log_sd = np.array([np.log(max(growth[g].std(), 1e-12)) for g in groups])
    return float(np.polyfit(log_size, log_sd, 1)[0])


def hill_tail_index(x: np.ndarray, top_share: float = 0.05) -> float:
    """Hill estimator of the Pareto tail index on the largest ``top_share`` of ``x``."""
    k = int(x.size * top_share)
    if k < 10:
        return float("nan")
    s = np.sort(x)[::-1]
    return float(k / np.sum(np.log(s[:k] / s[k])))


def lotka_exponent(counts: np.ndarray) -> float:
    """Discrete power-law exponent of positive counts, x_min = 1 (Clauset et al. 2009, eq. 3.7)."""
    x = counts[counts >= 1].astype(float)
    if x.size < 10:
        return float("nan")
    return float(1.0 + x.size / np.sum(np.log(x / 0.5)))


def top_share(values: np.ndarray, share: float = 0.01, weights: np.ndarray | None = None) -> float:
    """Share of the total held by the top ``share`` of positive values; ``weights`` (whole numbers)
    count a value that many times (a row standing for several identical firms)."""
    if weights is not None:
        values = np.repeat(values, np.rint(weights).astype(np.int64))
    v = np.sort(values[values > 0])[::-1]
    if v.size == 0:
        return float("nan")
    k = max(int(np.ceil(v.size * share)), 1)
    return float(v[:k].sum() / v.sum())


def measure(model: "InnovationModel") -> dict[str, float]:
    """The patterns for the year that ends with the current quarter."""
    f = model.firms
    c = f.cols
    domestic = f.alive & IS_DOMESTIC[c["kind"]]
    survivors = domestic & (c["staff_last_year"] > 0) & (c["age"] >= 4)
    growth = np.log(c["staff"][survivors] / c["staff_last_year"][survivors])
    cohort = model.year - 5
    founded = model.founded.get(cohort, 0.0)
    alive = np.count_nonzero(f.alive & c["founded"] & (c["born"] == cohort)) * model.scale
    r = model.researchers
    academic = np.count_nonzero(r.alive & (r.cols["org"] >= 0))
    return {
        "year": float(model.year),
        "firm_growth_kurtosis": excess_kurtosis(growth),
        "firm_growth_sd_size_slope": sd_size_slope(c["staff_last_year"][survivors], growth),
        "firm_size_tail_index": hill_tail_index(c["staff"][domestic]),
        "startup_survival_5y": alive / founded if founded > 0 else float("nan"),
        "lotka_exponent": lotka_exponent(r.cols["papers_last_year"][r.alive]),
        "top1pct_patent_share": top_share(c["patents_year"][f.alive], weights=c["weight"][f.alive]),
        "academic_share_of_researchers": academic / max(len(r), 1),
    }
