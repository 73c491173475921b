"""Connect test fixtures: a migrated database, the app on it, listings and verified providers.

PostgreSQL is one database per test session, so every helper makes unique NPIs and emails."""

from __future__ import annotations

import random
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from fixtures.smtp import SmtpServer
from stridewise.connect.accounts import create_account
from stridewise.connect.claims import valid_npi
from stridewise.connect.models import Claim, ProviderProfile
from stridewise.connect.operators import create_operator
from stridewise.db.engine import make_engine, session_scope
from stridewise.db.migrate import upgrade
from stridewise.directory.models import Provider
from stridewise.settings import Settings
from stridewise.web.app import create_app

PASSWORD = "correct horse battery"
# Every rate limit out of the way (tests of the limits tighten the ones they check).
RELAXED_LIMITS = {
    name: 100_000
    for name in Settings.model_fields
    if name.startswith("rate_limit_") and name.endswith(("_minute", "_hour", "_day"))
}


def relaxed_limits_env() -> dict[str, str]:
    """The same, as environment variables for a server process."""
    return {f"STRIDEWISE_{name.upper()}": str(value) for name, value in RELAXED_LIMITS.items()}


SECRET_WORDS = "zebra-heel-secret-pain"  # a marker that must never reach the logs


def new_npi() -> str:
    """A random NPI that passes the check digit."""
    while True:
        body = f"1{random.randrange(10**8):08d}"
        for digit in range(10):
            if valid_npi(body + str(digit)):
                return body + str(digit)


def unique_email(prefix: str = "p") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.org"


def add_listing(engine: Engine, npi: str, name: str = "Heel Clinic Physical Therapy") -> None:
    """A directory row in the active generation (0 before any import; the session's PostgreSQL
    database may already hold an import from another test)."""
    with session_scope(engine) as session:
        active = session.execute(
            text("SELECT active_generation FROM directory_state WHERE id = 1")
        ).scalar()
        session.add(
            Provider(
                generation=int(active or 0),
                npi=npi,
                entity_type=2,
                name=name,
                lat=40.0,
                lon=-75.0,
                primary_taxonomy="225100000X",
                taxonomies="225100000X",
            )
        )


@dataclass
class VerifiedProvider:
    account_id: int
    email: str
    npi: str


def verified_provider(engine: Engine, running: bool = True) -> VerifiedProvider:
    """A provider account owning a listing with a verified profile, without the mail dance."""
    npi = new_npi()
    add_listing(engine, npi)
    email = unique_email()
    with session_scope(engine) as session:
        account = create_account(session, email, PASSWORD, "provider", "Dr Test")
        session.add(
            Claim(account_id=account.id, npi=npi, status="approved", approved_npi=npi, code_hash="")
        )
        session.add(
            ProviderProfile(
                npi=npi,
                account_id=account.id,
                verified=True,
                running_focus=running,
                sports_focus="",
                sports_treated=[],
                services=[],
                accepting_new_patients=True,
                languages=[],
                insurance=[],
                booking_url="",
            )
        )
        return VerifiedProvider(account.id, email, npi)


def make_operator(engine: Engine) -> str:
    email = unique_email("op")
    with session_scope(engine) as session:
        create_operator(session, email, PASSWORD)
    return email


@pytest.fixture
def settings(database_url: str, smtp_server: SmtpServer) -> Settings:
    """Settings on a migrated database, mailing the test SMTP server; the in-app worker is off
    so tests drain the outbox themselves."""
    upgrade(database_url)
    return Settings(
        database_url=database_url,
        secret_key="test-secret-key-0123456789",
        smtp_host=smtp_server.host,
        smtp_port=smtp_server.port,
        mail_retry_base_seconds=0.01,
        outbox_worker_enabled=False,
        **RELAXED_LIMITS,
        base_url="http://testserver",
    )


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    eng = make_engine(settings.effective_database_url)
    yield eng
    eng.dispose()


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    return create_app(settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


def sign_in(client: TestClient, email: str) -> None:
    r = client.post("/api/v1/session", json={"email": email, "password": PASSWORD})
    assert r.status_code == 200, r.text


def runner_request(share: bool = True, message: str = "Morning heel pain") -> dict[str, object]:
    body: dict[str, object] = {
        "name": "Rita Runner",
        "email": "rita@example.org",
        "preferred_times": "weekday mornings",
        "message": message,
        "share_summary": share,
    }
    if share:
        body["assessment"] = {"text": f"Stabbing heel pain {SECRET_WORDS}", "age": 41}
    return body


def uvicorn_argv(port: int) -> list[str]:
    """The command serving the real app on 127.0.0.1:``port`` (settings from the environment)."""
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "stridewise.web.app:create_app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
