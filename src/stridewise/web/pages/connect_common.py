"""What the connect API and pages share: per-app state (engine, rate limits, outbox worker), the
worker's lifespan, and who is signed in.

State is created lazily on ``app.state.connect`` so handlers work with or without the lifespan
having run (a TestClient used without ``with`` skips it); only the worker needs the lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from stridewise.connect.models import Account
from stridewise.connect.outbox import OutboxWorker
from stridewise.connect.rate_limit import Limits
from stridewise.db.engine import get_engine
from stridewise.settings import Settings
from stridewise.web.pages.rendering import render
from stridewise.web.security import password_fingerprint, read_session


@dataclass
class ConnectState:
    settings: Settings
    engine: Engine
    limits: Limits
    worker: OutboxWorker


def connect_state(app: FastAPI) -> ConnectState:
    state: ConnectState | None = getattr(app.state, "connect", None)
    if state is None:
        settings: Settings = app.state.settings
        engine = get_engine(settings)
        state = ConnectState(
            settings=settings,
            engine=engine,
            limits=Limits(
                settings.rate_limit_login_per_minute, settings.rate_limit_requests_per_hour
            ),
            worker=OutboxWorker(engine, settings),
        )
        app.state.connect = state
    return state


def state_of(request: Request) -> ConnectState:
    return connect_state(request.app)


@asynccontextmanager
async def connect_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Run the outbox worker for the life of the server process."""
    state = connect_state(app)
    if state.settings.outbox_worker_enabled:
        state.worker.start()
    try:
        yield
    finally:
        state.worker.stop()


def client_key(request: Request) -> str:
    """The rate-limit key for the client: its address (uvicorn resolves trusted proxies)."""
    return request.client.host if request.client else "unknown"


def signed_in(request: Request, session: Session) -> Account | None:
    """The account behind a valid session cookie whose password has not changed since."""
    data = read_session(request, state_of(request).settings)
    if data is None:
        return None
    account = session.get(Account, data.account_id)
    if account is None or password_fingerprint(account.password_hash) != data.fingerprint:
        return None
    return account


def notice(request: Request, title: str, message: str, status_code: int) -> HTMLResponse:
    """A friendly one-message page, used for every error a connect page can meet."""
    return render(
        request,
        "connect/notice.html",
        "account",
        {"title": title, "message": message},
        status_code=status_code,
    )


def friendly_errors(exc: ValidationError) -> list[str]:
    """Validation errors as sentences a person can act on (no field paths or codes)."""
    out = []
    for err in exc.errors():
        field = ".".join(str(p) for p in err.get("loc", ()) if p != "assessment")
        label = field.replace("_", " ") or "form"
        msg = str(err.get("msg", "is not valid")).removeprefix("Value error, ")
        out.append(f"{label.capitalize()}: {msg}." if field else f"{msg[:1].upper()}{msg[1:]}.")
    return out or ["Please check the form."]
