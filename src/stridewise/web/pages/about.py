"""About and privacy (GET /about): how it works, the model and its measured accuracy, the data
sources and their licences, what is stored, and the disclaimer.

The facts are data (``stridewise.about``, also served as JSON at /api/v1/about); this page only
formats them for people: rates as percentages, set ids as labels. A missing or malformed metrics
file makes the page say that nothing was measured, rather than fail."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from stridewise.about import AboutFacts, MeasuredAccuracy, about_facts
from stridewise.web.deps import engine_of
from stridewise.web.pages.rendering import render

router = APIRouter(include_in_schema=False)


def percent(value: float) -> str:
    return f"{value * 100:.1f}%"


def metrics_rows(metrics: MeasuredAccuracy | None) -> dict[str, Any] | None:
    """The accuracy table: the date, and one row of display strings per evaluation set."""
    if metrics is None:
        return None
    rows = [
        {
            "set": m.label,
            "cases": m.cases,
            "top1": percent(m.top1),
            "top3": percent(m.top3),
            "triage_acceptable": percent(m.triage_acceptable),
            "under_triaged": m.under_triaged_emergency_or_urgent,
        }
        for m in metrics.sets
    ]
    return {"measured": metrics.measured, "kb_version": metrics.kb_version, "sets": rows}


def page_context(facts: AboutFacts) -> dict[str, Any]:
    return {
        "version": facts.version,
        "kb_version": facts.kb_version,
        "counts": facts.counts,
        "metrics": metrics_rows(facts.metrics),
        "data_sources": [s.model_dump() for s in facts.data_sources],
        "stored": facts.stored,
    }


@router.get("/about", response_class=HTMLResponse)
async def about_page(request: Request) -> HTMLResponse:
    facts = about_facts(engine_of(request).kb)
    return render(request, "about.html", "about", page_context(facts))
