"""The stateless interview API: the client sends the evidence so far, we answer with the next
question (or the reason to stop) and the assessment as it stands."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel

from stridewise.errors import InvalidInput
from stridewise.interview import InterviewStep, QuestionOut
from stridewise.interview.schemas import InterviewRequest
from stridewise.web.deps import EngineDep
from stridewise.web.problems import ProblemError

router = APIRouter(tags=["interview"])


class QuestionList(BaseModel):
    count: int
    questions: list[QuestionOut]
    kind: Literal["question_bank"] = "question_bank"


@router.post(
    "/interview/next",
    response_model=InterviewStep,
    summary="Next interview question",
    responses={422: {"description": "Invalid input or unknown question id (problem+json)"}},
)
def interview_next(body: InterviewRequest, engine: EngineDep) -> InterviewStep:
    """Return the question that matters most now, or ``should_stop`` with ``stop_reason``.

    ``answers`` is keyed by the id of the question answered: a finding id (``present``,
    ``absent`` or ``unknown``), a single-choice question's ``choice:<group>`` id (an option's
    value or ``unknown``), or ``age``/``sex`` set to ``unknown`` when the runner declined."""
    try:
        return engine.next_step(body)
    except InvalidInput as exc:
        raise ProblemError(422, "Unknown question", str(exc), "unknown-question") from exc


@router.get("/questions", response_model=QuestionList, summary="The question bank")
def list_questions(engine: EngineDep) -> QuestionList:
    """Every question the interview can ask, with its stable id."""
    qs = engine.questions()
    return QuestionList(count=len(qs), questions=qs)
