import pytest

from sim.errors import InputError
from sim.targets import DEFAULT_TARGETS, Target, TargetSpec, load_targets


def spec(**kw):
    base = {"id": "t", "year": 2020, "value": 100.0, "qualifier": "around", "source": "s",
            "indicator": "researchers", "tolerance": 0.1}
    return Target(TargetSpec(**{**base, **kw}))


def test_every_documented_figure_is_a_target():
    import csv
    brief = DEFAULT_TARGETS.parents[2] / "shared" / "brief" / "documented_figures.csv"
    targets = {t.id for t in load_targets() if t.kind == "documented"}
    assert len(targets) == 22
    if brief.exists():          # shared/ sits beside the clone in CI and on developers' machines
        with brief.open() as f:
            assert {r["id"] for r in csv.DictReader(f)} == targets


@pytest.mark.parametrize("qualifier, inside, outside", [
    ("around", [90, 110], [89, 111]), ("over", [100, 110], [99, 111]), ("nearly", [90, 100], [89, 101]),
])
def test_bounds_follow_the_qualifier(qualifier, inside, outside):
    t = spec(qualifier=qualifier)
    assert all(t.within(v) for v in inside) and not any(t.within(v) for v in outside)


def test_shares_use_absolute_tolerance_and_ranks_are_exact():
    share = spec(indicator="rd_share_of_gdp", value=0.06, tolerance=0.005)
    assert share.bounds() == pytest.approx((0.055, 0.065))
    rank = spec(indicator="cluster_rank", value=4, tolerance=0)
    assert rank.within(4) and not rank.within(3)


def test_bad_targets_file_is_one_line_naming_the_target(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text("targets:\n  - {id: a, year: 2020, value: 1, qualifier: roughly, source: s, indicator: researchers, tolerance: 0.1}\n")
    with pytest.raises(InputError, match=r"t.yaml: targets\[0\].qualifier"):
        load_targets(path)
    path.write_text("targets:\n  - {id: a, year: 2020, value: 1, qualifier: around, source: s, indicator: nope, tolerance: 0.1}\n")
    with pytest.raises(InputError, match="unknown indicator 'nope'"):
        load_targets(path)
    path.write_text("targets:\n  - {id: a, year: 2020, value: 1, qualifier: around, source: s, comparable: false}\n")
    with pytest.raises(InputError, match="needs a `reason`"):
        load_targets(path)


def test_field_names_ending_in_stripped_letters_survive(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text("targets:\n  - {id: a, year: 2020, value: 1, qualifier: around, source: s, indicator: researchers, tolerance: 0.1, level: 3}\n")
    with pytest.raises(InputError, match=r"targets\[0\]\.level: unknown field"):
        load_targets(path)


# --- real yearly series (`series:`) -------------------------------------------------------------
from sim.targets import TOLERANCE_BY_CONFIDENCE, load_series  # noqa: E402

SERIES = """targets:
  - {id: a, year: 2020, value: 100, qualifier: around, source: s, indicator: researchers, tolerance: 0.1}
series:
  - id: papers_series
    indicator: sci_papers
    unit: papers/year
    confidence: medium
    source: yearbook
    values:
      2016: 100
      2017: {value: 110, confidence: low, published: 90, note: spliced}
      2018: 120
      2019: 130
"""


def test_a_series_expands_into_one_target_per_year_sharing_its_weight(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text(SERIES)
    targets = {t.id: t for t in load_targets(path)}
    years = [targets[f"papers_series@{y}"] for y in (2016, 2017, 2018, 2019)]
    assert sum(t.weight for t in years) == pytest.approx(1.0)
    assert years[0].tolerance == TOLERANCE_BY_CONFIDENCE["medium"]
    assert years[1].tolerance == TOLERANCE_BY_CONFIDENCE["low"] and years[1].published == 90
    (series,) = load_series(path)
    assert series.values == {2016: 100, 2017: 110, 2018: 120, 2019: 130}
    assert series.tolerance == TOLERANCE_BY_CONFIDENCE["medium"] and series.tolerances[2017] == 0.2


def test_a_year_may_be_compared_with_its_own_indicator(tmp_path):
    """The committed certified-firm count dated November 2017 is compared with the stock before
    the year's recognition round; the series' other years with the year-end stock."""
    committed = {t.id: t for t in load_targets()}
    assert committed["high_tech_enterprises@2017"].indicator == "high_tech_enterprises_before_round"
    assert committed["high_tech_enterprises@2018"].indicator == "high_tech_enterprises"
    (hte,) = [s for s in load_series() if s.id == "high_tech_enterprises"]
    assert dict(hte.measured_on) == {2017: "high_tech_enterprises_before_round"} and hte.values[2017] == 16000
    path = tmp_path / "t.yaml"
    path.write_text(SERIES.replace("2018: 120", "2018: {value: 120, indicator: papers}"))
    targets = {t.id: t for t in load_targets(path)}
    assert targets["papers_series@2018"].indicator == "papers" and targets["papers_series@2019"].indicator == "sci_papers"


@pytest.mark.parametrize("edit, field", [
    (("indicator: sci_papers", "indicator: nope"), r"series\[0\]: .*unknown indicator 'nope'"),
    (("2018: 120", "2018: {value: 120, indicator: nope}"), r"series\[0\]\.values\.2018\.year: .*unknown indicator 'nope'"),
    (("confidence: medium", "confidence: sure"), r"series\[0\]\.confidence"),
    (("2018: 120", "2018: .nan"), r"series\[0\]\.values\.2018"),
    (("2016: 100", "2012: 100"), r"series\[0\]: .*year 2012"),
    (("    source: yearbook\n", ""), r"series\[0\]\.source: required"),
])
def test_bad_series_is_one_line_naming_the_field(tmp_path, edit, field):
    path = tmp_path / "t.yaml"
    path.write_text(SERIES.replace(*edit))
    with pytest.raises(InputError, match=field):
        load_targets(path)


def test_the_shipped_series_cover_2016_to_2021_and_nothing_later():
    series = load_series()
    assert {s.id for s in series} >= {"rd_expenditure_bn_yuan", "rd_share_of_gdp", "basic_research_bn_yuan",
                                      "rd_personnel_fte", "researchers_fte", "patents_granted",
                                      "invention_patents_granted", "sci_papers", "high_tech_enterprises",
                                      "tech_contract_turnover_bn_yuan", "multinational_regional_hq", "cluster_rank"}
    years = {y for s in series for y in s.values}
    assert min(years) == 2016 and max(years) == 2021


def test_shipped_series_match_the_data_file_where_it_is_present():
    """Every unadjusted value is a published figure of shared/data (where the file sits beside the clone)."""
    import csv
    data = DEFAULT_TARGETS.parents[2] / "shared" / "data" / "beijing_statistics_2015_2021.csv"
    if not data.exists():
        pytest.skip("shared/data is not beside this clone")
    with data.open() as f:
        published = {(int(r["year"]), round(float(r["value"]), 2)) for r in csv.DictReader(f)}
    for t in load_targets():
        if t.series and t.published is None and t.series != "rd_share_of_gdp":
            assert (t.year, round(t.value, 2)) in published, t.id


REGIME = """targets:
  - {id: a, year: 2020, value: 100, qualifier: around, source: s, indicator: researchers, tolerance: 0.1}
regimes:
  - id: posts_bind
    indicator: graduate_placement_share
    unit: share
    qualifier: nearly
    tolerance: 0.35
    source: reasoning
    values: {2017: 0.95, 2018: 0.95}
"""


def test_a_regime_expands_into_yearly_targets_that_are_neither_figures_nor_series(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text(REGIME)
    targets = {t.id: t for t in load_targets(path)}
    years = [targets["posts_bind@2017"], targets["posts_bind@2018"]]
    assert [t.kind for t in years] == ["regime", "regime"] and targets["a"].kind == "documented"
    assert sum(t.weight for t in years) == pytest.approx(1.0)
    assert years[0].bounds() == pytest.approx((0.60, 0.95)) and years[0].centre() == pytest.approx(0.775)
    assert load_series(path) == ()           # a regime is not a real series: no history report, no backtest


@pytest.mark.parametrize("edit, field", [
    (("indicator: graduate_placement_share", "indicator: cluster_rank"), r"regimes\[0\]: .*not a rank"),
    (("indicator: graduate_placement_share", "indicator: nope"), r"regimes\[0\]: .*unknown indicator 'nope'"),
    (("    tolerance: 0.35\n", ""), r"regimes\[0\]\.tolerance: required"),
    (("tolerance: 0.35", "tolerance: 0"), r"regimes\[0\]\.tolerance"),
    (("{2017: 0.95, 2018: 0.95}", "{2017: 0.95, 2012: 0.95}"), r"regimes\[0\]: .*year 2012"),
    ((REGIME[REGIME.index("regimes:"):], "regimes: 3\n"), r"regimes: must be a list of regimes"),
])
def test_bad_regime_is_one_line_naming_the_field(tmp_path, edit, field):
    path = tmp_path / "t.yaml"
    path.write_text(REGIME.replace(*edit))
    with pytest.raises(InputError, match=field):
        load_targets(path)


def test_the_shipped_regime_asks_posts_to_bind_in_2017_to_2021():
    regimes = [t for t in load_targets() if t.kind == "regime"]
    assert {t.year for t in regimes} == set(range(2017, 2022))
    assert all(t.indicator == "graduate_placement_share" and t.bounds() == pytest.approx((0.60, 0.95))
               for t in regimes)
    assert sum(t.weight for t in regimes) == pytest.approx(1.0)
