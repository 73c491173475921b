"""The adaptive interview: ask only the questions that matter most. Its functions take the
:class:`~stridewise.engine.Engine` (or its question bank); ``Engine.next_step`` is the usual
entry."""

from stridewise.errors import InterviewError
from stridewise.interview.engine import apply_answer, next_step
from stridewise.interview.schemas import InterviewStep, QuestionOut

__all__ = ["InterviewError", "InterviewStep", "QuestionOut", "apply_answer", "next_step"]
