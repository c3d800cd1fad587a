"""The sensitivity pipeline recovers the Ishigami function's known Sobol' indices.

The model is swapped for the Ishigami function; everything else (design, tasks, evaluator,
files on disk, assembly, analysis) is the sweep's own code, so this proves the plumbing
independently of the model.
"""

import math

import pandas as pd

from sim.sweep.designs import sobol
from sim.sweep.evaluators import LocalEvaluator
from sim.sweep.execute import Store, assemble, execute, make_tasks
from sim.sweep.sensitivity import indices, sample_means

A, B = 7.0, 0.1
# Analytic indices (Ishigami & Homma 1990; Sobol' & Levitan 1999).
V = A**2 / 8 + B * math.pi**4 / 5 + B**2 * math.pi**8 / 18 + 0.5
V1 = 0.5 * (1 + B * math.pi**4 / 5) ** 2
V2 = A**2 / 8
V13 = B**2 * math.pi**8 / 18 - B**2 * math.pi**8 / 50
S1 = [V1 / V, V2 / V, 0.0]
ST = [(V1 + V13) / V, V2 / V, V13 / V]


def ishigami_task(task):
    x1, x2, x3 = (task.values[k] for k in ("x1", "x2", "x3"))
    y = math.sin(x1) + A * math.sin(x2) ** 2 + B * x3**4 * math.sin(x1)
    return {"run_id": task.run_id, "status": "ok", "error": "", "table": pd.DataFrame({"year": [0], "y": [y]})}


def failing_task(task):
    if task.run_id % 5 == 3:
        raise_ = ValueError("boom")
        return {"run_id": task.run_id, "status": "failed", "error": repr(raise_), "table": None}
    return ishigami_task(task)


def run_design(design, fn, folder):
    """The sweep's own machinery with ``fn`` in place of the model: tasks, store, execute, assemble."""
    tasks = make_tasks(design, 1, seed=1)
    store = Store(folder)
    store.folder.mkdir()
    stats = execute(tasks, fn, store, LocalEvaluator(1), progress=False)
    runs, _ = assemble(tasks, store, design, [("y", 0)])
    return tasks, stats, runs


def test_ishigami_indices_are_recovered_within_confidence(tmp_path):
    design = sobol(["x1", "x2", "x3"], [(-math.pi, math.pi)] * 3, 256, seed=11)
    tasks, stats, runs = run_design(design, ishigami_task, tmp_path / "sw")
    assert stats["ran"] == len(tasks) == 256 * 5
    table = indices(design, {"y": sample_means(runs, "y_0", len(design))}, seed=1).set_index("parameter")
    for i, p in enumerate(["x1", "x2", "x3"]):
        assert abs(table.loc[p, "S1"] - S1[i]) <= table.loc[p, "S1_conf"], (p, "S1", table.loc[p, "S1"], S1[i])
        assert abs(table.loc[p, "ST"] - ST[i]) <= table.loc[p, "ST_conf"], (p, "ST", table.loc[p, "ST"], ST[i])


def test_morris_ranks_ishigami_inputs(tmp_path):
    from sim.sweep.designs import morris
    design = morris(["x1", "x2", "x3"], [(-math.pi, math.pi)] * 3, 40, seed=2)
    _, _, runs = run_design(design, ishigami_task, tmp_path / "sw")
    t = indices(design, {"y": sample_means(runs, "y_0", len(design))}).set_index("parameter")
    assert t.loc["x1", "mu_star"] > t.loc["x3", "mu_star"] and t.loc["x2", "mu_star"] > t.loc["x3", "mu_star"]
    assert t.loc["x3", "sigma"] > 0      # x3 acts only through its interaction with x1


def test_a_failing_run_is_recorded_and_the_sweep_goes_on(tmp_path):
    design = sobol(["x1", "x2", "x3"], [(-math.pi, math.pi)] * 3, 8, seed=1)
    tasks, stats, runs = run_design(design, failing_task, tmp_path / "sw")
    failed = runs[runs["status"] == "failed"]
    assert stats["failed_now"] == len(failed) == len([t for t in tasks if t.run_id % 5 == 3])
    assert failed["error"].str.contains("boom").all() and failed["y_0"].isna().all()
    assert (runs["status"] == "ok").sum() == len(tasks) - len(failed)


def test_a_dummy_parameter_shows_the_noise_floor(tmp_path):
    import random

    def noisy(task):
        rnd = random.Random(task.run_id)
        y = 5 * task.values["x1"] + rnd.gauss(0, 0.5)     # x2 and the dummy do nothing
        return {"run_id": task.run_id, "status": "ok", "error": "", "table": pd.DataFrame({"year": [0], "y": [y]})}

    from sim.sweep.designs import morris
    design = morris(["x1", "x2", "dummy"], [(0, 1)] * 3, 30, seed=4)
    _, _, runs = run_design(design, noisy, tmp_path / "sw")
    t = indices(design, {"y": sample_means(runs, "y_0", len(design))}).set_index("parameter")
    assert t.loc["x1", "mu_star"] > 5 * t.loc["dummy", "mu_star"]
    assert t.loc["x2", "mu_star"] < 3 * t.loc["dummy", "mu_star"]


def test_second_order_indices_find_the_ishigami_interaction(tmp_path):
    design = sobol(["x1", "x2", "x3"], [(-math.pi, math.pi)] * 3, 256, seed=11, second_order=True)
    _, _, runs = run_design(design, ishigami_task, tmp_path / "sw")
    s2 = indices(design, {"y": sample_means(runs, "y_0", len(design))}, seed=1).attrs["S2"].set_index(["parameter_1", "parameter_2"])
    # Only x1 and x3 interact: S2(x1, x3) = V13 / V.
    assert abs(s2.loc[("x1", "x3"), "S2"] - V13 / V) <= s2.loc[("x1", "x3"), "S2_conf"]
    assert abs(s2.loc[("x1", "x2"), "S2"]) <= s2.loc[("x1", "x2"), "S2_conf"]
