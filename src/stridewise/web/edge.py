"""The edge every request passes first and every response last (outermost ASGI layer).

* **Request ids.** Each request gets an id (a caller's well-formed ``X-Request-ID`` is kept),
  returned in ``X-Request-ID`` and set in ``stridewise.logs.REQUEST_ID`` for every log line.
* **Bounded input, refused before any handler runs.** A body is at most ``MAX_BODY`` bytes
  (413; multipart uploads stream on to ``web/uploads.py``, which bounds them itself); the
  path, the query string, form fields and every string and key of a JSON body may not hold
  NUL or other control characters, and JSON may not nest deeper than ``MAX_JSON_DEPTH`` (both
  422 problem+json, or the HTML "could not read that" page for a browser). Handlers never see
  such input, so it cannot reach the database.
* **Crashes fail closed and quietly.** Any exception a handler lets through is logged as its
  type only (never its message, a traceback or SQL parameters) and answered with 500 through
  the app's own error handlers (problem+json, or the HTML crash page), with the security
  headers and ``Connection: close``. Nothing is re-raised, so neither Starlette nor uvicorn
  prints a traceback.
* **An access line per request**, as JSON: method, route template (never the raw path, which
  can hold a status token or a condition's name), status and milliseconds.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from typing import Any
from urllib.parse import parse_qsl

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from starlette.responses import Response

from stridewise.inputs import MAX_JSON_DEPTH, InputRejected, check_text, loads, plainly_bounded
from stridewise.logs import REQUEST_ID
from stridewise.web.problems import problem_response

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
Handlers = Mapping[Any, Callable[..., Any]]

#: Largest request body accepted, in bytes (the longest form is a few KB).
MAX_BODY = 1024 * 1024

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

log = logging.getLogger("stridewise.web")
access = logging.getLogger("stridewise.access")

__all__ = ["MAX_BODY", "MAX_JSON_DEPTH", "EdgeMiddleware"]


class _TooLarge(Exception):
    pass


class EdgeMiddleware:
    """See the module docstring. ``handlers`` is the app's exception handler map (read at each
    use); ``headers`` are the security headers every response must carry."""

    def __init__(self, app: ASGIApp, handlers: Handlers, headers: list[tuple[bytes, bytes]]):
        self.app = app
        self.handlers = handlers
        self.headers = headers
        self.header_names = {name for name, _ in headers}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = _request_id(scope)
        scope.setdefault("state", {})["request_id"] = rid
        token = REQUEST_ID.set(rid)
        started = time.perf_counter()
        sent: dict[str, int] = {}

        async def send_out(message: Message) -> None:
            if message["type"] == "http.response.start":
                status = int(message["status"])
                sent["status"] = status
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers.extend(h for h in self.headers if h[0] not in present)
                headers.append((b"x-request-id", rid.encode()))
                if status >= 500 and b"connection" not in present:
                    headers.append((b"connection", b"close"))
                message["headers"] = headers
            await send(message)

        try:
            try:
                receive = await self._screen(scope, receive)
            except _TooLarge:
                await problem_response(
                    413, "Request too large", f"The body may be at most {MAX_BODY} bytes."
                )(scope, receive, send_out)
            except InputRejected as exc:
                await self._refuse(scope, receive, send_out, exc)
            else:
                await self.app(scope, receive, send_out)
        except Exception as exc:  # fail closed: never a traceback, never the runner's words
            kind = type(exc).__name__
            log.error("request failed: %s", kind, extra={"event": "crash", "error": kind})
            if "status" not in sent:
                await self._crash(scope, receive, send_out, exc)
        finally:
            route = scope.get("route")
            access.info(
                "request",
                extra={
                    "event": "request",
                    "method": scope.get("method", ""),
                    "route": getattr(route, "path", "-"),
                    "status": sent.get("status", 0),
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            REQUEST_ID.reset(token)

    async def _screen(self, scope: Scope, receive: Receive) -> Receive:
        """Check path, query and body; return a receive that replays the body read."""
        check_text(scope.get("path", ""), "path")
        query = scope.get("query_string", b"").decode("latin-1")
        for key, value in parse_qsl(query, keep_blank_values=True):
            check_text(key, "query")
            check_text(value, f"query.{key}")
        if scope.get("method") not in _BODY_METHODS:
            return receive
        ctype = _header(scope, b"content-type").split(";")[0].strip().lower()
        if ctype == "multipart/form-data":
            return receive  # uploads stream through web/uploads.py, which bounds them itself
        body = await _read(scope, receive)
        if ctype in ("", "application/json") or ctype.endswith("+json"):
            _check_json(body)
        elif ctype == "application/x-www-form-urlencoded":
            fields = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
            for key, value in fields:
                check_text(key, "body")
                check_text(value, key)
        elif b"\x00" in body:
            raise InputRejected("body", "must not contain NUL characters")
        return replay_body(body, receive)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, exc: InputRejected) -> None:
        """422 through the app's validation handler (problem+json, or HTML for a browser)."""
        where = tuple(exc.where.split(".")) if exc.where else ()
        loc = where if where[:1] in (("path",), ("query",)) else ("body", *where)
        error = {"loc": loc, "msg": exc.reason, "type": "value_error", "input": None}
        response = await self._handled(scope, RequestValidationError([error]))
        await response(scope, receive, send)

    async def _crash(self, scope: Scope, receive: Receive, send: Send, exc: Exception) -> None:
        try:
            response = await self._handled(scope, exc)
            if response.status_code < 500:
                response.status_code = 500
        except Exception:  # the error page itself failed: a plain problem
            response = problem_response(500, "Internal error", "Something went wrong on our side.")
        await response(scope, receive, send)

    async def _handled(self, scope: Scope, exc: Exception) -> Response:
        handler = None
        for kind in type(exc).__mro__:
            handler = self.handlers.get(kind)
            if handler is not None:
                break
        if handler is None:
            return problem_response(500, "Internal error", "Something went wrong on our side.")
        result = handler(Request(scope), exc)
        return await result if hasattr(result, "__await__") else result  # type: ignore[no-any-return]


def _request_id(scope: Scope) -> str:
    given = _header(scope, b"x-request-id")
    return given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return ""


def _check_json(body: bytes) -> None:
    """Depth and control characters of a JSON body; text that is not JSON is left for the
    handler's own validation to report. A body that one scan shows to be within the bounds is
    not parsed here (the handler parses it once); anything else is parsed and walked."""
    if plainly_bounded(body):
        return
    try:
        loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return


async def _read(scope: Scope, receive: Receive) -> bytes:
    declared = _header(scope, b"content-length")
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise _TooLarge
    parts: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            raise _TooLarge
        parts.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(parts)


def replay_body(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands the app ``body`` (already read) once, then defers to ``receive``."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
