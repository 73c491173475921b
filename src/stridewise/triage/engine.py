"""From a runner's words (and any answers) to a complete, typed result.

:class:`Analysis` is the engine's work on one request; ``Engine.assess`` shapes it into an
:class:`AssessmentResult`. The knowledge comes from the :class:`~stridewise.engine.Engine` passed
in, never from a global."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from stridewise.errors import UnknownAnswer
from stridewise.kb.implications import implied_by
from stridewise.kb.loader import KnowledgeBase
from stridewise.kb.models import TriageLevel
from stridewise.text.extract import Extraction
from stridewise.triage import plan
from stridewise.triage.model import DifferentialModel, Evidence, Scored
from stridewise.triage.schemas import (
    AnswerValue,
    AssessmentRequest,
    AssessmentResult,
    ConditionOut,
    EvidenceOut,
    FindingOut,
    Sex,
    TriageOut,
    Versions,
)
from stridewise.triage.urgency import HEADLINES, TriageDecision, decide
from stridewise.version import __version__

if TYPE_CHECKING:
    from stridewise.engine import Engine

MIN_CONDITIONS = 5
MAX_CONDITIONS = 8
MAX_EVIDENCE = 5
# A finding must move the odds by at least this much (log ratio) to be shown as evidence.
EVIDENCE_MIN = math.log(1.5)


class Evidenced:
    """The merged evidence for one assessment: text findings overridden by explicit answers."""

    def __init__(
        self, kb: KnowledgeBase, extraction: Extraction, answers: dict[str, AnswerValue]
    ) -> None:
        self.status: dict[str, tuple[str, float, str]] = {}
        for fid, ex in extraction.findings.items():
            self.status[fid] = (ex.status, ex.weight, "text")
        given: dict[str, str] = {f: v for f, v in answers.items() if v in ("present", "absent")}
        # An answer also settles what it implies, over anything the text suggested.
        implied = {f: v for f, (v, _) in implied_by(kb, given).items()}
        for fid, status in (given | implied).items():
            self.status[fid] = (status, 1.0, "answer")

    def evidence(self) -> list[Evidence]:
        return [Evidence(f, s == "present", w) for f, (s, w, _) in self.status.items()]

    def present(self) -> set[str]:
        return {f for f, (s, _, _) in self.status.items() if s == "present"}


class Analysis:
    """Everything the engine worked out for one request, before it is shaped for output.

    Raises :class:`~stridewise.errors.UnknownAnswer` for an answer id the KB lacks."""

    def __init__(self, engine: Engine, req: AssessmentRequest) -> None:
        kb = engine.kb
        unknown = [a for a in req.answers if a not in kb.findings]
        if unknown:
            raise UnknownAnswer(f"unknown finding id in answers: {', '.join(sorted(unknown))}")
        self.kb: KnowledgeBase = kb
        self.model: DifferentialModel = engine.model
        self.extraction: Extraction = engine.extract(req.text)
        ex = self.extraction
        self.age = req.age if req.age is not None else ex.age
        text_sex = ex.sex if ex.sex in ("female", "male") else None
        self.sex: Sex | None = req.sex or text_sex  # type: ignore[assignment]
        self.merged = Evidenced(kb, ex, dict(req.answers))
        self.ranked = self.model.score(self.merged.evidence(), age=self.age, sex=self.sex)
        self.decision = decide(kb, self.merged.present(), self.ranked, self.age)

    def result(self) -> AssessmentResult:
        return build_result(self.kb, self.merged, self.ranked, self.decision)

    # --- the public view: what the interview (or any other reader) may rely on -------------
    def known(self) -> dict[str, str]:
        """Every finding the text or the answers settled, as finding id -> present/absent."""
        return {fid: status for fid, (status, _, _) in self.merged.status.items()}

    def present(self) -> set[str]:
        """The findings settled as present."""
        return self.merged.present()

    @property
    def level(self) -> TriageLevel:
        """The triage level (red flags, then the differential)."""
        return self.decision.level

    @property
    def flag_level(self) -> TriageLevel:
        """The floor the red-flag rules alone set."""
        return self.decision.flag_level

    @property
    def sharpness(self) -> float:
        """How strongly one finding moves the posterior: the calibration's alpha / T."""
        cal = self.model.calibration
        return cal.alpha / cal.temperature

    def likelihood(self, condition: str, finding: str) -> float:
        """P(finding | condition) as the model uses it (listed, a child's, or the leak)."""
        return self.model.likelihood(
            self.kb.conditions[condition].findings, finding, self.kb.findings[finding].leak
        )


def build_result(
    kb: KnowledgeBase,
    merged: Evidenced,
    ranked: list[Scored],
    decision: TriageDecision,
) -> AssessmentResult:
    shown = [s for s in ranked[:MAX_CONDITIONS] if s.probability >= 0.01] or ranked[:1]
    shown = ranked[: max(MIN_CONDITIONS, len(shown))]
    care = plan.self_care(kb, ranked, decision)
    top = kb.conditions[ranked[0].condition]
    return AssessmentResult(
        triage=TriageOut(
            level=decision.level,
            reasons=decision.reasons,
            red_flags=decision.red_flags,
            headline=HEADLINES[decision.level],
        ),
        conditions=[_condition_out(kb, s) for s in shown],
        specialists=plan.specialists(kb, ranked, decision),
        findings=[
            FindingOut(id=f, status=s, text=kb.findings[f].label, source=src)
            for f, (s, _, src) in sorted(merged.status.items())
            if f in kb.findings
        ],
        self_care=care,
        tools=plan.tools(kb, care),
        lower_leg=plan.lower_leg(kb, care, decision),
        see_care_when=_see_care_when(kb, top.see_care_when, decision),
        return_to_running=top.return_to_running if decision.level < TriageLevel.emergency else None,
        versions=Versions(engine=__version__, kb=kb.version),
    )


def _condition_out(kb: KnowledgeBase, s: Scored) -> ConditionOut:
    cond = kb.conditions[s.condition]

    def phrase(fid: str, present: bool) -> EvidenceOut:
        label = kb.findings[fid].label
        return EvidenceOut(id=fid, text=label if present else f"No: {label[0].lower()}{label[1:]}")

    supporting = [
        phrase(c.finding, c.present) for c in s.contributions if c.log_ratio >= EVIDENCE_MIN
    ][:MAX_EVIDENCE]
    opposing = [
        phrase(c.finding, c.present) for c in s.contributions if c.log_ratio <= -EVIDENCE_MIN
    ][:MAX_EVIDENCE]
    return ConditionOut(
        id=cond.id,
        name=cond.name,
        probability=round(s.probability, 4),
        supporting=supporting,
        opposing=opposing,
        summary=cond.summary,
        url=f"/conditions/{cond.id}",
    )


def _see_care_when(kb: KnowledgeBase, specific: list[str], d: TriageDecision) -> list[str]:
    if d.level == TriageLevel.emergency:
        return [HEADLINES[TriageLevel.emergency]]
    return list(dict.fromkeys([*specific, *kb.general_advice]))
