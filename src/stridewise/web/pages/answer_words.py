"""Turn the runner's recorded interview steps back into words: the question they were asked and
the answer they gave, for the "you answered" line, the summary page and the clinician's PDF."""

from __future__ import annotations

from dataclasses import dataclass

from stridewise.kb.loader import KnowledgeBase

YES_NO_WORDS = {"present": "Yes", "absent": "No", "unknown": "Don't know"}


@dataclass(frozen=True)
class AnsweredStep:
    question_id: str
    question: str
    answer: str


def question_text(kb: KnowledgeBase, question_id: str) -> str:
    """The question as the runner saw it, or a readable fallback for an id the KB lacks."""
    if question_id == "age":
        return "How old are you?"
    if question_id == "sex":
        return "What sex were you assigned at birth?"
    if question_id.startswith("choice:"):
        group = kb.choice_groups.get(question_id.removeprefix("choice:"))
        return group.question if group else question_id
    finding = kb.findings.get(question_id)
    if finding is None:
        return question_id
    if question_id in kb.questions:
        return kb.questions[question_id].text
    return finding.question or f"{finding.label}?"


def answer_text(kb: KnowledgeBase, question_id: str, value: str) -> str:
    """The runner's answer in words (a choice's label, Yes/No/Don't know, or the number)."""
    if value == "unknown":
        return "Don't know"
    if question_id in ("age", "sex"):
        return value.capitalize()
    if question_id.startswith("choice:"):
        finding = kb.findings.get(value)
        return finding.label if finding else value
    return YES_NO_WORDS.get(value, value)


def describe_steps(kb: KnowledgeBase, steps: list[tuple[str, str]]) -> list[AnsweredStep]:
    """Every recorded step, in the order answered."""
    return [AnsweredStep(q, question_text(kb, q), answer_text(kb, q, v)) for q, v in steps]
