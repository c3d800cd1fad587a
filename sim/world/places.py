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

#: Zones where a national laboratory the ``national_labs`` lever adds may open, each equally likely
#: (assumption: no figure in shared/ says where new national laboratories open; Zhongguancun and
#: Huairou are the zones the brief gives frontier science and major facilities, the rest of the city
#: stands for sites outside the named zones; Future Science Park and E-Town are the zones of
#: products and manufacturing, ZONE_ROLE).
NATIONAL_LAB_ZONES: tuple[int, ...] = (ZGC, HUAIROU, REST)

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


def zone_shares(p, population: str) -> np.ndarray:
    """Shares of a population by zone, from the parameters ``init_zone_share_<population>_<zone>``
    (the rest of the city takes the remainder). ``population`` is "research", "firms" or
    "foreign" (foreign companies: Zhongguancun's documented share, the other zones as firms')."""
    if population == "foreign":
        firms = zone_shares(p, "firms")
        zgc = p.init_zgc_share_foreign
        other = firms.copy()
        other[ZGC] = 0.0
        return np.where(np.arange(len(ZONES)) == ZGC, zgc, (1 - zgc) * other / other.sum())
    named = np.array([getattr(p, f"init_zone_share_{population}_{zone}") for zone in ZONES[:-1]])
    return np.append(named, max(1.0 - named.sum(), 0.0))


def draw_fields(rng: np.random.Generator, zones: np.ndarray) -> np.ndarray:
    """A field for each zone in ``zones``, drawn from that zone's specialisation."""
    w = field_weights()
    u = rng.random(zones.size)
    cum = np.cumsum(w, axis=1)[zones]
    return np.minimum((u[:, None] > cum).sum(axis=1), len(FIELDS) - 1).astype(np.int16)
