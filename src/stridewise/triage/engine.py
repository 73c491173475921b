"""From a runner's words (and any answers) to a complete, typed result.

:class:`Analysis` is the engine's work on one request; ``Engine.assess`` shapes it into an
:class:`AssessmentResult`. The knowledge comes from the :class:`~stridewise.engine.Engine` passed
in, never from a global."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stridewise.errors import UnknownAnswer
from stridewise.kb.implications import implied_by
from stridewise.kb.loader import KnowledgeBase
from stridewise.kb.models import TriageLevel
from stridewise.text.extract import Extraction
from stridewise.triage.model import DifferentialModel, Evidence, Scored
from stridewise.triage.output import ResultParts, result_data, result_json
from stridewise.triage.schemas import AnswerValue, AssessmentRequest, AssessmentResult, Sex
from stridewise.triage.urgency import TriageDecision, decide

if TYPE_CHECKING:
    from stridewise.engine import Engine

_VALIDATE = AssessmentResult.__pydantic_validator__.validate_python


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
        self.parts: ResultParts = engine.parts
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
        return build_result(self.parts, self.merged, self.ranked, self.decision)

    def result_json(self) -> bytes:
        """The result as JSON, byte for byte ``result()``'s by its model's serializer, without
        building the models (for the HTTP route)."""
        return result_json(self.parts, self.merged, self.ranked, self.decision)

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
    parts: ResultParts,
    merged: Evidenced,
    ranked: list[Scored],
    decision: TriageDecision,
) -> AssessmentResult:
    """The typed result: the response's data (triage/output.py) validated once, in one call."""
    result: AssessmentResult = _VALIDATE(result_data(parts, merged, ranked, decision))
    return result
