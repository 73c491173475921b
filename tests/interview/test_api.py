"""POST /api/v1/interview/next and GET /api/v1/questions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from stridewise.engine import Engine
from stridewise.settings import Settings
from stridewise.web.app import create_app

JSON = {"Content-Type": "application/json"}
ENGINE = Engine.load()


def client(tmp_path: Path) -> TestClient:
    return TestClient(create_app(Settings(data_dir=tmp_path), ENGINE))


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


def _next(tmp_path: Path, answers: dict[str, str]) -> Any:
    body = {"text": "my foot hurts when I run", "age": 40, "sex": "female", "answers": answers}
    return client(tmp_path).post("/api/v1/interview/next", headers=JSON, json=body)


def test_a_single_choice_question_is_answered_by_its_own_id(tmp_path: Path) -> None:
    """The API emits ``choice:where``; the same id is a valid answer key."""
    by_choice = _next(tmp_path, {"choice:where": "loc_arch"})
    assert by_choice.status_code == 200, by_choice.text
    findings = {f["id"]: f["status"] for f in by_choice.json()["assessment"]["findings"]}
    assert findings["loc_arch"] == "present"
    # ...and means exactly what the finding id answer means.
    by_finding = _next(tmp_path, {"loc_arch": "present"})
    assert by_choice.json() == by_finding.json()
    assert by_choice.json()["asked"] == 1


def test_a_single_choice_question_answered_unknown_is_not_asked_again(tmp_path: Path) -> None:
    answers = {"cannot_bear_weight": "absent", "choice:where": "unknown"}
    r = _next(tmp_path, answers)
    assert r.status_code == 200, r.text
    question = r.json()["question"]
    assert question is None or question["id"] != "choice:where"


@pytest.mark.parametrize(
    "answers",
    [
        {"choice:where": "loc_calf_bogus"},
        {"choice:where": "present"},
        {"choice:nope": "unknown"},
        {"swelling": "loc_arch"},
        {"x" * 101: "present"},
    ],
)
def test_a_bad_choice_answer_is_a_422_problem(tmp_path: Path, answers: dict[str, str]) -> None:
    r = _next(tmp_path, answers)
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
