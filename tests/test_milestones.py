"""Milestones that discriminate: criteria on published indicators, thresholds with sources, none met
at the start, each scored on its own, and scored on data once the data reach the milestone's year."""

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

import numpy as np
import pandas as pd
import pytest

from sim.milestones import (FORECAST, MILESTONES, PUBLISHED, REAL_2016, SCORED_ON_DATA, SKIPPED, Criterion, Milestone,
                            TrivialCriterion, all_criteria_probability, check_milestones, check_not_trivial,
                            criterion_probability, distance_to_threshold, evaluate, paced,
                            probability_with_discrepancy, scored_against_data, stepped)
from sim.results import MILESTONE_COLUMNS, milestone_table

#: Indicators with a published counterpart (the names the model has or will have).
KNOWN = {"rd_expenditure_bn_yuan", "rd_share_of_gdp", "basic_research_bn_yuan", "rd_personnel_fte", "researchers_fte",
         "patents_granted", "invention_patents_granted", "sci_papers", "high_tech_enterprises",
         "tech_contract_turnover_bn_yuan", "multinational_regional_hq", "cluster_rank"}

#: Real 2016 values (shared/data; the cluster rank is WIPO's first comparable ranking, 2018's 5th).
REAL_2016_FIXTURE = {
    "rd_expenditure_bn_yuan": 148.0, "rd_share_of_gdp": 0.055, "basic_research_bn_yuan": 21.1,
    "invention_patents_granted": 40_602, "patents_granted": 100_578, "sci_papers": 48_578,
    "tech_contract_turnover_bn_yuan": 394.0, "high_tech_enterprises": 16_000, "multinational_regional_hq": 161,
    "cluster_rank": 5, "rd_personnel_fte": 253_337, "researchers_fte": 150_574,
}
#: Real 2021 values (multinational HQ: 2019, the last year before the recognition criteria changed).
REAL_2021_FIXTURE = {
    "rd_expenditure_bn_yuan": 263.0, "rd_share_of_gdp": 0.065, "basic_research_bn_yuan": 42.3,
    "invention_patents_granted": 79_210, "patents_granted": 198_778, "sci_papers": 76_505,
    "tech_contract_turnover_bn_yuan": 701.0, "high_tech_enterprises": 27_600, "multinational_regional_hq": 179,
    "cluster_rank": 4, "rd_personnel_fte": 338_297, "researchers_fte": 228_860,
}


@dataclass(frozen=True)
class FakeSeries:
    """The fields of :class:`sim.targets.Series` the milestones read."""

    id: str
    indicator: str
    values: Mapping[int, float]
    confidence: str = "high"
    tolerance: float = 0.1
    weight: float = 1.0
    source: str = "test"
    note: str | None = None


def all_criteria():
    return [(m, c) for m in MILESTONES for c in m.criteria]


def synthetic(values: Mapping[str, list[float]], years=(2024, 2025)) -> pd.DataFrame:
    """One row per replicate and year; every year gets the same values."""
    n = len(next(iter(values.values())))
    rows = [{"replicate": r, "seed": r, "year": y, **{k: float(v[r]) for k, v in values.items()}}
            for r in range(n) for y in years]
    return pd.DataFrame(rows)


def value_of(c: Criterion, values: Mapping[str, float]) -> float:
    return values[c.indicator] / values[c.per] if c.per else values[c.indicator]


# -- the criteria themselves ---------------------------------------------------------------------------
@pytest.mark.parametrize("m, c", all_criteria(), ids=[f"{m.year}-{c.name}" for m, c in all_criteria()])
def test_no_criterion_is_met_by_the_real_2016_values(m, c):
    assert not c.met(value_of(c, REAL_2016_FIXTURE)), f"{m.year} {c.describe()} is met already in 2016"
    assert not c.met(value_of(c, REAL_2016)), f"{m.year} {c.describe()} is met by sim.milestones.REAL_2016"


@pytest.mark.parametrize("m, c", all_criteria(), ids=[f"{m.year}-{c.name}" for m, c in all_criteria()])
def test_no_criterion_is_met_by_the_latest_real_values_either(m, c):
    assert not c.met(value_of(c, REAL_2021_FIXTURE)), f"{m.year} {c.describe()} is met already in 2021"


def test_every_criterion_names_a_known_indicator_and_states_its_source():
    assert set(PUBLISHED) == KNOWN
    for m, c in all_criteria():
        assert set(c.indicators) <= KNOWN, c.name
        assert c.comparison in ("<=", ">=")
        assert len(c.source) > 20, f"{m.id}: {c.name} needs a stated source"
    check_milestones()        # the module's own validation agrees


def test_three_milestones_each_with_several_criteria():
    assert [m.year for m in MILESTONES] == [2025, 2030, 2035]
    assert all(len(m.criteria) >= 3 for m in MILESTONES)
    assert len({m.id for m in MILESTONES}) == len(MILESTONES)
    for m in MILESTONES:
        assert len({c.name for c in m.criteria}) == len(m.criteria)


def test_thresholds_follow_their_stated_rules():
    # invention patents: 40,602 (2016) -> 79,210 (2021), 14.3 % a year, carried to 2025
    assert paced(40_602, 2016, 79_210, 2021, 2025) == pytest.approx(79_210 * (79_210 / 40_602) ** 0.8, rel=2e-3)
    # R&D intensity: +0.208 percentage points a year from 6.53 % in 2021
    assert stepped(0.0549, 2016, 0.0653, 2021, 2025) == pytest.approx(0.0653 + 4 * 0.00208, abs=1e-4)
    by = {(m.year, c.name): c for m, c in all_criteria()}
    assert by[(2025, "invention_patents_granted")].threshold == 135_000
    assert by[(2025, "rd_share_of_gdp")].threshold == 0.0736
    assert by[(2030, "multinational_regional_hq")].threshold == 264
    assert by[(2035, "cluster_rank")].threshold == 2


def test_real_2016_values_agree_with_the_published_series():
    from sim.targets import load_series

    try:
        series = load_series()
    except Exception as exc:  # noqa: BLE001 - another change to the targets file may be in progress
        pytest.skip(f"targets file not readable yet: {exc}")
    for s in series:
        if 2016 in s.values and s.indicator in REAL_2016:
            assert REAL_2016[s.indicator] == pytest.approx(s.values[2016], rel=1e-3), s.indicator


# -- probability and distance --------------------------------------------------------------------------
def test_probability_and_distance_on_a_synthetic_table():
    c = Criterion("sci_papers", ">=", 100_000, "test")
    table = synthetic({"sci_papers": [80_000, 95_000, 100_000, 120_000, 130_000]})
    v = c.values(table, 2025)
    assert criterion_probability(c, v) == pytest.approx(3 / 5)
    d, rel = distance_to_threshold(c, v)
    assert d == pytest.approx(0.0) and rel == pytest.approx(0.0)
    table = synthetic({"sci_papers": [80_000, 90_000, 95_000]})
    assert criterion_probability(c, c.values(table, 2025)) == 0.0
    assert distance_to_threshold(c, c.values(table, 2025)) == pytest.approx((-10_000, -0.1))
    rank = Criterion("cluster_rank", "<=", 3, "test")
    ranks = synthetic({"cluster_rank": [2, 3, 4, 4]})
    assert criterion_probability(rank, rank.values(ranks, 2025)) == 0.5
    assert distance_to_threshold(rank, rank.values(ranks, 2025)) == pytest.approx((0.5, 0.5 / 3))


def test_a_ratio_criterion_divides_by_its_denominator():
    c = Criterion("basic_research_bn_yuan", ">=", 0.2, "test", per="rd_expenditure_bn_yuan")
    table = synthetic({"basic_research_bn_yuan": [20.0, 50.0, 80.0], "rd_expenditure_bn_yuan": [200.0, 200.0, 200.0]})
    assert criterion_probability(c, c.values(table, 2025)) == pytest.approx(2 / 3)
    assert distance_to_threshold(c, c.values(table, 2025))[0] == pytest.approx(0.05)


def test_evaluate_reports_each_criterion_on_its_own():
    m = Milestone("m", 2025, "goal", (Criterion("sci_papers", ">=", 100_000, "s"),
                                      Criterion("cluster_rank", "<=", 3, "s")))
    table = synthetic({"sci_papers": [90_000, 110_000, 120_000, 130_000], "cluster_rank": [4, 4, 4, 3]})
    papers, rank = evaluate(m, table)
    assert papers.status == rank.status == FORECAST
    assert papers.probability == 0.75 and rank.probability == 0.25
    assert papers.median == 115_000 and papers.distance == 15_000 and papers.relative_distance == pytest.approx(0.15)
    assert papers.met and not rank.met
    assert all_criteria_probability(m, table) == 0.25       # secondary: replicate 3 meets both


# -- the probability with the model discrepancy --------------------------------------------------------
def test_the_discrepancy_turns_certainties_into_probabilities_of_the_stated_size():
    c = Criterion("sci_papers", ">=", 100_000, "test")
    above, below = np.full(10, 110_000.0), np.full(10, 90_000.0)
    assert probability_with_discrepancy(c, above, 0.0) == criterion_probability(c, above) == 1.0
    # P(110,000 exp(delta) >= 100,000) = Phi(log 1.1 / sd)
    from scipy.stats import norm
    for sd in (0.05, 0.1, 0.3):
        assert probability_with_discrepancy(c, above, sd) == pytest.approx(norm.cdf(np.log(1.1) / sd), abs=0.01)
        assert probability_with_discrepancy(c, below, sd) == pytest.approx(norm.sf(np.log(100 / 90) / sd), abs=0.01)
    # a wider error pulls both towards one half
    assert probability_with_discrepancy(c, above, 0.3) < probability_with_discrepancy(c, above, 0.1) < 1.0
    assert 0.0 < probability_with_discrepancy(c, below, 0.1) < probability_with_discrepancy(c, below, 0.3)


def test_evaluate_adds_the_discrepancy_to_indicators_and_ratios_and_not_to_bare_ranks():
    from scipy.stats import norm

    from sim.calibration.discrepancy import POOLED, SeriesDiscrepancy

    m = Milestone("m", 2025, "goal", (Criterion("sci_papers", ">=", 100_000, "s"),
                                      Criterion("cluster_rank", "<=", 3, "s"),
                                      Criterion("basic_research_bn_yuan", ">=", 0.2, "s", per="rd_expenditure_bn_yuan")))
    table = synthetic({"sci_papers": [110_000] * 4, "cluster_rank": [4, 4, 4, 3],
                       "basic_research_bn_yuan": [50.0] * 4, "rd_expenditure_bn_yuan": [200.0] * 4})
    series = [FakeSeries("sci_papers", "sci_papers", {2020: 70_000, 2021: 76_505})]
    # the calibration's last fitted year (2020) sets the drift, not the series' last data year (2021)
    delta = {"sci_papers": SeriesDiscrepancy("sci_papers", "sci_papers", 0.1, 0.05, 2020),
             POOLED: SeriesDiscrepancy(POOLED, "", 0.1, 0.05, None)}
    papers, rank, ratio = evaluate(m, table, series, delta)
    sd = (0.1 ** 2 + 5 * 0.05 ** 2) ** 0.5             # five years of drift after 2020
    assert papers.probability == 1.0
    assert papers.probability_with_discrepancy == pytest.approx(probability_with_discrepancy(
        m.criteria[0], np.full(4, 110_000.0), sd))
    assert rank.probability_with_discrepancy is None
    # a ratio's indicators have no real series here: no error to add, and none invented
    assert ratio.probability_with_discrepancy is None
    both = series + [FakeSeries("basic_research_bn_yuan", "basic_research_bn_yuan", {2021: 42.25}),
                     FakeSeries("rd_expenditure_bn_yuan", "rd_expenditure_bn_yuan", {2021: 262.93})]
    delta |= {"basic_research_bn_yuan": SeriesDiscrepancy("basic_research_bn_yuan", "basic_research_bn_yuan", 0.06, 0.03, 2021),
              "rd_expenditure_bn_yuan": SeriesDiscrepancy("rd_expenditure_bn_yuan", "rd_expenditure_bn_yuan", 0.08, 0.04, 2021)}
    ratio = evaluate(m, table, both, delta)[2]
    # independent errors: the log ratio's variance is the sum of the two (four years of drift after 2021)
    sd_ratio = ((0.06 ** 2 + 4 * 0.03 ** 2) + (0.08 ** 2 + 4 * 0.04 ** 2)) ** 0.5
    assert ratio.probability == 1.0                     # every replicate at 0.25, above 0.2
    assert ratio.probability_with_discrepancy == pytest.approx(norm.cdf(np.log(0.25 / 0.2) / sd_ratio), abs=0.01)
    assert evaluate(m, table, series)[0].probability_with_discrepancy is None      # no discrepancy given
    out = milestone_table(table, targets=[], series=series, discrepancy=delta)
    row = out[(out["kind"] == "milestone") & (out["indicator"] == "sci_papers")].iloc[0]
    threshold = next(c for c in MILESTONES[0].criteria if c.indicator == "sci_papers")
    expected = probability_with_discrepancy(threshold, np.full(4, 110_000.0), sd)
    assert row["probability_with_discrepancy"] == pytest.approx(expected) and 0.0 < expected < 1.0
    assert list(out.columns[-2:]) == ["note", "probability_with_discrepancy"]   # appended: older readers keep their columns
    # a missing error is not a zero one
    assert np.isnan(probability_with_discrepancy(m.criteria[0], [150_000.0], float("nan")))


def test_a_rank_takes_its_model_error_on_its_continuous_position():
    from scipy.stats import norm

    from sim.calibration.discrepancy import POOLED, SeriesDiscrepancy

    top3 = Criterion("cluster_rank", "<=", 3, "s", position="cluster_position")
    top2 = Criterion("cluster_rank", "<=", 2, "s", position="cluster_position")
    m = Milestone("m", 2025, "goal", (top3, top2))
    # every replicate third, two of them close to fourth place and two close to second
    table = synthetic({"cluster_rank": [3, 3, 3, 3], "cluster_position": [3.4, 3.4, 2.6, 2.6]})
    series = [FakeSeries("cluster_rank", "cluster_rank", {2018: 5, 2020: 4})]
    delta = {"cluster_rank": SeriesDiscrepancy("cluster_rank", "cluster_rank", 0.0, 0.08, 2020),
             POOLED: SeriesDiscrepancy(POOLED, "", 0.04, 0.08, None)}
    third, second = evaluate(m, table, series, delta)
    sd = (5 * 0.08 ** 2) ** 0.5                          # five years of drift after 2020
    assert third.probability == 1.0 and second.probability == 0.0      # the replicates' own share
    # the real position is below 3.5 (so the rank at most 3) with the chance the error leaves it there
    expected = (norm.cdf(np.log(3.5 / 3.4) / sd) + norm.cdf(np.log(3.5 / 2.6) / sd)) / 2
    assert third.probability_with_discrepancy == pytest.approx(expected, abs=0.01)
    assert 0.5 < third.probability_with_discrepancy < 1.0
    expected = (norm.cdf(np.log(2.5 / 3.4) / sd) + norm.cdf(np.log(2.5 / 2.6) / sd)) / 2
    assert second.probability_with_discrepancy == pytest.approx(expected, abs=0.01)
    assert 0.0 < second.probability_with_discrepancy < 0.5
    # nearer the next place, less sure: the same ranks with positions at the edge of third place
    edge = synthetic({"cluster_rank": [3, 3, 3, 3], "cluster_position": [3.45] * 4})
    assert evaluate(m, edge, series, delta)[0].probability_with_discrepancy < third.probability_with_discrepancy
    # a run of an older model, without the position: no error is invented on whole places
    older = synthetic({"cluster_rank": [3, 3, 3, 3]})
    assert [r.probability_with_discrepancy for r in evaluate(m, older, series, delta)] == [None, None]
    # the plans' rank criteria all read the position
    assert all(c.position == "cluster_position" for mm in MILESTONES for c in mm.criteria if "rank" in c.indicator)


def test_a_forecast_says_when_the_run_starts_off_the_published_history():
    m = Milestone("m", 2025, "goal", (Criterion("sci_papers", ">=", 100_000, "s"),
                                      Criterion("invention_patents_granted", ">=", 100_000, "s")))
    table = synthetic({"sci_papers": [70_000] * 4, "invention_patents_granted": [55_000] * 4}, years=(2021, 2025))
    series = [FakeSeries("sci_papers", "sci_papers", {2021: 76_505}, tolerance=0.15),
              FakeSeries("invention_patents_granted", "invention_patents_granted", {2021: 79_210})]
    papers, patents = evaluate(m, table, series)
    assert "off" not in papers.note and papers.note == ""          # 8.5 % short: within its 15 %
    assert "2021 median is 31% below the published 2021 value (79,210)" in patents.note
    assert "model's miss of the history" in patents.note
    # a run that does not reach the published years has nothing to say
    later = synthetic({"sci_papers": [70_000] * 4, "invention_patents_granted": [55_000] * 4}, years=(2024, 2025))
    assert [r.note for r in evaluate(m, later, series)] == ["", ""]


# -- the switch from forecast to data ------------------------------------------------------------------
def fake_series(year: int, factor: float = 1.0) -> list[FakeSeries]:
    """Real values for every indicator in ``year`` and 2021: the 2021 values times ``factor``."""
    return [FakeSeries(k, k, {2021: v, year: v * factor}) for k, v in REAL_2021_FIXTURE.items()]


def table_2025() -> pd.DataFrame:
    values = {k: [v * 0.9, v, v * 1.1] for k, v in REAL_2021_FIXTURE.items()}
    return synthetic(values)


def test_the_2025_milestone_is_scored_on_data_when_the_data_cover_2025():
    m = MILESTONES[0]
    assert m.year == 2025
    series = fake_series(2025, factor=2.0)
    assert scored_against_data(m, series)
    results = evaluate(m, table_2025(), series)
    assert all(r.status == SCORED_ON_DATA for r in results)
    for r in results:
        expected = r.criterion.observed(series, 2025)
        assert r.real_value == pytest.approx(expected) and r.probability is None
        assert r.met == r.criterion.met(expected)
    # doubled counts clear the 2025 thresholds; a rank of 8 does not
    by = {r.criterion.name: r for r in results}
    assert by["invention_patents_granted"].met and not by["cluster_rank"].met


def test_the_2025_milestone_is_a_forecast_while_the_data_stop_at_2021():
    m = MILESTONES[0]
    series = [FakeSeries(k, k, {2016: REAL_2016_FIXTURE[k], 2021: v}) for k, v in REAL_2021_FIXTURE.items()]
    assert not scored_against_data(m, series)
    assert not scored_against_data(m, ())
    results = evaluate(m, table_2025(), series)
    assert all(r.status == FORECAST for r in results)
    assert all(r.real_value is None and 0 <= r.probability <= 1 for r in results)


def test_a_criterion_without_a_published_value_stays_a_forecast_with_a_note():
    m = MILESTONES[0]
    series = [s for s in fake_series(2025) if s.indicator != "cluster_rank"]
    assert scored_against_data(m, series)
    by = {r.criterion.name: r for r in evaluate(m, table_2025(), series)}
    assert by["cluster_rank"].status == FORECAST and "no published 2025 value" in by["cluster_rank"].note
    assert by["sci_papers"].status == SCORED_ON_DATA


def test_the_switch_reaches_milestones_csv():
    table = table_2025()
    forecast = milestone_table(table, targets=[], series=())
    data = milestone_table(table, targets=[], series=fake_series(2025, factor=2.0))
    crit = lambda t: t[(t["year"] == 2025) & (t["indicator"] != "all criteria")]  # noqa: E731
    assert (crit(forecast)["basis"] == FORECAST).all() and crit(forecast)["real_value"].isna().all()
    assert (crit(data)["basis"] == SCORED_ON_DATA).all() and crit(data)["real_value"].notna().all()
    assert crit(data)["probability_met"].isna().all()
    assert set(crit(data)["status"]) <= {"met", "not met"}
    overall = data[(data["year"] == 2025) & (data["indicator"] == "all criteria")].iloc[0]
    assert overall["probability_met"] == 0.0          # the rank is not met on data


# -- skipping and validation ---------------------------------------------------------------------------
def test_a_criterion_whose_indicator_is_missing_is_skipped_with_a_note():
    table = synthetic({"sci_papers": [1.0e5, 1.2e5], "cluster_rank": [3, 4]})
    results = evaluate(MILESTONES[0], table)
    by = {r.criterion.name: r for r in results}
    assert by["tech_contract_turnover_bn_yuan"].status == SKIPPED
    assert "tech_contract_turnover_bn_yuan" in by["tech_contract_turnover_bn_yuan"].note
    assert by["sci_papers"].status == FORECAST
    out = milestone_table(table, targets=[], series=())
    skipped = out[out["basis"] == SKIPPED]
    assert len(skipped) and skipped["met"].isna().all() and skipped["status"].str.startswith("not applicable: ").all()


def test_a_threshold_below_the_start_is_rejected():
    trivial = Milestone("too_easy", 2025, "goal", (Criterion("sci_papers", ">=", 40_000, "below the 2016 value"),))
    draws = synthetic({"sci_papers": [48_578 * f for f in (0.95, 1.0, 1.2, 1.5)]}, years=(2016, 2025))
    # probability 1 in every draw, whatever the scenario
    assert criterion_probability(trivial.criteria[0], trivial.criteria[0].values(draws, 2025)) == 1.0
    with pytest.raises(TrivialCriterion, match="sci_papers"):
        check_not_trivial(trivial, REAL_2016_FIXTURE)
    with pytest.raises(TrivialCriterion, match="every draw"):
        check_not_trivial(trivial, draws[draws["year"] == 2016])
    for m in MILESTONES:
        check_not_trivial(m, REAL_2016_FIXTURE)


def test_milestones_csv_columns_are_kept_and_extended():
    out = milestone_table(table_2025(), targets=[], series=())
    assert list(out.columns[:18]) == ["kind", "id", "description", "year", "indicator", "comparison", "target",
                                      "tolerance", "low", "high", "simulated_median", "simulated_p05",
                                      "simulated_p95", "probability_met", "met", "status", "source", "holdout"]
    assert tuple(out.columns[18:]) == MILESTONE_COLUMNS
    crit = out[out["indicator"] != "all criteria"]
    assert crit["source"].str.len().gt(20).all() and crit["distance"].notna().all()


# -- reports -------------------------------------------------------------------------------------------
def test_the_run_report_leads_with_the_criteria_table():
    from sim.report.html import criteria_section

    out = milestone_table(table_2025(), targets=[], series=())
    text = criteria_section(out)
    assert "threshold and its source" in text and "distance to threshold" in text
    assert "invention patents granted" in text and "shared/data" in text and "forecast" in text
    source = Path("sim/report/html.py").read_text() if Path("sim/report/html.py").exists() else ""
    if source:
        assert source.index("{criteria_section(milestones)}") < source.index("<h2>At a glance</h2>")


def test_compare_puts_criteria_side_by_side_with_the_difference_from_the_baseline():
    from sim.compare import Run, describe_differences, milestone_probabilities
    from sim.report.compare import criteria_rows

    def run(label, factor):
        values = {k: [v * factor * f for f in (0.9, 1.0, 1.1, 1.2)] for k, v in REAL_2021_FIXTURE.items()}
        values["cluster_rank"] = [4, 4, 4, 4]
        return Run(label, Path(label), synthetic(values), pd.DataFrame(), {"scenario": {"name": label}})

    base, more = run("baseline", 1.35), run("more", 2.0)
    overall, criteria = milestone_probabilities([base, more], [2024, 2025], base, series=())
    assert list(overall.columns) == ["scenario", "milestone", "year", "probability_met"]
    assert {"baseline_probability", "probability_diff", "criterion", "basis", "distance"} <= set(criteria.columns)
    papers = criteria[criteria["indicator"] == "sci_papers"].set_index("scenario")
    # 1.35 x 76,505 x (0.9 .. 1.2) against 110,000: half of the baseline, all of "more"
    assert papers.loc["baseline", "probability_met"] == 0.5 and papers.loc["more", "probability_met"] == 1.0
    assert papers.loc["more", "probability_diff"] == pytest.approx(0.5) and papers.loc["baseline", "probability_diff"] == 0
    rows = criteria_rows(criteria, [base, more], base)
    assert any("sci papers" in r[0] and "(+50)" in r[4] for r in rows)
    diffs = pd.DataFrame(columns=["scenario", "indicator", "year", "median_diff", "p05_diff", "p95_diff", "pairs"])
    diffs.loc[0] = ["more", "sci_papers", 2025, 1.0, 1.0, 1.0, 10]
    base.summary = pd.DataFrame([{"indicator": "sci_papers", "year": 2025, "median": 1.0e5}])
    text = describe_differences(diffs, base, overall, 2025, criteria=criteria)[0]
    assert "Milestone criteria:" in text and "sci_papers" in text and "50 % → 100 %" in text
    # half of six pairs is three replicates net: not enough to name the criterion (all six are)
    diffs.loc[0, "pairs"] = 6
    text = describe_differences(diffs, base, overall, 2025, criteria=criteria)[0]
    assert "50 % → 100 %" not in text and "invention_patents_granted >= 135,000 0 % → 100 %" in text


def test_a_criterion_met_by_every_replicate_at_the_start_is_flagged():
    table = synthetic({"cluster_rank": [3, 3, 3], "sci_papers": [5e4, 5e4, 5e4]}, years=(2016, 2025))
    by = {r.criterion.name: r for r in evaluate(MILESTONES[0], table)}
    assert "already in 2016" in by["cluster_rank"].note and "real 2016: 5" in by["cluster_rank"].note
    assert by["sci_papers"].note == ""
