"""The circle a search covers, cut along the search index's longitude bands.

Distances use the equirectangular projection at the two points' mean latitude, with that
latitude's cosine taken to first order around the searched point. Inside the 250-mile search
limit it agrees with the great-circle distance to within 0.1% (0.01 mile at 25 miles), and SQL
evaluates it with a few multiplications instead of the trigonometry of haversine.

For each quarter-degree band (``cell``) of the index, :class:`Disc` gives a latitude range every
point of which is inside the circle whatever its longitude in the band (``sure``), and the range
outside which nothing in the band can be inside (``maybe``). Rows in ``sure`` are counted from
the index alone; only the thin strips between the two need a distance computed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from stridewise.directory.geocode import EARTH_RADIUS_MILES
from stridewise.directory.index_keys import CELLS_PER_DEGREE, cell_of

#: Miles per degree of latitude (and of longitude at the equator).
MILES_PER_DEGREE = EARTH_RADIUS_MILES * math.pi / 180

#: SQL for the squared distance in miles of ``s.lat``/``s.lon`` from the searched point; it
#: takes the parameters from :meth:`Disc.params`.
DISTANCE2_SQL = (
    "((s.lat - :plat) * :ky) * ((s.lat - :plat) * :ky)"
    " + ((s.lon - :plon) * (:kx0 - :kx1 * (s.lat - :plat)))"
    " * ((s.lon - :plon) * (:kx0 - :kx1 * (s.lat - :plat)))"
)

# Keeps float rounding from moving a row across the sure/maybe edges (about 1/100 inch).
_EPSILON = 1e-9


@dataclass(frozen=True)
class Band:
    """One longitude band of the circle: latitude ranges (low, high) in degrees."""

    cell: int
    sure: tuple[float, float] | None
    maybe: tuple[float, float]


@dataclass(frozen=True)
class Disc:
    """A circle of ``radius`` miles around (lat, lon), in the search index's terms."""

    lat: float
    lon: float
    radius: float

    @property
    def _kx(self) -> tuple[float, float]:
        """(kx0, kx1): miles per degree of longitude at the searched latitude, and the change
        of the mean-latitude scale per degree of latitude away from it."""
        phi = math.radians(self.lat)
        return (
            MILES_PER_DEGREE * math.cos(phi),
            MILES_PER_DEGREE * math.sin(phi) * math.pi / 360,
        )

    def params(self) -> dict[str, Any]:
        """Bind parameters for DISTANCE2_SQL, plus ``r2`` (the radius squared) and the
        bounding box (lat0, lat1, lon0, lon1)."""
        kx0, kx1 = self._kx
        dlat = self.radius / MILES_PER_DEGREE
        dlon = self.radius / max(1e-6, kx0 - abs(kx1) * dlat)
        return {
            "plat": self.lat,
            "plon": self.lon,
            "ky": MILES_PER_DEGREE,
            "kx0": kx0,
            "kx1": kx1,
            "r2": self.radius * self.radius,
            "lat0": self.lat - dlat - _EPSILON,
            "lat1": self.lat + dlat + _EPSILON,
            "lon0": self.lon - dlon - _EPSILON,
            "lon1": self.lon + dlon + _EPSILON,
        }

    def miles(self, lat: float, lon: float) -> float:
        """The distance DISTANCE2_SQL measures, in miles (for tests and explanations)."""
        kx0, kx1 = self._kx
        dy = (lat - self.lat) * MILES_PER_DEGREE
        dx = (lon - self.lon) * (kx0 - kx1 * (lat - self.lat))
        return math.sqrt(dx * dx + dy * dy)

    def bands(self) -> list[Band]:
        """The index bands the circle touches, west to east."""
        p = self.params()
        kx0, kx1 = self._kx
        half = self.radius / MILES_PER_DEGREE
        kx_min, kx_max = kx0 - abs(kx1) * half, kx0 + abs(kx1) * half
        r2 = self.radius * self.radius
        out = []
        for cell in range(cell_of(p["lon0"]), cell_of(p["lon1"]) + 1):
            west, east = cell / CELLS_PER_DEGREE, (cell + 1) / CELLS_PER_DEGREE
            near = (
                0.0 if west <= self.lon < east else min(abs(west - self.lon), abs(east - self.lon))
            )
            far = max(abs(west - self.lon), abs(east - self.lon))
            reach = r2 - (near * kx_min) ** 2
            if reach < 0:
                continue
            h = math.sqrt(reach) / MILES_PER_DEGREE + _EPSILON
            maybe = (self.lat - h, self.lat + h)
            inner = r2 - (far * kx_max) ** 2
            sure = None
            if inner > 0:
                hs = math.sqrt(inner) / MILES_PER_DEGREE - _EPSILON
                # A sure row must also be within the latitudes where kx_max bounds the scale.
                hs = min(hs, half)
                sure = (self.lat - hs, self.lat + hs)
            out.append(Band(cell, sure, maybe))
        return out
