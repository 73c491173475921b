"""Withdrawing really deletes on SQLite: secure_delete zeroes the freed content and a WAL
checkpoint after the delete leaves no copy in the -wal file."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from connect.conftest import runner_request, verified_provider
from stridewise.db.engine import make_engine, session_scope
from stridewise.db.migrate import upgrade
from stridewise.settings import Settings
from stridewise.web.app import create_app


def _sqlite_app(settings: Settings, sqlite_url: str) -> tuple[FastAPI, Engine, Path]:
    upgrade(sqlite_url)
    app = create_app(settings.model_copy(update={"database_url": sqlite_url}))
    return app, make_engine(sqlite_url), Path(sqlite_url.removeprefix("sqlite:///"))


def _on_disk(path: Path, marker: bytes) -> list[str]:
    found = []
    for file in (path, path.with_name(path.name + "-wal")):
        if file.exists() and marker in file.read_bytes():
            found.append(file.name)
    return found


def test_secure_delete_is_on_for_every_connection(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
    engine.dispose()


def test_withdrawn_request_is_gone_from_the_file_and_the_wal(
    settings: Settings, sqlite_url: str
) -> None:
    app, engine, path = _sqlite_app(settings, sqlite_url)
    prov = verified_provider(engine)
    marker = f"withdrawn-marker-{uuid.uuid4().hex}"
    with TestClient(app) as c:
        body = {**runner_request(message=f"{marker} " * 40), "name": f"Name {marker}"}
        created = c.post(f"/api/v1/providers/{prov.npi}/requests", json=body)
        assert created.status_code == 201
        assert _on_disk(path, marker.encode()), "the marker is on disk before the withdraw"
        assert c.delete(f"/api/v1/requests/{created.json()['token']}").status_code == 204
    assert _on_disk(path, marker.encode()) == []
    engine.dispose()


def test_page_withdraw_also_erases(settings: Settings, sqlite_url: str) -> None:
    app, engine, path = _sqlite_app(settings, sqlite_url)
    prov = verified_provider(engine)
    marker = f"page-marker-{uuid.uuid4().hex}"
    with TestClient(app) as c:
        created = c.post(
            f"/api/v1/providers/{prov.npi}/requests", json=runner_request(message=marker)
        )
        token = created.json()["token"]
        page = c.get(f"/requests/{token}")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert csrf
        r = c.post(f"/requests/{token}/withdraw", data={"csrf_token": csrf.group(1)})
        assert r.status_code == 200
    assert _on_disk(path, marker.encode()) == []
    with session_scope(engine) as session:
        assert session.connection().exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    engine.dispose()
