"""High-tech enterprise certification: the rules in force, and their 2016 reform.

A certified ("national high-tech") enterprise pays corporate tax at 15 % instead of 25 %. The
rules that decide who may be certified are set by the Administrative Measures for the Recognition
of High-tech Enterprises. Two versions matter for 2016-2021:

* **2008 rules** (Guokefahuo [2008] 172), in force until the end of 2015. R&D at least 6 % of
  revenue under 50 m yuan, 4 % to 200 m yuan, 3 % above; own intellectual property; and a staff
  test: at least 30 % of employees college-educated science and technology staff, of whom R&D
  staff at least 10 % of all employees.
* **2016 rules** (Guokefahuo [2016] 32), in force from 1 January 2016. The small-firm threshold
  falls to 5 %; the staff test becomes science and technology staff at least 10 % of employees,
  which a technology firm in the model meets by what it is. Under both, the firm must have been
  registered a year (the model's age test, :meth:`sim.agents.firm.Firm.qualifies`).

A certificate runs three years, so the stock of valid certificates in 2016 was issued under the
2008 rules, and it moves to what the 2016 rules sustain only as firms that newly qualify apply and
old certificates come up for renewal. The model runs its years before 2016 (the burn-in) under the
2008 rules and switches on 1 January 2016: the rise of Beijing's certified stock from 16,000
(2016-2017) to about 27,000 (2019, ``shared/data`` BJ0136-BJ0140) is the reform working through, at
the pace firms apply, not a trend. Which firms would have passed the 2008 staff test is a fixed
draw per firm compared with ``firm_hte_2008_staff_share``.

**Recognition is a yearly round** (an assumption, from the procedure and Beijing's counts). A city's
recognition office assesses applications in rounds and publishes lists of the firms recognised, new
and renewed; the project's data give Beijing's lists as yearly totals, 8,724-10,968 firms a year in
2018-2021 (``shared/data`` BJ0143-BJ0146: scraped, low confidence, no dates). A certificate runs
three years from its issue and comes up for renewal in the year it expires, and the certified rate of
tax applies from the year on the certificate (State Taxation Administration announcement 2017
No. 24). The model holds one round a year, in the year's last quarter (:data:`RECOGNITION_QUARTER`);
the year's applications are those that a quarterly rate ``firm_hte_apply_rate`` would have brought
over four quarters (:func:`yearly_share`), assessed together on each firm's position in that
quarter. The stock of valid certificates then steps up at the end of a year and drifts down between
rounds (withdrawals, closures). Beijing's counts are consistent with that, though two round figures
cannot show it: 16,000 certified firms for 2016 (reported in June 2017) and still 16,000 "as of
November 2017" (BJ0136, BJ0137), although the 2016 reform had widened eligibility; 24,691 at the end
of 2018 (BJ0138, an undated secondary page). The November 2017 count is therefore compared with the
stock before that year's round (the indicator ``high_tech_enterprises_before_round``).

Certification also reads R&D as its own guidelines define it (the 2016 Guidelines for the
Recognition of High-tech Enterprises: R&D expenses on the accounting basis, including design and
trial-production costs and "other costs" up to a fifth of the total), which is broader than the
survey definition of R&D (Frascati) behind the official R&D series. A firm's certification R&D is
its reported R&D times ``firm_hte_rd_scope``; the official R&D series counts the firm's survey R&D
(its real spending, :mod:`sim.indicators`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: First year in which the 2016 rules apply (they took effect on 1 January 2016).
REFORM_YEAR = 2016
#: Quarter of the year (0 for the first) in which the year's recognition round decides applications
#: and renewals: the last (an assumption, see the module docstring). The stock observed before it is
#: the indicator ``high_tech_enterprises_before_round``.
RECOGNITION_QUARTER = 3
#: A firm must have been registered a year before it applies (both rules: Guokefahuo [2008] 172,
#: article 10, and [2016] 32, article 11): four quarters of age.
MIN_AGE_QUARTERS = 4


@dataclass(frozen=True)
class CertificationRules:
    """One version of the certification rules.

    ``thresholds``: (revenue up to, in m yuan nominal as the rules state it; minimum R&D share of
    revenue) by size band, smallest first. ``staff_test``: whether the 2008 staff test applies.
    """

    name: str
    thresholds: tuple[tuple[float, float], ...]
    staff_test: bool

    def threshold(self, revenue_myuan: np.ndarray) -> np.ndarray:
        """Minimum R&D intensity (share of revenue) for a firm of this revenue."""
        out = np.full(np.shape(revenue_myuan), self.thresholds[-1][1])
        for up_to, share in reversed(self.thresholds[:-1]):
            out = np.where(revenue_myuan < up_to, share, out)
        return out


#: Guokefahuo [2008] 172, article 10.
RULES_2008 = CertificationRules("2008", ((50.0, 0.06), (200.0, 0.04), (np.inf, 0.03)), staff_test=True)
#: Guokefahuo [2016] 32, article 11.
RULES_2016 = CertificationRules("2016", ((50.0, 0.05), (200.0, 0.04), (np.inf, 0.03)), staff_test=False)


def rules_in_force(year: int, *, before_2016: bool = False) -> CertificationRules:
    """The rules in force in ``year``; the burn-in (``before_2016``) stands for the years before the reform."""
    return RULES_2008 if before_2016 or year < REFORM_YEAR else RULES_2016


def yearly_share(quarterly_rate: float) -> float:
    """Share of qualifying firms applying in a year's round when ``quarterly_rate`` would apply each
    quarter: ``1 - (1 - r)^4``."""
    return 1.0 - (1.0 - min(max(quarterly_rate, 0.0), 1.0)) ** 4
