"""Where the communes of Île-de-France are, and how far apart, as the crow flies.

Positions come from towns.yml (GeoNames' place of the commune's name, see knowledge.town_list);
a commune GeoNames does not place has none, and no distance is given for it rather than a
guess. « Paris 13e » is placed at Paris.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from knowledge.textnorm import normalize

EARTH_RADIUS_KM = 6371.0
_ARRONDISSEMENT = re.compile(r"\s+\d{1,2}(?:e|er|ème)$")


@dataclass(frozen=True)
class Position:
    name: str
    latitude: float
    longitude: float


class TownPositions:
    """The positions of the communes that have one, found by name (case and accents ignored)."""

    def __init__(self, positions: list[Position]):
        self._by_name = {normalize(p.name): p for p in positions}

    def __len__(self) -> int:
        return len(self._by_name)

    def of(self, commune: str | None) -> Position | None:
        if not commune:
            return None
        return self._by_name.get(normalize(_ARRONDISSEMENT.sub("", commune.strip())))

    def distance_km(self, commune_a: str | None, commune_b: str | None) -> float | None:
        """The great-circle distance between two communes, or None if either has no position."""
        a, b = self.of(commune_a), self.of(commune_b)
        return great_circle_km(a, b) if a and b else None


def great_circle_km(a: Position, b: Position) -> float:
    """Haversine distance in kilometres."""
    lat_a, lat_b = math.radians(a.latitude), math.radians(b.latitude)
    d_lat, d_lon = lat_b - lat_a, math.radians(b.longitude - a.longitude)
    h = math.sin(d_lat / 2) ** 2 + math.cos(lat_a) * math.cos(lat_b) * math.sin(d_lon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))
