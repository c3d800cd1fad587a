import pickle

import pytest

from sim.parameters import SPECS, Parameters, check


def test_every_parameter_has_unit_range_and_source():
    for p in SPECS:
        assert p.low <= p.default <= p.high, p.name
        assert p.unit and len(p.source) > 15, p.name


def test_replace_validates_and_leaves_the_original_alone():
    base = Parameters.defaults()
    new = base.replace(ft_visa_weight=0.9)
    assert new.ft_visa_weight == 0.9 and base.ft_visa_weight != 0.9
    with pytest.raises(ValueError, match="outside the allowed range"):
        base.replace(ft_visa_weight=-1)
    with pytest.raises(ValueError, match="unknown parameter"):
        base.replace(nonsense=1)


def test_parameters_are_immutable_and_picklable():
    p = Parameters.defaults()
    with pytest.raises(AttributeError):
        p.ft_visa_weight = 3
    assert pickle.loads(pickle.dumps(p)) == p


def test_check_messages():
    assert check("grant_years", 2) is None
    assert "unknown parameter" in check("nope", 1)
