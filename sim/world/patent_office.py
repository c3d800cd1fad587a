"""The patent office: an invention patent is granted years after it is filed.

The official series count invention patents *granted* in a year (``shared/data``), and a grant
follows its filing by years: publication and the request for substantive examination take up to
18 months after filing, and examination itself averaged about 22 months at the Chinese patent
office in 2017-2018 (State Administration for Market Regulation, November 2018). So the grants of
2021 reflect what firms and researchers did around 2018-2019, not in 2021.

The model files, each quarter, the expected number of eventual grants (the rates per R&D yuan and
per researcher are grants, so the office's grant rate is in them) and passes what is filed through
two stages, waiting for examination and in examination, each left at a constant share a quarter
(``exit_share``). The delay from filing to grant then has an Erlang-2 distribution with mean
``econ_patent_grant_lag_years``: few grants within the first year, most within two means, a tail
beyond. The grants of a quarter are drawn (Poisson) around what leaves examination.

A pipeline starts at its steady state (:func:`steady`), as if the filings of its first quarter had
always been made, so that the first years' grants are neither missing nor doubled.
"""

from __future__ import annotations

import numpy as np

#: Stages a filing passes (waiting for examination, in examination); two gives a delay with a mode
#: near half its mean rather than at zero, as grants have (a modelling choice, not an estimate).
STAGES = 2


def exit_share(lag_years: float) -> float:
    """Share of each stage that moves on in a quarter, for a mean delay of ``lag_years``."""
    return min(1.0, STAGES / (4.0 * max(lag_years, 1e-9)))


def steady(filed_per_quarter: np.ndarray, lag_years: float) -> tuple[np.ndarray, np.ndarray]:
    """Waiting and in-examination stocks when ``filed_per_quarter`` has always been filed."""
    stock = np.asarray(filed_per_quarter, dtype=np.float64) / exit_share(lag_years)
    return stock.copy(), stock.copy()


def advance(waiting: np.ndarray, examining: np.ndarray, filed: np.ndarray, lag_years: float) -> np.ndarray:
    """One quarter: ``filed`` joins the wait, a share of each stage moves on; updates the stocks
    in place and returns the expected grants leaving examination."""
    share = exit_share(lag_years)
    examined = examining * share
    called = waiting * share
    waiting += filed - called
    examining += called - examined
    return examined
