"""Offline geocoding of ZIPs, cities and coordinates, with suggestions for unknown places."""

from __future__ import annotations

import pytest

from stridewise.directory.geocode import PlaceNotFound, haversine_miles, resolve_place, zip_point


def test_zip_and_zip_plus_four_resolve_to_the_same_point() -> None:
    a, b = resolve_place("97201"), resolve_place("97201-1234")
    assert (a.lat, a.lon) == (b.lat, b.lon)
    assert a.kind == "zip" and "Portland" in a.label


def test_city_state_with_or_without_comma() -> None:
    place = resolve_place("Portland, OR")
    assert place.kind == "city"
    assert abs(place.lat - 45.5) < 0.3 and abs(place.lon + 122.65) < 0.3
    assert resolve_place("portland or").label == "Portland, OR"


def test_lat_lon() -> None:
    place = resolve_place("45.52,-122.68")
    assert (place.lat, place.lon, place.kind) == (45.52, -122.68, "coordinates")


def test_unknown_city_suggests_near_matches() -> None:
    with pytest.raises(PlaceNotFound) as info:
        resolve_place("Portlnd, OR")
    assert "Portland, OR" in info.value.suggestions
    assert "Did you mean" in str(info.value)


def test_unknown_zip_suggests_nearby_zips() -> None:
    with pytest.raises(PlaceNotFound) as info:
        resolve_place("99999")
    assert info.value.suggestions and all(len(s) == 5 for s in info.value.suggestions)


@pytest.mark.parametrize("text", ["", "nowhere", "91.0,10.0"])
def test_nonsense_is_rejected(text: str) -> None:
    with pytest.raises(PlaceNotFound):
        resolve_place(text)


def test_census_gazetteer_fills_zips_missing_from_zipcodes() -> None:
    # The gazetteer covers every ZCTA; at least the core ZIPs must resolve either way.
    assert zip_point("10001") is not None
    assert zip_point("00000") is None


def test_haversine_portland_to_seattle() -> None:
    assert 140 < haversine_miles(45.52, -122.68, 47.61, -122.33) < 150
