"""POST /api/v1/interview/next and GET /api/v1/questions."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from stridewise.settings import Settings
from stridewise.web.app import create_app

JSON = {"Content-Type": "application/json"}


def client(tmp_path: Path) -> TestClient:
    return TestClient(create_app(Settings(data_dir=tmp_path)))


def test_next_returns_a_question_and_the_assessment(tmp_path: Path) -> None:
    r = client(tmp_path).post(
        "/api/v1/interview/next",
        headers=JSON,
        json={"text": "rolled my ankle, swollen", "age": 30, "sex": "male"},
    )
    assert r.status_code == 200
    body = r.json()
    assert body["should_stop"] is False
    assert body["question"]["id"] and body["question"]["why"]
    assert len(body["assessment"]["conditions"]) >= 5


def test_unknown_answer_id_is_a_problem(tmp_path: Path) -> None:
    r = client(tmp_path).post(
        "/api/v1/interview/next",
        headers=JSON,
        json={"text": "sore heel", "answers": {"bogus_id": "present"}},
    )
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "bogus_id" in r.json()["detail"]


def test_bad_answer_value_is_a_problem(tmp_path: Path) -> None:
    r = client(tmp_path).post(
        "/api/v1/interview/next",
        headers=JSON,
        json={"text": "sore heel", "answers": {"swelling": "maybe"}},
    )
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")


def test_question_bank_lists_stable_ids(tmp_path: Path) -> None:
    r = client(tmp_path).get("/api/v1/questions")
    assert r.status_code == 200
    ids = {q["id"] for q in r.json()["questions"]}
    assert {"age", "sex", "choice:where", "cannot_tiptoe", "cannot_bear_weight"} <= ids
