"""Simulate the interview on an annotated vignette: start from the first sentence, answer
each question from the vignette's ``findings`` annotations, "don't know" when there is none."""

from __future__ import annotations

import re

from stridewise.interview.engine import MAX_QUESTIONS, apply_answer, next_step
from stridewise.triage.evaluation import CaseResult, Vignette
from stridewise.triage.schemas import AssessmentRequest

_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def first_sentence(text: str) -> str:
    return _SENTENCE.split(text.strip(), maxsplit=1)[0]


def simulate_case(v: Vignette) -> CaseResult:
    answers: dict[str, str] = {}
    req = AssessmentRequest(text=first_sentence(v.text), age=v.age, sex=v.sex)
    for _ in range(MAX_QUESTIONS + 3):
        step = next_step(req.model_copy(update={"answers": answers}))
        if step.should_stop or step.question is None:
            return CaseResult(v, step.assessment, questions=step.asked)
        q = step.question
        if q.type == "single_choice":
            chosen = next(
                (o.value for o in q.options if v.findings.get(o.value) == "present"), "unknown"
            )
            answers = apply_answer(answers, q.id, chosen)
        else:
            answers = apply_answer(answers, q.id, v.findings.get(q.id, "unknown"))
    raise RuntimeError(f"interview for {v.id} did not stop")  # pragma: no cover
