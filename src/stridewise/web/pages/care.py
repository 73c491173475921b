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
from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError
from sqlalchemy.orm import Session

from stridewise.connect import requests as connect_requests
from stridewise.db.engine import get_engine
from stridewise.directory.geocode import PlaceNotFound
from stridewise.directory.schemas import ProviderDetail, ProviderPage, ProviderQuery
from stridewise.directory.search import UnknownProviderType, get_provider, search_providers
from stridewise.kb.loader import KnowledgeBase
from stridewise.web.deps import engine_of
from stridewise.web.pages.rendering import render

router = APIRouter(include_in_schema=False)
log = logging.getLogger("stridewise.web")

RADII = (10, 25, 50, 100)
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
    except PlaceNotFound as exc:
        return None, {
            "field": "near",
            "message": f"We could not find \u201c{query.near}\u201d. Try a 5-digit ZIP code "
            "such as 97201, or a city and state such as \u201cPortland, OR\u201d.",
            "suggestions": exc.suggestions[:5],
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


@router.get("/care", response_class=HTMLResponse)
async def care_page(
    request: Request,
    near: str = "",
    type_: str = Query(DEFAULT_TYPE, alias="type"),
    radius: str = "25",
    page: str = "1",
    lat: str = "",
    lon: str = "",
) -> HTMLResponse:
    kb = engine_of(request).kb
    names = _type_names(kb)
    type_id = type_ if type_ in names else DEFAULT_TYPE
    radius_miles = int(radius) if radius.isdigit() and int(radius) in RADII else 25
    page_no = int(page) if page.isdigit() and 0 < int(page) < 1000 else 1
    near = near.strip()[:100]
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
            query = ProviderQuery(near=near, type=type_id, radius_miles=radius_miles, page=page_no)
        except ValidationError:
            problem = {"field": "near", "message": "Please type a ZIP code or a city and state.",
                       "suggestions": []}  # fmt: skip
        else:
            results, search_problem = _search(request, query)
            problem = search_problem or problem
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
            "problem": problem,
            "tile_url": settings.map_tile_url,
            "tile_attribution": settings.map_tile_attribution,
        },
    )


@router.get("/care/providers/{npi}", response_class=HTMLResponse)
async def provider_page(
    request: Request, npi: str, type_: str = Query("", alias="type"), near: str = ""
) -> HTMLResponse:
    if not (npi.isdigit() and len(npi) == 10):
        raise HTTPException(404, "No such provider")
    try:
        with Session(get_engine(request.app.state.settings)) as session:
            detail: ProviderDetail | None = get_provider(session, npi)
            booking = request_status(session, npi) if detail is not None else "not_joined"
    except Exception as exc:
        log.error("provider lookup failed: %s", type(exc).__name__)
        detail = None
    if detail is None:
        raise HTTPException(404, "No such provider")
    names = _type_names(engine_of(request).kb)
    return render(
        request,
        "provider.html",
        "provider",
        {
            "p": detail,
            "type_names": [names.get(t, t) for t in detail.types],
            "back_type": type_ if type_ in names else "",
            "near": near[:100],
            "booking": booking,
            "phones": list(
                dict.fromkeys(a.phone for a in [detail.address, *detail.other_locations] if a.phone)
            ),
        },
    )
