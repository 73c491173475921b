"""Why the engine answered as it did, for a clinician editing the knowledge: every finding it
read (with the words that said so and the weight it got), what it ignored as a self-diagnosis,
and how each finding moved the leading conditions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from stridewise.kb.models import TriageLevel
from stridewise.triage.schemas import FindingStatus

if TYPE_CHECKING:
    from stridewise.triage.engine import Analysis

EXPLAINED_CONDITIONS = 5


class FindingRead(BaseModel):
    id: str
    label: str
    status: FindingStatus
    weight: float = Field(description="1.0 for a plain statement; less for a hedge or an aside.")
    source: Literal["text", "answer"]
    quote: str = Field(description="The normalised words that said so ('' for an answer).")


class ContributionOut(BaseModel):
    finding: str
    present: bool
    log_ratio: float = Field(description="> 0 supports the condition, < 0 opposes it.")


class ConditionExplained(BaseModel):
    id: str
    probability: float
    contributions: list[ContributionOut]


class Explanation(BaseModel):
    """What the engine read and how it weighed it. Contains the runner's words: never log it."""

    normalised_text: str
    findings: list[FindingRead]
    ignored_self_diagnoses: list[str]
    age: int | None
    sex: str | None
    duration_days: float | None
    triage: TriageLevel
    red_flags: list[str]
    conditions: list[ConditionExplained]


def explain(a: Analysis) -> Explanation:
    """The explanation of one analysis."""
    ex = a.extraction
    findings = [
        FindingRead(
            id=fid,
            label=a.kb.findings[fid].label,
            status="present" if status == "present" else "absent",
            weight=weight,
            source="text" if src == "text" else "answer",
            quote=ex.findings[fid].quote if src == "text" and fid in ex.findings else "",
        )
        for fid, (status, weight, src) in sorted(a.merged.status.items())
        if fid in a.kb.findings
    ]
    return Explanation(
        normalised_text=ex.text,
        findings=findings,
        ignored_self_diagnoses=ex.masked_self_diagnoses,
        age=a.age,
        sex=a.sex,
        duration_days=ex.duration_days,
        triage=a.decision.level,
        red_flags=a.decision.red_flags,
        conditions=[
            ConditionExplained(
                id=s.condition,
                probability=round(s.probability, 4),
                contributions=[
                    ContributionOut(
                        finding=c.finding, present=c.present, log_ratio=round(c.log_ratio, 4)
                    )
                    for c in s.contributions
                ],
            )
            for s in a.ranked[:EXPLAINED_CONDITIONS]
        ],
    )


__all__ = ["ConditionExplained", "ContributionOut", "Explanation", "FindingRead", "explain"]
