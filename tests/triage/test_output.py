"""The result is assembled from parts laid out once per knowledge base (triage/output.py): the
typed result, its JSON and the HTTP route's bytes must agree, no result may share a mutable
object with another, and the shortcuts in scoring and triage must change nothing."""

from __future__ import annotations

import json
import random
from pathlib import Path

from stridewise.engine import Engine
from stridewise.triage.schemas import AssessmentRequest, AssessmentResult
from stridewise.triage.urgency import decide, rule_fires

EVALS = Path(__file__).resolve().parents[2] / "evals"
SERIALIZE = AssessmentResult.__pydantic_serializer__


def _requests(limit: int = 60) -> list[AssessmentRequest]:
    out = []
    lines = (EVALS / "vignettes_fresh8.jsonl").read_text("utf-8").splitlines()[:limit]
    for n, line in enumerate(lines):
        v = json.loads(line)
        # Every other one with the annotations as answers, so answer-sourced findings show.
        answers = v.get("findings", {}) if n % 2 else {}
        out.append(
            AssessmentRequest(text=v["text"], age=v.get("age"), sex=v.get("sex"), answers=answers)
        )
    return out


def test_route_json_is_the_typed_results_json(engine: Engine) -> None:
    levels = set()
    for req in _requests():
        analysis = engine.analyse(req)
        typed = analysis.result()
        levels.add(typed.triage.level)
        assert analysis.result_json() == SERIALIZE.to_json(typed, by_alias=True)
        assert analysis.result_json() == engine.assess(req).model_dump_json().encode()
    assert len(levels) >= 3  # the sample reaches several branches of the plan


def test_results_share_no_mutable_object(engine: Engine) -> None:
    req = _requests(1)[0]
    first, second = engine.assess(req), engine.assess(req)
    assert first == second
    first.self_care[0].steps.append("changed")
    first.conditions[0].supporting.clear()
    first.see_care_when.append("changed")
    first.triage.reasons.append("changed")
    assert engine.assess(req) == second


def test_red_flag_index_fires_the_rules_a_full_scan_fires(engine: Engine) -> None:
    kb = engine.kb
    ranked = engine.model.score([])
    flag_findings = sorted({f for r in kb.red_flags for f in (*r.all_of, *r.any_of, *r.any_of_2)})
    others = sorted(kb.findings)
    rng = random.Random(11)
    fired_any = 0
    for _ in range(400):
        present = set(rng.sample(flag_findings, rng.randint(0, 6)))
        present |= set(rng.sample(others, rng.randint(0, 4)))
        age = rng.choice((None, 12, 30, 55, 75))
        want = [r.id for r in kb.red_flags if rule_fires(r, present, age)]
        got = decide(kb, present, ranked, age).red_flags
        assert sorted(got) == sorted(want)
        fired_any += bool(want)
    assert fired_any > 50
