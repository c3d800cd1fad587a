"""The model as a library: one replicate built exactly as ``innovsim run`` builds it, and its
yearly indicators through Mesa's :class:`mesa.DataCollector`.

:meth:`sim.model.InnovationModel.from_scenario` calls :func:`from_scenario`; the model's
``datacollector`` property calls :func:`yearly_datacollector`.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import mesa

from sim import indicators
from sim.scenario import Scenario, load_scenario


def from_scenario(scenario: str | Path | Scenario, replicate: int = 0, *, seed: int | None = None,
                  scale: float | None = None, horizon: int | None = None, parameters: str = "posterior",
                  posterior: str | Path | None = None, agents: str = "lazy", model_class: type | None = None):
    """Replicate ``replicate`` of ``innovsim run SCENARIO [--seed S] [--scale K] [--horizon Y]
    [--parameters P] [--posterior FILE]``, not yet run: the same replicate seed (from the master
    ``seed``, default the scenario's ``run:`` block, else 1), the same behavioural parameters (its
    posterior draw, by default) and the same schedules, so its yearly indicators equal that
    replicate's rows of ``indicators.csv``."""
    from sim.runner import model_of, resolve

    if replicate < 0:
        raise ValueError("replicate must be 0 or more")
    overrides: dict[str, Any] = {"seed": seed, "scale": scale, "horizon": horizon, "replicates": replicate + 1}
    if isinstance(scenario, Scenario):
        run = {**scenario.run, **{k: v for k, v in overrides.items() if v is not None}}
        scenario = dataclasses.replace(scenario, run=run)
    else:
        scenario = load_scenario(scenario, **overrides)
    settings = resolve(scenario, parameters=parameters, posterior=Path(posterior) if posterior else None,
                       workers=1, agents=agents)
    job = settings.jobs()[replicate]
    model = model_of(job, model_class)
    model.replicate_seed = job.seed           # the `seed` column of indicators.csv
    return model


#: Columns of the data collector: the year, then every indicator (sim.indicators.NAMES).
COLUMNS = ("year", *indicators.NAMES)


def yearly_datacollector(model) -> mesa.DataCollector:
    """A :class:`mesa.DataCollector` with one model reporter per indicator (and ``year``), holding
    one row for each simulated year so far: ``model.datacollector.get_model_vars_dataframe()``.

    The indicators are measured at the end of each year (the model's ``records``); the collector
    catches up with them whenever it is read, so stepping the model by hand works too.
    """
    state = model.__dict__.setdefault("_innovsim_datacollector", {})
    if "collector" not in state:
        row: dict[str, float] = {}
        state["row"] = row
        state["collector"] = mesa.DataCollector(
            model_reporters={"year": lambda m: int(row["year"]),
                             **{name: (lambda m, name=name: row[name]) for name in indicators.NAMES}})
        state["collected"] = 0
    collector, row = state["collector"], state["row"]
    for record in model.records[state["collected"]:]:
        row.clear()
        row.update(record)
        collector.collect(model)
        state["collected"] += 1
    return collector
