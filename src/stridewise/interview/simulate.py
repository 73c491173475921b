"""Simulate the interview on an annotated vignette: start from the first sentence, answer
each question from the vignette's ``findings`` annotations, "don't know" when there is none.

The annotations are read as a runner would answer: what they imply is known too (a pop was an
injury; pain under the heel is heel pain), through the KB's declared implications and parents."""

from __future__ import annotations

import re
from collections.abc import Mapping

from stridewise.interview.engine import MAX_QUESTIONS, apply_answer, next_step
from stridewise.kb.implications import implied_by, with_parents
from stridewise.kb.loader import get_kb
from stridewise.triage.evaluation import CaseResult, Vignette
from stridewise.triage.schemas import AssessmentRequest

_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def first_sentence(text: str) -> str:
    return _SENTENCE.split(text.strip(), maxsplit=1)[0]


def answer_key(findings: Mapping[str, str]) -> dict[str, str]:
    """The annotations closed under implication: children imply their parents, and the
    findings' declared implications hold."""
    kb = get_kb()
    known = dict(findings)
    present = [fid for fid, status in findings.items() if status == "present"]
    for fid in with_parents(kb, present) - set(known):
        known[fid] = "present"
    for fid, (status, _) in implied_by(kb, known).items():
        known[fid] = status
    return known


def simulate_case(v: Vignette) -> CaseResult:
    key = answer_key(v.findings)
    answers: dict[str, str] = {}
    req = AssessmentRequest(text=first_sentence(v.text), age=v.age, sex=v.sex)
    for _ in range(MAX_QUESTIONS + 3):
        step = next_step(req.model_copy(update={"answers": answers}))
        if step.should_stop or step.question is None:
            return CaseResult(v, step.assessment, questions=step.asked)
        q = step.question
        if q.type == "single_choice":
            chosen = next((o.value for o in q.options if key.get(o.value) == "present"), "unknown")
            answers = apply_answer(answers, q.id, chosen)
        else:
            answers = apply_answer(answers, q.id, key.get(q.id, "unknown"))
    raise RuntimeError(f"interview for {v.id} did not stop")  # pragma: no cover
