"""The library entry point: InnovationModel.from_scenario runs as `innovsim run` does, and Mesa's
DataCollector reads its yearly indicators."""

import pandas as pd
import pytest

from sim import indicators
from sim.cli import main
from sim.model import InnovationModel
from sim.scenario import load_scenario

from conftest import SCENARIOS

TINY = {"scale": 100, "horizon": 2021}


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("lib") / "open_door"
    assert main(["run", str(SCENARIOS / "open_door.yaml"), "--out", str(out), "--replicates", "3", "--seed", "5",
                 "--scale", str(TINY["scale"]), "--horizon", str(TINY["horizon"]), "--quiet", "--workers", "1"]) == 0
    return pd.read_parquet(out / "indicators.parquet"), pd.read_csv(out / "parameters.csv")


@pytest.mark.parametrize("given", ["path", "scenario"])
def test_from_scenario_equals_the_command_lines_replicate(cli_run, given):
    table, params = cli_run
    scenario = SCENARIOS / "open_door.yaml" if given == "path" else load_scenario(SCENARIOS / "open_door.yaml")
    model = InnovationModel.from_scenario(scenario, 2, seed=5, **TINY)
    assert model.replicate_seed == int(params.loc[2, "seed"])
    drawn = params.drop(columns=["replicate", "seed", "particle"]).iloc[2]
    assert all(getattr(model.p, k) == pytest.approx(v, rel=1e-12) for k, v in drawn.items())
    mine = pd.DataFrame(model.run())
    theirs = table[table["replicate"] == 2].reset_index(drop=True)
    pd.testing.assert_frame_equal(mine[list(indicators.NAMES)], theirs[list(indicators.NAMES)], check_exact=True)


def test_datacollector_has_one_row_per_year_as_mesa_reads_it():
    model = InnovationModel.from_scenario(SCENARIOS / "baseline.yaml", **TINY)
    for _ in range(8):                                  # two years by hand
        model.step()
    assert len(model.datacollector.get_model_vars_dataframe()) == 2
    model.run()
    frame = model.datacollector.get_model_vars_dataframe()
    assert list(frame.columns) == ["year", *indicators.NAMES]
    assert frame["year"].tolist() == list(range(2016, TINY["horizon"] + 1))
    assert frame.iloc[-1].to_dict() == pytest.approx(model.records[-1])


def test_parameters_default_and_replicate_errors():
    model = InnovationModel.from_scenario(SCENARIOS / "baseline.yaml", parameters="default", **TINY)
    from sim.parameters import Parameters
    assert dict(model.p) == dict(Parameters.defaults())
    with pytest.raises(ValueError):
        InnovationModel.from_scenario(SCENARIOS / "baseline.yaml", -1)
