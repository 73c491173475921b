"""RFC 9457 problem details for every error the HTTP layer returns, and the one place a domain
error (``stridewise.errors``) becomes an HTTP status."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from stridewise.errors import (
    Conflict,
    DomainProblem,
    InvalidInput,
    KnowledgeError,
    NotFound,
    Reason,
    StridewiseError,
)

PROBLEM_JSON = "application/problem+json"

#: The JSON schema of a problem body (RFC 9457); problems may add members (e.g. suggestions).
PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "Problem",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
    },
    "additionalProperties": True,
}

_STATUS_WORDS = {
    400: "Bad request",
    401: "Sign in first",
    403: "Forbidden (another site's request, or the wrong role)",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict with the current state",
    413: "Request body too large",
    422: "Invalid input: bad values, NUL or control characters, JSON nested too deeply",
    429: "Too many requests (see retry_after)",
    500: "Our side failed (no details are given)",
    503: "Not ready (the database does not answer or is not migrated)",
}

#: ``responses=`` entries declaring each error status as problem+json, for OpenAPI.
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"description": words, "content": {PROBLEM_JSON: {"schema": PROBLEM_SCHEMA}}}
    for status, words in _STATUS_WORDS.items()
}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The PROBLEM_RESPONSES entries of ``statuses`` (500 always included)."""
    return {s: PROBLEM_RESPONSES[s] for s in sorted({*statuses, 500})}


class ProblemError(Exception):
    """Raise to answer with a problem+json body. ``type_`` is a short slug under /problems/."""

    def __init__(
        self, status: int, title: str, detail: str, type_: str = "about:blank", **extra: Any
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail
        self.type = type_ if type_ == "about:blank" else f"/problems/{type_}"
        self.extra = extra


# Domain error -> (status, title, type slug). The first class in an error's MRO that is listed
# wins, so a subclass (UnknownAnswer) maps as its parent (InvalidInput) unless listed itself.
DOMAIN_STATUS: dict[type[StridewiseError], tuple[int, str, str]] = {
    InvalidInput: (422, "Invalid input", "validation"),
    NotFound: (404, "Not found", "not-found"),
    Conflict: (409, "Conflict", "conflict"),
}


#: The HTTP status of each reason a domain step can fail for (the only place that knows).
REASON_STATUS: dict[Reason, int] = {
    Reason.invalid: 422,
    Reason.not_found: 404,
    Reason.conflict: 409,
    Reason.expired: 410,
    Reason.too_many: 429,
}


def status_of(exc: DomainProblem) -> int:
    """The HTTP status that answers ``exc``."""
    return REASON_STATUS[exc.reason]


def domain_problem(exc: StridewiseError) -> ProblemError:
    """The problem an expected domain error answers with. A KnowledgeError is the server's own
    misconfiguration: a 500 that does not echo its (file-system) details."""
    if isinstance(exc, KnowledgeError):
        return ProblemError(500, "Internal error", "Something went wrong on our side.")
    for cls in type(exc).__mro__:
        if cls in DOMAIN_STATUS:
            status, title, slug = DOMAIN_STATUS[cls]
            return ProblemError(status, title, str(exc), slug)
    return ProblemError(400, "Request failed", str(exc), "request")


def problem_response(
    status: int, title: str, detail: str, type_: str = "about:blank", **extra: Any
) -> JSONResponse:
    body: dict[str, Any] = {"type": type_, "title": title, "status": status, "detail": detail}
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


def _validation_detail(exc: RequestValidationError) -> tuple[str, list[dict[str, Any]]]:
    errors = []
    for err in exc.errors():
        if err.get("type") == "json_invalid":
            # Its loc is ("body", <character offset>), which would read as a field named "20".
            at = next((p for p in err.get("loc", ()) if isinstance(p, int)), None)
            why = str(err.get("ctx", {}).get("error", "")) or "JSON decode error"
            where = f" at character {at}" if at is not None else ""
            errors.append({"field": "body", "message": f"not valid JSON{where}: {why}"})
            continue
        loc = [str(p) for p in err.get("loc", ()) if p != "body"]
        errors.append({"field": ".".join(loc) or "body", "message": err.get("msg", "invalid")})
    first = errors[0] if errors else {"field": "body", "message": "invalid"}
    return f"{first['field']}: {first['message']}", errors


def install_problem_handlers(app: FastAPI) -> None:
    """Route validation errors, HTTP errors and ProblemError to problem+json responses.

    Pages that want HTML errors handle them before they reach here."""

    @app.exception_handler(ProblemError)
    async def _problem(_: Request, exc: ProblemError) -> JSONResponse:
        response = problem_response(exc.status, exc.title, exc.detail, exc.type, **exc.extra)
        if "retry_after" in exc.extra:  # RFC 9110: the header is what clients act on
            response.headers["Retry-After"] = str(exc.extra["retry_after"])
        return response

    @app.exception_handler(StridewiseError)
    async def _domain(_: Request, exc: StridewiseError) -> JSONResponse:
        p = domain_problem(exc)
        return problem_response(p.status, p.title, p.detail, p.type, **p.extra)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        detail, errors = _validation_detail(exc)
        return problem_response(
            422, "Invalid request", detail, "/problems/validation", errors=errors
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        title = {404: "Not found", 405: "Method not allowed", 429: "Too many requests"}.get(
            exc.status_code, "Request failed"
        )
        return problem_response(exc.status_code, title, str(exc.detail))

    @app.exception_handler(Exception)
    async def _crash(_: Request, exc: Exception) -> JSONResponse:
        # Never a stack trace or the runner's words; the web edge logs the exception's type.
        return problem_response(500, "Internal error", "Something went wrong on our side.")
