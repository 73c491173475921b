"""``POST /api/v1/assessments``: the same contract as the CLI; bad bodies get problem details."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

import stridewise
from stridewise.engine import Engine
from stridewise.settings import Settings
from stridewise.web.app import create_app
from stridewise.web.cpu import INLINE_TEXT_CHARS

URL = "/api/v1/assessments"
JSON = {"Content-Type": "application/json"}
PF = "The bottom of my heel stabs with my first steps in the morning and eases once I get going"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    return TestClient(create_app(Settings(data_dir=tmp_path_factory.mktemp("api"))))


def post(client: TestClient, body: Any) -> Any:
    return client.post(URL, json=body, headers=JSON)


def test_assessment_follows_the_contract(engine: Engine, client: TestClient) -> None:
    resp = post(client, {"text": PF, "age": 48, "sex": "male", "answers": {"swelling": "absent"}})
    assert resp.status_code == 200, resp.text
    out = resp.json()
    assert out["triage"]["level"] in ("self_care", "consult")
    assert out["triage"]["reasons"]
    conds = out["conditions"]
    assert len(conds) >= 5
    probs = [c["probability"] for c in conds]
    assert probs == sorted(probs, reverse=True)
    assert sum(probs) <= 1.0 + 1e-6
    assert conds[0]["id"] == "plantar_fasciitis"
    for c in conds:
        assert {"id", "name", "probability", "supporting", "opposing"} <= c.keys()
    kb = engine.kb
    assert out["specialists"]
    for s in out["specialists"]:
        assert s["id"] in kb.provider_types and s["why"]
    swelling = next(f for f in out["findings"] if f["id"] == "swelling")
    assert swelling == {**swelling, "status": "absent", "source": "answer"}
    assert out["self_care"]
    assert "not a diagnosis" in out["disclaimer"].lower()
    assert out["versions"] == {"engine": stridewise.__version__, "kb": kb.version}


def test_red_flag_gives_emergency(client: TestClient) -> None:
    resp = post(client, {"text": f"{PF}. Now my calf is swollen and I'm short of breath."})
    assert resp.status_code == 200
    assert resp.json()["triage"]["level"] == "emergency"


def test_same_result_as_the_library(client: TestClient) -> None:
    body = {"text": "black toenail after a hilly marathon", "age": 33}
    resp = post(client, body)
    assert resp.status_code == 200
    expected = stridewise.assess(body["text"], age=33).model_dump(mode="json")  # type: ignore[arg-type]
    assert resp.json() == expected


def test_long_text_same_result_as_the_library(client: TestClient) -> None:
    # Past INLINE_TEXT_CHARS the engine runs in the threadpool instead of on the event loop.
    text = (
        "My left heel has hurt for six weeks, sharp with the first steps out of bed and "
        "again after sitting at my desk; it eases once I am warm and comes back after "
        "long runs. "
    ) * 8
    assert len(text) > INLINE_TEXT_CHARS
    resp = post(client, {"text": text, "age": 41, "sex": "female"})
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"] == "application/json"
    expected = stridewise.assess(text, age=41, sex="female").model_dump(mode="json")
    assert resp.json() == expected


def test_long_text_unknown_answer_is_422_problem_json(client: TestClient) -> None:
    body = {"text": "sore heel " * 150, "answers": {"no_such_finding": "present"}}
    resp = post(client, body)
    assert resp.status_code == 422
    assert resp.headers["content-type"].startswith("application/problem+json")


def test_openapi_declares_the_result_model(client: TestClient) -> None:
    # The route returns its JSON pre-serialised; the spec must still name the typed model.
    op = client.get("/openapi.json").json()["paths"][URL]["post"]
    schema = op["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/AssessmentResult"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "text"),
        ({"text": ""}, "text"),
        ({"text": "x" * 5001}, "text"),
        ({"text": "sore heel", "sex": "other"}, "sex"),
        ({"text": "sore heel", "age": "old"}, "age"),
        ({"text": "sore heel", "answers": {"swelling": "maybe"}}, "answers"),
        ({"text": "sore heel", "colour": "blue"}, "colour"),
        (["not", "an", "object"], "body"),
    ],
    ids=[
        "missing-text",
        "empty-text",
        "too-long",
        "bad-sex",
        "bad-age",
        "bad-answer",
        "extra-field",
        "not-object",
    ],
)
def test_bad_body_is_422_problem_json(client: TestClient, body: Any, field: str) -> None:
    resp = post(client, body)
    assert resp.status_code == 422
    assert resp.headers["content-type"].startswith("application/problem+json")
    problem = resp.json()
    assert problem["status"] == 422
    assert problem["title"]
    assert field in problem["detail"]


def test_unknown_answer_id_is_422_problem_json(client: TestClient) -> None:
    resp = post(client, {"text": "sore heel", "answers": {"no_such_finding": "present"}})
    assert resp.status_code == 422
    assert resp.headers["content-type"].startswith("application/problem+json")
    assert "no_such_finding" in resp.json()["detail"]


def test_malformed_json_is_a_4xx_problem(client: TestClient) -> None:
    resp = client.post(URL, content=b"{not json", headers=JSON)
    assert 400 <= resp.status_code < 500
    assert resp.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("raw", [b'{"text": "heel pain"', b"\xff\xfe", b'{"text": "a",}'])
def test_malformed_json_names_the_body_not_a_number(client: TestClient, raw: bytes) -> None:
    resp = client.post(URL, content=raw, headers=JSON)
    assert resp.status_code == 422
    assert resp.headers["content-type"].startswith("application/problem+json")
    problem = resp.json()
    assert problem["errors"][0]["field"] == "body"
    assert problem["detail"].startswith("body: not valid JSON at character ")
