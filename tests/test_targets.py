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
    targets = {t.id for t in load_targets()}
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
