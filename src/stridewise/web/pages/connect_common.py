"""What the connect pages share: a one-message notice page and friendly validation errors. The
per-app state and who is signed in live in ``web/connect_state.py`` (the JSON API uses them too)
and are re-exported here for the pages."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from stridewise.connect.limits import RateLimited
from stridewise.web.connect_state import (
    ConnectState,
    client_key,
    connect_state,
    signed_in,
    state_of,
)
from stridewise.web.pages.rendering import render


def notice(request: Request, title: str, message: str, status_code: int) -> HTMLResponse:
    """A friendly one-message page, used for every error a connect page can meet."""
    return render(
        request,
        "connect/notice.html",
        "account",
        {"title": title, "message": message},
        status_code=status_code,
    )


def friendly_errors(exc: ValidationError, labels: Mapping[str, str] | None = None) -> list[str]:
    """Validation errors as sentences a person can act on (no field paths or codes). ``labels``
    names fields as the form's own labels do (else the field name is tidied up)."""
    out = []
    for err in exc.errors():
        field = ".".join(str(p) for p in err.get("loc", ()) if p != "assessment")
        # A list item's path ends in its index ("languages.2"): it is named by its field.
        named = labels or {}
        label = named.get(field) or named.get(field.split(".")[0]) or field.replace("_", " ")
        label = label or "form"
        msg = str(err.get("msg", "is not valid")).removeprefix("Value error, ")
        out.append(f"{label.capitalize()}: {msg}." if field else f"{msg[:1].upper()}{msg[1:]}.")
    return out or ["Please check the form."]


__all__ = [
    "ConnectState",
    "client_key",
    "connect_state",
    "friendly_errors",
    "notice",
    "signed_in",
    "state_of",
    "too_many",
]


def too_many(request: Request, exc: RateLimited, message: str) -> HTMLResponse:
    """The page answer to a rate limit: 429 with Retry-After."""
    response = notice(request, "Please wait a little", message, 429)
    response.headers["Retry-After"] = str(exc.retry_after)
    return response
