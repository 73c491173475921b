"""GPX tracks through ``gpxpy``: distance, time, climb and heart rate from the points."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import gpxpy
import gpxpy.gpx

from stridewise.training.models import Activity, Sport, sport_from_name, surface_for
from stridewise.training.xml_guard import UnsafeXml, check_xml

# Altitude changes smaller than this between counted points are GPS noise, not climbing.
CLIMB_NOISE_M = 2.0
EARTH_RADIUS_M = 6_371_000.0


class GpxUnreadable(Exception):
    """Not a GPX activity we can read; the message says why in plain words."""


def _metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def _heart_rate(point: gpxpy.gpx.GPXTrackPoint) -> float | None:
    for ext in point.extensions:
        for child in ext.iter():
            if str(child.tag).endswith("}hr") or child.tag == "hr":
                try:
                    return float(child.text or "")
                except ValueError:
                    return None
    return None


def read_gpx(data: bytes, name: str) -> Activity:
    """One activity from a GPX file (all its tracks together). Raises GpxUnreadable."""
    try:
        check_xml(data, "gpx")
        gpx = gpxpy.parse(data.decode("utf-8", errors="replace"))
    except UnsafeXml as exc:
        raise GpxUnreadable(str(exc)) from exc
    except Exception as exc:  # gpxpy raises many types for broken XML
        raise GpxUnreadable("the GPX file is damaged or not valid GPX") from exc
    distance = 0.0
    climb = 0.0
    first: datetime | None = None
    last: datetime | None = None
    hr_sum, hr_n = 0.0, 0
    kind = ""
    for track in gpx.tracks:
        kind = kind or (track.type or "")
        for segment in track.segments:
            prev = None
            ref_alt: float | None = None
            for pt in segment.points:
                if prev is not None:
                    distance += _metres(prev.latitude, prev.longitude, pt.latitude, pt.longitude)
                prev = pt
                if pt.elevation is not None:
                    if ref_alt is None:
                        ref_alt = pt.elevation
                    elif abs(pt.elevation - ref_alt) >= CLIMB_NOISE_M:
                        climb += max(0.0, pt.elevation - ref_alt)
                        ref_alt = pt.elevation
                if pt.time is not None:
                    first = first or pt.time
                    last = pt.time
                hr = _heart_rate(pt)
                if hr is not None and hr > 0:
                    hr_sum += hr
                    hr_n += 1
    if first is None or last is None:
        raise GpxUnreadable("the GPX file has no timed track points (a route, not an activity)")
    start = first if first.tzinfo else first.replace(tzinfo=UTC)
    sport = sport_from_name(kind) if kind else Sport.run
    return Activity(
        start=start.astimezone(UTC),
        sport=sport,
        distance_m=distance,
        duration_s=max(0.0, (last - first).total_seconds()),
        elevation_gain_m=climb,
        avg_hr=hr_sum / hr_n if hr_n else None,
        surface=surface_for(sport),
        source=name,
    )
