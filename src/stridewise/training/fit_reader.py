"""FIT files (Garmin, Coros, Wahoo, Suunto...) through ``fitdecode``.

The ``session`` message carries the watch's own totals; when it is missing (a file cut short)
the totals are rebuilt from the ``record`` messages."""

from __future__ import annotations

import io
import warnings
from datetime import UTC, datetime, timedelta
from typing import Any

import fitdecode

from stridewise.training.models import Activity, Sport, Surface, sport_from_name, surface_for


class FitUnreadable(Exception):
    """Not a FIT activity we can read; the message says why in plain words."""


def _value(frame: Any, name: str) -> Any:
    try:
        return frame.get_value(name, fallback=None)
    except (KeyError, ValueError, TypeError):
        return None


FIT_EPOCH = datetime(1989, 12, 31, tzinfo=UTC)
# Below this a FIT date_time is seconds since device power-on, not a calendar time.
FIT_MIN_DATETIME = 0x10000000


def _aware(value: Any) -> datetime | None:
    """A FIT date_time (raw seconds since 1989-12-31 UTC; we read without a processor, which
    saves a third of the decoding time) or an already converted datetime, as aware UTC."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, int) and not isinstance(value, bool) and value >= FIT_MIN_DATETIME:
        return FIT_EPOCH + timedelta(seconds=value)
    return None


def _sport(sport: Any, sub_sport: Any) -> tuple[Sport, Surface]:
    sub = str(sub_sport or "").lower()
    base = sport_from_name(str(sport or ""))
    if base.is_running:
        if sub in ("trail",):
            return Sport.trail_run, Surface.trail
        if sub in ("treadmill", "indoor_running", "virtual_activity"):
            return Sport.treadmill, Surface.treadmill
        if sub == "track":
            return Sport.run, Surface.track
    return base, surface_for(base)


def read_fit(data: bytes, name: str) -> Activity:
    """One activity from the bytes of a FIT file. Raises FitUnreadable."""
    if len(data) < 12 or data[8:12] != b".FIT":
        raise FitUnreadable("this is not a FIT file (no .FIT signature)")
    session: dict[str, Any] | None = None
    sport_msg: dict[str, Any] = {}
    first_time: datetime | None = None
    last_time: datetime | None = None
    last_distance: float | None = None
    hr_sum = 0.0
    hr_n = 0
    ascent = 0.0
    last_alt: float | None = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = fitdecode.FitReader(
                io.BytesIO(data),
                processor=None,
                check_crc=fitdecode.CrcCheck.RAISE,
                error_handling=fitdecode.ErrorHandling.RAISE,
            )
            with reader as fit:
                for frame in fit:
                    if frame.frame_type != fitdecode.FIT_FRAME_DATA:
                        continue
                    if frame.name == "session" and session is None:
                        session = {
                            k: _value(frame, k)
                            for k in (
                                "start_time",
                                "total_timer_time",
                                "total_elapsed_time",
                                "total_distance",
                                "total_ascent",
                                "avg_heart_rate",
                                "sport",
                                "sub_sport",
                            )
                        }
                    elif frame.name == "sport":
                        sport_msg = {k: _value(frame, k) for k in ("sport", "sub_sport")}
                    elif frame.name == "record":
                        # One pass over the fields: get_value() searches them per call, and
                        # records are nearly all of a file.
                        rec = {f.name: f.value for f in frame.fields}
                        t = _aware(rec.get("timestamp"))
                        if t is not None:
                            first_time = first_time or t
                            last_time = t
                        dist = rec.get("distance")
                        if isinstance(dist, int | float):
                            last_distance = float(dist)
                        hr = rec.get("heart_rate")
                        if isinstance(hr, int | float) and hr > 0:
                            hr_sum += hr
                            hr_n += 1
                        alt = rec.get("enhanced_altitude") or rec.get("altitude")
                        if isinstance(alt, int | float):
                            if last_alt is not None and alt > last_alt:
                                ascent += alt - last_alt
                            last_alt = float(alt)
    except fitdecode.FitError as exc:
        raise FitUnreadable("the FIT file is damaged or cut short") from exc
    except (ValueError, KeyError, IndexError, OverflowError) as exc:
        raise FitUnreadable("the FIT file could not be decoded") from exc

    if session is not None and _aware(session["start_time"]) is not None:
        start = _aware(session["start_time"])
        assert start is not None
        duration = session["total_timer_time"] or session["total_elapsed_time"] or 0.0
        sport, surface = _sport(session["sport"], session["sub_sport"])
        return Activity(
            start=start,
            sport=sport,
            distance_m=float(session["total_distance"] or last_distance or 0.0),
            duration_s=float(duration),
            elevation_gain_m=_float(session["total_ascent"]),
            avg_hr=_float(session["avg_heart_rate"]),
            surface=surface,
            source=name,
        )
    if first_time is None or last_time is None:
        raise FitUnreadable("the FIT file holds no activity (no session and no timed records)")
    sport, surface = _sport(sport_msg.get("sport"), sport_msg.get("sub_sport"))
    return Activity(
        start=first_time,
        sport=sport,
        distance_m=last_distance or 0.0,
        duration_s=(last_time - first_time).total_seconds(),
        elevation_gain_m=ascent if last_alt is not None else None,
        avg_hr=hr_sum / hr_n if hr_n else None,
        surface=surface,
        source=name,
    )


def _float(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) else None
