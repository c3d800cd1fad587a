"""Work permits and permanent residence: the immigration agency.

A case costs ``agency_permit_cost_yuan`` (2016 yuan, times the deflator) at 30 days, rising as
``(30 / days) ** agency_permit_speed_exponent`` the faster it is processed. The lever sets a
*target* time; the agency's budget (in 2016 yuan, so a flat budget is a constant real capacity)
sets what it can afford. Each quarter the agency takes all cases waiting (work-permit cases of every
origin alike, in proportion when not all can be processed, then permanent-residence applications)
and processes them:

* at the target time, if the budget pays for that;
* otherwise at the fastest time the budget pays for, ``days = 30 (n c_30 / B)^(1 / e)``, up to
  ``agency_permit_max_days``: the budget *binds*, and the results warn;
* beyond that, as many cases as the budget pays for at the longest time; the rest wait
  (indicator ``permit_backlog``).

A faster target therefore never slows processing nor lowers the number processed; it can only
cost more. Foreign scientists see last quarter's actual processing time when they choose.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Processed:
    """What the agency did this quarter."""

    granted: np.ndarray          # work permits granted, persons by origin
    residence_cases: int         # permanent-residence cases (persons) approved
    days: float                  # processing time achieved
    binding: bool                # the budget, not the target, set the time


#: The processing time in which permit costs and the scientists' weight on waiting are stated:
#: ``agency_permit_cost_yuan`` is the cost of a case processed in 30 days, ``ft_visa_weight`` the
#: utility per 30 days of waiting (a unit, not an estimate).
REFERENCE_DAYS = 30.0


def case_cost_bn_yuan(p, days: float, deflator: float) -> float:
    """Cost of one case processed in ``days`` (bn yuan, nominal)."""
    return p.agency_permit_cost_yuan * deflator * (REFERENCE_DAYS / days) ** p.agency_permit_speed_exponent / 1e9


def achievable_days(p, cases: float, budget_bn: float, target_days: float, deflator: float) -> float:
    """Processing time the agency achieves for ``cases`` within ``budget_bn`` (never below the target)."""
    if cases <= 0:
        return target_days
    if budget_bn <= 0:
        return p.agency_permit_max_days
    c30 = p.agency_permit_cost_yuan * deflator / 1e9
    affordable = REFERENCE_DAYS * (cases * c30 / budget_bn) ** (1.0 / p.agency_permit_speed_exponent) \
        if p.agency_permit_speed_exponent > 0 else target_days
    return float(min(max(target_days, affordable), p.agency_permit_max_days))


def process(model, new_applications: np.ndarray, residence_cases: int, target_days: float) -> Processed:
    """Process the backlog, ``new_applications`` (persons, by origin) and ``residence_cases``
    (persons) within this quarter's budget."""
    p, agency, deflator = model.p, model.agencies["immigration"], model.world.deflator
    model.permit_queue += new_applications
    cases = float(model.permit_queue.sum()) + residence_cases
    days = achievable_days(p, cases, agency.remaining, target_days, deflator)
    cost = case_cost_bn_yuan(p, days, deflator)
    capacity = agency.remaining / cost * (1 + 1e-12)
    waiting = float(model.permit_queue.sum())
    granted = model.permit_queue * min(1.0, capacity / waiting) if waiting > 0 else np.zeros_like(model.permit_queue)
    capacity -= float(granted.sum())
    pr = int(min(residence_cases, np.floor(capacity / model.scale + 1e-9) * model.scale)) if residence_cases else 0
    paid = agency.spend((granted.sum() + pr) * cost)
    model.ledger.receive("immigration", "case_processing", paid)
    model.permit_queue -= granted
    return Processed(granted, pr, days, days > target_days + 1e-9)
