from sim import levers
from sim.scenario import load_scenario

from conftest import SCENARIOS

REQUIRED = {"research_grants_bn_yuan", "basic_research_share", "visa_processing_days",
            "talent_settlement_support_kyuan", "international_amenities", "foreign_led_projects",
            "rd_super_deduction_rate", "sme_tax_relief_bn_yuan", "ip_pledge_loan_guarantee_share",
            "innovation_fund_bn_yuan"}


def test_catalogue_has_the_required_levers_and_inputs():
    assert REQUIRED <= set(levers.POLICY_LEVERS)
    assert {"geopolitical_pressure", "gdp_growth"} <= set(levers.EXOGENOUS)


def test_defaults_lie_in_their_ranges_and_every_entry_is_documented():
    for lever in levers.LEVERS:
        assert lever.check(lever.default) is None, lever.name
        assert lever.unit and len(lever.meaning) > 40, lever.name


def test_check_reports_range_with_unit():
    problem = levers.BY_NAME["basic_research_share"].check(1.5)
    assert "0 to 1" in problem and "share" in problem


def test_baseline_sets_every_policy_lever_explicitly():
    import yaml
    raw = yaml.safe_load((SCENARIOS / "baseline.yaml").read_text())
    assert set(raw["levers"]) == set(levers.POLICY_LEVERS)
    assert load_scenario(SCENARIOS / "baseline.yaml").quarterly()["rd_super_deduction_rate"][-1] == 1.0
