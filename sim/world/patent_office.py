"""The patent office: an invention patent is granted years after it is filed.

The official series count invention patents *granted* in a year (``shared/data``), and a grant
follows its filing by years: an application is published 18 months after filing, the request for
substantive examination may come up to three years after filing (Patent Law, article 35) and is
often made at filing, and examination itself averaged about 22 months at the Chinese patent
office in 2018 (State Administration for Market Regulation, as reported in November 2018). So the
grants of 2021 reflect what firms and researchers did around 2018-2019, not in 2021.

Firms file, each quarter, the expected number of eventual grants (the rates per R&D yuan and per
researcher are grants, so the office's grant rate is in them); what is filed passes two stages,
waiting for examination and in examination, each left at a constant share a quarter
(``exit_share``). The delay from filing to grant then has an Erlang-2 distribution with mean
``econ_patent_grant_lag_years``: a tenth of grants within the first year at a mean of 2.5 years (a
quarter at 1.5), most within two means, a tail beyond. A firm's grants of a quarter are drawn
(Poisson) around what leaves examination. Academics' filings are counts already drawn at the
year's end; they join the pipeline a quarter of the year at a time, and their grants are the
expected outflow (:meth:`sim.model.InnovationModel._grant_academic_patents`).

**Faster examination.** The office's examination got faster after 2018: its average pendency for
invention patents was about 22 months in 2018, 20 months in 2020 (CNIPA Annual Report 2020,
released 27 April 2021) and about 19.1 months in August 2021 (the office's head, as reported by
People's Daily on 29 August 2021), and its plan was to cut it by a third within five years from
2018. The pendency is the exogenous input ``patent_examination_months``, and the second stage, in
examination, has a mean of ``econ_patent_grant_lag_years / 2`` times the pendency over its
2016-2018 value (:data:`EXAMINATION_MONTHS_2016`, :func:`examination_factor`). So the calibrated
delay is the delay of 2016-2018. A faster office does not make more patents; it grants the filings
in its queue sooner, so grants rise for a while above filings and fall back to them once the queue
is at its new, shorter steady length.

**History before 2016.** The queues of 2016 hold the filings of 2013-2015, and Beijing's filings
were growing then: invention patents granted rose from 35,308 in 2015 to 40,602 in 2016, by 15 %
(``shared/data`` BJ0098, BJ0099). A pipeline therefore starts at the state that filings growing at
``econ_patent_filing_growth_before_2016`` a year, up to the rate of its first quarter, leave
(:func:`steady`): on a path of steady growth the filings in the queue are older, hence fewer, than
today's, and grants run below filings by the factor :func:`grant_ratio` (about 0.7 at 15 % a year
and a 2.9-year delay), catching up over the following years if filings stop growing. At zero growth
the start is the old stationary one: as if the filings of the first quarter had always been made.
So the first years' grants are neither missing nor doubled, and the queue's history is not
forgotten: a model that started from the stationary queue granted in 2016 what Beijing filed in
2016 (at 15 % and 2.9 years, 46 % more than the history grants in its first quarter, 38 % more
over the year) and then had no catching up to do.
"""

from __future__ import annotations

import numpy as np

#: Stages a filing passes (waiting for examination, in examination); two gives a delay with a mode
#: near half its mean rather than at zero, as grants have (a modelling choice, not an estimate).
STAGES = 2
#: The office's average examination pendency for invention patents in 2016-2018, months: about 22
#: (SAMR, as reported in November 2018). It is the input ``patent_examination_months``' 2016 value
#: in the lever catalogue and the baseline's value to 2018; the delay parameter
#: ``econ_patent_grant_lag_years`` is the delay at this pendency.
EXAMINATION_MONTHS_2016 = 22.0


def exit_share(lag_years: float) -> float:
    """Share of each stage that moves on in a quarter, for a mean delay of ``lag_years``."""
    return min(1.0, STAGES / (4.0 * max(lag_years, 1e-9)))


def steady(filed_per_quarter: np.ndarray, lag_years: float, growth_per_year: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Waiting and in-examination stocks before a quarter in which ``filed_per_quarter`` is filed,
    when filings have always grown at ``growth_per_year`` (zero: always been filed at that rate).

    On such a path every stock grows at the filings' quarterly factor ``r``; solving
    :func:`advance` for it (each stage's exit share ``a``) gives a waiting stock of
    ``F / (r - 1 + a)`` and an examining stock ``a / (r - 1 + a)`` times that, both ``F / a`` at
    ``r = 1``.
    """
    a = exit_share(lag_years)
    r_less_one = (1.0 + growth_per_year) ** 0.25 - 1.0
    if r_less_one + a <= 0.0:
        raise ValueError(f"filings shrinking {-growth_per_year:.0%} a year empty a queue of delay {lag_years} faster than it can be in a steady state")
    waiting = np.asarray(filed_per_quarter, dtype=np.float64) / (r_less_one + a)
    return waiting, waiting * (a / (r_less_one + a))


def grant_ratio(lag_years: float, growth_per_year: float) -> float:
    """Grants of the first quarter over its filings, from the stocks :func:`steady` gives:
    ``(a / (r - 1 + a))**2``, one at zero growth.

    >>> grant_ratio(2.5, 0.0)
    1.0
    >>> round(grant_ratio(2.9, 0.15), 3)
    0.687
    """
    a = exit_share(lag_years)
    return float((a / ((1.0 + growth_per_year) ** 0.25 - 1.0 + a)) ** 2)   # two stages, as steady() solves


def examination_factor(examination_months: float) -> float:
    """The examination stage's mean relative to 2016-2018: the pendency over :data:`EXAMINATION_MONTHS_2016`."""
    return max(examination_months, 0.0) / EXAMINATION_MONTHS_2016


def advance(waiting: np.ndarray, examining: np.ndarray, filed: np.ndarray, lag_years: float,
            examination: float = 1.0) -> np.ndarray:
    """One quarter: ``filed`` joins the wait, a share of each stage moves on; updates the stocks
    in place and returns the expected grants leaving examination. ``examination`` scales the
    examination stage's mean (:func:`examination_factor`); at 1 both stages have the mean
    ``lag_years / 2``."""
    examined = examining * exit_share(lag_years * examination)
    called = waiting * exit_share(lag_years)
    waiting += filed - called
    examining += called - examined
    return examined
