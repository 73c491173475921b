"""Fixtures shared by the web tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from stridewise.db.engine import make_engine
from stridewise.db.migrate import upgrade
from stridewise.settings import Settings
from stridewise.web.app import create_app


@pytest.fixture
def engine_and_client(database_url: str) -> Iterator[tuple[Engine, TestClient]]:
    """A migrated database, a SQLAlchemy engine on it and a client of the app (no outbox
    worker), on each backend ``database_url`` gives."""
    upgrade(database_url)
    settings = Settings(database_url=database_url, secret_key="test-secret-key-0123456789",
                        outbox_worker_enabled=False)  # fmt: skip
    engine = make_engine(database_url)
    with TestClient(create_app(settings)) as client:
        yield engine, client
    engine.dispose()
