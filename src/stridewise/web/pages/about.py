"""About and privacy (GET /about): how it works, the model and its measured accuracy, the data
sources and their licences, what is stored, and the disclaimer.

The accuracy figures come from ``triage/data/metrics.json`` (written by the evaluation run) when
it exists; its shape is not fixed, so it is flattened into labelled rows rather than assumed."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

import stridewise
from stridewise.kb.loader import get_kb
from stridewise.web.pages.rendering import render

router = APIRouter(include_in_schema=False)

MAX_METRIC_ROWS = 40  # a per-condition table belongs in the eval report, not on this page

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


def _label(key: str) -> str:
    return key.replace("_", " ").replace(".", " · ").strip().capitalize()


def _show(value: Any) -> str:
    if isinstance(value, float):
        return f"{value * 100:.1f}%" if 0 <= value <= 1 else f"{value:.3g}"
    return str(value)


def flatten_metrics(data: Any, prefix: str = "") -> list[tuple[str, str]]:
    """``{"top1": 0.8, "triage": {"sensitivity": 0.97}}`` -> labelled rows (nested keys joined).

    Fractions in [0, 1] are shown as percentages; lists are summarised by their length."""
    rows: list[tuple[str, str]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if isinstance(value, dict):
                rows.extend(flatten_metrics(value, name))
            elif isinstance(value, list):
                rows.append((_label(name), f"{len(value)} entries"))
            else:
                rows.append((_label(name), _show(value)))
    return rows[:MAX_METRIC_ROWS]


def load_metrics(path: Path | None = None) -> list[tuple[str, str]] | None:
    """The measured-accuracy rows, or None when no evaluation has been recorded (or it is
    unreadable: the page then says so instead of failing)."""
    path = path or metrics_path()
    try:
        return flatten_metrics(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return None


def about_facts() -> dict[str, Any]:
    """What the About page and its JSON twin report."""
    kb = get_kb()
    return {
        "version": stridewise.__version__,
        "kb_version": kb.version,
        "counts": kb.summary(),
        "metrics": load_metrics(),
        "data_sources": DATA_SOURCES,
        "stored": "Nothing you type, unless you choose to send a request to a provider.",
    }


@router.get("/about", response_class=HTMLResponse)
async def about_page(request: Request) -> HTMLResponse:
    return render(request, "about.html", "about", about_facts())
