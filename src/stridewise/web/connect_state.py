"""Per-app connect state the JSON API and the pages share: the database engine, the rate limits
and the outbox worker, and who is signed in.

State is created lazily on ``app.state.connect`` so handlers work with or without the app's
lifespan having run (a TestClient used without ``with`` skips it); only the worker needs the
lifespan, which the app factory owns (``web/app.py``)."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import FastAPI, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from stridewise.connect.models import Account
from stridewise.connect.outbox import OutboxWorker
from stridewise.connect.rate_limit import Limits
from stridewise.db.engine import get_engine
from stridewise.settings import Settings
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
