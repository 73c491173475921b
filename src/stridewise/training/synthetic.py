"""Synthetic training histories and the files a watch or Strava would make of them.

Used by the tests (real FIT, GPX and TCX bytes that the real readers parse) and by the
benchmark (a multi-year Strava-style export). The FIT writer is deliberately small: a file_id,
optional per-point ``record`` messages and an optional ``session`` summary, laid out as the FIT
protocol (2.0) specifies, with the header and file CRCs, so ``fitdecode`` reads it with CRC
checking on. No real runner's data is involved anywhere."""

from __future__ import annotations

import csv
import gzip
import io
import math
import random
import struct
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from stridewise.training.models import Sport

FIT_EPOCH = datetime(1989, 12, 31, tzinfo=UTC)
_CRC_TABLE = (
    0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
    0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
)  # fmt: skip
# FIT base types
_ENUM, _UINT8, _UINT16, _SINT32, _UINT32 = 0x00, 0x02, 0x84, 0x85, 0x86
_FIT_SPORT = {
    Sport.run: (1, 0),
    Sport.trail_run: (1, 3),
    Sport.treadmill: (1, 1),
    Sport.ride: (2, 0),
    Sport.walk: (11, 0),
    Sport.hike: (17, 0),
    Sport.swim: (5, 0),
    Sport.other: (0, 0),
}
METRES_PER_DEGREE = 111_195.0
SEMICIRCLES = 2**31 / 180.0


@dataclass(frozen=True)
class SyntheticRun:
    """What happened: the truth the files are written from."""

    start: datetime
    sport: Sport
    distance_m: float
    duration_s: float
    climb_m: float = 0.0
    avg_hr: int | None = 145
    gear: str | None = None


def fit_crc(data: bytes, crc: int = 0) -> int:
    """The FIT protocol's CRC-16."""
    for byte in data:
        tmp = _CRC_TABLE[crc & 0xF]
        crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ _CRC_TABLE[byte & 0xF]
        tmp = _CRC_TABLE[crc & 0xF]
        crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ _CRC_TABLE[(byte >> 4) & 0xF]
    return crc


def _fit_time(t: datetime) -> int:
    return int((t - FIT_EPOCH).total_seconds())


def _definition(local: int, global_num: int, fields: Sequence[tuple[int, int, int]]) -> bytes:
    out = struct.pack("<BBBHB", 0x40 | local, 0, 0, global_num, len(fields))
    return out + b"".join(struct.pack("<BBB", *f) for f in fields)


_FILE_ID = ((0, 1, _ENUM), (1, 2, _UINT16), (4, 4, _UINT32))
_RECORD = (
    (253, 4, _UINT32),
    (0, 4, _SINT32),
    (1, 4, _SINT32),
    (5, 4, _UINT32),
    (2, 2, _UINT16),
    (3, 1, _UINT8),
)
_SESSION = (
    (253, 4, _UINT32),
    (2, 4, _UINT32),
    (7, 4, _UINT32),
    (8, 4, _UINT32),
    (9, 4, _UINT32),
    (22, 2, _UINT16),
    (16, 1, _UINT8),
    (5, 1, _ENUM),
    (6, 1, _ENUM),
)


def _points(run: SyntheticRun, step_s: float) -> Iterable[tuple[float, float, float, float]]:
    """(seconds from start, latitude, distance so far, altitude) along a straight line north,
    at an even pace, over hills sized so the climb adds up to ``run.climb_m``."""
    n = max(1, int(run.duration_s // step_s))
    hills = 4
    amplitude = run.climb_m / (2 * hills) if run.climb_m else 0.0
    for i in range(n + 1):
        frac = i / n
        dist = run.distance_m * frac
        alt = 100.0 + amplitude * (1 - math.cos(2 * math.pi * hills * frac))
        yield run.duration_s * frac, 51.0 + dist / METRES_PER_DEGREE, dist, alt


def fit_bytes(run: SyntheticRun, *, step_s: float = 10.0, session: bool = True) -> bytes:
    """A FIT activity file for ``run``: records every ``step_s`` seconds, and the session."""
    body = bytearray()
    body += _definition(0, 0, _FILE_ID)
    body += struct.pack("<BBHI", 0, 4, 255, _fit_time(run.start))
    body += _definition(1, 20, _RECORD)
    hr = run.avg_hr if run.avg_hr is not None else 0xFF
    for secs, lat, dist, alt in _points(run, step_s):
        t = _fit_time(run.start + timedelta(seconds=secs))
        body += struct.pack(
            "<BIiiIHB",
            1,
            t,
            int(lat * SEMICIRCLES),
            int(0.1 * SEMICIRCLES),
            int(dist * 100),
            int((alt + 500) * 5),
            hr,
        )
    if session:
        sport, sub = _FIT_SPORT[run.sport]
        end = _fit_time(run.start + timedelta(seconds=run.duration_s))
        body += _definition(2, 18, _SESSION)
        body += struct.pack(
            "<BIIIIIHBBB",
            2,
            end,
            _fit_time(run.start),
            int(run.duration_s * 1000),
            int(run.duration_s * 1000),
            int(run.distance_m * 100),
            round(run.climb_m),
            hr,
            sport,
            sub,
        )
    header = struct.pack("<BBHI4s", 14, 0x20, 2132, len(body), b".FIT")
    header += struct.pack("<H", fit_crc(header))
    data = header + bytes(body)
    return data + struct.pack("<H", fit_crc(data))


def _iso(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


_GPX_TYPE = {Sport.run: "running", Sport.trail_run: "trail running", Sport.treadmill: "treadmill"}


def gpx_bytes(run: SyntheticRun, *, step_s: float = 10.0) -> bytes:
    """A GPX 1.1 track for ``run`` with heart rate in Garmin's TrackPointExtension."""
    kind = _GPX_TYPE.get(run.sport, run.sport.value)
    out = io.StringIO()
    out.write(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="stridewise-synthetic" '
        'xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">\n'
        f"<trk><name>Synthetic</name><type>{kind}</type><trkseg>\n"
    )
    for secs, lat, _, alt in _points(run, step_s):
        t = _iso(run.start + timedelta(seconds=secs))
        hr = (
            f"<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{run.avg_hr}</gpxtpx:hr>"
            "</gpxtpx:TrackPointExtension></extensions>"
            if run.avg_hr
            else ""
        )
        out.write(
            f'<trkpt lat="{lat:.7f}" lon="0.1000000"><ele>{alt:.1f}</ele><time>{t}</time>'
            f"{hr}</trkpt>\n"
        )
    out.write("</trkseg></trk></gpx>\n")
    return out.getvalue().encode()


def tcx_bytes(run: SyntheticRun, *, step_s: float = 10.0) -> bytes:
    """A TCX activity for ``run`` (one lap, trackpoints with position, altitude and HR)."""
    sport = {Sport.ride: "Biking"}.get(run.sport, "Running" if run.sport.is_running else "Other")
    pts = []
    for secs, lat, dist, alt in _points(run, step_s):
        t = _iso(run.start + timedelta(seconds=secs))
        hr = f"<HeartRateBpm><Value>{run.avg_hr}</Value></HeartRateBpm>" if run.avg_hr else ""
        pts.append(
            f"<Trackpoint><Time>{t}</Time><Position><LatitudeDegrees>{lat:.7f}"
            "</LatitudeDegrees><LongitudeDegrees>0.1</LongitudeDegrees></Position>"
            f"<AltitudeMeters>{alt:.1f}</AltitudeMeters><DistanceMeters>{dist:.1f}"
            f"</DistanceMeters>{hr}</Trackpoint>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/'
        'TrainingCenterDatabase/v2"><Activities>'
        f'<Activity Sport="{sport}"><Id>{_iso(run.start)}</Id>'
        f'<Lap StartTime="{_iso(run.start)}"><TotalTimeSeconds>{run.duration_s:.0f}'
        f"</TotalTimeSeconds><DistanceMeters>{run.distance_m:.1f}</DistanceMeters>"
        f"<Track>{''.join(pts)}</Track></Lap></Activity></Activities>"
        "</TrainingCenterDatabase>\n"
    ).encode()


def history(
    *,
    weeks: int,
    end: datetime,
    seed: int = 1,
    runs_per_week: int = 4,
    base_km: float = 6.0,
    shoes: Sequence[str] = ("Pegasus 39", "Ghost 15", "Speedgoat 5"),
) -> list[SyntheticRun]:
    """A plausible history ending at ``end``: steady weeks, a weekly long run, a new pair of
    shoes every ~6 months, now and then a trail run, a ride or a walk."""
    rng = random.Random(seed)
    out: list[SyntheticRun] = []
    start_week = end - timedelta(weeks=weeks)
    for w in range(weeks):
        week_start = start_week + timedelta(weeks=w)
        shoe = shoes[(w // 26) % len(shoes)]
        days = sorted(rng.sample(range(7), min(7, runs_per_week)))
        for i, day in enumerate(days):
            long_run = i == len(days) - 1
            km = base_km * (1.8 if long_run else rng.uniform(0.8, 1.2))
            sport = Sport.trail_run if rng.random() < 0.08 else Sport.run
            pace = rng.uniform(300, 360)  # seconds per km
            out.append(
                SyntheticRun(
                    start=week_start + timedelta(days=day, hours=7, minutes=rng.randint(0, 50)),
                    sport=sport,
                    distance_m=km * 1000,
                    duration_s=km * pace,
                    climb_m=rng.uniform(10, 60) * (3 if sport == Sport.trail_run else 1),
                    avg_hr=rng.randint(135, 160),
                    gear=shoe,
                )
            )
        if rng.random() < 0.3:
            out.append(
                SyntheticRun(
                    start=week_start + timedelta(days=rng.randrange(7), hours=17),
                    sport=rng.choice([Sport.ride, Sport.walk]),
                    distance_m=rng.uniform(3, 25) * 1000,
                    duration_s=rng.uniform(1800, 4000),
                    climb_m=rng.uniform(0, 150),
                    avg_hr=rng.randint(100, 130),
                    gear=None,
                )
            )
    return sorted(out, key=lambda r: r.start)


_STRAVA_TYPE = {
    Sport.run: "Run",
    Sport.trail_run: "Trail Run",
    Sport.treadmill: "Virtual Run",
    Sport.walk: "Walk",
    Sport.hike: "Hike",
    Sport.ride: "Ride",
    Sport.swim: "Swim",
    Sport.other: "Workout",
}
STRAVA_HEADER = [
    "Activity ID", "Activity Date", "Activity Name", "Activity Type", "Activity Description",
    "Elapsed Time", "Distance", "Max Heart Rate", "Relative Effort", "Commute",
    "Activity Private Note", "Activity Gear", "Filename", "Athlete Weight", "Bike Weight",
    "Elapsed Time", "Moving Time", "Distance", "Max Speed", "Average Speed", "Elevation Gain",
    "Elevation Loss", "Average Heart Rate",
]  # fmt: skip


def strava_export(
    runs: Sequence[SyntheticRun],
    *,
    fit_every: int = 3,
    step_s: float = 10.0,
    extra_files: int = 5,
    folder: str = "",
) -> bytes:
    """A Strava-style bulk export zip: activities.csv and activities/<id>.gpx.gz or .fit.gz
    (every ``fit_every``-th as FIT), plus a few non-activity files as a real export has."""
    buf = io.BytesIO()
    table = io.StringIO()
    writer = csv.writer(table)
    writer.writerow(STRAVA_HEADER)
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for i, run in enumerate(runs):
            act_id = 1_000_000 + i
            if i % fit_every == 0:
                path = f"activities/{act_id}.fit.gz"
                raw = fit_bytes(run, step_s=step_s)
            else:
                path = f"activities/{act_id}.gpx.gz"
                raw = gpx_bytes(run, step_s=step_s)
            # Strava ships these already gzipped; storing them avoids compressing twice.
            zf.writestr(folder + path, gzip.compress(raw, compresslevel=1), zipfile.ZIP_STORED)
            km = run.distance_m / 1000
            writer.writerow(
                [
                    act_id,
                    run.start.strftime("%b %d, %Y, %I:%M:%S %p").replace(" 0", " "),
                    "Morning Run",
                    _STRAVA_TYPE[run.sport],
                    "",
                    int(run.duration_s),
                    f"{km:.2f}",
                    "",
                    "",
                    "false",
                    "",
                    run.gear or "",
                    path,
                    "",
                    "",
                    f"{run.duration_s:.1f}",
                    f"{run.duration_s:.1f}",
                    f"{run.distance_m:.1f}",
                    "",
                    "",
                    f"{run.climb_m:.1f}",
                    f"{run.climb_m:.1f}",
                    run.avg_hr or "",
                ]
            )
        zf.writestr(folder + "activities.csv", table.getvalue())
        for j in range(extra_files):
            zf.writestr(folder + f"media/photo{j}.jpg", b"\xff\xd8\xff" + bytes(200))
        zf.writestr(folder + "profile.csv", "Athlete ID\n1\n")
    return buf.getvalue()
