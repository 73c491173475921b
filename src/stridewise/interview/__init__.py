"""The adaptive interview: ask only the questions that matter most."""

from stridewise.interview.engine import (
    InterviewError,
    apply_answer,
    next_safety_question,
    next_step,
)
from stridewise.interview.schemas import InterviewStep, QuestionOut

__all__ = [
    "InterviewError",
    "InterviewStep",
    "QuestionOut",
    "apply_answer",
    "next_safety_question",
    "next_step",
]
