"""What Stridewise says about itself, as typed data: the versions, the knowledge base's counts,
the measured accuracy, the data sources and what is stored.

The JSON API (``GET /api/v1/about``) returns :class:`AboutFacts` as it is; the About page formats
the same numbers for people (``web/pages/about.py``). The accuracy comes from
``triage/data/metrics.json`` (written by ``scripts/calibrate.py``); a missing or malformed file
gives ``metrics = None`` rather than an error."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from pydantic import BaseModel, Field

from stridewise.kb.loader import KnowledgeBase
from stridewise.version import __version__

SET_LABELS = {
    "development": "Development",
    "holdout": "Held-out",
    "fresh": "Blind 1",
    "fresh2": "Blind 2",
    "fresh3": "Blind 3",
    "fresh4": "Blind 4",
    "fresh5": "Blind 5",
    "fresh6": "Blind 6",
    "spec_sample": "Spec sample",
}
STORED = "Nothing you type, unless you choose to send a request to a provider."


class SetMetrics(BaseModel):
    """One evaluation set's one-shot figures, as scripts/calibrate.py writes them. Rates are
    fractions from 0 to 1."""

    cases: int
    top1: float
    top3: float
    triage_exact: float
    triage_acceptable: float
    brier: float
    under_triaged_emergency_or_urgent: int


class Metrics(BaseModel):
    """The file: when it was measured, on which KB, and the figures per set id."""

    measured: str
    kb_version: str
    sets: dict[str, SetMetrics]


class SetResult(SetMetrics):
    """One set's figures with its id and its human label."""

    id: str
    label: str


class MeasuredAccuracy(BaseModel):
    measured: str = Field(description="ISO date of the measurement.")
    kb_version: str
    sets: list[SetResult]


class DataSource(BaseModel):
    name: str
    what: str
    licence: str


class AboutFacts(BaseModel):
    version: str
    kb_version: str
    counts: dict[str, int]
    metrics: MeasuredAccuracy | None = Field(
        description="Null when no evaluation has been recorded."
    )
    data_sources: list[DataSource]
    stored: str


DATA_SOURCES = [
    DataSource(
        name="Stridewise knowledge base",
        what="Conditions, findings, red flags, self-care and tools, written from the cited "
        "public clinical sources listed on each condition page.",
        licence="Apache-2.0 (the project's licence)",
    ),
    DataSource(
        name="NPPES National Plan and Provider Enumeration System (CMS)",
        what="The public US register of healthcare providers, for the provider directory.",
        licence="US government public data",
    ),
    DataSource(
        name="NUCC Health Care Provider Taxonomy",
        what="The codes that say what kind of provider someone is.",
        licence="Free to use under the NUCC's terms",
    ),
    DataSource(
        name="zipcodes (Python package)",
        what="ZIP code centroids, to find providers near a ZIP without any online service.",
        licence="MIT",
    ),
    DataSource(
        name="htmx 2 and Leaflet 1.9.4",
        what="Small scripts for the interview and the map, served from this site.",
        licence="0BSD (htmx), BSD-2-Clause (Leaflet)",
    ),
    DataSource(
        name="Swagger UI 5",
        what="The interactive API documentation at /docs, served from this site.",
        licence="Apache-2.0",
    ),
]


def metrics_path() -> Path:
    return Path(str(resources.files("stridewise.triage") / "data" / "metrics.json"))


def set_label(set_id: str) -> str:
    return SET_LABELS.get(set_id, set_id.replace("_", " ").capitalize())


def load_metrics(path: Path | None = None) -> MeasuredAccuracy | None:
    """The measured accuracy, one entry per evaluation set in the file's order; None when
    nothing was recorded or the file is unreadable."""
    path = path or metrics_path()
    try:
        data = Metrics.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return MeasuredAccuracy(
        measured=data.measured,
        kb_version=data.kb_version,
        sets=[
            SetResult(id=name, label=set_label(name), **m.model_dump())
            for name, m in data.sets.items()
        ],
    )


def about_facts(kb: KnowledgeBase) -> AboutFacts:
    """What the About page and its JSON twin report."""
    return AboutFacts(
        version=__version__,
        kb_version=kb.version,
        counts=kb.summary(),
        metrics=load_metrics(),
        data_sources=DATA_SOURCES,
        stored=STORED,
    )


__all__ = ["AboutFacts", "MeasuredAccuracy", "SetResult", "about_facts", "load_metrics"]
