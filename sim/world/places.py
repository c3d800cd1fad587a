"""Places and fields.

Beijing's plan organises research in "three science cities and one hi-tech area", plus the
rest of the city. Each place has a specialisation: the fields in which its organisations and
firms are concentrated. A specialisation is a weight per field; agents are placed by drawing a
zone and then a field from that zone's weights, so a zone's mix of fields follows its brief.
"""

from __future__ import annotations

import numpy as np

FIELDS: tuple[str, ...] = (
    "artificial_intelligence",
    "quantum_information",
    "blockchain",
    "life_sciences_biomedicine",
    "brain_science",
    "integrated_circuits",
    "information_technology_iot_5g",
    "new_materials_nano",
    "aerospace_space",
    "green_energy",
    "intelligent_manufacturing",
)

ZONES: tuple[str, ...] = (
    "zhongguancun",
    "huairou",
    "future_science_park",
    "e_town",
    "rest_of_city",
)
ZGC, HUAIROU, FSP, ETOWN, REST = range(len(ZONES))

#: What each zone is for, in the brief's words (our paraphrase).
ZONE_ROLE = {
    "zhongguancun": "basic and frontier science in key sectors; most foreign firms",
    "huairou": "major research infrastructure; materials, energy, space technology",
    "future_science_park": "public health and biosciences; turning research into products",
    "e_town": "high-end manufacturing and integrated circuits",
    "rest_of_city": "universities, institutes and firms across all fields",
}

# Specialisation weights (rows: zones, columns: fields). Unlisted fields get weight 1.
_SPECIAL = {
    "zhongguancun": {"artificial_intelligence": 4, "quantum_information": 3, "blockchain": 3,
                     "brain_science": 3, "information_technology_iot_5g": 4},
    "huairou": {"new_materials_nano": 5, "green_energy": 4, "aerospace_space": 4},
    "future_science_park": {"life_sciences_biomedicine": 6, "green_energy": 3},
    "e_town": {"integrated_circuits": 6, "intelligent_manufacturing": 5},
    "rest_of_city": {},
}


def field_weights() -> np.ndarray:
    """Zone-by-field matrix of probabilities (each row sums to one)."""
    w = np.ones((len(ZONES), len(FIELDS)))
    for z, name in enumerate(ZONES):
        for field, weight in _SPECIAL[name].items():
            w[z, FIELDS.index(field)] = weight
    return w / w.sum(axis=1, keepdims=True)


# Shares of each population by zone (assumptions from the places' roles; foreign companies'
# Zhongguancun share is a parameter because it is documented).
ZONE_SHARE_RESEARCH = np.array([0.40, 0.08, 0.07, 0.05, 0.40])
ZONE_SHARE_FIRMS = np.array([0.40, 0.03, 0.07, 0.15, 0.35])


def draw_fields(rng: np.random.Generator, zones: np.ndarray) -> np.ndarray:
    """A field for each zone in ``zones``, drawn from that zone's specialisation."""
    w = field_weights()
    u = rng.random(zones.size)
    cum = np.cumsum(w, axis=1)[zones]
    return np.minimum((u[:, None] > cum).sum(axis=1), len(FIELDS) - 1).astype(np.int16)
