"""Find care: providers of a type near a ZIP, a place or the runner's location, as a list with
distance and athlete focus plus a Leaflet map, a provider detail page, and switching type.

GET /care?type=&near=&radius=&page= renders the search (JSON twin: GET /api/v1/providers);
GET /care/providers/{npi} the detail (twin: GET /api/v1/providers/{npi}). The search itself is
the directory's ``search_providers``; this module only turns its answers and its errors
(unknown place, unknown type, empty directory) into words on the page, never an error page.

The detail page offers "Request an appointment" (``/providers/{npi}/request``, connect_runner)
only when connect would accept the request: the provider claimed the listing, the claim was
verified, and they accept new patients. Otherwise it says so and points to the phone number.
When the runner comes from a result page, app.js turns the link into a ``prefill=1`` POST of the
description they gave (kept in that browser tab's sessionStorage only), so the form is filled in.
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError
from sqlalchemy.orm import Session

from stridewise.connect import requests as connect_requests
from stridewise.connect.profiles import public_profiles
from stridewise.connect.schemas import SERVICE_LABELS, ProfileOut
from stridewise.db.engine import get_engine
from stridewise.directory import ranking
from stridewise.directory.cms import evidence as cms_evidence
from stridewise.directory.geocode import PlaceNotFound
from stridewise.directory.schemas import ProviderDetail, ProviderPage, ProviderQuery, SortOrder
from stridewise.directory.search import UnknownProviderType, get_provider, search_providers
from stridewise.directory.search.fallback import known_condition
from stridewise.kb.loader import KnowledgeBase
from stridewise.web.deps import engine_of
from stridewise.web.pages.rendering import render

router = APIRouter(include_in_schema=False)
log = logging.getLogger("stridewise.web")

RADII = (10, 25, 50, 100)
#: A language name as the directory's filter takes it (letters, spaces, hyphens, apostrophes).
LANGUAGE_RE = re.compile(r"[^\W\d_]{2,}(?:[ '-][^\W\d_]+)*")
DEFAULT_TYPE = "podiatrist"
# Types offered in the switcher first: the ones runners with foot and leg pain see most.
COMMON_TYPES = [
    "podiatrist",
    "sports_medicine_physician",
    "physical_therapist",
    "orthopedic_foot_ankle_surgeon",
    "athletic_trainer",
    "primary_care",
    "urgent_care",
    "emergency_department",
]


def _type_names(kb: KnowledgeBase) -> dict[str, str]:
    return {t.id: t.name for t in kb.provider_types.values()}


def request_status(session: Session, npi: str) -> str:
    """Whether the runner can request an appointment here: "open" (claimed, verified and
    accepting new patients), "full" (verified, not accepting) or "not_joined". Asks connect's
    own rule (``can_receive``), so the button never offers what the request form would refuse."""
    try:
        profile = connect_requests.can_receive(session, npi)
    except Exception as exc:  # e.g. a database without the connect tables: just no button
        log.error("connect lookup failed: %s", type(exc).__name__)
        session.rollback()
        return "not_joined"
    if profile is None:
        return "not_joined"
    return "open" if profile.accepting_new_patients else "full"


def _search(request: Request, query: ProviderQuery) -> tuple[ProviderPage | None, dict[str, Any]]:
    """Run the search; on a problem return None and what to tell the runner."""
    try:
        with Session(get_engine(request.app.state.settings)) as session:
            return search_providers(session, query), {}
    except PlaceNotFound as exc:  # the geocoder's own answer, as the JSON API gives it
        return None, {
            "field": "near",
            "message": f"{exc.reason} {exc.hint}".strip(),
            "suggestions": exc.suggestions[:5],
            "labels": exc.labels[:5],
            "suggestions_intro": exc.suggestions_intro,
        }
    except UnknownProviderType as exc:
        return None, {
            "field": "type",
            "message": "We do not know that kind of provider. Pick one from the list.",
            "suggestions": [],
            "type_suggestions": exc.suggestions[:5],
        }
    except Exception as exc:  # e.g. the directory was never imported on this server
        log.error("provider search failed: %s", type(exc).__name__)
        return None, {
            "field": "near",
            "message": "The provider directory is not available right now. Please try again "
            "later, or search for the provider type in your usual maps app.",
            "suggestions": [],
        }


def _flag(value: str) -> bool:
    return value in ("1", "on", "true")


def _filter_params(
    telehealth: str, accepting: str, sports: str, language: str, sort: str
) -> dict[str, str]:
    """The runner's filters as query parameters to carry in every link (only the set ones);
    anything malformed is dropped rather than refused, the page never errors on them."""
    out: dict[str, str] = {}
    for name, value in (("telehealth", telehealth), ("accepting", accepting), ("sports", sports)):
        if _flag(value):
            out[name] = "1"
    lang = language.strip()[:40]
    if lang and LANGUAGE_RE.fullmatch(lang):
        out["language"] = lang
    if sort in (o.value for o in SortOrder) and sort != SortOrder.best:
        out["sort"] = sort
    return out


#: The "show only" filters in the runner's words (the sort order filters nothing).
NARROWING = {
    "sports": "a sports or running focus",
    "telehealth": "telehealth",
    "accepting": "accepting new patients",
}


#: The parts of the ranking score in plain words, with the most points each can add.
SCORE_SCALE = [
    ("The kind of provider you searched for", ranking.FIT_PRIMARY),
    ("A sports or athlete focus", ranking.SPORTS_PRIMARY),
    ("How near they are", ranking.DISTANCE_MAX),
    ("A complete register record (phone, address, credentials, name)", ranking.COMPLETENESS_MAX),
    ("A verified Stridewise profile for runners", ranking.PROFILE_MAX),
    (
        "Medicare evidence: a sports specialty, patients treated for foot, ankle and leg "
        "problems, telehealth, Medicare assignment and a hospital",
        cms_evidence.MAX_POINTS,
    ),
]


def _narrowing(filters: dict[str, str]) -> list[str]:
    """The filters that leave providers out, in plain words, for "You asked for: ..."."""
    words = [label for key, label in NARROWING.items() if key in filters]
    if "language" in filters:
        words.append(f"speaks {filters['language']}")
    return words


def _condition(value: str) -> str | None:
    """The condition id a result page passed on (``condition=``), or None when it is missing
    or unknown: then the next best types are chosen by provider type, never an error."""
    norm = value.strip().lower()[:60]
    return norm if norm and known_condition(norm) else None


def _carry(filters: dict[str, str], condition: str | None) -> str:
    """The filters and the condition as "&k=v" query parameters, for every link onwards."""
    pairs = [*filters.items(), *([("condition", condition)] if condition else [])]
    return "".join(f"&{k}={quote(v)}" for k, v in pairs)


def _profiles(request: Request, npis: list[str]) -> dict[str, ProfileOut]:
    """Verified athlete profiles of the listed NPIs (none when connect is unavailable)."""
    if not npis:
        return {}
    try:
        with Session(get_engine(request.app.state.settings)) as session:
            return public_profiles(session, npis)
    except Exception as exc:  # e.g. a database without the connect tables: no profiles
        log.error("profile lookup failed: %s", type(exc).__name__)
        return {}


@router.get("/care", response_class=HTMLResponse)
def care_page(
    request: Request,
    near: str = "",
    type_: str = Query(DEFAULT_TYPE, alias="type"),
    radius: str = "25",
    page: str = "1",
    lat: str = "",
    lon: str = "",
    telehealth: str = "",
    accepting: str = "",
    sports: str = "",
    language: str = "",
    sort: str = "",
    condition: str = "",
) -> HTMLResponse:
    kb = engine_of(request).kb
    condition_id = _condition(condition)
    names = _type_names(kb)
    type_id = type_ if type_ in names else DEFAULT_TYPE
    radius_miles = int(radius) if radius.isdigit() and int(radius) in RADII else 25
    page_no = int(page) if page.isdigit() and 0 < int(page) < 1000 else 1
    near = near.strip()[:100]
    filters = _filter_params(telehealth, accepting, sports, language, sort)
    # "Use my location" sends lat/lon; the directory reads "lat,lon" as a place.
    if not near and lat and lon:
        near = f"{lat.strip()[:12]},{lon.strip()[:12]}"
    problem: dict[str, Any] = {}
    results: ProviderPage | None = None
    if type_ and type_ not in names:
        problem = {"field": "type", "message": "We do not know that kind of provider; showing "
                   f"{names[DEFAULT_TYPE].lower()}s instead.", "suggestions": []}  # fmt: skip
    if near:
        try:
            query = ProviderQuery(
                near=near,
                type=type_id,
                radius_miles=radius_miles,
                page=page_no,
                telehealth="telehealth" in filters,
                accepting="accepting" in filters,
                sports="sports" in filters,
                language=filters.get("language"),
                sort=SortOrder(filters.get("sort", SortOrder.best)),
                condition=condition_id,
            )
        except ValidationError:
            problem = {"field": "near", "message": "Please type a ZIP code or a city and state.",
                       "suggestions": []}  # fmt: skip
        else:
            results, search_problem = _search(request, query)
            problem = search_problem or problem
    listed = [p.npi for p in results.results + results.nearest] if results else []
    settings = request.app.state.settings
    return render(
        request,
        "care.html",
        "care",
        {
            "near": near,
            "type_id": type_id,
            "type_name": names[type_id],
            "type_description": kb.provider_types[type_id].description,
            "names": names,
            "common_types": [t for t in COMMON_TYPES if t in names],
            "other_types": sorted(
                (t for t in names if t not in COMMON_TYPES), key=lambda t: names[t]
            ),
            "radius": radius_miles,
            "radii": RADII,
            "results": results,
            "profiles": _profiles(request, listed),
            "service_labels": SERVICE_LABELS,
            "filters": filters,
            "filter_qs": _carry(filters, condition_id),
            "narrowing": _narrowing(filters),
            "score_scale": SCORE_SCALE,
            "plain_qs": _carry({k: v for k, v in filters.items() if k == "sort"}, condition_id),
            "condition_id": condition_id,
            "condition_name": (
                kb.conditions[condition_id].name if condition_id in kb.conditions else ""
            ),
            "problem": problem,
            "tile_url": settings.map_tile_url,
            "tile_attribution": settings.map_tile_attribution,
        },
    )


@router.get("/care/providers/{npi}", response_class=HTMLResponse)
def provider_page(
    request: Request,
    npi: str,
    type_: str = Query("", alias="type"),
    near: str = "",
    radius: str = "25",
    telehealth: str = "",
    accepting: str = "",
    sports: str = "",
    language: str = "",
    sort: str = "",
    condition: str = "",
) -> HTMLResponse:
    if not (npi.isdigit() and len(npi) == 10):
        raise HTTPException(404, "No such provider")
    names = _type_names(engine_of(request).kb)
    type_id = type_ if type_ in names else None
    near = near.strip()[:100]
    radius_miles = int(radius) if radius.isdigit() and int(radius) in RADII else 25
    try:
        with Session(get_engine(request.app.state.settings)) as session:
            try:
                detail: ProviderDetail | None = get_provider(
                    session, npi, type_id=type_id, near=near or None, radius_miles=radius_miles
                )
            except (PlaceNotFound, UnknownProviderType):  # explain nothing, show the listing
                detail = get_provider(session, npi)
            booking = request_status(session, npi) if detail is not None else "not_joined"
    except Exception as exc:
        log.error("provider lookup failed: %s", type(exc).__name__)
        detail = None
    if detail is None:
        raise HTTPException(404, "No such provider")
    return render(
        request,
        "provider.html",
        "provider",
        {
            "p": detail,
            "profile": _profiles(request, [npi]).get(npi),
            "service_labels": SERVICE_LABELS,
            "type_names": [names.get(t, t) for t in detail.types],
            "score_scale": SCORE_SCALE,
            "back_type": type_id or "",
            # The way back keeps the runner's filters, sort and condition.
            "back_qs": _carry(
                _filter_params(telehealth, accepting, sports, language, sort), _condition(condition)
            ),
            "near": near,
            "radius": radius_miles,
            "booking": booking,
            "phones": list(
                dict.fromkeys(a.phone for a in [detail.address, *detail.other_locations] if a.phone)
            ),
        },
    )
