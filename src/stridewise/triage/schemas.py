"""The assessment contract: what callers send and what the engine returns.

The same models back the library (`stridewise.assess`), the CLI (`stridewise assess --json`) and
the HTTP API (`POST /api/v1/assessments`)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from stridewise.kb.models import TriageLevel

AnswerValue = Literal["present", "absent", "unknown"]
Sex = Literal["female", "male"]
FindingStatus = Literal["present", "absent"]

MAX_TEXT = 5000

DISCLAIMER = (
    "Stridewise is not a diagnosis and does not replace a clinician. It suggests what might be "
    "going on from what you told it. If you are worried, if things get worse, or if you have any "
    "of the warning signs listed, get medical help. In an emergency call 911 (or your local "
    "emergency number)."
)


class RunnerDescription(BaseModel):
    """What every request about a runner carries: their words, and optionally age and sex."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(max_length=MAX_TEXT, description="The runner's own words.")
    age: int | None = Field(default=None, ge=0, le=120)
    sex: Sex | None = None

    @field_validator("text")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("text must describe the pain; it is empty")
        return v


class AssessmentRequest(RunnerDescription):
    """One runner's description, with optional age, sex and answers to follow-up questions."""

    answers: dict[str, AnswerValue] = Field(
        default_factory=dict, description="Finding id -> present, absent or unknown."
    )


class TriageOut(BaseModel):
    level: TriageLevel
    reasons: list[str]
    red_flags: list[str] = Field(default_factory=list, description="Ids of the rules that fired.")
    headline: str = Field(description="One sentence telling the runner what to do.")


class EvidenceOut(BaseModel):
    id: str
    text: str


class ConditionOut(BaseModel):
    id: str
    name: str
    probability: float
    supporting: list[EvidenceOut]
    opposing: list[EvidenceOut]
    summary: str
    url: str


class SpecialistOut(BaseModel):
    id: str
    name: str
    why: str
    video_ok: bool


class FindingOut(BaseModel):
    id: str
    status: FindingStatus
    text: str
    source: Literal["text", "answer"]


class SelfCareOut(BaseModel):
    id: str
    title: str
    category: str
    summary: str
    steps: list[str]
    cautions: list[str]
    tools: list[str]


class ToolOut(BaseModel):
    id: str
    name: str
    use: str
    pros: list[str]
    cons: list[str]


class LowerLegOut(BaseModel):
    id: str
    name: str
    how_it_drives_foot_pain: str


class Versions(BaseModel):
    engine: str
    kb: str


class AssessmentResult(BaseModel):
    """The engine's answer. ``conditions`` has at least five entries, most likely first."""

    triage: TriageOut
    conditions: list[ConditionOut]
    specialists: list[SpecialistOut]
    findings: list[FindingOut]
    self_care: list[SelfCareOut]
    tools: list[ToolOut]
    lower_leg: list[LowerLegOut]
    see_care_when: list[str]
    return_to_running: str | None
    disclaimer: str = DISCLAIMER
    versions: Versions
