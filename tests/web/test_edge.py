"""The web edge: request ids, bounded bodies, quiet crashes with the security headers, and the
health endpoints (healthz always, readyz only on a migrated database)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from stridewise.db.migrate import upgrade
from stridewise.settings import Settings
from stridewise.web.app import create_app
from stridewise.web.edge import MAX_BODY


@pytest.fixture
def app(sqlite_url: str) -> FastAPI:
    upgrade(sqlite_url)
    app = create_app(Settings(database_url=sqlite_url, outbox_worker_enabled=False))

    @app.get("/api/v1/boom")
    def boom() -> None:
        raise RuntimeError("secret words")

    @app.get("/boom")
    def page_boom() -> None:
        raise RuntimeError("secret words")

    return app


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    return TestClient(app, raise_server_exceptions=False)


def test_request_ids_are_kept_or_made(client: TestClient) -> None:
    assert (
        client.get("/healthz", headers={"x-request-id": "abc-123"}).headers["x-request-id"]
        == "abc-123"
    )
    made = client.get("/healthz", headers={"x-request-id": "bad id;x"}).headers["x-request-id"]
    assert made != "bad id;x" and len(made) == 32


@pytest.mark.parametrize(("path", "accept", "ctype"), [
    ("/api/v1/boom", "application/json", "application/problem+json"),
    ("/boom", "text/html", "text/html"),
])  # fmt: skip
def test_crashes_are_quiet_500s_with_headers(
    client: TestClient, path: str, accept: str, ctype: str
) -> None:
    r = client.get(path, headers={"accept": accept})
    assert r.status_code == 500
    assert r.headers["content-type"].startswith(ctype)
    assert r.headers["connection"] == "close"
    for header in ("content-security-policy", "x-content-type-options", "x-frame-options"):
        assert header in r.headers
    assert "secret words" not in r.text and "Traceback" not in r.text


def test_bodies_are_bounded(client: TestClient) -> None:
    r = client.post(
        "/api/v1/assessments",
        content=b'{"text": "' + b"a" * MAX_BODY + b'"}',
        headers={"content-type": "application/json"},
    )
    assert r.status_code == 413
    assert r.headers["content-type"].startswith("application/problem+json")


def test_health_and_readiness(client: TestClient, tmp_path: Path) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
    fresh = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'empty.sqlite3'}"))
    r = TestClient(fresh).get("/readyz")
    assert r.status_code == 503
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "stridewise db upgrade" in r.json()["detail"]
