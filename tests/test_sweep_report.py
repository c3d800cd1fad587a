"""The sweep report's plots stay readable for a screen of many parameters: the index plot draws
each output's largest indices and the dummy, the scatter plot the parameters that rank highest."""

import pandas as pd

from sim.report.sweep import MAX_PLOTTED, _plotted, leading


def _table(n: int) -> pd.DataFrame:
    rows = []
    for out, unit in (("papers_2035", 1000.0), ("rank_2021", 0.01)):      # outputs in very different units
        for i in range(n):
            rows.append({"output": out, "parameter": f"p{i}", "mu_star": unit * (i if out == "papers_2035" else n - i),
                         "mu_star_conf": 0.0, "sigma": 0.0})
        rows.append({"output": out, "parameter": "dummy", "mu_star": unit * 0.5, "mu_star_conf": 0.0, "sigma": 0.0})
    table = pd.DataFrame(rows)
    table.attrs["S2"] = pd.DataFrame({"S2": [0.1]})          # as sensitivity.indices() leaves it
    return table


def test_leading_parameters_are_ranked_on_each_outputs_own_scale():
    t = _table(5)
    t.loc[(t["output"] == "rank_2021") & (t["parameter"] == "p4"), "mu_star"] = 0.05     # largest on both outputs
    top = leading(t, "morris", 2)
    assert top[0] == "p4" and "dummy" not in top and len(top) == 2


def test_a_large_design_draws_the_largest_indices_and_the_dummy():
    t = _table(40)
    one = t[t["output"] == "papers_2035"]
    drawn = _plotted(one, "morris")
    assert len(drawn) == MAX_PLOTTED + 1 and drawn["parameter"].iloc[-1] == "dummy"
    assert list(drawn["parameter"].iloc[:3]) == ["p39", "p38", "p37"]
    small = _table(5)
    assert _plotted(small[small["output"] == "papers_2035"], "morris").equals(small[small["output"] == "papers_2035"])
