"""Outside drivers: the economy, geopolitical pressure and the world's pool of mobile talent.

These are scenario inputs (exogenous schedules), turned into the state the agents respond to.
GDP compounds quarter by quarter at the scheduled annual nominal growth rate from its 2016
level; the talent pool is an index (2016 = 1) compounding at its scheduled growth.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class OutsideWorld:
    """State of the world outside Beijing's innovation system, advanced once a quarter."""

    gdp_bn_yuan: float          # annual rate, bn yuan
    gdp_2016_bn_yuan: float
    talent_pool_index: float = 1.0
    geopolitical_pressure: float = 0.0
    gdp_growth: float = 0.0     # annual rate in force this quarter

    def advance(self, gdp_growth: float, pressure: float, pool_growth: float) -> None:
        """Move one quarter: compound GDP and the talent pool, read pressure."""
        self.gdp_growth = gdp_growth
        self.gdp_bn_yuan *= (1.0 + gdp_growth) ** 0.25
        self.talent_pool_index *= (1.0 + pool_growth) ** 0.25
        self.geopolitical_pressure = pressure

    @property
    def gdp_index(self) -> float:
        """GDP relative to 2016."""
        return self.gdp_bn_yuan / self.gdp_2016_bn_yuan
