"""Work permits and permanent residence: the immigration agency.

Processing a case costs ``agency_permit_cost_yuan`` at 30 days, rising as ``(30 / days) **
agency_permit_speed_exponent`` when the lever asks for faster processing. Each quarter the
agency works through its queue (applications carried over first, then new ones, origins in a
fixed order) as far as its budget goes; unprocessed cases wait for the next quarter. Permanent
residence cases are processed after permits, at the same cost, from what is left.
"""

from __future__ import annotations

import numpy as np


def case_cost_bn_yuan(p, visa_days: float) -> float:
    """Cost of processing one case at the lever's processing time (bn yuan)."""
    return p.agency_permit_cost_yuan * (30.0 / visa_days) ** p.agency_permit_speed_exponent / 1e9


def process_permits(model, new_applications: np.ndarray, visa_days: float) -> np.ndarray:
    """Add ``new_applications`` (persons, by origin) to the queue and process what the budget
    allows; returns persons granted a work permit this quarter, by origin."""
    agency = model.agencies["immigration"]
    model.permit_queue += new_applications
    cost = case_cost_bn_yuan(model.p, visa_days)
    capacity = agency.remaining / cost if cost > 0 else np.inf
    granted = np.zeros_like(model.permit_queue)
    for o in range(model.permit_queue.size):
        take = min(model.permit_queue[o], capacity)
        granted[o] = take
        capacity -= take
    paid = agency.spend(granted.sum() * cost)
    model.ledger.receive("immigration", "case_processing", paid)
    model.permit_queue -= granted
    return granted


def process_permanent_residence(model, applicant_rows: np.ndarray, visa_days: float) -> np.ndarray:
    """Grant permanent residence to applicants (in row order) as far as the budget allows."""
    agency = model.agencies["immigration"]
    cost = case_cost_bn_yuan(model.p, visa_days) * model.scale
    approved = agency.fund_in_order(np.full(applicant_rows.size, cost))
    model.ledger.receive("immigration", "case_processing", float(approved.sum() * cost))
    return applicant_rows[approved]
