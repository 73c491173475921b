"""Wording found wrong walking the journeys: the "your last answer" line named the sex question
differently from the question the runner had just been asked."""

from __future__ import annotations

from stridewise.engine import Engine
from stridewise.interview.bank import QuestionBank
from stridewise.web.pages.answer_words import question_text


def test_recorded_questions_read_as_they_were_asked(engine: Engine) -> None:
    bank = QuestionBank(engine.kb)
    for qid in ("age", "sex"):
        assert question_text(engine.kb, qid) == bank.questions[qid].text
