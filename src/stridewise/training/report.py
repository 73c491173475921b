"""One call from uploaded files to the typed report the API, the CLI and the page show."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import date

from stridewise.kb.loader import KnowledgeBase
from stridewise.training.findings import suggested_findings
from stridewise.training.intake import Upload, read_uploads
from stridewise.training.knowledge import TrainingKnowledge
from stridewise.training.limits import DEFAULT_LIMITS, Limits
from stridewise.training.load import LoadSummary, summarise
from stridewise.training.patterns import find_patterns
from stridewise.training.schemas import (
    CurrentLoadOut,
    FileProblemOut,
    LongRunOut,
    PatternOut,
    ShoeOut,
    SuggestedFindingOut,
    SummaryOut,
    TrainingReport,
    WeekOut,
)


def build_report(
    uploads: Sequence[Upload],
    kb: KnowledgeBase,
    knowledge: TrainingKnowledge,
    *,
    limits: Limits = DEFAULT_LIMITS,
    workers: int = 1,
    as_of: date | None = None,
) -> tuple[TrainingReport, LoadSummary]:
    """Read, summarise and look for patterns. Raises UploadRejected for an upload over the
    whole-request limits; a bad file is a problem in the report, never an exception."""
    read = read_uploads(uploads, limits, workers=workers)
    summary = summarise(read.activities, as_of)
    hits = find_patterns(read.activities, summary.as_of, knowledge) if read.activities else []
    report = TrainingReport(
        files_read=read.files_read,
        problems=[FileProblemOut(**asdict(p)) for p in read.problems],
        summary=SummaryOut(
            as_of=summary.as_of if read.activities else None,
            activities=summary.activities,
            runs=summary.runs,
            first_day=summary.first_day,
            last_day=summary.last_day,
            longest_run=LongRunOut(**asdict(summary.longest_run)) if summary.longest_run else None,
            current=CurrentLoadOut(**asdict(summary.current)) if summary.current else None,
            surfaces_km=summary.surfaces_km,
            shoes=[ShoeOut(**asdict(s)) for s in summary.shoes],
        ),
        weeks=[WeekOut(**asdict(w)) for w in summary.weeks] if read.activities else [],
        patterns=[PatternOut(**asdict(h)) for h in hits],
        findings=[SuggestedFindingOut(**asdict(f)) for f in suggested_findings(kb, hits)],
    )
    return report, summary
