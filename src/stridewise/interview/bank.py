"""The question bank: every question the interview can ask, with stable ids.

Ids: a finding id for a yes/no question (``cannot_tiptoe``), ``choice:<group>`` for a
single-choice group (``choice:where``), and ``age`` / ``sex`` for the demographics."""

from __future__ import annotations

from dataclasses import dataclass

from stridewise.interview.schemas import QuestionOption, QuestionOut
from stridewise.kb.loader import KnowledgeBase

CHOICE_PREFIX = "choice:"
DEMOGRAPHIC_IDS = ("age", "sex")
YES_NO_OPTIONS = [
    QuestionOption(value="present", label="Yes"),
    QuestionOption(value="absent", label="No"),
    QuestionOption(value="unknown", label="Don't know"),
]


@dataclass(frozen=True)
class Question:
    id: str
    kind: str  # "yes_no", "single_choice", "number", "sex"
    text: str
    help: str | None
    why: str
    findings: tuple[str, ...]  # the finding(s) an answer sets
    only_after_any: tuple[str, ...] = ()  # a follow-up: asked once one of these is present

    def fits(self, present: set[str]) -> bool:
        """Whether the question makes sense to ask given what is present so far."""
        return not self.only_after_any or any(f in present for f in self.only_after_any)

    def out(self, kb: KnowledgeBase, why: str | None = None) -> QuestionOut:
        if self.kind == "yes_no":
            options = YES_NO_OPTIONS
        elif self.kind == "single_choice":
            options = [QuestionOption(value=f, label=kb.findings[f].label) for f in self.findings]
            options.append(QuestionOption(value="unknown", label="Not sure"))
        elif self.kind == "sex":
            options = [
                QuestionOption(value="female", label="Female"),
                QuestionOption(value="male", label="Male"),
                QuestionOption(value="unknown", label="Prefer not to say"),
            ]
        else:
            options = []
        return QuestionOut(
            id=self.id,
            text=self.text,
            help=self.help,
            why=why or self.why,
            type=self.kind,
            options=options,
        )


class QuestionBank:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.questions: dict[str, Question] = {
            "age": Question(
                "age",
                "number",
                "How old are you?",
                "In years.",
                "Some problems are much more common at certain ages.",
                (),
            ),
            "sex": Question(
                "sex",
                "sex",
                "What sex were you assigned at birth?",
                None,
                "Some problems, such as stress fractures, are more common in one sex.",
                (),
            ),
        }
        grouped: set[str] = set()
        for g in kb.choice_groups.values():
            qid = CHOICE_PREFIX + g.id
            self.questions[qid] = Question(
                qid, "single_choice", g.question, g.help, g.why, tuple(g.options)
            )
            grouped.update(g.options)
        for fid, q in kb.questions.items():
            self.questions[fid] = Question(
                fid, "yes_no", q.text, q.help, q.why, (fid,), tuple(q.only_after_any)
            )
        self.finding_ids = {fid for fid in kb.questions} | grouped

    def __contains__(self, qid: str) -> bool:
        return qid in self.questions

    def yes_no(self) -> list[Question]:
        return [q for q in self.questions.values() if q.kind == "yes_no"]

    def choices(self) -> list[Question]:
        return [q for q in self.questions.values() if q.kind == "single_choice"]

    def listing(self) -> list[QuestionOut]:
        return [q.out(self.kb) for q in self.questions.values()]
