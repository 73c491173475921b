"""Load metrics from a runner's activities: the last 12 weeks week by week, the long run,
intensity where heart rate or pace exist, elevation, surfaces, shoe mileage, and the current
load a return-to-run plan starts from. Pure functions of the activity list."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from stridewise.training.models import Activity, Surface

WEEKS = 12
CURRENT_WEEKS = 4


@dataclass(frozen=True)
class WeekLoad:
    """Running in one Monday-to-Sunday week (UTC dates)."""

    week_start: date
    distance_km: float
    duration_min: float
    runs: int
    long_run_km: float
    elevation_m: float
    avg_hr: float | None
    pace_s_per_km: float | None


@dataclass(frozen=True)
class LongRun:
    day: date
    distance_km: float
    duration_min: float


@dataclass(frozen=True)
class ShoeMileage:
    name: str
    distance_km: float
    runs: int
    first_used: date
    last_used: date


@dataclass(frozen=True)
class CurrentLoad:
    """What the runner has been doing lately: where a return-to-run plan starts from."""

    weekly_km: float
    runs_per_week: float
    run_minutes: float
    pace_s_per_km: float | None


@dataclass(frozen=True)
class LoadSummary:
    as_of: date
    weeks: list[WeekLoad]
    longest_run: LongRun | None
    current: CurrentLoad | None
    shoes: list[ShoeMileage]
    surfaces_km: dict[str, float] = field(default_factory=dict)
    activities: int = 0
    runs: int = 0
    first_day: date | None = None
    last_day: date | None = None


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _week(start: date, runs: Sequence[Activity]) -> WeekLoad:
    dist = sum(a.distance_km for a in runs)
    dur = sum(a.duration_s for a in runs)
    hr_time = sum(a.duration_s for a in runs if a.avg_hr)
    hr = (
        sum((a.avg_hr or 0) * a.duration_s for a in runs if a.avg_hr) / hr_time if hr_time else None
    )
    paced = [a for a in runs if a.pace_s_per_km is not None]
    paced_km = sum(a.distance_km for a in paced)
    return WeekLoad(
        week_start=start,
        distance_km=round(dist, 2),
        duration_min=round(dur / 60, 1),
        runs=len(runs),
        long_run_km=round(max((a.distance_km for a in runs), default=0.0), 2),
        elevation_m=round(sum(a.elevation_gain_m or 0.0 for a in runs), 1),
        avg_hr=round(hr, 1) if hr else None,
        pace_s_per_km=round(sum(a.duration_s for a in paced) / paced_km, 1) if paced_km else None,
    )


def weekly_series(runs: Sequence[Activity], last_week: date, weeks: int) -> list[WeekLoad]:
    """``weeks`` consecutive weeks ending with the one starting ``last_week``, oldest first,
    empty weeks included."""
    first = last_week - timedelta(weeks=weeks - 1)
    buckets: dict[date, list[Activity]] = {first + timedelta(weeks=i): [] for i in range(weeks)}
    for a in runs:
        ws = week_start(a.start.date())
        if ws in buckets:
            buckets[ws].append(a)
    return [_week(ws, acts) for ws, acts in buckets.items()]


def shoe_mileage(runs: Sequence[Activity]) -> list[ShoeMileage]:
    """Running distance per named shoe over the whole history, most used first."""
    by: dict[str, list[Activity]] = {}
    for a in runs:
        if a.gear:
            by.setdefault(a.gear, []).append(a)
    out = [
        ShoeMileage(
            name=name,
            distance_km=round(sum(a.distance_km for a in acts), 1),
            runs=len(acts),
            first_used=min(a.start.date() for a in acts),
            last_used=max(a.start.date() for a in acts),
        )
        for name, acts in by.items()
    ]
    return sorted(out, key=lambda s: (-s.distance_km, s.name))


def current_load(runs: Sequence[Activity], as_of: date) -> CurrentLoad | None:
    """The last four weeks' running (up to ``as_of``), or None if there was none."""
    since = as_of - timedelta(weeks=CURRENT_WEEKS)
    recent = [a for a in runs if since < a.start.date() <= as_of]
    if not recent:
        return None
    km = sum(a.distance_km for a in recent)
    paced_km = sum(a.distance_km for a in recent if a.pace_s_per_km is not None)
    paced_s = sum(a.duration_s for a in recent if a.pace_s_per_km is not None)
    return CurrentLoad(
        weekly_km=round(km / CURRENT_WEEKS, 1),
        runs_per_week=round(len(recent) / CURRENT_WEEKS, 1),
        run_minutes=round(statistics.median(a.duration_s for a in recent) / 60, 1),
        pace_s_per_km=round(paced_s / paced_km, 1) if paced_km else None,
    )


def summarise(activities: Sequence[Activity], as_of: date | None = None) -> LoadSummary:
    """The load summary of ``activities`` for the 12 weeks up to ``as_of`` (by default the day
    of the last activity, so an old export still shows its last 12 weeks)."""
    runs = sorted((a for a in activities if a.sport.is_running), key=lambda a: a.start)
    days = [a.start.date() for a in activities]
    end = as_of or (max(days) if days else date.today())
    weeks = weekly_series(runs, week_start(end), WEEKS)
    window_start = weeks[0].week_start
    in_window = [a for a in runs if window_start <= a.start.date() <= end]
    longest = max(in_window, key=lambda a: a.distance_m, default=None)
    surfaces: dict[str, float] = {}
    for a in in_window:
        if a.surface != Surface.unknown:
            surfaces[a.surface.value] = round(surfaces.get(a.surface.value, 0.0) + a.distance_km, 1)
    return LoadSummary(
        as_of=end,
        weeks=weeks,
        longest_run=LongRun(
            longest.start.date(), round(longest.distance_km, 2), round(longest.duration_s / 60, 1)
        )
        if longest
        else None,
        current=current_load(runs, end),
        shoes=shoe_mileage(runs),
        surfaces_km=surfaces,
        activities=len(activities),
        runs=len(runs),
        first_day=min(days) if days else None,
        last_day=max(days) if days else None,
    )
