"""Friendly HTML errors for the runner's pages. The JSON API keeps problem+json (problems.py);
anything a browser asks for outside /api gets a page with a way forward instead."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

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


def _same_site_path(request: Request) -> str:
    """The path of the page the form was on (its Referer, if it is this site), else ''."""
    referer = urlsplit(request.headers.get("referer", ""))
    same = referer.netloc == request.headers.get("host", "") and referer.path.startswith("/")
    return referer.path if same and not referer.path.startswith("//") else ""


def form_refused_page(request: Request) -> Response:
    """What a browser sees when the security layer refuses a form (an expired or missing form
    token, or another site's post): the site's own page with the way back, never a bare page.
    Provider and operator forms also point at sign-in, as an expired session is the usual cause."""
    back = _same_site_path(request)
    account = request.url.path.startswith(("/provider", "/operator"))
    return render(
        request,
        "error.html",
        "start",
        {
            "title": "Please send that again",
            "message": "Nothing was sent: the form had expired, came from another site, or "
            "your browser did not send the cookie it needs. If you block cookies, allow them "
            "for this site; then open the page again and send the form once more.",
            "state": None,
            "back_href": back or ("/provider/login" if account else ""),
            "back_label": "Open the page again" if back else "Sign in",
        },
        status_code=403,
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
