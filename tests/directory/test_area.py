"""The search circle's distance rule and its cut into index bands."""

from __future__ import annotations

import math
import random

import pytest

from stridewise.directory.geocode import haversine_miles
from stridewise.directory.index_keys import cell_of
from stridewise.directory.search.area import MAX_BANDS, Disc

PLACES = [(40.75, -73.99), (46.41, -105.83), (25.77, -80.19), (61.22, -149.9), (21.3, -157.86)]


@pytest.mark.parametrize(("lat", "lon"), PLACES)
@pytest.mark.parametrize("radius", [5.0, 25.0, 100.0, 250.0])
def test_distance_agrees_with_great_circle(lat: float, lon: float, radius: float) -> None:
    disc = Disc(lat, lon, radius)
    rng = random.Random(f"{lat}{lon}{radius}")
    for _ in range(300):
        bearing = rng.uniform(0, 2 * math.pi)
        miles = rng.uniform(0.5, radius)
        la = lat + miles * math.cos(bearing) / 69.05
        lo = lon + miles * math.sin(bearing) / (69.17 * math.cos(math.radians(lat)))
        exact = haversine_miles(lat, lon, la, lo)
        assert disc.miles(la, lo) == pytest.approx(exact, rel=1e-3)


@pytest.mark.parametrize(("lat", "lon"), PLACES)
@pytest.mark.parametrize("radius", [3.0, 25.0, 50.0, 250.0])
def test_bands_bound_the_circle(lat: float, lon: float, radius: float) -> None:
    disc = Disc(lat, lon, radius)
    bands = {b.cell: b for b in disc.bands()}
    p = disc.params()
    rng = random.Random(f"{lat}{lon}{radius}")
    for _ in range(3000):
        la = rng.uniform(p["lat0"], p["lat1"])
        lo = rng.uniform(p["lon0"], p["lon1"])
        inside = disc.miles(la, lo) <= radius
        band = bands.get(cell_of(lo))
        if inside:
            assert band is not None and band.maybe[0] <= la <= band.maybe[1]
        if band is not None and band.sure and band.sure[0] <= la <= band.sure[1]:
            assert inside


# Anywhere on Earth: poles, the antimeridian and wide circles stay bounded and correct.
EDGES = [(90.0, 0.0), (-90.0, 0.0), (89.99, 180.0), (85.0, 0.0), (75.0, -150.0), (71.0, -156.8)]


@pytest.mark.parametrize(("lat", "lon"), EDGES)
@pytest.mark.parametrize("radius", [1.0, 25.0, 250.0])
def test_bands_are_bounded_near_the_poles(lat: float, lon: float, radius: float) -> None:
    for piece in Disc(lat, lon, radius).pieces():
        bands = piece.bands()
        assert len(bands) <= MAX_BANDS
        cells = [c for b in bands for c in b.cells]
        assert len(cells) == len(set(cells)) <= 4 * 360 + 1
        p = piece.params()
        assert p["lon1"] - p["lon0"] <= 360.0 + 1e-6


def test_a_circle_around_a_pole_covers_every_longitude() -> None:
    disc = Disc(89.9, 10.0, 25.0)
    assert disc.half_span == 180.0
    assert disc.pieces() == [disc]
    p = disc.params()
    assert p["lon0"] < -180 and p["lon1"] > 180


def test_no_band_where_no_zip_can_be() -> None:
    assert Disc(85.0, 0.0, 250.0).bands() == []
    assert Disc(-60.0, 0.0, 250.0).bands() == []


def test_wide_circles_merge_bands_and_still_bound_the_circle() -> None:
    disc = Disc(71.0, -156.8, 900.0)  # Utqiagvik, a radius wider than the API allows
    bands = disc.bands()
    assert any(b.last > b.cell for b in bands) and len(bands) <= MAX_BANDS
    by_cell = {c: b for b in bands for c in b.cells}
    p = disc.params()
    rng = random.Random(7)
    for _ in range(3000):
        la, lo = rng.uniform(p["lat0"], p["lat1"]), rng.uniform(-180.0, p["lon1"])
        inside = disc.miles(la, lo) <= disc.radius
        band = by_cell.get(cell_of(lo))
        if inside and la <= 72:  # north of the last ZIP, bands may be cut
            assert band is not None and band.maybe[0] <= la <= band.maybe[1]
        if band is not None and band.sure and band.sure[0] <= la <= band.sure[1]:
            assert inside


@pytest.mark.parametrize("lon", [179.9, -179.9, 180.0, -180.0])
def test_the_antimeridian_splits_the_circle_in_two_pieces(lon: float) -> None:
    disc = Disc(51.9, lon, 100.0)
    pieces = disc.pieces()
    assert len(pieces) == 2 and all(p.piece for p in pieces)
    cells = [{c for b in piece.bands() for c in b.cells} for piece in pieces]
    assert not cells[0] & cells[1]
    # A point just across the line is near in the piece whose bands hold it.
    across = -179.95 if lon > 0 else 179.95
    holder = next(p for p, cs in zip(pieces, cells, strict=True) if cell_of(across) in cs)
    assert holder.miles(51.9, across) < 10


@pytest.mark.parametrize(
    ("lat", "lon", "radius"),
    [(91.0, 0.0, 1.0), (0.0, 181.0, 1.0), (math.nan, 0.0, 1.0), (0.0, 0.0, 0.0), (0, 0, 1e9)],
)
def test_disc_refuses_impossible_circles(lat: float, lon: float, radius: float) -> None:
    with pytest.raises(ValueError):
        Disc(lat, lon, radius)
