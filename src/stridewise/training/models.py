"""Typed activity records and per-file read results, shared by every reader."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Sport(StrEnum):
    run = "run"
    trail_run = "trail_run"
    treadmill = "treadmill"
    walk = "walk"
    hike = "hike"
    ride = "ride"
    swim = "swim"
    other = "other"

    @property
    def is_running(self) -> bool:
        return self in (Sport.run, Sport.trail_run, Sport.treadmill)


class Surface(StrEnum):
    """Where the run happened, as far as the file or the export tells (never guessed from GPS)."""

    road = "road"
    trail = "trail"
    treadmill = "treadmill"
    track = "track"
    unknown = "unknown"


class ProblemKind(StrEnum):
    too_large = "too_large"
    too_many_files = "too_many_files"
    foreign_type = "foreign_type"
    corrupt = "corrupt"
    zip_bomb = "zip_bomb"
    unsafe_path = "unsafe_path"
    empty = "empty"
    no_activity = "no_activity"


@dataclass(frozen=True, slots=True)
class Activity:
    """One activity. ``start`` is always timezone-aware (UTC when the file gives no zone)."""

    start: datetime
    sport: Sport
    distance_m: float
    duration_s: float
    elevation_gain_m: float | None = None
    avg_hr: float | None = None
    gear: str | None = None
    surface: Surface = Surface.unknown
    source: str = ""

    def __post_init__(self) -> None:
        if self.start.tzinfo is None:
            raise ValueError("activity start time must be timezone-aware")
        if self.distance_m < 0 or self.duration_s < 0:
            raise ValueError("distance and duration cannot be negative")

    @property
    def distance_km(self) -> float:
        return self.distance_m / 1000.0

    @property
    def pace_s_per_km(self) -> float | None:
        """Seconds per kilometre, or None when the distance is too short to mean anything."""
        if self.distance_m < 100 or self.duration_s <= 0:
            return None
        return self.duration_s / self.distance_km


@dataclass(frozen=True, slots=True)
class FileProblem:
    """Why one file (or one entry of a zip) was not read, in words a runner understands."""

    name: str
    kind: ProblemKind
    message: str


@dataclass(slots=True)
class ReadResult:
    """Everything read from an upload: the activities, and a problem for every file skipped."""

    activities: list[Activity] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)
    files_read: int = 0

    def extend(self, other: ReadResult) -> None:
        self.activities.extend(other.activities)
        self.problems.extend(other.problems)
        self.files_read += other.files_read


def sport_from_name(name: str | None) -> Sport:
    """Map a sport word from any of the formats (FIT enum names, TCX ``Sport``, Strava's
    "Activity Type", GPX ``<type>``) to a Sport."""
    word = (name or "").strip().lower().replace("_", " ")
    if not word:
        return Sport.other
    table = {
        "run": Sport.run,
        "running": Sport.run,
        "9": Sport.run,  # Strava's numeric GPX type for runs
        "trail run": Sport.trail_run,
        "trail running": Sport.trail_run,
        "trail": Sport.trail_run,
        "virtual run": Sport.treadmill,
        "treadmill": Sport.treadmill,
        "treadmill running": Sport.treadmill,
        "indoor running": Sport.treadmill,
        "walk": Sport.walk,
        "walking": Sport.walk,
        "hike": Sport.hike,
        "hiking": Sport.hike,
        "ride": Sport.ride,
        "cycling": Sport.ride,
        "biking": Sport.ride,
        "virtual ride": Sport.ride,
        "1": Sport.ride,
        "swim": Sport.swim,
        "swimming": Sport.swim,
    }
    return table.get(word, Sport.other)


def surface_for(sport: Sport) -> Surface:
    """The surface a sport implies where it implies one."""
    return {
        Sport.trail_run: Surface.trail,
        Sport.treadmill: Surface.treadmill,
        Sport.run: Surface.road,
    }.get(sport, Surface.unknown)
