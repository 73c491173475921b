"""Offline geocoding: ZIP, ZIP+4, "City, ST" or "lat,lon" to a point.

Coordinates come from the ``zipcodes`` package (ZIP centroids; its data is CC BY, credit the
``zipcodes`` project) and, for ZIPs it lacks, from the US Census 2010 ZCTA Gazetteer shipped in
``data/Gaz_zcta_national.txt.gz`` (public domain). Nothing touches the network.

The web app and CLI call :func:`resolve_place`; it raises :class:`PlaceNotFound`, which says
what was wrong and either lists places to search instead or what to try: the care page, the JSON
API and the CLI all show that same answer.
"""

from __future__ import annotations

import difflib
import gzip
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

import zipcodes

from stridewise.errors import InvalidInput

EARTH_RADIUS_MILES = 3958.7613
KM_PER_MILE = 1.609344

_LATLON = re.compile(r"^\s*(-?\d{1,3}(?:\.\d+)?)\s*[, ]\s*(-?\d{1,3}(?:\.\d+)?)\s*$")
_ZIP = re.compile(r"^\s*(\d{5})(?:[- ]?(\d{4}))?\s*$")
_CITY_ST = re.compile(r"^\s*(.+?)\s*,?\s+([A-Za-z]{2})\s*$")


@dataclass(frozen=True)
class Place:
    """A resolved place. ``kind`` says how the text was read."""

    lat: float
    lon: float
    label: str
    kind: Literal["zip", "city", "coordinates"]


#: How a list of suggestions is introduced when they are guesses at what was meant.
DID_YOU_MEAN = "Did you mean"
#: What to try when there is nothing to suggest.
TRY_INSTEAD = "Try a 5-digit ZIP code such as 97201, or a city and state such as 'Portland, OR'."


class PlaceNotFound(InvalidInput):
    """The text is not a place we know: the one answer the care page, the JSON API and the CLI
    all give. ``reason`` says what was wrong; ``suggestions`` are values to search instead (may
    be empty), introduced by ``suggestions_intro``; ``hint`` says what to do when there are
    none. ``labels`` are the suggestions as shown to a person (a ZIP with its town).
    ``str(exc)`` is all of it on one line."""

    def __init__(
        self,
        text: str,
        reason: str,
        suggestions: list[str] | None = None,
        *,
        suggestions_intro: str = DID_YOU_MEAN,
        hint: str = TRY_INSTEAD,
        labels: list[str] | None = None,
    ) -> None:
        self.text = text
        self.reason = reason
        self.suggestions = suggestions or []
        self.suggestions_intro = suggestions_intro
        self.labels = (
            labels if labels and len(labels) == len(self.suggestions) else self.suggestions
        )
        self.hint = "" if self.suggestions else hint
        if self.suggestions:
            tail = f" {suggestions_intro}: {', '.join(self.labels)}"
            tail += "?" if suggestions_intro == DID_YOU_MEAN else "."
        else:
            tail = f" {hint}" if hint else ""
        super().__init__(f"{reason}{tail}")


@dataclass(frozen=True)
class ZipPoint:
    lat: float
    lon: float
    city: str
    state: str


@dataclass(frozen=True)
class _Gazetteer:
    zips: dict[str, ZipPoint]
    cities: dict[tuple[str, str], tuple[float, float, str]]
    city_labels: dict[str, list[str]]  # state -> "City, ST" labels, for suggestions


def _load_census() -> dict[str, tuple[float, float]]:
    path = resources.files("stridewise.directory") / "data" / "Gaz_zcta_national.txt.gz"
    out: dict[str, tuple[float, float]] = {}
    with gzip.open(str(path), "rt", encoding="latin-1") as fh:
        next(fh)
        for line in fh:
            parts = line.rstrip("\r\n").split("\t")
            if len(parts) >= 7 and parts[0].strip():
                # This copy has longitude BEFORE latitude (INTPTLONG, INTPTLAT).
                out[parts[0].strip()] = (float(parts[6]), float(parts[5]))
    return out


@lru_cache(maxsize=1)
def zip_records() -> tuple[dict[str, Any], ...]:
    """Every record of the ``zipcodes`` package, read once per process (about 0.6 s of CPU;
    the demo build needs them twice: to place synthetic providers and to geocode them).
    Shared: callers must not change the dicts."""
    return tuple(zipcodes._zipcodes.list_all())


@lru_cache(maxsize=1)
def gazetteer() -> _Gazetteer:
    """Build the ZIP and city indexes once per process (about half a second)."""
    zips: dict[str, ZipPoint] = {}
    city_points: dict[tuple[str, str], list[tuple[float, float, str]]] = {}
    for z in zip_records():
        try:
            lat, lon = float(z["lat"]), float(z["long"])
        except (TypeError, ValueError):
            continue
        if lat == 0.0 and lon == 0.0:
            continue
        city, state = str(z["city"]), str(z["state"])
        zips[z["zip_code"]] = ZipPoint(lat, lon, city, state)
        # PO-box and unique ZIPs sit on post offices and firms; STANDARD ZIPs describe the city.
        if z["zip_code_type"] == "STANDARD":
            city_points.setdefault((city.casefold(), state), []).append((lat, lon, city))
    for code, (lat, lon) in _load_census().items():
        zips.setdefault(code, ZipPoint(lat, lon, "", ""))
    cities: dict[tuple[str, str], tuple[float, float, str]] = {}
    labels: dict[str, list[str]] = {}
    for (key, state), pts in city_points.items():
        lat = sum(p[0] for p in pts) / len(pts)
        lon = sum(p[1] for p in pts) / len(pts)
        cities[(key, state)] = (lat, lon, pts[0][2])
        labels.setdefault(state, []).append(f"{pts[0][2]}, {state}")
    return _Gazetteer(zips, cities, labels)


def zip_point(postal: str) -> ZipPoint | None:
    """Centroid of a 5- or 9-digit ZIP (only the first five digits matter), or None."""
    return gazetteer().zips.get(postal[:5])


@lru_cache(maxsize=1)
def populated_latitudes() -> tuple[float, float]:
    """The southernmost and northernmost ZIP centroid: every directory row sits on one, so a
    search circle outside these latitudes cannot match anything."""
    lats = [p.lat for p in gazetteer().zips.values()]
    return min(lats), max(lats)


#: Unknown-ZIP suggestions are ZIPs with the same first three digits, at most this many.
MAX_ZIP_SUGGESTIONS = 5
SAME_AREA = "ZIP codes that start with the same three digits (the same postal area)"
NO_SAME_AREA = (
    "Check the number, or search by another ZIP code near you or by your town, "
    "as in 'Portland, OR'."
)


def _zip_suggestions(zip5: str) -> list[str]:
    """ZIPs of the same postal area (the first three digits name a sectional centre), nearest
    in number first; none when the area has no ZIP we know. Numerically close ZIPs of another
    area (00000 -> 00501, a firm's ZIP in New York) would only mislead."""
    known = gazetteer().zips
    same_area = [z for z in known if z[:3] == zip5[:3]]
    target = int(zip5)
    return sorted(same_area, key=lambda z: (abs(int(z) - target), z))[:MAX_ZIP_SUGGESTIONS]


def _zip_label(zip5: str) -> str:
    point = zip_point(zip5)
    return f"{zip5} ({point.city}, {point.state})" if point and point.city else zip5


def _resolve_zip(text: str, zip5: str) -> Place:
    point = zip_point(zip5)
    if point is None:
        near = _zip_suggestions(zip5)
        raise PlaceNotFound(
            text,
            f"We do not know the ZIP code {zip5}.",
            near,
            suggestions_intro=SAME_AREA,
            hint=NO_SAME_AREA,
            labels=[_zip_label(z) for z in near],
        )
    label = f"{point.city}, {point.state} {zip5}" if point.city else f"ZIP {zip5}"
    return Place(point.lat, point.lon, label, "zip")


def _resolve_city(text: str, city: str, state: str) -> Place:
    g = gazetteer()
    state = state.upper()
    hit = g.cities.get((city.casefold(), state))
    if hit is not None:
        return Place(hit[0], hit[1], f"{hit[2]}, {state}", "city")
    pool = g.city_labels.get(state) or [lbl for lbls in g.city_labels.values() for lbl in lbls]
    wanted = f"{city}, {state}"
    folded = {lbl.casefold(): lbl for lbl in pool}
    near = difflib.get_close_matches(wanted.casefold(), list(folded), n=5, cutoff=0.6)
    reason = f"We do not know a city called {wanted!r}."
    hint = "Check the spelling, or search by ZIP code (such as 97201)."
    if state not in g.city_labels:
        reason = f"{state!r} is not a US state or territory code."
        hint = "Use the state's two letters, as in 'Portland, OR', or a ZIP code."
    raise PlaceNotFound(text, reason, [folded[n] for n in near], hint=hint)


def resolve_place(text: str) -> Place:
    """Turn a runner's place text into a point.

    Accepts ``97201``, ``97201-1234``, ``Portland, OR`` (comma optional) and ``45.52,-122.68``.
    Raises PlaceNotFound (with near-match ``suggestions`` where we can find any) otherwise."""
    if not text or not text.strip():
        raise PlaceNotFound(text, "Give a ZIP code, a 'City, ST' or 'latitude,longitude'.", hint="")
    if m := _ZIP.match(text):
        return _resolve_zip(text, m.group(1))
    if m := _LATLON.match(text):
        lat, lon = float(m.group(1)), float(m.group(2))
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise PlaceNotFound(
                text,
                f"{text!r} is not a valid latitude,longitude pair.",
                hint="Latitude is -90 to 90 and longitude -180 to 180, as in '45.52,-122.68'.",
            )
        return Place(lat, lon, f"{lat:.4f},{lon:.4f}", "coordinates")
    if m := _CITY_ST.match(text):
        return _resolve_city(text, m.group(1), m.group(2))
    raise PlaceNotFound(text, f"{text!r} is not a ZIP code, 'City, ST' or 'latitude,longitude'.")


def haversine_miles(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in miles."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(a)))
