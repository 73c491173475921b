"""The assessment summary a runner may choose to share with a provider.

The server recomputes it from what the runner described (never trusting a summary sent by a
client) and stores this snapshot with the request, so the provider sees what the runner saw even
after the engine or knowledge base changes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from stridewise.triage.schemas import AssessmentRequest, AssessmentResult

if TYPE_CHECKING:
    from stridewise.engine import Engine

TOP_CONDITIONS = 5


def summary_from_result(request: AssessmentRequest, result: AssessmentResult) -> dict[str, Any]:
    """A compact, JSON-ready snapshot: the runner's words, triage, likely conditions and
    findings, and the engine and knowledge-base versions that produced them."""
    data = result.model_dump(mode="json")
    return {
        "runner_words": request.text,
        "age": request.age,
        "sex": request.sex,
        "triage": {
            "level": data["triage"]["level"],
            "headline": data["triage"]["headline"],
            "reasons": data["triage"]["reasons"],
        },
        "conditions": [
            {"name": c["name"], "probability": round(float(c["probability"]), 3)}
            for c in data["conditions"][:TOP_CONDITIONS]
        ],
        "findings": [{"text": f["text"], "status": f["status"]} for f in data["findings"]],
        "specialists": [s["name"] for s in data["specialists"]],
        "versions": data["versions"],
    }


def build_summary(engine: Engine, request: AssessmentRequest) -> dict[str, Any]:
    """Run the engine on what the runner described and snapshot the result."""
    return summary_from_result(request, engine.assess(request))
