"""GET /about and its JSON twin: one accuracy row per evaluation set, and a page that says
nothing was measured (instead of failing) when the metrics file is missing or malformed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from stridewise.about import load_metrics, metrics_path
from stridewise.settings import Settings
from stridewise.web.app import create_app


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    return TestClient(create_app(Settings(data_dir=tmp_path_factory.mktemp("about-app"))))


def test_one_row_per_evaluation_set(client: TestClient) -> None:
    recorded = json.loads(metrics_path().read_text(encoding="utf-8"))
    page = client.get("/about")
    assert page.status_code == 200
    facts = client.get("/api/v1/about").json()
    rows = facts["metrics"]["sets"]
    assert len(rows) == len(recorded["sets"]) >= 5
    for row in rows:
        # The API gives numbers; the page formats the same numbers for people.
        assert row["top1"] == recorded["sets"][row["id"]]["top1"]
        assert 0.0 <= row["top1"] <= 1.0 and isinstance(
            row["under_triaged_emergency_or_urgent"], int
        )
        assert f'<th scope="row">{row["label"]}</th>' in page.text
        assert f"<td>{row['top1'] * 100:.1f}%</td>" in page.text


@pytest.mark.parametrize("content", [None, "{not json", '{"measured": "x"}'])
def test_missing_or_malformed_metrics(tmp_path: Path, content: str | None) -> None:
    path = tmp_path / "metrics.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    assert load_metrics(path) is None


def test_favicon(client: TestClient) -> None:
    moved = client.get("/favicon.ico", follow_redirects=False)
    assert moved.status_code == 301
    icon = client.get(moved.headers["location"])
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    assert 'rel="icon"' in client.get("/about").text
