"""The condition library: an index (GET /conditions) and one page per condition
(GET /conditions/{id}) with what it is, typical symptoms, self-care, when to see whom, and the
sources. The JSON twins are /api/v1/conditions and /api/v1/conditions/{id} (api/library.py)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from stridewise.kb.library import providers_of, region_name
from stridewise.kb.loader import KnowledgeBase
from stridewise.kb.models import Condition
from stridewise.web.deps import engine_of
from stridewise.web.pages.rendering import render

router = APIRouter(include_in_schema=False)


def condition_view(kb: KnowledgeBase, c: Condition) -> dict[str, Any]:
    """Everything the condition page shows, with ids resolved to the KB's words."""
    return {
        "c": c,
        "region": region_name(c.region),
        "self_care": [kb.self_care[i] for i in c.self_care if i in kb.self_care],
        "avoid": [kb.self_care[i] for i in c.avoid if i in kb.self_care],
        "providers": [p.model_dump() for p in providers_of(kb, c)],
        "sources": [kb.sources[s] for s in dict.fromkeys(c.sources) if s in kb.sources],
    }


@router.get("/conditions", response_class=HTMLResponse)
async def library_index(request: Request) -> HTMLResponse:
    kb = engine_of(request).kb
    groups: dict[str, list[Condition]] = {}
    for c in sorted(kb.conditions.values(), key=lambda c: c.name):
        groups.setdefault(region_name(c.region), []).append(c)
    return render(
        request,
        "library_index.html",
        "library",
        {"groups": sorted(groups.items()), "count": len(kb.conditions)},
    )


@router.get("/conditions/{condition_id}", response_class=HTMLResponse)
async def condition_page(request: Request, condition_id: str) -> HTMLResponse:
    kb = engine_of(request).kb
    c = kb.conditions.get(condition_id)
    if c is None:
        raise HTTPException(404, "No such condition")
    return render(request, "condition.html", "library", condition_view(kb, c))
