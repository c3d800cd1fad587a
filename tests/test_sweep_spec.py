import pytest

from sim.errors import InputError
from sim.sweep.spec import load_sweep

from conftest import SCENARIOS

BASE = str(SCENARIOS / "baseline.yaml")


def test_every_example_spec_validates():
    specs = sorted((SCENARIOS / "sweeps").glob("*.yaml"))
    assert len(specs) >= 4
    methods = {load_sweep(s).method for s in specs}
    assert methods == {"grid", "lhs", "sobol", "morris"}


def spec(**parts):
    base = {"name": "s", "scenario": BASE, "design": "{method: sobol, samples: 8, seed: 1}", "replicates": "1",
            "parameters": "\n  visa_processing_days: {low: 5, high: 90, from: 2026}\n  ft_visa_weight: {low: 0.1, high: 1.0}",
            "outputs": "\n  - {indicator: foreign_talent, year: 2035}"}
    base.update(parts)
    return "".join(f"{k}: {v}\n" for k, v in base.items())


def test_levers_hold_from_their_date_and_parameters_for_the_whole_run(write):
    s = load_sweep(write("ok.yaml", spec()))
    by = {p.name: p for p in s.parameters}
    assert by["visa_processing_days"].kind == "lever" and by["visa_processing_days"].start.year == 2026
    assert by["ft_visa_weight"].kind == "parameter" and by["ft_visa_weight"].start is None
    assert s.output_names == ["foreign_talent_2035"]


BAD = {
    "sobol_size": ({"design": "{method: sobol, samples: 100}"}, "design.samples: Sobol' designs need a power of two (SALib's rule for the sequence's balance), got 100; use 64 or 128"),
    "grid_no_levels": ({"design": "{method: grid}"}, "a grid needs `levels: [...]`"),
    "levels_not_grid": ({"parameters": "\n  ft_visa_weight: {levels: [0.1, 0.2]}\n  ft_geo_weight: {low: 1, high: 2}"}, "`levels` is for grids"),
    "unknown_parameter": ({"parameters": "\n  warp_speed: {low: 1, high: 2}\n  ft_visa_weight: {low: 0.1, high: 1}"}, "parameters.warp_speed: is neither a lever"),
    "out_of_range": ({"parameters": "\n  visa_processing_days: {low: 0, high: 90}\n  ft_visa_weight: {low: 0.1, high: 1}"}, "0 is outside the allowed range 1 to 365"),
    "low_above_high": ({"parameters": "\n  ft_geo_weight: {low: 2, high: 1}\n  ft_visa_weight: {low: 0.1, high: 1}"}, "low (2) must be below high (1)"),
    "from_on_parameter": ({"parameters": "\n  ft_geo_weight: {low: 1, high: 2, from: 2026}\n  ft_visa_weight: {low: 0.1, high: 1}"}, "`from` applies to levers"),
    "from_after_horizon": ({"parameters": "\n  visa_processing_days: {low: 5, high: 9, from: 2040}\n  ft_visa_weight: {low: 0.1, high: 1}"}, "outside the simulated period"),
    "bad_output": ({"outputs": "\n  - {indicator: happiness, year: 2035}"}, "outputs[0].indicator: unknown indicator 'happiness'"),
    "output_year": ({"outputs": "\n  - {indicator: papers, year: 2050}"}, "outputs[0].year: 2050 is outside"),
    "missing_scenario": ({"scenario": "nowhere.yaml"}, "scenario: names a scenario that does not exist"),
    "one_parameter_sobol": ({"parameters": "\n  ft_visa_weight: {low: 0.1, high: 1}"}, "needs at least two parameters"),
    "unknown_method": ({"design": "{method: magic, samples: 8}"}, "design.method"),
    "no_samples": ({"design": "{method: lhs}"}, "a lhs design needs `samples`"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_specs_are_one_line_naming_file_and_field(case, write):
    parts, expected = BAD[case]
    path = write(f"{case}.yaml", spec(**parts))
    with pytest.raises(InputError) as info:
        load_sweep(path)
    assert str(path) in str(info.value) and expected in str(info.value) and "\n" not in str(info.value)


def test_dummy_is_added_for_sobol_and_refused_for_grids(write):
    s = load_sweep(write("d.yaml", spec(design="{method: sobol, samples: 8, dummy: true}")))
    assert [p.name for p in s.parameters][-1] == "dummy" and s.parameters[-1].kind == "dummy"
    with pytest.raises(InputError, match="design.dummy"):
        load_sweep(write("g.yaml", spec(design="{method: lhs, samples: 8, dummy: true}")))


def test_parameters_not_swept_default_to_the_posterior_median(write):
    assert load_sweep(write("m.yaml", spec())).base_parameters == "median"
    assert load_sweep(write("d.yaml", spec(base_parameters="default"))).base_parameters == "default"
    with pytest.raises(InputError, match="base_parameters"):
        load_sweep(write("x.yaml", spec(base_parameters="mean")))


def test_a_sweep_runs_around_the_posterior_median():
    from sim.calibration.posterior import Posterior
    from sim.model import InnovationModel
    from sim.parameters import Parameters
    from sim.sweep.execute import ModelContext, Task, model_task

    scenario = load_sweep(SCENARIOS / "sweeps" / "finance_grid.yaml").scenario
    median = Posterior.load().median()
    around_median = model_task(Task(0, 0, 0, 1, {}, ModelContext(scenario, 200.0, 2017, {}, median)))["table"]
    around_default = model_task(Task(0, 0, 0, 1, {}, ModelContext(scenario, 200.0, 2017, {}, {})))["table"]
    direct = InnovationModel(scenario.quarterly(2017), Parameters.defaults().replace(**median), scale=200.0,
                             horizon=2017, rng=1)
    assert around_median.to_dict("records") == direct.run()
    assert not around_median.equals(around_default)
