"""Health endpoints for load balancers and orchestrators (outside /api/v1, never versioned).

``GET /healthz``: the process serves requests (200, no database touched).
``GET /readyz``: the database answers and its migrations are at head (200); otherwise 503
problem+json saying which, so traffic waits for ``stridewise db upgrade``.
Both are GETs: CSRF never applies, and they carry nothing personal.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel

from stridewise.db.engine import get_engine
from stridewise.db.migrate import current_revisions, head_revisions
from stridewise.web.problems import PROBLEM_RESPONSES, ProblemError

router = APIRouter(tags=["operations"])


class Health(BaseModel):
    status: Literal["ok"] = "ok"


class Readiness(BaseModel):
    status: Literal["ready"] = "ready"
    database: str
    migrations: list[str]


@router.get("/healthz", summary="The process is alive")
def healthz() -> Health:
    return Health()


@router.get(
    "/readyz",
    summary="The database answers and its migrations are current",
    responses={503: PROBLEM_RESPONSES[503]},
)
def readyz(request: Request) -> Readiness:
    engine = get_engine(request.app.state.settings)
    try:
        with engine.connect() as conn:
            current = current_revisions(conn)
    except Exception as exc:
        raise ProblemError(
            503, "Not ready", f"The database does not answer ({type(exc).__name__}).", "not-ready"
        ) from None
    heads = head_revisions()
    if current != heads:
        raise ProblemError(
            503,
            "Not ready",
            "The database schema is not current; run `stridewise db upgrade`.",
            "not-ready",
            current=sorted(current),
            head=sorted(heads),
        )
    return Readiness(database=engine.dialect.name, migrations=sorted(current))
