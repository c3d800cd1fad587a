import numpy as np
import pandas as pd
import pytest

from sim import indicators
from sim.milestones import MILESTONES
from sim.results import milestone_table, summarise


def synthetic(values_by_replicate):
    rows = []
    for r, value in enumerate(values_by_replicate):
        for year in (2024, 2025):
            row = {"replicate": r, "seed": r, "year": year, **{n: value for n in indicators.NAMES}}
            rows.append(row)
    return pd.DataFrame(rows)


def test_summary_quantiles_across_replicates():
    s = summarise(synthetic(np.arange(1, 101, dtype=float)))
    row = s[(s["indicator"] == "papers") & (s["year"] == 2025)].iloc[0]
    assert row["median"] == pytest.approx(50.5) and row["p05"] == pytest.approx(5.95) and row["mean"] == pytest.approx(50.5)


def test_milestone_probability_is_the_share_of_replicates_meeting_all_criteria():
    table = synthetic([1.0, 1.0, 1.0, 1.0])
    m = MILESTONES[0]
    assert all(c.per is None for c in m.criteria)
    for c in m.criteria:   # make replicates 0 and 1 meet every criterion, 2 and 3 miss the last
        table.loc[table["year"] == m.year, c.indicator] = c.threshold
    last = m.criteria[-1]
    table.loc[(table["year"] == m.year) & (table["replicate"] >= 2), last.indicator] = last.threshold * 0.5
    out = milestone_table(table, targets=[], series=())       # no real data: every criterion a forecast
    row = out[(out["id"] == m.id) & (out["indicator"] == "all criteria")].iloc[0]
    assert row["probability_met"] == 0.5
    each = out[(out["id"] == m.id) & (out["indicator"] != "all criteria")].set_index("indicator")
    assert (each["basis"] == "forecast").all()
    assert each.loc[last.indicator, "probability_met"] == 0.5 and (each.drop(last.indicator)["probability_met"] == 1).all()
