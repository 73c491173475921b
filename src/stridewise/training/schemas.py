"""The training-load contract: what ``POST /api/v1/training-load`` and ``stridewise load --json``
return. Built from the domain objects by ``report.build_report``."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from stridewise.training.knowledge import Evidence
from stridewise.training.models import ProblemKind


class FileProblemOut(BaseModel):
    name: str
    kind: ProblemKind
    message: str


class WeekOut(BaseModel):
    week_start: date
    distance_km: float
    duration_min: float
    runs: int
    long_run_km: float
    elevation_m: float
    avg_hr: float | None
    pace_s_per_km: float | None


class LongRunOut(BaseModel):
    day: date
    distance_km: float
    duration_min: float


class ShoeOut(BaseModel):
    name: str
    distance_km: float
    runs: int
    first_used: date
    last_used: date


class CurrentLoadOut(BaseModel):
    weekly_km: float
    runs_per_week: float
    run_minutes: float
    pace_s_per_km: float | None


class PatternOut(BaseModel):
    id: str
    name: str
    evidence: Evidence
    finding: str
    day: date
    detail: str
    explain: str
    advice: str
    sources: list[str]
    count: int


class SuggestedFindingOut(BaseModel):
    id: str = Field(description="A finding id the assessment accepts in ``answers``.")
    label: str
    patterns: list[str]


class SummaryOut(BaseModel):
    as_of: date | None
    activities: int
    runs: int
    first_day: date | None
    last_day: date | None
    longest_run: LongRunOut | None
    current: CurrentLoadOut | None
    surfaces_km: dict[str, float]
    shoes: list[ShoeOut]


class TrainingReport(BaseModel):
    """What the runner's history shows. Nothing of it is stored."""

    files_read: int
    problems: list[FileProblemOut]
    summary: SummaryOut
    weeks: list[WeekOut] = Field(description="The last 12 weeks, oldest first.")
    patterns: list[PatternOut]
    findings: list[SuggestedFindingOut] = Field(
        description="Findings to confirm; send confirmed ones as answers to /api/v1/assessments."
    )
