"""Firms: technology SMEs, certified high-tech enterprises, startups, multinationals, foreign
companies and foreign R&D centres.

State: kind; field and zone; staff; R&D spending (m yuan/year); cash (m yuan); patent stock and
recent patenting; age; an IP-pledge loan outstanding and its quarters left; quarters of
high-tech certification left; quarters of innovation-fund growth left; for an R&D centre, the
multinational that opened it.

Rules:

* **R&D.** A firm aims at an R&D intensity that depends on its kind, scaled by the user cost of
  R&D relative to 2016, ``(1 - t (1 + d)) / (1 - t (1 + d_2016))`` to the power minus the price
  elasticity (``t`` the tax rate, 15 % for certified firms; ``d`` the super-deduction), and, for
  domestic firms, by a liquidity factor rising from ``firm_liquidity_floor`` with no cash to 1.2
  with ample cash. Spending closes a quarter of the gap to the target each quarter. A foreign
  R&D centre spends its staff's cost.
* **Cash** (domestic firms). Operating profit before R&D, less R&D, less tax on profit after the
  super-deduction; plus tax relief, loans and fund money received; less loan service. A firm whose
  cash would go below zero fails.
* **Patents.** Expected patents are proportional to R&D spending; the stock depreciates.
* **Growth.** Staff grow at a common drift plus a boost for recent patenting and for fund
  investment, with lognormal noise; revenue is staff times revenue per employee, which grows
  with GDP.
* **Certification.** An SME or startup at least a year old, with a patent and R&D intensity above
  the threshold, applies for high-tech certification, valid three years, then rechecked.
* **Failure.** Domestic firms fail at a hazard by kind, or when out of cash. Multinationals and
  foreign companies enter and leave at rates that faster growth raises and geopolitical pressure
  lowers; multinationals open R&D centres more readily where the research workforce is large.
"""

from __future__ import annotations

import numpy as np

from sim import levers
from sim.parameters import Parameters
from sim.population import Population, RowAgent

SME, HTE, STARTUP, MNC, FOREIGN, RD_CENTRE = range(6)
KINDS = ("sme", "high_tech_enterprise", "startup", "multinational", "foreign_company", "foreign_rd_centre")
DOMESTIC = (SME, HTE, STARTUP)
#: Lookup by kind, indexed by ``kind`` (a dead row's kind -1 reads the spare last entry).
IS_DOMESTIC = np.array([True, True, True, False, False, False, False])


def by_kind(values: dict[int, float]) -> np.ndarray:
    """A lookup table over kinds (missing kinds and the spare dead-row entry read 0)."""
    table = np.zeros(len(KINDS) + 1)
    for kind, value in values.items():
        table[kind] = value
    return table

_PRESSURE_2016 = levers.BY_NAME["geopolitical_pressure"].default
_DEDUCTION_2016 = levers.BY_NAME["rd_super_deduction_rate"].default
_GROWTH_2016 = levers.BY_NAME["gdp_growth"].default


class Firm(RowAgent):
    """A firm doing (or hosting) research in Beijing."""

    COLUMNS = {
        "kind": (np.int8, -1),
        "field": (np.int16, -1),
        "zone": (np.int8, -1),
        "staff": (np.float32, 0.0),
        "rd_spend": (np.float32, 0.0),
        "cash": (np.float32, 0.0),
        "ip_stock": (np.float32, 0.0),
        "patents_recent": (np.float32, 0.0),
        "age": (np.int16, 0),
        "loan": (np.float32, 0.0),
        "loan_quarters": (np.int16, 0),
        "cert_quarters": (np.int16, 0),
        "fund_quarters": (np.int16, 0),
        "parent": (np.int32, -1),
    }

    @property
    def kind_name(self) -> str:
        return KINDS[self.kind]

    # -- masks and simple quantities ------------------------------------------------------------
    @staticmethod
    def domestic(pop: Population) -> np.ndarray:
        return IS_DOMESTIC[pop.cols["kind"]]

    @staticmethod
    def revenue(pop: Population, p: Parameters, gdp_index: float) -> np.ndarray:
        """Yearly revenue (m yuan); zero for R&D centres, which their parents fund."""
        c = pop.cols
        per_worker = p.econ_revenue_per_employee_myuan * gdp_index ** 0.8
        return np.where(c["kind"] == RD_CENTRE, 0.0, c["staff"].astype(float) * per_worker) * pop.alive

    @staticmethod
    def tax_rate(pop: Population, p: Parameters) -> np.ndarray:
        return np.where(pop.cols["kind"] == HTE, p.econ_hte_tax_rate, p.econ_tax_rate)

    # -- R&D -------------------------------------------------------------------------------------
    @staticmethod
    def rd_target(pop: Population, p: Parameters, *, revenue: np.ndarray, super_deduction: float,
                  cost_per_researcher: float) -> np.ndarray:
        """Desired yearly R&D spending (m yuan) under this quarter's tax rules."""
        c = pop.cols
        kind = c["kind"]
        intensity = by_kind({SME: p.firm_rd_intensity_sme, HTE: p.firm_rd_intensity_hte,
                             STARTUP: p.firm_rd_intensity_startup, MNC: p.firm_rd_intensity_multinational,
                             FOREIGN: p.firm_rd_intensity_foreign})[kind]
        t = Firm.tax_rate(pop, p)
        user_cost = (1.0 - t * (1.0 + super_deduction)) / (1.0 - t * (1.0 + _DEDUCTION_2016))
        price = np.maximum(user_cost, 0.05) ** (-p.firm_rd_price_elasticity)
        buffer = np.maximum(c["cash"], 0.0) / (0.1 * revenue + 1e-3)
        liquidity = p.firm_liquidity_floor + (1.2 - p.firm_liquidity_floor) * (1.0 - np.exp(-buffer))
        liquidity = np.where(IS_DOMESTIC[kind], liquidity, 1.0)
        target = intensity * revenue * price * liquidity
        centre = kind == RD_CENTRE
        target = np.where(centre, c["staff"] * cost_per_researcher * price ** 0.5, target)
        return target * pop.alive

    @staticmethod
    def adjust_rd(pop: Population, p: Parameters, target: np.ndarray) -> None:
        c = pop.cols
        c["rd_spend"] += (p.firm_rd_adjustment * (target - c["rd_spend"])).astype(np.float32)
        np.maximum(c["rd_spend"], 0.0, out=c["rd_spend"])

    @staticmethod
    def operating_result(pop: Population, p: Parameters, *, revenue: np.ndarray,
                         super_deduction: float) -> tuple[np.ndarray, np.ndarray]:
        """This quarter's net operating cash flow and the tax forgone through the super-deduction
        (both m yuan, per row); zero for foreign firms, whose accounts are kept abroad."""
        c = pop.cols
        rd = c["rd_spend"].astype(float)
        op = revenue * p.econ_gross_margin
        t = Firm.tax_rate(pop, p)
        tax = t * np.maximum(0.0, op - rd * (1.0 + super_deduction))
        forgone = t * (np.maximum(0.0, op - rd) - np.maximum(0.0, op - rd * (1.0 + super_deduction)))
        domestic = Firm.domestic(pop)
        net = np.where(domestic, (op - rd - tax) / 4.0, 0.0)
        return net, forgone / 4.0 * pop.alive

    # -- patents and growth ------------------------------------------------------------------------
    @staticmethod
    def expected_patents(pop: Population, p: Parameters) -> np.ndarray:
        return pop.alive * p.firm_patents_per_rd_myuan * pop.cols["rd_spend"] / 4.0

    @staticmethod
    def record_patents(pop: Population, p: Parameters, patents: np.ndarray) -> None:
        c = pop.cols
        keep = (1.0 - p.firm_ip_depreciation) ** 0.25
        c["ip_stock"] *= keep
        c["ip_stock"] += patents
        c["patents_recent"] = (0.75 * c["patents_recent"] + patents).astype(np.float32)

    @staticmethod
    def grow(pop: Population, rng: np.random.Generator, p: Parameters) -> None:
        """Staff growth for one quarter."""
        c = pop.cols
        sigma = p.firm_growth_volatility
        per_ten_staff = c["patents_recent"] / np.maximum(c["staff"] / 10.0, 1.0)
        drift = (p.firm_growth + p.firm_patent_growth_boost * np.minimum(per_ten_staff, 5.0)
                 + p.fund_growth_boost * (c["fund_quarters"] > 0) - 0.5 * sigma * sigma) / 4.0
        shock = rng.standard_normal(pop.capacity, dtype=np.float32) * np.float32(sigma / 2.0)
        c["staff"] = np.where(pop.alive, np.maximum(c["staff"] * np.exp(drift + shock), 1.0), 0.0).astype(np.float32)
        c["age"][pop.alive] += 1
        c["fund_quarters"][c["fund_quarters"] > 0] -= 1

    # -- certification and life cycle ---------------------------------------------------------------
    @staticmethod
    def certification(pop: Population, rng: np.random.Generator, p: Parameters,
                      revenue: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Apply for, renew or lose high-tech certification; returns (newly certified, lapsed) rows."""
        c = pop.cols
        kind = c["kind"]
        intensity = c["rd_spend"] / np.maximum(revenue, 1e-6)
        qualifies = (c["ip_stock"] >= 1.0) & (intensity >= p.firm_hte_min_rd_intensity) & (c["age"] >= 4)
        running = kind == HTE
        c["cert_quarters"][running & (c["cert_quarters"] > 0)] -= 1
        due = running & (c["cert_quarters"] <= 0)
        validity = int(round(4 * p.firm_hte_validity_years))
        c["cert_quarters"][due & qualifies] = validity
        lapsed = np.flatnonzero(due & ~qualifies)
        kind[lapsed] = np.where(c["age"][lapsed] < 4 * p.firm_startup_years, STARTUP, SME)
        apply = pop.alive & ((kind == SME) | (kind == STARTUP)) & qualifies \
            & (rng.random(pop.capacity) < p.firm_hte_apply_rate)
        new = np.flatnonzero(apply)
        kind[new] = HTE
        c["cert_quarters"][new] = validity
        matured = pop.alive & (kind == STARTUP) & (c["age"] >= 4 * p.firm_startup_years)
        kind[matured] = SME
        return new, lapsed

    @staticmethod
    def failure_hazard(pop: Population, p: Parameters) -> np.ndarray:
        """Quarterly exit hazard of domestic firms apart from running out of cash."""
        per_year = by_kind({STARTUP: p.firm_failure_startup, SME: p.firm_failure_sme, HTE: p.firm_failure_hte})
        return (per_year / 4.0)[pop.cols["kind"]]

    # -- finance --------------------------------------------------------------------------------------
    @staticmethod
    def loan_requests(pop: Population, rng: np.random.Generator, p: Parameters, *,
                      revenue: np.ndarray, guarantee: float, hazard: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Domestic firms with patents and no loan seek an IP-pledge loan; banks approve with a
        probability that a city guarantee raises and the firm's risk lowers.

        Returns approved rows and loan sizes (m yuan).
        """
        c = pop.cols
        short = c["cash"] < 0.1 * revenue
        demand = p.loan_demand_rate * np.where(short, 3.0, 1.0)
        seeking = Firm.domestic(pop) & (c["ip_stock"] >= 1.0) & (c["loan"] <= 0) \
            & (rng.random(pop.capacity) < demand)
        rows = np.flatnonzero(seeking)
        logit = p.loan_approval_intercept + p.loan_guarantee_weight * guarantee \
            - p.loan_risk_weight * (hazard[rows] - 0.01)
        approved = rows[rng.random(rows.size) < 1.0 / (1.0 + np.exp(-logit))]
        size = np.minimum(c["ip_stock"][approved] * p.loan_value_per_patent_myuan * p.loan_to_value,
                          0.5 * revenue[approved] + 1.0)
        return approved, size

    @staticmethod
    def fund_candidates(pop: Population, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """Young domestic firms with patents, and the fund's view of their promise
        (patents per head, blurred by due-diligence noise)."""
        c = pop.cols
        young = Firm.domestic(pop) & (c["age"] < 40) & (c["ip_stock"] >= 1.0) & (c["fund_quarters"] <= 0)
        rows = np.flatnonzero(young)
        noise = np.exp(rng.standard_normal(rows.size, dtype=np.float32) * np.float32(0.5))
        promise = c["ip_stock"][rows] / np.sqrt(c["staff"][rows]) * noise
        return rows, promise

    # -- multinationals and foreign companies ------------------------------------------------------------
    @staticmethod
    def foreign_climate(p: Parameters, *, gdp_growth: float, pressure: float, exposure: float = 1.0) -> tuple[float, float]:
        """Multipliers on foreign firms' entry and exit rates relative to 2016 conditions."""
        entry = np.exp(p.mnc_market_weight * (gdp_growth - _GROWTH_2016) * exposure
                       - p.mnc_geo_weight * (pressure - _PRESSURE_2016) * exposure)
        exit_ = np.exp(p.mnc_geo_weight * (pressure - _PRESSURE_2016) * exposure)
        return float(entry), float(exit_)

    @staticmethod
    def rd_centre_openers(pop: Population, rng: np.random.Generator, p: Parameters, *,
                          workforce_index: float, entry_climate: float) -> np.ndarray:
        """Multinationals deciding this quarter to open an R&D centre in Beijing."""
        c = pop.cols
        has_centre = np.zeros(pop.capacity, dtype=bool)
        parents = c["parent"][pop.alive & (c["kind"] == RD_CENTRE)]
        has_centre[parents[parents >= 0]] = True
        rate = p.mnc_rd_centre_rate / 4.0 * workforce_index ** p.mnc_rd_centre_talent_weight * entry_climate
        return np.flatnonzero(pop.alive & (c["kind"] == MNC) & ~has_centre & (rng.random(pop.capacity) < rate))
