"""GET /api/v1/providers and /api/v1/providers/{npi}, with problem+json errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from stridewise.directory.importing.importer import import_nppes
from stridewise.settings import Settings
from stridewise.web.api import providers
from stridewise.web.problems import install_problem_handlers


@pytest.fixture
def client(
    directory_engine: Engine, database_url: str, make_nppes: Callable[..., Path]
) -> TestClient:
    import_nppes(directory_engine, make_nppes(3000, seed=31, relevant_share=0.9))
    app = FastAPI()
    app.state.settings = Settings(database_url=database_url)
    install_problem_handlers(app)
    app.include_router(providers.router, prefix="/api/v1")
    return TestClient(app)


def test_search_and_detail(client: TestClient) -> None:
    r = client.get(
        "/api/v1/providers",
        params={"near": "10001", "type": "primary_care", "radius_km": 40, "per_page": 5},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] > 0 and len(body["results"]) <= 5
    first = body["results"][0]
    assert first["distance_miles"] <= 40 / 1.609344 + 0.01 and first["why"]
    detail = client.get(f"/api/v1/providers/{first['npi']}")
    assert detail.status_code == 200 and detail.json()["npi"] == first["npi"]


def test_problems(client: TestClient) -> None:
    r = client.get("/api/v1/providers", params={"near": "Portlnd, OR"})
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "Portland, OR" in r.json()["suggestions"]
    r = client.get("/api/v1/providers", params={"near": "97201", "type": "nope"})
    assert r.status_code == 422 and r.json()["suggestions"]
    assert (
        client.get("/api/v1/providers", params={"near": "97201", "radius_km": 0}).status_code == 422
    )
    assert client.get("/api/v1/providers/123").status_code == 422
    assert client.get("/api/v1/providers/1000000004").status_code == 404


def test_empty_radius_gives_nearest_and_next_best(client: TestClient) -> None:
    r = client.get(
        "/api/v1/providers",
        params={"near": "59301", "type": "sports_medicine_physician", "radius_km": 1},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] == 0 and body["results"] == []
    assert body["nearest"] and body["nearest"][0]["distance_miles"] > 0.6
    assert isinstance(body["next_best"], list)


def test_filters_sort_and_explained_detail(client: TestClient) -> None:
    params = {"near": "10001", "type": "primary_care", "radius_km": 40, "per_page": 10}
    r = client.get("/api/v1/providers", params={**params, "sort": "distance"})
    assert r.status_code == 200, r.text
    miles = [x["distance_miles"] for x in r.json()["results"]]
    assert miles == sorted(miles)
    for bad in ({"sort": "cheapest"}, {"language": "x"}, {"telehealth": "maybe"}):
        bad_r = client.get("/api/v1/providers", params={**params, **bad})
        assert bad_r.status_code == 422, bad
        assert bad_r.headers["content-type"].startswith("application/problem+json")
    assert (
        client.get("/api/v1/providers", params={**params, "accepting": "true"}).json()["total"] == 0
    )
    npi = r.json()["results"][0]["npi"]
    d = client.get(f"/api/v1/providers/{npi}", params={"near": "10001", "type": "primary_care"})
    assert d.status_code == 200 and d.json()["why"] and d.json()["distance_miles"] is not None
    assert client.get(f"/api/v1/providers/{npi}", params={"near": "Nowhere, ZZ"}).status_code == 422
