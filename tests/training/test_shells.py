"""The thin shells: the JSON API (multipart, limits, problem+json), the CLI (tables, JSON,
exit 2) and the page (upload, confirm into the assessment, plan, .ics)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from stridewise.cli.main import app as cli_app
from stridewise.settings import Settings
from stridewise.training.models import Sport
from stridewise.training.synthetic import SyntheticRun, fit_bytes, gpx_bytes, history, strava_export
from stridewise.web.app import create_app

END = datetime(2026, 11, 29, tzinfo=UTC)


def _export() -> bytes:
    runs = history(weeks=16, end=END - timedelta(days=7), seed=5)
    runs.append(
        SyntheticRun(END - timedelta(days=1), Sport.run, 24_000, 8_000, 90, 150, "Pegasus 39")
    )
    return strava_export(runs)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    return TestClient(create_app(Settings(data_dir=tmp_path_factory.mktemp("training"))))


def test_api_reads_a_strava_zip(client: TestClient) -> None:
    resp = client.post("/api/v1/training-load", files=[("files", ("export.zip", _export()))])
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert len(body["weeks"]) == 12
    assert body["summary"]["runs"] > 40
    assert body["patterns"][0]["id"] == "session_spike"
    assert body["findings"][0]["id"] == "rf_mileage_jump"
    # A confirmed finding goes to the assessment through its public answers input.
    answers = {f["id"]: "present" for f in body["findings"]}
    out = client.post(
        "/api/v1/assessments", json={"text": "my shin hurts when I run", "answers": answers}
    )
    assert out.status_code == 200
    assert any(
        f["id"] == "rf_mileage_jump" and f["status"] == "present" for f in out.json()["findings"]
    )


def test_api_lists_bad_files_and_refuses_bad_requests(client: TestClient) -> None:
    resp = client.post(
        "/api/v1/training-load",
        files=[
            ("files", ("a.gpx", b"<gpx")),
            ("files", ("b.exe", b"MZ")),
            ("files", ("c.gpx", gpx_bytes(SyntheticRun(END, Sport.run, 5000, 1600)))),
        ],
    )
    assert resp.status_code == 200
    assert {p["kind"] for p in resp.json()["problems"]} == {"corrupt", "foreign_type"}
    none = client.post("/api/v1/training-load", files=[("other", ("a.gpx", b"x"))])
    assert none.status_code == 422 and none.headers["content-type"] == "application/problem+json"
    many = client.post(
        "/api/v1/training-load", files=[("files", (f"{i}.gpx", b"x")) for i in range(25)]
    )
    assert many.status_code == 413 and many.json()["type"] == "/problems/too-many-files"
    allbad = client.post("/api/v1/training-load", files=[("files", ("a.gpx", b""))])
    assert allbad.status_code == 422 and allbad.json()["type"] == "/problems/no-activities"
    assert allbad.json()["problems"][0]["kind"] == "empty"
    notform = client.post(
        "/api/v1/training-load", content=b"{}", headers={"content-type": "application/json"}
    )
    assert notform.status_code == 422
    huge = client.post(
        "/api/v1/training-load",
        content=b"x",
        headers={"content-type": "multipart/form-data; boundary=x", "content-length": str(10**10)},
    )
    assert huge.status_code == 413


def test_cli_tables_json_and_exit_2(tmp_path: Path) -> None:
    z = tmp_path / "export.zip"
    z.write_bytes(_export())
    f = tmp_path / "one.fit"
    f.write_bytes(fit_bytes(SyntheticRun(END, Sport.run, 9000, 2900)))
    runner = CliRunner()
    out = runner.invoke(cli_app, ["load", str(z), str(f)])
    assert out.exit_code == 0, out.output
    assert "Last 12 weeks" in out.output and "A run much longer" in out.output
    js = runner.invoke(cli_app, ["load", "--json", str(z)])
    assert json.loads(js.output)["findings"][0]["id"] == "rf_mileage_jump"
    bad = tmp_path / "notes.txt"
    bad.write_text("hello")
    for args in ([str(bad)], [str(tmp_path / "missing.gpx")]):
        res = runner.invoke(cli_app, ["load", *args])
        assert res.exit_code == 2
        assert res.output.count("\n") <= 1 and res.output.startswith("error:")


def _csrf(client: TestClient, path: str) -> str:
    page = client.get(path)
    m = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    return m.group(1) if m else ""


def test_page_upload_confirm_and_ics(client: TestClient) -> None:
    page = client.get("/training")
    assert page.status_code == 200 and "discarded" in page.text
    resp = client.post(
        "/training",
        data={"uploading": "1", "text": "pain on the inside of my shin when I run", "age": "35"},
        files=[("files", ("export.zip", _export()))],
    )
    assert resp.status_code == 200, resp.text[:500]
    html = resp.text
    assert "What your training shows" in html and "<svg" in html and "<table>" in html
    assert 'value="rf_mileage_jump=present"' in html
    assert "The way back to running" in html and "Add to my calendar" in html
    token = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert token
    ics = client.post(
        "/training/plan.ics",
        data={"text": "pain on the inside of my shin when I run", "run_minutes": "40",
              "runs_per_week": "4", "start": "2026-12-07", "csrf_token": token.group(1)},
    )  # fmt: skip
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in ics.content
    result = client.post(
        "/result",
        data={"text": "pain on the inside of my shin when I run", "step": "rf_mileage_jump=present",
              "csrf_token": token.group(1)},
    )  # fmt: skip
    assert result.status_code == 200 and "Your result" in result.text
    assert "Add my training history" in result.text


def test_page_bad_uploads_are_friendly(client: TestClient) -> None:
    resp = client.post("/training", data={"uploading": "1"}, files=[("files", ("x.exe", b"MZ"))])
    assert resp.status_code == 422 and "skipped" in resp.text
    empty = client.post("/training", data={"uploading": "1"}, files=[("files", ("", b""))])
    assert empty.status_code == 422 and "choose one or more files" in empty.text
    picked = client.post(
        "/training", data={"condition": "ankle_sprain", "csrf_token": _csrf(client, "/training")}
    )
    assert picked.status_code == 200 and "hop 10 times" in picked.text
