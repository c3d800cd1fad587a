"""Finance: seed money for founders, and IP-pledge loans from banks.

**Seed.** A researcher who decides to found a firm needs seed money (``firm_startup_seed_myuan``
in 2016 yuan, times the deflator) from angels and early-stage funds. Their yearly supply moves
with demand for the sector's output: ``S_t = S_2016 D_t / D_2016``. When would-be founders ask
for more than a quarter's supply, those funded are drawn at random and the others stay in their
posts. ``S_2016`` is set at initialisation so that ``fin_seed_funded_share`` of the would-be
founders of 2016 are funded. Founding thus responds to money and to demand; the city's innovation
fund invests in firms that already hold patents, not in founders (EVIDENCE.md section 4: little
or no lasting rise in startups).

**Loans.** Banks lend against pledged patents to the firms that ask
(:meth:`sim.agents.firm.Firm.loan_seekers`). Banks ration credit by what they see of a borrower's
risk (Stiglitz & Weiss 1981): each firm has a fixed credit standing ``u`` (uniform, drawn when it
is created, column ``credit_draw``), and a bank approves it when ``u`` is below the approval
probability, the logistic of
``loan_approval_intercept + loan_guarantee_weight g - loan_risk_weight [no taxable profit]``, where
``g`` is the city's guarantee share. A refused firm is refused again while neither its profit nor
the guarantee changes: asking again does not change what the bank sees. A guarantee makes banks
accept riskier borrowers, so the number of firms that can borrow at all, lending and defaults rise
together (Lelarge, Sraer & Thesmar 2010); with redraws each quarter instead, every firm with a
patent would borrow sooner or later and the guarantee would only shorten the wait.

The loan is the pledge's appraised value (``loan_value_per_patent_myuan`` per patent, 2016 yuan times the deflator) times
``loan_to_value``, at most ``loan_max_revenue_share`` of yearly revenue. Its term is drawn between
half and one and a half times ``loan_years`` (most pledge loans run one to three years); interest
accrues each quarter, and the whole is repaid at maturity; a firm that cannot repay defaults (and
fails), and the guarantee pays its share of the loss (:mod:`sim.policy.ip_loans`).
"""

from __future__ import annotations

import numpy as np

from sim.parameters import Parameters
from sim.population import Population


def seed_round(rng: np.random.Generator, founders: np.ndarray, *, supply_bn: float, seed_myuan: float,
               scale: float) -> np.ndarray:
    """The founders (rows) who raise seed money this quarter, from a supply of ``supply_bn``."""
    if founders.size == 0:
        return founders
    affordable = int(supply_bn * 1000.0 / (seed_myuan * scale))
    if affordable >= founders.size:
        return founders
    return np.sort(rng.choice(founders, affordable, replace=False))


def approve_loans(pop: Population, p: Parameters, seekers: np.ndarray, *,
                  guarantee: float, deflator: float) -> tuple[np.ndarray, np.ndarray]:
    """Banks' decisions on this quarter's requests: approved rows and loan sizes (m yuan)."""
    c = pop.cols
    risky = ~c["taxable"][seekers]
    logit = p.loan_approval_intercept + p.loan_guarantee_weight * guarantee - p.loan_risk_weight * risky
    approved = seekers[c["credit_draw"][seekers] < approval_probability(logit)]
    pledge = c["ip_stock"][approved] * p.loan_value_per_patent_myuan * deflator * p.loan_to_value
    size = np.minimum(pledge, p.loan_max_revenue_share * c["revenue"][approved])
    keep = size > 0
    return approved[keep], size[keep]


def approval_probability(log_odds: np.ndarray | float) -> np.ndarray:
    """The logistic of banks' approval log-odds: the share of firms of a kind that banks lend to."""
    return 1.0 / (1.0 + np.exp(-np.asarray(log_odds, dtype=float)))


def loan_terms(rng: np.random.Generator, p: Parameters, n: int) -> np.ndarray:
    """Terms of ``n`` new loans in quarters: uniform from half to one and a half times ``loan_years``."""
    return np.maximum(rng.integers(int(round(2 * p.loan_years)), int(round(6 * p.loan_years)) + 1, n), 1)


def due_loans(pop: Population, p: Parameters) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Interest accrues and a quarter comes off every loan; returns (rows that repay, what they
    owe, rows that default). A loan's principal with its interest is in ``loan``."""
    c = pop.cols
    has = pop.alive & (c["loan"] > 0)
    c["loan"][has] *= 1.0 + p.loan_interest / 4.0
    c["loan_quarters"][has] -= 1
    due = np.flatnonzero(has & (c["loan_quarters"] <= 0))
    owed = c["loan"][due]
    pays = c["cash"][due] >= owed
    return due[pays], owed[pays], due[~pays]
