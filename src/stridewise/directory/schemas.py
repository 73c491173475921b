"""Pydantic schemas of the directory search: what callers pass and what they get back.

The CLI, the JSON API and the web pages all call :func:`stridewise.directory.search.
search_providers` with a :class:`ProviderQuery` and render the :class:`ProviderPage`.
"""

from __future__ import annotations

import difflib
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from stridewise.directory.cms.facts_models import MedicareFacts
from stridewise.kb.next_best import condition_options


class SortOrder(StrEnum):
    """``best``: the ranking score (ties by distance); ``distance``: nearest first."""

    best = "best"
    distance = "distance"


class ProviderQuery(BaseModel):
    """A search. ``near`` is a ZIP, ZIP+4, "City, ST" or "lat,lon". Give at most one of
    ``type`` (our provider type id, e.g. ``podiatrist``) and ``taxonomy`` (a NUCC code)."""

    model_config = ConfigDict(extra="forbid")

    near: str = Field(min_length=1, max_length=100)
    type: str | None = None
    taxonomy: str | None = Field(default=None, pattern=r"^[0-9A-Za-z]{9}[Xx]$")
    radius_miles: float = Field(default=25.0, gt=0, le=250)
    q: str | None = Field(default=None, max_length=100, description="Name or text filter.")
    page: int = Field(default=1, ge=1, le=10_000)
    per_page: int = Field(default=20, ge=1, le=100)
    telehealth: bool = Field(default=False, description="Only providers offering telehealth.")
    accepting: bool = Field(
        default=False, description="Only verified profiles accepting new patients."
    )
    language: str | None = Field(
        default=None,
        min_length=2,
        max_length=40,
        pattern=r"^[^\W\d_]+(?:[ '-][^\W\d_]+)*$",
        description="Only verified profiles listing this language, e.g. Spanish.",
    )
    sports: bool = Field(default=False, description="Only providers with a sports focus.")
    sort: SortOrder = SortOrder.best
    condition: str | None = Field(
        default=None,
        max_length=60,
        description="The runner's likely condition (a condition id, e.g. plantar_fasciitis): "
        "when nothing matches within the radius, the next best provider types are chosen for it.",
    )

    @field_validator("condition")
    @classmethod
    def _known_condition(cls, value: str | None) -> str | None:
        if value is None:
            return None
        norm = value.strip().lower().replace("-", "_").replace(" ", "_")
        known = condition_options()
        if norm not in known:
            near = difflib.get_close_matches(norm, list(known), n=3, cutoff=0.6)
            hint = f"; did you mean {', '.join(near)}?" if near else ""
            raise ValueError(f"unknown condition {value!r}{hint}")
        return norm

    @model_validator(mode="after")
    def _one_filter(self) -> ProviderQuery:
        if self.type and self.taxonomy:
            raise ValueError("give either type or taxonomy, not both")
        return self


class TaxonomyInfo(BaseModel):
    code: str
    label: str
    primary: bool
    sports: bool


class Address(BaseModel):
    line1: str
    line2: str
    city: str
    state: str
    postal_code: str
    phone: str
    lat: float
    lon: float


class ProviderResult(BaseModel):
    """One ranked provider. ``why`` explains each part of ``score`` (see ranking)."""

    npi: str
    name: str
    credentials: str
    kind: Literal["individual", "organization"]
    address: Address
    phone: str
    distance_miles: float
    types: list[str]
    taxonomies: list[TaxonomyInfo]
    sports_focus: bool
    score: float
    why: list[str]


class NextBestType(BaseModel):
    """Another kind of provider for the same care, and how many are within the radius."""

    type: str
    name: str
    why: str
    total: int


class PlaceInfo(BaseModel):
    label: str
    lat: float
    lon: float
    kind: str


class ProviderPage(BaseModel):
    """A page of results in stable order (score, then distance, then NPI)."""

    place: PlaceInfo
    type: str | None
    taxonomy: str | None
    radius_miles: float
    total: int
    page: int
    per_page: int
    pages: int
    results: list[ProviderResult]
    sort: SortOrder = SortOrder.best
    #: When ``total`` is 0: the nearest matches beyond the radius (nearest first), and the
    #: next best provider types that have someone within it. Empty otherwise.
    nearest: list[ProviderResult] = Field(default_factory=list)
    next_best: list[NextBestType] = Field(default_factory=list)
    #: The condition ``next_best`` was chosen for (None: chosen by provider type).
    condition: str | None = None
    #: When ``total`` is 0 and nothing was found out to this many miles either.
    searched_miles: float | None = None


class ProviderDetail(BaseModel):
    """Everything the directory knows about one provider."""

    npi: str
    name: str
    credentials: str
    kind: Literal["individual", "organization"]
    address: Address
    other_locations: list[Address]
    types: list[str]
    taxonomies: list[TaxonomyInfo]
    sports_focus: bool
    completeness: float
    last_update: str
    #: What the public CMS (Medicare) files say; empty when they say nothing.
    medicare: MedicareFacts = Field(default_factory=MedicareFacts)
    #: With a place (and a type) asked: the distance and the ranking reasons, as in a search.
    distance_miles: float | None = None
    why: list[str] = Field(default_factory=list)
