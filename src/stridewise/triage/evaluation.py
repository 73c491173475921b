"""Score the engine on a vignette set: top-1/top-3, triage, under-triage, Brier score and a
per-condition confusion summary. Used by ``stridewise eval`` and by calibration."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from stridewise.kb.models import TriageLevel
from stridewise.triage.schemas import AnswerValue, AssessmentRequest, AssessmentResult, Sex

if TYPE_CHECKING:
    from stridewise.engine import Engine


class Vignette(BaseModel):
    """One evaluation case, in the format of evals/vignettes_spec_sample.jsonl."""

    model_config = ConfigDict(extra="allow")

    id: str
    text: str
    age: int | None = None
    sex: Sex | None = None
    gold: str
    accept: list[str]
    triage: TriageLevel
    triage_accept: list[TriageLevel]
    findings: dict[str, AnswerValue] = Field(default_factory=dict)


def load_vignettes(path: Path) -> list[Vignette]:
    out = []
    for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if line.strip():
            try:
                out.append(Vignette.model_validate_json(line))
            except ValidationError as exc:  # one line: the first problem, without its URL
                err = exc.errors(include_url=False)[0]
                where = ".".join(str(p) for p in err["loc"])
                more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
                what = f"{where}: {err['msg']}" if where else err["msg"]
                raise ValueError(f"{path}:{n}: not a valid vignette: {what}{more}") from exc
    return out


@dataclass
class CaseResult:
    vignette: Vignette
    result: AssessmentResult
    questions: int = 0

    @property
    def ranked(self) -> list[str]:
        return [c.id for c in self.result.conditions]

    @property
    def top1(self) -> bool:
        return self.ranked[0] in self.vignette.accept

    @property
    def top3(self) -> bool:
        return any(c in self.vignette.accept for c in self.ranked[:3])

    @property
    def triage_exact(self) -> bool:
        return self.result.triage.level == self.vignette.triage

    @property
    def triage_ok(self) -> bool:
        return self.result.triage.level in self.vignette.triage_accept

    @property
    def under_triaged(self) -> bool:
        return all(self.result.triage.level < lvl for lvl in self.vignette.triage_accept)

    def brier(self) -> float:
        """Multi-class Brier score over the listed conditions (unlisted ones have p ~ 0)."""
        probs = {c.id: c.probability for c in self.result.conditions}
        gold = self.vignette.gold
        total = sum((p - (1.0 if cid == gold else 0.0)) ** 2 for cid, p in probs.items())
        if gold not in probs:
            total += 1.0
        return total


@dataclass
class Report:
    cases: list[CaseResult] = field(default_factory=list)

    def metrics(self) -> dict[str, Any]:
        n = len(self.cases) or 1
        serious = [
            c
            for c in self.cases
            if c.under_triaged and c.vignette.triage in (TriageLevel.emergency, TriageLevel.urgent)
        ]
        out: dict[str, Any] = {
            "cases": len(self.cases),
            "top1": sum(c.top1 for c in self.cases) / n,
            "top3": sum(c.top3 for c in self.cases) / n,
            "triage_exact": sum(c.triage_exact for c in self.cases) / n,
            "triage_acceptable": sum(c.triage_ok for c in self.cases) / n,
            "under_triaged": [c.vignette.id for c in self.cases if c.under_triaged],
            "under_triaged_emergency_or_urgent": [c.vignette.id for c in serious],
            "brier": sum(c.brier() for c in self.cases) / n,
        }
        # Over-alarm costs trust: the share of self-care cases the engine left at self-care.
        minor = [c for c in self.cases if c.vignette.triage == TriageLevel.self_care]
        if minor:
            kept = sum(c.result.triage.level == TriageLevel.self_care for c in minor)
            out["self_care_kept"] = kept / len(minor)
        if any(c.questions for c in self.cases):
            qs = sorted(c.questions for c in self.cases)
            out["questions_median"] = qs[len(qs) // 2]
            out["questions_p90"] = qs[min(len(qs) - 1, int(0.9 * len(qs)))]
        return out

    def confusion(self) -> dict[str, dict[str, Any]]:
        """Per gold condition: cases, top-1 hits and what it was mistaken for."""
        table: dict[str, dict[str, Any]] = defaultdict(
            lambda: {"cases": 0, "top1": 0, "confused_with": Counter()}
        )
        for c in self.cases:
            row = table[c.vignette.gold]
            row["cases"] += 1
            if c.top1:
                row["top1"] += 1
            else:
                row["confused_with"][c.ranked[0]] += 1
        return dict(sorted(table.items()))


Assessor = Callable[[Vignette], CaseResult]


def one_shot(engine: Engine) -> Assessor:
    """An assessor for :func:`evaluate`: the whole text at once, on ``engine``."""

    def run(v: Vignette) -> CaseResult:
        return CaseResult(v, engine.assess(AssessmentRequest(text=v.text, age=v.age, sex=v.sex)))

    return run


def evaluate(vignettes: Iterable[Vignette], assessor: Assessor) -> Report:
    return Report([assessor(v) for v in vignettes])


def report_json(report: Report) -> str:
    confusion = {
        k: {**v, "confused_with": dict(v["confused_with"])} for k, v in report.confusion().items()
    }
    return json.dumps({"metrics": report.metrics(), "confusion": confusion}, indent=2)
