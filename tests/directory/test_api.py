"""GET /api/v1/providers and /api/v1/providers/{npi}, with problem+json errors."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from stridewise.directory.generator import generate_rows, header_line
from stridewise.directory.importing import nppes_columns as col
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


@pytest.mark.parametrize(
    "near",
    ["90,0", "-90,0", "90,180", "85,0", "89.99,-180", "0,180", "-0.5,-179.99", "71.29,-156.79"],
)
def test_searches_anywhere_on_earth_answer(client: TestClient, near: str) -> None:
    # Near a pole the circle spans every longitude; it must still be one bounded statement.
    r = client.get("/api/v1/providers", params={"near": near, "radius_km": 400})
    assert r.status_code == 200, r.text
    assert r.json()["total"] >= 0


@pytest.mark.parametrize(
    "params",
    [
        {"near": "90.5,0"},
        {"near": "0,180.01"},
        {"near": "-91,0"},
        {"near": "0,-181"},
        {"near": "0,0", "radius_km": 401},
        {"near": "0,0", "radius_km": -1},
        {"near": "0,0", "radius_km": "nan"},
        {"near": "0,0", "radius_km": "inf"},
        {"near": "97201", "type": "podiatrist", "taxonomy": "213E00000X"},
    ],
)
def test_out_of_range_places_are_problems(client: TestClient, params: dict[str, object]) -> None:
    r = client.get("/api/v1/providers", params=params)
    assert 400 <= r.status_code < 500, r.text
    assert r.headers["content-type"].startswith("application/problem+json")


def _adak_file(tmp_path: Path) -> tuple[Path, str]:
    """A one-provider NPPES file whose practice is on Adak, Alaska (176.6 W)."""
    header = next(csv.reader([header_line()]))
    idx = {name: i for i, name in enumerate(header)}
    line = next(generate_rows(1, seed=5, relevant_share=1.0, deactivated_share=0.0))
    f = next(csv.reader([line]))
    for name in (col.POSTAL, "Provider Business Mailing Address Postal Code"):
        f[idx[name]] = "995460001"
    f[idx[col.CITY]], f[idx[col.STATE]] = "ADAK", "AK"
    path = tmp_path / "adak.csv"
    path.write_text(header_line() + "\n" + '"' + '","'.join(f) + '"\n', encoding="latin-1")
    return path, f[idx[col.NPI]]


def test_a_search_across_the_antimeridian_finds_the_other_side(
    client: TestClient, directory_engine: Engine, tmp_path: Path
) -> None:
    path, npi = _adak_file(tmp_path)
    import_nppes(directory_engine, path, incremental=True)
    for near in ("51.8,179.6", "51.88,-176.66"):
        r = client.get("/api/v1/providers", params={"near": near, "radius_km": 300})
        assert r.status_code == 200, r.text
        assert npi in [p["npi"] for p in r.json()["results"]], near
        assert r.json()["total"] >= 1


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
