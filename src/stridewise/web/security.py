"""Whole-app HTTP security: headers with a strict Content-Security-Policy, CSRF protection for
every form, the session cookie (an opaque id of a server-side session), and redaction of
runners' status tokens from access logs.

``install(app, settings)`` adds :class:`SecurityMiddleware` (pure ASGI, outermost) to the app.

CSRF, by construction for every form on every page:
* each browser gets a random ``sw_csrf`` cookie (HttpOnly, SameSite=Lax);
* the middleware writes ``<input type="hidden" name="csrf_token">`` (an HMAC of that cookie
  under ``Settings.secret_key``) into every ``<form method="post">`` of each HTML response, so
  templates need no cooperation; pages may also read ``request.state.csrf_token``;
* an unsafe request that a cross-site page could forge (a form or text/plain body) must carry
  that token as the ``csrf_token`` field or an ``X-CSRF-Token`` header, or htmx's ``HX-Request``
  header (a custom header cannot cross origins without a CORS preflight, and we allow none);
* any unsafe request whose ``Origin`` is foreign, or whose ``Sec-Fetch-Site`` is cross-site or
  same-site, is refused. JSON bodies need no token: they cannot be sent cross-origin without a
  preflight either.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import re
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs, urlsplit

from fastapi import FastAPI, Request, Response
from starlette.middleware import Middleware

from stridewise.settings import Settings
from stridewise.web.edge import replay_body

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
RefusalPage = Callable[[Request], Response]

CSRF_COOKIE = "sw_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SESSION_COOKIE = "sw_session"
SESSION_MAX_AGE = 12 * 3600
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
MAX_FORM_BODY = 1024 * 1024
# Posts that store and change nothing: the runner's pages answer from the form they are sent
# (runner_state) and uploads are read, summarised and discarded. They are checked for origin
# but not for a form token: a forged post could only show someone a page of the forger's words,
# while a token would make the start page a dead end for a browser that blocks or lost our
# cookie, and for uploads would mean buffering megabytes of files to find it.
STATELESS_POSTS = frozenset(
    {
        "/api/v1/training-load",
        "/training",
        "/training/plan.ics",
        "/interview",
        "/result",
        "/summary",
        "/summary.pdf",
    }
)
_COOKIE_VALUE_RE = re.compile(r"^[A-Za-z0-9_-]{43}$")
_FORM_TAG_RE = re.compile(rb"<form\b[^>]*\bmethod\s*=\s*[\"']?post\b[^>]*>", re.IGNORECASE)
_FORGEABLE_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data", "text/plain")


def content_security_policy(settings: Settings) -> str:
    """The CSP for every response: scripts only from our own origin, never inline."""
    img = ["'self'", "data:"]
    if settings.map_tile_url:
        parts = urlsplit(settings.map_tile_url.replace("{s}", "a"))
        if parts.scheme in ("http", "https") and parts.hostname:
            # Tile servers use {s} subdomains; allow the parent domain's subdomains.
            host = settings.map_tile_url.split("//", 1)[1].split("/", 1)[0]
            img.append(f"{parts.scheme}://{host.replace('{s}', '*')}")
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            # Leaflet positions tiles with style attributes; styles cannot run code.
            "style-src 'self' 'unsafe-inline'",
            f"img-src {' '.join(img)}",
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def security_headers(settings: Settings) -> list[tuple[bytes, bytes]]:
    headers = {
        "content-security-policy": content_security_policy(settings),
        "x-content-type-options": "nosniff",
        "x-frame-options": "DENY",
        # Status links carry a secret token: never leak a URL to another site. Not
        # "no-referrer": with it Chromium sends "Origin: null" on our own form posts.
        "referrer-policy": "same-origin",
        "permissions-policy": "camera=(), microphone=(), geolocation=(self), payment=()",
        "cross-origin-opener-policy": "same-origin",
        "cross-origin-resource-policy": "same-origin",
    }
    if settings.secure_cookies:
        headers["strict-transport-security"] = "max-age=31536000; includeSubDomains"
    return [(k.encode(), v.encode()) for k, v in headers.items()]


def csrf_token_for(cookie_value: str, secret_key: str) -> str:
    """The form token that proves knowledge of this browser's CSRF cookie."""
    mac = hmac.new(secret_key.encode(), b"csrf:" + cookie_value.encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()).decode().rstrip("=")


def _cookie_header(name: str, value: str, settings: Settings, max_age: int | None) -> bytes:
    parts = [f"{name}={value}", "Path=/", "HttpOnly", "SameSite=Lax"]
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    if settings.secure_cookies:
        parts.append("Secure")
    return "; ".join(parts).encode()


def _cookies(scope: Scope) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed Cookie header is treated as no cookies
                return {}
    return {k: m.value for k, m in jar.items()}


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return ""


class SecurityMiddleware:
    """Adds the security headers, enforces CSRF and injects form tokens (see module doc)."""

    def __init__(
        self, app: ASGIApp, settings: Settings, refusal_page: RefusalPage | None = None
    ) -> None:
        self.app = app
        self.settings = settings
        self.headers = security_headers(settings)
        self.refusal_page = refusal_page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookie = _cookies(scope).get(CSRF_COOKIE, "")
        fresh = not _COOKIE_VALUE_RE.fullmatch(cookie)
        if fresh:
            cookie = secrets.token_urlsafe(32)
        token = csrf_token_for(cookie, self.settings.secret_key)
        set_cookie = _cookie_header(CSRF_COOKIE, cookie, self.settings, None) if fresh else None
        if scope["method"] not in SAFE_METHODS:
            verdict, receive = await self._check(scope, receive, None if fresh else token)
            if verdict:
                await self._refuse(scope, self._wrap_send(send, token, set_cookie), verdict)
                return
        scope.setdefault("state", {})["csrf_token"] = token
        await self.app(scope, receive, self._wrap_send(send, token, set_cookie))

    def _wrap_send(self, send: Send, token: str, set_cookie: bytes | None) -> Send:
        start: Message = {}
        chunks: list[bytes] = []
        hidden = f'<input type="hidden" name="{CSRF_FIELD}" value="{token}">'.encode()

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.lower() not in {h for h, _ in self.headers}
                ]
                headers.extend(self.headers)
                if set_cookie:
                    headers.append((b"set-cookie", set_cookie))
                message["headers"] = headers
                ctype = dict(headers).get(b"content-type", b"")
                if ctype.startswith(b"text/html") and b"content-encoding" not in dict(headers):
                    start.update(message)  # hold it: the body will change length
                    return
                await send(message)
            elif message["type"] == "http.response.body" and start:
                chunks.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                body = _FORM_TAG_RE.sub(lambda m: m.group(0) + hidden, b"".join(chunks))
                start["headers"] = [
                    (k, v) for k, v in start["headers"] if k.lower() != b"content-length"
                ] + [(b"content-length", str(len(body)).encode())]
                await send(start)
                await send({"type": "http.response.body", "body": body, "more_body": False})
            else:
                await send(message)

        return wrapped

    async def _check(
        self, scope: Scope, receive: Receive, expected: str | None
    ) -> tuple[str, Receive]:
        """'' when the unsafe request may proceed, else why not; plus a receive that replays
        any body we had to read."""
        origin = _header(scope, b"origin")
        host = _header(scope, b"host")
        if origin and (origin == "null" or urlsplit(origin).netloc != host):
            return "cross-origin request refused", receive
        if _header(scope, b"sec-fetch-site") in ("cross-site", "same-site"):
            return "cross-site request refused", receive
        if scope.get("path") in STATELESS_POSTS:
            return "", receive  # nothing stored or changed (see STATELESS_POSTS)
        ctype = _header(scope, b"content-type").split(";")[0].strip().lower()
        if scope["method"] != "POST" and not ctype:
            return "", receive  # DELETE/PUT without a body needs a preflight cross-origin
        if ctype and ctype not in _FORGEABLE_TYPES:
            return "", receive
        if _header(scope, b"hx-request"):
            return "", receive
        supplied = _header(scope, CSRF_HEADER.encode())
        # With the token in a header the body is never read here, so the app must get the
        # original ``receive``: replaying an empty body would hand it an empty form.
        replay = receive
        if not supplied:
            try:
                body = await _read_body(receive)
            except ValueError:
                return "form too large", receive
            supplied = await _form_token(scope, body)
            replay = replay_body(body, receive)
        if expected and supplied and hmac.compare_digest(supplied, expected):
            return "", replay
        return "missing or invalid form token", replay

    async def _refuse(self, scope: Scope, send: Send, why: str) -> None:
        """Answer 403. ``send`` adds the security headers (and a fresh CSRF cookie, so going
        back and reloading the form works). Browsers get the site's own page with a way on."""
        api = str(scope.get("path", "")).startswith("/api/")
        if not api and self.refusal_page is not None:
            response = self.refusal_page(Request(scope))
            response.status_code = 403
            await response(scope, _no_more, send)
            return
        if api:
            body = json.dumps(
                {"type": "/problems/csrf", "title": "Forbidden", "status": 403, "detail": why}
            ).encode()
            ctype = b"application/problem+json"
        else:
            body = (
                b"<!doctype html><meta charset=utf-8><title>Please try again</title>"
                b"<h1>Please try again</h1><p>This form had expired or came from another "
                b"site, so nothing was sent. Go back, reload the page and submit it again.</p>"
            )
            ctype = b"text/html; charset=utf-8"
        headers = [(b"content-type", ctype), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 403, "headers": headers})
        await send({"type": "http.response.body", "body": body, "more_body": False})


async def _read_body(receive: Receive) -> bytes:
    parts: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_FORM_BODY:
            raise ValueError("body too large")
        parts.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(parts)


async def _form_token(scope: Scope, body: bytes) -> str:
    ctype = _header(scope, b"content-type").lower()
    if ctype.startswith("application/x-www-form-urlencoded"):
        values = parse_qs(body.decode("latin-1"), keep_blank_values=True).get(CSRF_FIELD, [""])
        return values[0]
    if ctype.startswith("multipart/form-data"):
        request = Request(scope, replay_body(body, _no_more))
        try:
            form = await request.form()
        except Exception:  # malformed multipart: no token
            return ""
        value = form.get(CSRF_FIELD)
        return value if isinstance(value, str) else ""
    return ""


async def _no_more() -> Message:
    return {"type": "http.disconnect"}


# --- sessions -------------------------------------------------------------------------------
# The cookie is only an opaque random id; connect.sessions keeps the session (and its end) in
# the database, so every app server sees a sign-out at once.


def session_token(request: Request) -> str:
    """The session id the browser sent ('' when none)."""
    return request.cookies.get(SESSION_COOKIE, "")


def issue_session(response: Response, settings: Settings, token: str) -> None:
    """Hand the browser the cookie for the session ``token`` (from ``connect.sessions.start``)."""
    response.raw_headers.append(
        (b"set-cookie", _cookie_header(SESSION_COOKIE, token, settings, SESSION_MAX_AGE))
    )


def clear_session(response: Response, settings: Settings) -> None:
    response.raw_headers.append((b"set-cookie", _cookie_header(SESSION_COOKIE, "", settings, 0)))


# --- logs -----------------------------------------------------------------------------------

_TOKEN_IN_PATH = re.compile(r"(/requests/)[A-Za-z0-9_-]{20,}")


class RedactTokens(logging.Filter):
    """Rewrites status tokens in access-log lines: a token is a key to a runner's request."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                _TOKEN_IN_PATH.sub(r"\1[redacted]", a) if isinstance(a, str) else a
                for a in record.args
            )
        return True


def install(app: FastAPI, settings: Settings, refusal_page: RefusalPage | None = None) -> None:
    """Apply the security middleware to the whole app and redact tokens from access logs.
    ``refusal_page`` renders the page a browser sees when a form is refused (else plain text)."""
    # Innermost (appended, not prepended): it must rewrite HTML before GZipMiddleware compresses
    # it. Starlette builds the middleware stack on the first request, so this still applies.
    app.user_middleware.append(
        Middleware(SecurityMiddleware, settings=settings, refusal_page=refusal_page)
    )
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactTokens) for f in access.filters):
        access.addFilter(RedactTokens())
