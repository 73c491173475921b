"""About and privacy (GET /about): how it works, the model and its measured accuracy, the data
sources and their licences, what is stored, and the disclaimer.

The accuracy figures come from ``triage/data/metrics.json`` (written by ``scripts/calibrate.py``):
one row per evaluation set. A missing or malformed file makes the page say that nothing was
measured, rather than fail."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

from stridewise.kb.loader import KnowledgeBase
from stridewise.version import __version__
from stridewise.web.deps import engine_of
from stridewise.web.pages.rendering import render

router = APIRouter(include_in_schema=False)

SET_LABELS = {
    "development": "Development",
    "holdout": "Held-out",
    "fresh": "Blind 1",
    "fresh2": "Blind 2",
    "fresh3": "Blind 3",
    "fresh4": "Blind 4",
    "fresh5": "Blind 5",
    "spec_sample": "Spec sample",
}


class SetMetrics(BaseModel):
    """One evaluation set's one-shot figures, as scripts/calibrate.py writes them."""

    cases: int
    top1: float
    top3: float
    triage_exact: float
    triage_acceptable: float
    brier: float
    under_triaged_emergency_or_urgent: int


class Metrics(BaseModel):
    measured: str
    kb_version: str
    sets: dict[str, SetMetrics]


DATA_SOURCES = [
    {
        "name": "Stridewise knowledge base",
        "what": "Conditions, findings, red flags, self-care and tools, written from the cited "
        "public clinical sources listed on each condition page.",
        "licence": "Apache-2.0 (the project's licence)",
    },
    {
        "name": "NPPES National Plan and Provider Enumeration System (CMS)",
        "what": "The public US register of healthcare providers, for the provider directory.",
        "licence": "US government public data",
    },
    {
        "name": "NUCC Health Care Provider Taxonomy",
        "what": "The codes that say what kind of provider someone is.",
        "licence": "Free to use under the NUCC's terms",
    },
    {
        "name": "zipcodes (Python package)",
        "what": "ZIP code centroids, to find providers near a ZIP without any online service.",
        "licence": "MIT",
    },
    {
        "name": "htmx 2 and Leaflet 1.9.4",
        "what": "Small scripts for the interview and the map, served from this site.",
        "licence": "0BSD (htmx), BSD-2-Clause (Leaflet)",
    },
    {
        "name": "Swagger UI 5",
        "what": "The interactive API documentation at /docs, served from this site.",
        "licence": "Apache-2.0",
    },
]


def metrics_path() -> Path:
    return Path(str(resources.files("stridewise.triage") / "data" / "metrics.json"))


def _percent(value: float) -> str:
    return f"{value * 100:.1f}%"


def load_metrics(path: Path | None = None) -> dict[str, Any] | None:
    """The measured accuracy: the date, and one row of display strings per evaluation set. None
    when nothing was recorded or the file is unreadable (the page then says so)."""
    path = path or metrics_path()
    try:
        data = Metrics.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    rows = [
        {
            "set": SET_LABELS.get(name, name.replace("_", " ").capitalize()),
            "cases": m.cases,
            "top1": _percent(m.top1),
            "top3": _percent(m.top3),
            "triage_acceptable": _percent(m.triage_acceptable),
            "under_triaged": m.under_triaged_emergency_or_urgent,
        }
        for name, m in data.sets.items()
    ]
    return {"measured": data.measured, "kb_version": data.kb_version, "sets": rows}


def about_facts(kb: KnowledgeBase) -> dict[str, Any]:
    """What the About page and its JSON twin report."""
    return {
        "version": __version__,
        "kb_version": kb.version,
        "counts": kb.summary(),
        "metrics": load_metrics(),
        "data_sources": DATA_SOURCES,
        "stored": "Nothing you type, unless you choose to send a request to a provider.",
    }


@router.get("/about", response_class=HTMLResponse)
async def about_page(request: Request) -> HTMLResponse:
    return render(request, "about.html", "about", about_facts(engine_of(request).kb))
