"""Provider directory API: ``GET /api/v1/providers`` (search) and ``GET /api/v1/providers/{npi}``.

Thin: parameters become a :class:`ProviderQuery` and the library's ``search_providers`` does the
work. Bad input is a 4xx problem+json whose ``detail`` says what to change; an unknown place or
type also carries ``suggestions``.

Both routes declare their typed response model (OpenAPI, schemathesis) but return the JSON made
by the model's own serializer in one pass, inside the route's thread: FastAPI would otherwise
validate the freshly built page again in a second thread hop and then serialize it.
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Request, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from stridewise.db.engine import get_engine
from stridewise.directory.geocode import KM_PER_MILE, PlaceNotFound
from stridewise.directory.schemas import ProviderDetail, ProviderPage, ProviderQuery, SortOrder
from stridewise.directory.search import UnknownProviderType, get_provider, search_providers
from stridewise.settings import Settings
from stridewise.web.cpu import run_directory_work
from stridewise.web.problems import ProblemError

router = APIRouter(tags=["providers"])

_PAGE_JSON = ProviderPage.__pydantic_serializer__
_DETAIL_JSON = ProviderDetail.__pydantic_serializer__


def _search_json(settings: Settings, query: ProviderQuery) -> bytes:
    """The page of results for ``query`` as JSON (runs in a worker thread)."""
    with Session(get_engine(settings)) as session:
        return _PAGE_JSON.to_json(search_providers(session, query), by_alias=True)


def _json(content: bytes) -> Response:
    return Response(content, media_type="application/json")


@router.get(
    "/providers",
    summary="Find providers near a place, ranked for runners",
    description="When nothing matches within the radius, `nearest` lists the nearest matches "
    "further out (with their distance) and `next_best` the next best provider types: for "
    "`condition` when given, otherwise for the provider `type`.",
    response_model=ProviderPage,
)
async def list_providers(
    request: Request,
    near: str = Query(..., description="ZIP, ZIP+4, 'City, ST' or 'lat,lon'."),
    type: str | None = Query(None, description="Provider type id, e.g. podiatrist."),
    taxonomy: str | None = Query(None, description="NUCC taxonomy code, e.g. 213E00000X."),
    radius_km: float = Query(40.0, gt=0, le=400, description="Search radius in kilometres."),
    q: str | None = Query(None, max_length=100, description="Name or text filter."),
    page: int = Query(1, ge=1, le=10_000),
    per_page: int = Query(20, ge=1, le=100),
    telehealth: bool = Query(False, description="Only providers offering telehealth."),
    accepting: bool = Query(False, description="Only profiles accepting new patients."),
    language: str | None = Query(None, max_length=40, description="A language, e.g. Spanish."),
    sports: bool = Query(False, description="Only providers with a sports focus."),
    sort: SortOrder = Query(SortOrder.best, description="best (score) or distance."),
    condition: str | None = Query(
        None,
        max_length=60,
        description="The runner's likely condition id (from an assessment, e.g. "
        "plantar_fasciitis): `next_best` is then chosen for that condition.",
    ),
) -> Response:
    if type and taxonomy:
        raise ProblemError(
            400, "Invalid request", "Give either type or taxonomy, not both.", "validation"
        )
    try:
        query = ProviderQuery(
            near=near,
            type=type,
            taxonomy=taxonomy,
            radius_miles=radius_km / KM_PER_MILE,
            q=q,
            page=page,
            per_page=per_page,
            telehealth=telehealth,
            accepting=accepting,
            language=language,
            sports=sports,
            sort=sort,
            condition=condition,
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise ProblemError(
            422, "Invalid request", f"{field}: {first['msg']}", "validation"
        ) from None
    try:
        content = await run_directory_work(_search_json, request.app.state.settings, query)
        return _json(content)
    except PlaceNotFound as exc:
        raise ProblemError(
            422, "Unknown place", str(exc), "unknown-place", suggestions=exc.suggestions
        ) from None
    except UnknownProviderType as exc:
        raise ProblemError(
            422,
            "Unknown provider type",
            str(exc),
            "unknown-provider-type",
            suggestions=exc.suggestions,
        ) from None


@router.get(
    "/providers/{npi}", summary="One provider of the directory", response_model=ProviderDetail
)
def provider_detail(
    request: Request,
    npi: str,
    near: str | None = Query(None, max_length=100, description="Explain the rank from here."),
    type: str | None = Query(None, description="Explain the rank for this provider type."),
    radius_km: float = Query(40.0, gt=0, le=400),
) -> Response:
    if not (len(npi) == 10 and npi.isdigit()):
        raise ProblemError(422, "Invalid NPI", "An NPI is 10 digits.", "validation")
    try:
        with Session(get_engine(request.app.state.settings)) as session:
            detail = get_provider(
                session, npi, type_id=type, near=near, radius_miles=radius_km / KM_PER_MILE
            )
    except PlaceNotFound as exc:
        raise ProblemError(
            422, "Unknown place", str(exc), "unknown-place", suggestions=exc.suggestions
        ) from None
    except UnknownProviderType as exc:
        raise ProblemError(
            422, "Unknown provider type", str(exc), "unknown-provider-type",
            suggestions=exc.suggestions,
        ) from None  # fmt: skip
    if detail is None:
        raise ProblemError(404, "Not found", f"No provider {npi} in the directory.", "not-found")
    return _json(_DETAIL_JSON.to_json(detail, by_alias=True))
