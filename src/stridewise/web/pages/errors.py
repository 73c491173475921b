"""Friendly HTML errors for the runner's pages. The JSON API keeps problem+json (problems.py);
anything a browser asks for outside /api gets a page with a way forward instead."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from stridewise.web.pages.rendering import render
from stridewise.web.pages.runner_state import RunnerState
from stridewise.web.problems import problem_response

log = logging.getLogger("stridewise.web")

_MESSAGES = {
    404: ("We could not find that page", "The link may be old, or the address mistyped."),
    405: ("That did not work", "This page cannot be opened that way. Start again below."),
}


Handler = Callable[[Request, Any], Response | Awaitable[Response]]


async def _delegate(handler: Handler, request: Request, exc: Exception) -> Response:
    """Call a previously installed (problem+json) handler, sync or async."""
    result = handler(request, exc)
    return await result if inspect.isawaitable(result) else result


def _wants_html(request: Request) -> bool:
    if request.url.path.startswith(("/api/", "/docs", "/openapi")):
        return False
    return "text/html" in request.headers.get("accept", "")


def render_trouble(
    request: Request, state: RunnerState | None = None, status_code: int = 200
) -> HTMLResponse:
    """Our side failed while assessing: say so, keep the runner's words, offer a retry.
    Pages that recover answer 200; the crash handler answers 500."""
    return render(
        request,
        "error.html",
        "start",
        {
            "title": "Something went wrong on our side",
            "message": "We could not finish the assessment. Nothing you typed was stored. "
            "Please try again; if it keeps happening, see a clinician as you planned.",
            "state": state,
        },
        status_code=status_code,
    )


def install_page_error_handlers(app: FastAPI) -> None:
    """Serve HTML error pages to browsers outside /api; delegate the rest to problem+json.

    Call after install_problem_handlers so these handlers take precedence."""
    problem_http = app.exception_handlers.get(StarletteHTTPException)
    problem_crash = app.exception_handlers.get(Exception)
    problem_invalid = app.exception_handlers.get(RequestValidationError)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if _wants_html(request):
            title, message = _MESSAGES.get(
                exc.status_code, ("That did not work", "Please start again below.")
            )
            return render(
                request,
                "error.html",
                "start",
                {"title": title, "message": message, "state": None},
                status_code=exc.status_code,
            )
        if problem_http is not None:
            return await _delegate(problem_http, request, exc)
        return problem_response(exc.status_code, "Request failed", str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        if _wants_html(request):
            return render(
                request,
                "error.html",
                "start",
                {
                    "title": "We could not read that",
                    "message": "Some of what was sent did not make sense. Please start again.",
                    "state": None,
                },
                status_code=400,
            )
        if problem_invalid is not None:
            return await _delegate(problem_invalid, request, exc)
        return problem_response(422, "Invalid request", str(exc))

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:
        if _wants_html(request):
            return render_trouble(request, status_code=500)  # the web edge logs the type
        if problem_crash is not None:
            return await _delegate(problem_crash, request, exc)
        return problem_response(500, "Internal error", "Something went wrong on our side.")
