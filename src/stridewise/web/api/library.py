"""JSON twins of the condition library and About pages: GET /api/v1/conditions,
GET /api/v1/conditions/{id} and GET /api/v1/about. Same facts as the HTML, as data."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from stridewise.web.deps import EngineDep
from stridewise.web.pages.about import about_facts
from stridewise.web.pages.library import condition_view, region_name
from stridewise.web.problems import ProblemError

router = APIRouter(tags=["library"])


@router.get("/conditions", summary="List the conditions in the library")
def list_conditions(engine: EngineDep) -> list[dict[str, Any]]:
    kb = engine.kb
    return [
        {
            "id": c.id,
            "name": c.name,
            "region": region_name(c.region),
            "triage": c.triage.value,
            "url": f"/conditions/{c.id}",
        }
        for c in sorted(kb.conditions.values(), key=lambda c: c.name)
    ]


@router.get("/conditions/{condition_id}", summary="One condition's library page, as data")
def get_condition(condition_id: str, engine: EngineDep) -> dict[str, Any]:
    kb = engine.kb
    c = kb.conditions.get(condition_id)
    if c is None:
        raise ProblemError(404, "Not found", f"No condition {condition_id!r}.", "not-found")
    view = condition_view(kb, c)
    return {
        "id": c.id,
        "name": c.name,
        "region": view["region"],
        "icd10cm": c.icd10cm,
        "summary": c.summary,
        "typical_symptoms": c.typical_symptoms,
        "advice": c.advice,
        "self_care": [
            {"id": m.id, "title": m.title, "summary": m.summary} for m in view["self_care"]
        ],
        "avoid": [m.id for m in view["avoid"]],
        "see_care_when": c.see_care_when,
        "providers": view["providers"],
        "return_to_running": c.return_to_running,
        "sources": [
            {
                "id": s.id,
                "title": s.title,
                "publisher": s.publisher,
                "url": str(s.url),
                "year": s.year,
            }
            for s in view["sources"]
        ],
    }


@router.get("/about", summary="How it works, measured accuracy, data sources, what is stored")
def get_about(engine: EngineDep) -> dict[str, Any]:
    """The About page's facts; ``metrics`` is null when no evaluation has been recorded."""
    return about_facts(engine.kb)
