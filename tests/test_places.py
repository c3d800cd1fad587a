import numpy as np

from sim.world.places import FIELDS, ZONES, draw_fields, field_weights


def test_field_weights_are_probabilities():
    w = field_weights()
    assert w.shape == (len(ZONES), len(FIELDS)) and np.allclose(w.sum(axis=1), 1)


def test_zones_are_specialised():
    rng = np.random.default_rng(0)
    etown = draw_fields(rng, np.full(20000, ZONES.index("e_town")))
    ic = FIELDS.index("integrated_circuits")
    life = FIELDS.index("life_sciences_biomedicine")
    assert np.mean(etown == ic) > 3 * np.mean(etown == life)
