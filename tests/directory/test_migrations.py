"""Migration 0004 on a directory written under 0003: 'all' rows become 'other' only for
providers with no type row, every row gets its tier, and the search still finds them."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from fixtures.db import POSTGRES_URL
from stridewise.db.engine import make_engine
from stridewise.db.migrate import upgrade


@pytest.fixture(params=["sqlite", "postgres"])
def fresh_url(request: pytest.FixtureRequest, sqlite_url: str) -> Iterator[str]:
    """A database no migration has touched yet (the shared PostgreSQL one is already at head)."""
    if request.param == "sqlite":
        yield sqlite_url
        return
    if not POSTGRES_URL:
        pytest.skip("PostgreSQL tests NOT RUN: STRIDEWISE_TEST_POSTGRES_URL is not set")
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    name = f"sw_mig_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


ROWS = [
    # generation, key, cell, lat, lon, npi, loc, fit, static
    (1, "all", -296, 40.75, -73.99, "1111111112", 0, 20.0, 10.0),
    (1, "type:podiatrist", -296, 40.75, -73.99, "1111111112", 0, 40.0, 10.0),
    (1, "all", -296, 40.76, -73.98, "2222222223", 0, 20.0, 7.5),  # no type: becomes 'other'
    (1, "all", -296, 40.77, -73.97, "1111111112", 1, 20.0, 10.0),  # a second location
    (1, "type:podiatrist", -296, 40.77, -73.97, "1111111112", 1, 40.0, 10.0),
]


def test_0004_keeps_typeless_providers_and_adds_tiers(fresh_url: str) -> None:
    upgrade(fresh_url, "0003")
    engine = make_engine(fresh_url)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM directory_search"))
        conn.execute(
            text(
                "INSERT INTO directory_search (generation, key, cell, lat, lon, npi, loc, fit,"
                " static) VALUES (:g, :k, :c, :la, :lo, :n, :s, :f, :st)"
            ),
            [
                dict(zip(("g", "k", "c", "la", "lo", "n", "s", "f", "st"), r, strict=True))
                for r in ROWS
            ],
        )
    upgrade(fresh_url)
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT key, npi, loc, tier FROM directory_search ORDER BY npi, loc, key")
        ).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [
        ("type:podiatrist", "1111111112", 0, 50.0),
        ("type:podiatrist", "1111111112", 1, 50.0),
        ("other", "2222222223", 0, 27.5),
    ]
