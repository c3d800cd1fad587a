"""The run report's tables (sim/report/html.py)."""

import pandas as pd

from sim.report.html import judged_cells, regime_section


def _row(**kw):
    base = {"id": "research_posts_bind@2019", "kind": "regime", "indicator": "graduate_placement_share", "year": 2019,
            "low": 0.60, "high": 0.95, "simulated_median": 1.0, "simulated_p05": 0.836, "simulated_p95": 1.0,
            "met": False}
    return pd.Series({**base, **kw})


def test_a_judged_row_shows_its_range_its_band_and_whether_the_median_is_within():
    assert judged_cells(_row()) == ["60.0 %&ndash;95.0 %", "100.0 % (83.6 %&ndash;100.0 %)", "no"]
    assert judged_cells(_row(simulated_median=0.82, met=True))[1:] == ["82.0 % (83.6 %&ndash;100.0 %)", "yes"]


def test_the_regime_table_marks_misses_and_is_absent_without_regimes():
    table = pd.DataFrame([_row(), _row(id="research_posts_bind@2017", year=2017, simulated_median=0.8, met=True)])
    out = regime_section(table)
    assert out.count('class="miss"') == 1 and out.count('class="met"') == 1 and "<h2>Regimes</h2>" in out
    assert regime_section(table.assign(kind="documented")) == ""
