"""The training knowledge in ``kb/data/training/``: load patterns and return-to-run plans,
validated by pydantic and cross-checked against the main knowledge base (every source cited
exists, every finding named exists, every condition maps to exactly one plan or to
"see a clinician first")."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from stridewise.kb.loader import KBError, KnowledgeBase, data_dir


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Evidence(StrEnum):
    """How strong the evidence linking a pattern to injury is."""

    strong = "strong"
    moderate = "moderate"
    weak = "weak"


class PatternInfo(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    evidence: Evidence
    finding: str
    params: dict[str, float]
    explain: str = Field(min_length=40)
    advice: str
    sources: list[str] = Field(min_length=1)


Share = Annotated[float, Field(gt=0, le=1.5)]


class WeekTemplate(_Strict):
    share: Share
    sessions: int = Field(ge=1, le=7)
    run_walk: tuple[int, int] | None = None
    note: str = ""


class PlanInfo(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    conditions: list[str] = Field(min_length=1)
    approach: str = Field(min_length=40)
    before_first_run: list[str] = Field(min_length=1)
    during_max: int = Field(ge=0, le=10)
    forward: str
    hold: str
    back: str
    stop_and_see: list[str] = Field(min_length=1)
    weeks: list[WeekTemplate] = Field(min_length=1, max_length=16)
    sources: list[str] = Field(min_length=1)


class ClinicianFirst(_Strict):
    conditions: list[str] = Field(min_length=1)
    reason: str = Field(min_length=20)
    sources: list[str] = Field(min_length=1)


class PlanDefaults(_Strict):
    run_minutes: int = Field(ge=5, le=300)
    runs_per_week: int = Field(ge=1, le=7)
    min_session_minutes: int = Field(ge=1, le=60)


class _PatternsFile(_Strict):
    version: int
    patterns: list[PatternInfo]


class _PlansFile(_Strict):
    version: int
    defaults: PlanDefaults
    plans: list[PlanInfo]
    clinician_first: list[ClinicianFirst]


class TrainingKnowledge(_Strict):
    patterns: dict[str, PatternInfo]
    plans: dict[str, PlanInfo]
    clinician_first: list[ClinicianFirst]
    defaults: PlanDefaults

    def plan_for(self, condition_id: str) -> PlanInfo | ClinicianFirst | None:
        for plan in self.plans.values():
            if condition_id in plan.conditions:
                return plan
        for group in self.clinician_first:
            if condition_id in group.conditions:
                return group
        return None


def _read(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise KBError(f"training/{path.name}: cannot read: {exc}") from exc


def load_training(kb: KnowledgeBase, root: Path | None = None) -> TrainingKnowledge:
    """Load and check the training knowledge. Raises KBError listing every problem."""
    root = root or data_dir() / "training"
    try:
        pf = _PatternsFile.model_validate(_read(root / "patterns.yaml"))
        rf = _PlansFile.model_validate(_read(root / "return_to_run.yaml"))
    except ValidationError as exc:
        raise KBError(f"training knowledge is malformed: {exc}") from exc
    tk = TrainingKnowledge(
        patterns={p.id: p for p in pf.patterns},
        plans={p.id: p for p in rf.plans},
        clinician_first=rf.clinician_first,
        defaults=rf.defaults,
    )
    problems = cross_check(tk, kb)
    if problems:
        raise KBError("training knowledge has problems:\n  " + "\n  ".join(problems))
    return tk


def cross_check(tk: TrainingKnowledge, kb: KnowledgeBase) -> list[str]:
    problems: list[str] = []
    for p in tk.patterns.values():
        if p.finding not in kb.findings:
            problems.append(f"pattern {p.id}: unknown finding {p.finding!r}")
        problems += [
            f"pattern {p.id}: unknown source {s!r}" for s in p.sources if s not in kb.sources
        ]
    seen: dict[str, str] = {}
    groups: list[tuple[str, list[str], list[str]]] = [
        (f"plan {p.id}", p.conditions, p.sources) for p in tk.plans.values()
    ] + [
        (f"clinician_first[{i}]", g.conditions, g.sources) for i, g in enumerate(tk.clinician_first)
    ]
    for where, conditions, sources in groups:
        problems += [f"{where}: unknown source {s!r}" for s in sources if s not in kb.sources]
        for c in conditions:
            if c not in kb.conditions:
                problems.append(f"{where}: unknown condition {c!r}")
            elif c in seen:
                problems.append(f"{where}: condition {c!r} is already in {seen[c]}")
            seen[c] = where
    missing = sorted(set(kb.conditions) - set(seen))
    if missing:
        problems.append(f"conditions with no plan and no clinician-first entry: {missing}")
    return problems
