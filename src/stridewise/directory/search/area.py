"""The circle a search covers, cut along the search index's longitude bands.

Distances use the equirectangular projection at the two points' mean latitude, with that
latitude's cosine taken to first order around the searched point. Inside the 250-mile search
limit it agrees with the great-circle distance to within 0.1% (0.01 mile at 25 miles), and SQL
evaluates it with a few multiplications instead of the trigonometry of haversine.

For each quarter-degree band (``cell``) of the index, :class:`Disc` gives a latitude range every
point of which is inside the circle whatever its longitude in the band (``sure``), and the range
outside which nothing in the band can be inside (``maybe``). Rows in ``sure`` are counted from
the index alone; only the thin strips between the two need a distance computed.

Anywhere on Earth the work stays bounded. Near a pole a degree of longitude shrinks to nothing,
so the circle's longitude span is capped at the full circle (and a circle around a pole covers
every longitude); a circle crossing the antimeridian is searched as two :meth:`Disc.pieces`;
bands beyond ``MAX_BANDS`` are merged into groups (SQLite compounds at most 500 SELECTs in one
statement, and each band is up to three); and bands wholly outside the latitudes where the
directory can hold a row (every row sits on a ZIP centroid) are dropped. Near the poles the
flat-Earth distance is rough, but no ZIP is within 1,000 miles of either.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from stridewise.directory.geocode import EARTH_RADIUS_MILES, populated_latitudes
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

#: The largest radius a Disc accepts (the search API allows 250 miles).
MAX_RADIUS_MILES = 1000.0

#: Past this many bands, neighbouring bands are merged (see the module docstring).
MAX_BANDS = 100

_FIRST_CELL, _LAST_CELL = cell_of(-180.0), cell_of(180.0)

# Keeps float rounding from moving a row across the sure/maybe edges (about 1/100 inch).
_EPSILON = 1e-9


@dataclass(frozen=True)
class Band:
    """Longitude bands ``cell`` to ``last`` (one band unless merged) of the circle: latitude
    ranges (low, high) in degrees that hold in every one of them."""

    cell: int
    sure: tuple[float, float] | None
    maybe: tuple[float, float]
    last: int

    @property
    def cells(self) -> range:
        return range(self.cell, self.last + 1)


@dataclass(frozen=True)
class Disc:
    """A circle of ``radius`` miles around (lat, lon), in the search index's terms.

    Raises ValueError for a latitude outside [-90, 90], a longitude outside [-180, 180] (a
    piece may be shifted by a turn, see :meth:`pieces`) or a radius outside (0, 1000]."""

    lat: float
    lon: float
    radius: float
    #: Set on the :meth:`pieces` of a circle across the antimeridian (one of them is shifted by
    #: 360 degrees); a piece is searched as it is.
    piece: bool = False

    def __post_init__(self) -> None:
        bound = 540.0 if self.piece else 180.0
        if not (math.isfinite(self.lat) and -90.0 <= self.lat <= 90.0):
            raise ValueError(f"latitude {self.lat} is outside -90..90")
        if not (math.isfinite(self.lon) and -bound <= self.lon <= bound):
            raise ValueError(f"longitude {self.lon} is outside -180..180")
        if not (math.isfinite(self.radius) and 0.0 < self.radius <= MAX_RADIUS_MILES):
            raise ValueError(f"radius {self.radius} is outside 0..{MAX_RADIUS_MILES:g} miles")

    @property
    def half_span(self) -> float:
        """Half the circle's longitude span in degrees, at most 180 (the full circle: the
        circle holds a pole, or longitude degrees are too short near it)."""
        kx0, kx1 = self._kx
        dlat = self.radius / MILES_PER_DEGREE
        if abs(self.lat) + dlat >= 90.0:
            return 180.0
        scale = kx0 - abs(kx1) * dlat
        if scale <= 0 or self.radius >= 180.0 * scale:
            return 180.0
        return self.radius / scale

    def pieces(self) -> list[Disc]:
        """The circle as searched: itself, or, when it crosses the antimeridian, itself and a
        copy shifted by 360 degrees (each piece's bands stop at +-180: no row is in both)."""
        half = self.half_span
        if self.piece or half >= 180.0 or -180.0 <= self.lon - half <= self.lon + half <= 180.0:
            return [self]
        turn = 360.0 if self.lon - half < -180.0 else -360.0
        return [
            Disc(self.lat, self.lon, self.radius, piece=True),
            Disc(self.lat, self.lon + turn, self.radius, piece=True),
        ]

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
        dlon = self.half_span
        # The full circle: every longitude, whichever side of the antimeridian.
        lon0, lon1 = (-180.0, 180.0) if dlon >= 180.0 else (self.lon - dlon, self.lon + dlon)
        return {
            "plat": self.lat,
            "plon": self.lon,
            "ky": MILES_PER_DEGREE,
            "kx0": kx0,
            "kx1": kx1,
            "r2": self.radius * self.radius,
            "lat0": self.lat - dlat - _EPSILON,
            "lat1": self.lat + dlat + _EPSILON,
            "lon0": lon0 - _EPSILON,
            "lon1": lon1 + _EPSILON,
        }

    def miles(self, lat: float, lon: float) -> float:
        """The distance DISTANCE2_SQL measures, in miles (for tests and explanations)."""
        kx0, kx1 = self._kx
        dy = (lat - self.lat) * MILES_PER_DEGREE
        dx = (lon - self.lon) * (kx0 - kx1 * (lat - self.lat))
        return math.sqrt(dx * dx + dy * dy)

    def bands(self) -> list[Band]:
        """The index bands the circle touches, west to east, within -180..180 degrees, at most
        ``MAX_BANDS`` of them (merged when more), none wholly outside populated latitudes."""
        p = self.params()
        kx0, kx1 = self._kx
        half = self.radius / MILES_PER_DEGREE
        # The scale can reach zero (or below) across a pole: no band may count on less.
        kx_min, kx_max = max(0.0, kx0 - abs(kx1) * half), kx0 + abs(kx1) * half
        r2 = self.radius * self.radius
        south, north = populated_latitudes()
        if self.lat + half < south or self.lat - half > north:
            return []
        first = max(cell_of(p["lon0"]), _FIRST_CELL)
        last = min(cell_of(p["lon1"]), _LAST_CELL)
        out: list[Band] = []
        for cell in range(first, last + 1):
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
            out.append(Band(cell, sure, maybe, cell))
        return _merged(out) if len(out) > MAX_BANDS else out


def _merged(bands: list[Band]) -> list[Band]:
    """Neighbouring bands in at most MAX_BANDS groups; a group's ``sure`` range holds in every
    band of it and its ``maybe`` range covers every band's."""
    size = math.ceil(len(bands) / MAX_BANDS)
    out = []
    for start in range(0, len(bands), size):
        group = bands[start : start + size]
        sures = [b.sure for b in group]
        sure = None
        if all(sures):
            low = max(s[0] for s in sures if s)
            high = min(s[1] for s in sures if s)
            sure = (low, high) if low <= high else None
        maybe = (min(b.maybe[0] for b in group), max(b.maybe[1] for b in group))
        out.append(Band(group[0].cell, sure, maybe, group[-1].last))
    return out
