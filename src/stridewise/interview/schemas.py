"""The interview contract. The state is only the evidence so far, so any server can answer."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from stridewise.triage.schemas import AssessmentResult

StopReason = Literal["confident", "no_useful_question", "question_cap", "emergency"]


class QuestionOption(BaseModel):
    """One answer choice. For yes/no questions ``value`` is present/absent/unknown; for a
    single-choice group it is a finding id (or ``unknown``)."""

    value: str
    label: str


class QuestionOut(BaseModel):
    id: str = Field(description="Stable id: a finding id, or 'choice:<group>' or 'age'/'sex'.")
    text: str
    help: str | None
    why: str
    type: Literal["yes_no", "single_choice", "number", "sex"]
    options: list[QuestionOption]


class InterviewStep(BaseModel):
    question: QuestionOut | None
    should_stop: bool
    stop_reason: StopReason | None
    asked: int = Field(description="How many follow-up answers have been given so far.")
    max_questions: int
    assessment: AssessmentResult
