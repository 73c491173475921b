"""Load the knowledge base from a directory (the package data by default), validate it and check
every cross-reference. The engine (``stridewise.engine``) loads it once and passes it down."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from stridewise.errors import KnowledgeError
from stridewise.kb import next_best
from stridewise.kb.models import (
    ChoiceGroup,
    Condition,
    Finding,
    LowerLegArea,
    ProviderType,
    RedFlagRule,
    SafetyQuestion,
    SelfCareModule,
    Source,
    Tool,
)
from stridewise.kb.yaml_reader import load_yaml


class KBError(KnowledgeError):
    """The knowledge base is malformed or inconsistent. The message lists every problem found."""


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str = Field(min_length=5)
    help: str | None = None
    why: str = Field(min_length=5)
    only_after_any: list[str] = Field(
        default_factory=list,
        description="A follow-up: asked only once one of these findings is present (the details "
        "of an injury only after an injury). Empty: it may be asked at any time.",
    )


class _FindingsFile(BaseModel):
    version: int
    findings: list[Finding]
    choice_groups: list[ChoiceGroup]


@dataclass(frozen=True)
class KnowledgeBase:
    version: str
    sources: dict[str, Source]
    findings: dict[str, Finding]
    choice_groups: dict[str, ChoiceGroup]
    conditions: dict[str, Condition]
    self_care: dict[str, SelfCareModule]
    tools: dict[str, Tool]
    lower_leg: dict[str, LowerLegArea]
    red_flags: list[RedFlagRule]
    safety_questions: list[SafetyQuestion]
    provider_types: dict[str, ProviderType]
    questions: dict[str, Question]
    general_advice: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        return {
            "conditions": len(self.conditions),
            "findings": len(self.findings),
            "questions": len(self.questions) + len(self.choice_groups),
            "red_flag_rules": len(self.red_flags),
            "self_care_modules": len(self.self_care),
            "tools": len(self.tools),
            "lower_leg_areas": len(self.lower_leg),
            "provider_types": len(self.provider_types),
            "sources": len(self.sources),
        }


def data_dir() -> Path:
    return Path(str(resources.files("stridewise.kb") / "data"))


def _read(path: Path) -> Any:
    try:
        return load_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise KBError(f"{path.name}: missing from {path.parent}") from exc
    except yaml.YAMLError as exc:
        raise KBError(f"{path.name}: not valid YAML: {exc}") from exc


def _validate(model: type[BaseModel], raw: Any, where: str, problems: list[str]) -> Any:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"])
            problems.append(f"{where}: {loc}: {err['msg']}")
        return None


def load_kb(root: Path | None = None) -> KnowledgeBase:
    """Load and validate the KB under ``root`` (the packaged data by default).

    Raises KBError listing every problem, not just the first."""
    root = root or data_dir()
    problems: list[str] = []

    manifest = _read(root / "manifest.yaml")
    sources: dict[str, Source] = {}
    # One file per author/topic under sources/, so parallel edits do not collide.
    for path in sorted((root / "sources").glob("*.yaml")):
        for r in _read(path)["sources"]:
            src = _validate(Source, r, f"sources/{path.name}[{r.get('id')}]", problems)
            if not src:
                continue
            if src.id in sources and sources[src.id].url != src.url:
                problems.append(f"sources/{path.name}: id {src.id!r} is defined twice")
            sources[src.id] = src

    ff = _validate(_FindingsFile, _read(root / "findings.yaml"), "findings.yaml", problems)
    findings: dict[str, Finding] = {f.id: f for f in ff.findings} if ff else {}
    choice_groups = {g.id: g for g in ff.choice_groups} if ff else {}

    conditions: dict[str, Condition] = {}
    for path in sorted((root / "conditions").glob("*.yaml")):
        cond = _validate(Condition, _read(path), f"conditions/{path.name}", problems)
        if cond:
            if cond.id != path.stem:
                problems.append(
                    f"conditions/{path.name}: id {cond.id!r} does not match the file name"
                )
            conditions[cond.id] = cond

    def _many(model: type[BaseModel], name: str, key: str) -> dict[str, Any]:
        raw = _read(root / name)[key]
        out = {}
        for r in raw:
            item = _validate(model, r, f"{name}[{r.get('id')}]", problems)
            if item:
                out[item.id] = item
        return out

    self_care = _many(SelfCareModule, "self_care.yaml", "modules")
    tools = _many(Tool, "tools.yaml", "tools")
    lower_leg = _many(LowerLegArea, "lower_leg.yaml", "areas")
    provider_types = _many(ProviderType, "provider_types.yaml", "provider_types")
    rf_raw = _read(root / "red_flags.yaml")
    # red_flags.yaml first, then red_flags_*.yaml (one file per group of rules), in name order.
    rule_files = [("red_flags.yaml", rf_raw)] + [
        (path.name, _read(path)) for path in sorted(root.glob("red_flags_*.yaml"))
    ]
    red_flags = [
        r
        for name, raw_file in rule_files
        for r in (
            _validate(RedFlagRule, raw, f"{name}[{raw.get('id')}]", problems)
            for raw in raw_file.get("rules") or []
        )
        if r
    ]
    seen_rules: set[str] = set()
    for rule in red_flags:
        if rule.id in seen_rules:
            problems.append(f"red flag {rule.id!r} is defined twice")
        seen_rules.add(rule.id)
    safety_questions = [
        q
        for i, raw in enumerate(rf_raw.get("safety_questions") or [])
        if (q := _validate(SafetyQuestion, raw, f"safety_questions[{i}]", problems))
    ]
    q_raw = _read(root / "questions.yaml")
    questions = {
        fid: q
        for fid, raw in (q_raw.get("questions") or {}).items()
        if (q := _validate(Question, raw, f"questions[{fid}]", problems))
    }

    kb = KnowledgeBase(
        version=str(manifest["kb_version"]),
        sources=sources,
        findings=findings,
        choice_groups=choice_groups,
        conditions=conditions,
        self_care=self_care,
        tools=tools,
        lower_leg=lower_leg,
        red_flags=red_flags,
        safety_questions=safety_questions,
        provider_types=provider_types,
        questions=questions,
        general_advice=list(manifest.get("general_advice", [])),
    )
    problems.extend(cross_check(kb))
    # The next best provider types per condition (read by the directory, checked here).
    try:
        table = next_best.read_file(root / next_best.FILE_NAME)
    except KnowledgeError as exc:
        problems.append(str(exc))
    else:
        problems.extend(next_best.check(table, conditions, provider_types, sources))
    if problems:
        listing = "\n  ".join(problems)
        raise KBError(f"knowledge base has {len(problems)} problem(s):\n  {listing}")
    return kb


def cross_check(kb: KnowledgeBase) -> list[str]:
    """Every id the KB mentions must exist; every cited source must be listed."""
    problems: list[str] = []

    def need(kind: str, ids: list[str], table: dict[str, Any], where: str) -> None:
        for i in ids:
            if i not in table:
                problems.append(f"{where}: unknown {kind} {i!r}")

    for f in kb.findings.values():
        if f.parent:
            need("finding", [f.parent], kb.findings, f"finding {f.id}.parent")
        need("finding", f.implies, kb.findings, f"finding {f.id}.implies")
        need("finding", f.absent_implies, kb.findings, f"finding {f.id}.absent_implies")
    for g in kb.choice_groups.values():
        need("finding", g.options, kb.findings, f"choice group {g.id}")
    for c in kb.conditions.values():
        where = f"condition {c.id}"
        need("finding", list(c.findings), kb.findings, where)
        need("source", c.sources + c.prior_sources, kb.sources, where)
        need("self-care module", c.self_care + c.avoid, kb.self_care, where)
        need("provider type", [p.id for p in c.providers], kb.provider_types, where)
        for rule in c.urgency_rules:
            need("finding", rule.all_of + rule.any_of, kb.findings, f"{where} urgency rule")
    for m in kb.self_care.values():
        need("source", m.sources, kb.sources, f"self-care {m.id}")
        need("tool", m.tools, kb.tools, f"self-care {m.id}")
    for t in kb.tools.values():
        need("source", t.sources, kb.sources, f"tool {t.id}")
    for a in kb.lower_leg.values():
        need("source", a.sources, kb.sources, f"lower-leg area {a.id}")
        need("self-care module", a.self_care, kb.self_care, f"lower-leg area {a.id}")
    for r in kb.red_flags:
        need(
            "finding", r.all_of + r.any_of + r.any_of_2 + r.none_of, kb.findings, f"red flag {r.id}"
        )
        need("source", r.sources, kb.sources, f"red flag {r.id}")
    for sq in kb.safety_questions:
        need("finding", [sq.finding, *sq.when_any], kb.findings, f"safety question {sq.finding}")
        need("source", sq.sources, kb.sources, f"safety question {sq.finding}")
        if sq.finding not in kb.questions:
            problems.append(f"safety question {sq.finding}: has no question in questions.yaml")
    need("finding", list(kb.questions), kb.findings, "questions.yaml")
    for fid, q in kb.questions.items():
        need("finding", q.only_after_any, kb.findings, f"question {fid}")
    return problems
