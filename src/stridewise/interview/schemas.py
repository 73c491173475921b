"""The interview contract. The state is only the evidence so far, so any server can answer."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from stridewise.triage.schemas import AssessmentResult, RunnerDescription

StopReason = Literal["confident", "no_useful_question", "question_cap", "emergency"]


AnswerKey = Annotated[str, StringConstraints(min_length=1, max_length=100)]
AnswerText = Annotated[str, StringConstraints(min_length=1, max_length=100)]
MAX_ANSWERS = 500


class InterviewRequest(RunnerDescription):
    """The evidence so far. Each answer is keyed by the id of the question it answers:

    - a finding id (a yes/no question): ``present``, ``absent`` or ``unknown``;
    - ``choice:<group>`` (a single-choice question): the chosen option's value (a finding id)
      or ``unknown``; the chosen finding id with ``present`` works too;
    - ``age`` / ``sex``: ``unknown`` when the runner declined to say."""

    answers: dict[AnswerKey, AnswerText] = Field(default_factory=dict, max_length=MAX_ANSWERS)


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
