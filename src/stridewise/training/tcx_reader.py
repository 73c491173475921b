"""TCX files (Garmin Training Center) through ``tcxreader``."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any, cast

from tcxreader.tcxreader import TCXReader

from stridewise.training.models import Activity, sport_from_name, surface_for
from stridewise.training.xml_guard import UnsafeXml, check_xml


class TcxUnreadable(Exception):
    """Not a TCX activity we can read; the message says why in plain words."""


def read_tcx(data: bytes, name: str) -> Activity:
    """One activity from a TCX file. Raises TcxUnreadable."""
    try:
        check_xml(data, "TrainingCenterDatabase")
        ex: Any = TCXReader().read(cast(str, io.BytesIO(data)), only_gps=False)
    except UnsafeXml as exc:
        raise TcxUnreadable(str(exc)) from exc
    except Exception as exc:  # tcxreader raises many types for broken files
        raise TcxUnreadable("the TCX file is damaged or not valid TCX") from exc
    start = ex.start_time
    if not isinstance(start, datetime):
        raise TcxUnreadable("the TCX file has no timed activity")
    start = start if start.tzinfo else start.replace(tzinfo=UTC)
    sport = sport_from_name(ex.activity_type)
    duration = ex.duration
    if not duration and isinstance(ex.end_time, datetime):
        end = ex.end_time if ex.end_time.tzinfo else ex.end_time.replace(tzinfo=UTC)
        duration = (end - start).total_seconds()
    return Activity(
        start=start.astimezone(UTC),
        sport=sport,
        distance_m=float(ex.distance or 0.0),
        duration_s=float(duration or 0.0),
        elevation_gain_m=float(ex.ascent) if ex.ascent is not None else None,
        avg_hr=float(ex.hr_avg) if ex.hr_avg else None,
        surface=surface_for(sport),
        source=name,
    )
