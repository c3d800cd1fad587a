"""Outside drivers: the economy and its prices, geopolitical pressure, the world's talent pool.

These are scenario inputs (exogenous schedules), turned into the state the agents respond to.

**Real and nominal.** The economy is followed in real terms and priced by two named indices,
both 1 in 2016:

* the *GDP deflator* ``P``, compounding at the input ``gdp_deflator_growth``; nominal GDP is
  real GDP times ``P``;
* the *research cost index* ``C``, the price of a researcher-year (pay, equipment, overheads),
  compounding at the deflator's growth plus ``econ_research_cost_gdp_elasticity`` times real
  GDP growth: researchers' real pay follows the city's real income.

Every money amount in the model says which it is: a *nominal* budget (a lever a planner writes in
yuan of the day: research grants, SME relief, the innovation fund) buys less research as ``C``
rises; an *indexed* amount (grant size, seed money, fixed costs, unit costs of agencies) is
stated in 2016 yuan and multiplied by ``C`` or ``P``. Research output (papers, patents, the
cluster score) is produced from people and from real money (nominal divided by ``C``).

**Annual steps.** GDP and the two indices step once a year, on 1 January, by the mean of that
year's scheduled growth; within a year they are constant. So the GDP recorded for 2016 is the
figure the model starts from, and the recorded growth from one year to the next is exactly the
scheduled rate. Geopolitical pressure and the talent pool move every quarter.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class OutsideWorld:
    """State of the world outside Beijing's innovation system."""

    gdp_2016_bn_yuan: float                 # nominal = real (2016 prices) in 2016
    research_cost_gdp_elasticity: float     # real research cost growth per unit of real GDP growth
    real_gdp_index: float = 1.0             # real GDP relative to 2016
    deflator: float = 1.0                   # GDP deflator, 2016 = 1
    research_cost_index: float = 1.0        # price of a researcher-year, 2016 = 1
    real_gdp_growth: float = 0.0            # this year's real growth (0 in 2016)
    talent_pool_index: float = 1.0          # world's mobile scientists, 2016 = 1
    geopolitical_pressure: float = 0.0

    def advance_year(self, real_growth: float, deflator_growth: float) -> None:
        """1 January: real GDP, the deflator and the research cost index take this year's step."""
        self.real_gdp_growth = real_growth
        self.real_gdp_index *= 1.0 + real_growth
        self.deflator *= 1.0 + deflator_growth
        self.research_cost_index *= (1.0 + deflator_growth) * (1.0 + self.research_cost_gdp_elasticity * real_growth)

    def advance_quarter(self, pressure: float, pool_growth: float) -> None:
        """Every quarter: pressure is read, the talent pool compounds."""
        self.talent_pool_index *= (1.0 + pool_growth) ** 0.25
        self.geopolitical_pressure = pressure

    @property
    def gdp_bn_yuan(self) -> float:
        """Nominal GDP, annual rate (bn yuan of the day)."""
        return self.gdp_2016_bn_yuan * self.real_gdp_index * self.deflator

    @property
    def real_pay_index(self) -> float:
        """Real pay of a researcher relative to 2016 (research cost index over the deflator)."""
        return self.research_cost_index / self.deflator
