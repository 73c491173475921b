"""Simulate the interview on an annotated vignette: start from the first sentence, answer
each question from the vignette's ``findings`` annotations, "don't know" when there is none.

The annotations are read as a runner would answer: what they imply is known too (a pop was an
injury; pain under the heel is heel pain), through the KB's declared implications and parents.
A case without annotations (the spec sample) answers from what its whole story says, as the
engine reads it: without that, every answer would be "don't know" and the interview would be
scored on its first sentence alone, which no runner who wrote the rest would give."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from stridewise.interview.engine import MAX_QUESTIONS
from stridewise.kb.implications import implied_by, with_parents
from stridewise.kb.loader import KnowledgeBase
from stridewise.triage.evaluation import Assessor, CaseResult, Vignette
from stridewise.triage.schemas import AssessmentRequest

if TYPE_CHECKING:
    from stridewise.engine import Engine

_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def first_sentence(text: str) -> str:
    return _SENTENCE.split(text.strip(), maxsplit=1)[0]


def answer_key(kb: KnowledgeBase, findings: Mapping[str, str]) -> dict[str, str]:
    """The annotations closed under implication: children imply their parents, and the
    findings' declared implications hold."""
    known = dict(findings)
    present = [fid for fid, status in findings.items() if status == "present"]
    for fid in with_parents(kb, present) - set(known):
        known[fid] = "present"
    for fid, (status, _) in implied_by(kb, known).items():
        known[fid] = status
    return known


def simulator(engine: Engine) -> Assessor:
    """An assessor for ``evaluate`` that runs the interview on ``engine``."""
    return lambda v: simulate_case(engine, v)


def story_findings(engine: Engine, text: str) -> dict[str, str]:
    """What the whole text states, present or absent, for a case with no annotations."""
    return {fid: e.status for fid, e in engine.extract(text).findings.items()}


def simulate_case(engine: Engine, v: Vignette) -> CaseResult:
    key = answer_key(engine.kb, v.findings or story_findings(engine, v.text))
    answers: dict[str, str] = {}
    req = AssessmentRequest(text=first_sentence(v.text), age=v.age, sex=v.sex)
    for _ in range(MAX_QUESTIONS + 3):
        step = engine.next_step(req.model_copy(update={"answers": answers}))
        if step.should_stop or step.question is None:
            return CaseResult(v, step.assessment, questions=step.asked)
        q = step.question
        if q.type == "single_choice":
            chosen = next((o.value for o in q.options if key.get(o.value) == "present"), "unknown")
            answers = engine.apply_answer(answers, q.id, chosen)
        else:
            answers = engine.apply_answer(answers, q.id, key.get(q.id, "unknown"))
    raise RuntimeError(f"interview for {v.id} did not stop")  # pragma: no cover
