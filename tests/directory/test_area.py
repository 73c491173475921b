"""The search circle's distance rule and its cut into index bands."""

from __future__ import annotations

import math
import random

import pytest

from stridewise.directory.geocode import haversine_miles
from stridewise.directory.index_keys import cell_of
from stridewise.directory.search.area import Disc

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
