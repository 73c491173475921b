"""Strava bulk export's ``activities.csv``: one row per activity, with the gear Strava knows.

The export repeats some column names ("Elapsed Time", "Distance"): the first "Distance" is in
kilometres for most sports, the later one in metres. Times are UTC."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime

from stridewise.training.models import Activity, sport_from_name, surface_for

DATE_FORMATS = ("%b %d, %Y, %I:%M:%S %p", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%SZ")
MAX_ROWS = 50_000


class CsvUnreadable(Exception):
    """The CSV is not a Strava activities table."""


@dataclass(frozen=True)
class CsvRow:
    """A row of activities.csv: the activity it describes and the file it names, if any."""

    activity: Activity
    filename: str | None


def _parse_date(text: str) -> datetime | None:
    text = " ".join(text.split())
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _number(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        value = float(text.replace(",", "").strip())
    except ValueError:
        return None
    return value if value == value and value >= 0 else None  # drop NaN and negatives


def read_activities_csv(data: bytes, name: str = "activities.csv") -> list[CsvRow]:
    """Every usable row of a Strava activities.csv. Raises CsvUnreadable when the header is not
    Strava's; rows without a date are skipped."""
    text = data.decode("utf-8-sig", errors="replace")
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise CsvUnreadable("the CSV file is empty") from exc
    cols: dict[str, list[int]] = {}
    for i, col in enumerate(header):
        cols.setdefault(col.strip(), []).append(i)
    if "Activity Date" not in cols or "Activity Type" not in cols:
        raise CsvUnreadable("this CSV is not a Strava activities.csv (no Activity Date column)")

    def cell(row: list[str], col: str, last: bool = False) -> str | None:
        idx = cols.get(col)
        if not idx:
            return None
        i = idx[-1] if last else idx[0]
        return row[i] if i < len(row) else None

    out: list[CsvRow] = []
    try:
        for n, row in enumerate(reader):
            if n >= MAX_ROWS:
                break
            start = _parse_date(cell(row, "Activity Date") or "")
            if start is None:
                continue
            sport = sport_from_name(cell(row, "Activity Type"))
            metres = (
                _number(cell(row, "Distance", last=True))
                if len(cols.get("Distance", [])) > 1
                else None
            )
            if metres is None:
                km = _number(cell(row, "Distance"))
                metres = km * 1000 if km is not None else 0.0
            duration = (
                _number(cell(row, "Moving Time")) or _number(cell(row, "Elapsed Time")) or 0.0
            )
            gear = (cell(row, "Activity Gear") or "").strip() or None
            filename = (cell(row, "Filename") or "").strip() or None
            out.append(
                CsvRow(
                    Activity(
                        start=start,
                        sport=sport,
                        distance_m=metres,
                        duration_s=duration,
                        elevation_gain_m=_number(cell(row, "Elevation Gain")),
                        avg_hr=_number(cell(row, "Average Heart Rate")) or None,
                        gear=gear[:80] if gear else None,
                        surface=surface_for(sport),
                        source=name,
                    ),
                    filename,
                )
            )
    except csv.Error as exc:
        raise CsvUnreadable("the CSV file is malformed") from exc
    return out
