"""A corpus of hostile inputs against every endpoint, on SQLite and PostgreSQL: NUL and control
characters in every text field, ids beyond the database's integer range, deeply nested JSON,
oversized bodies, loose types and an unknown answer inside an appointment request. Each must be
a 4xx (problem+json on the API), never a 500, and the server must keep answering."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from connect.conftest import make_operator, runner_request, sign_in, verified_provider

NUL, ESC = "\x00", "\x1b"
HUGE_ID = 10**20
INT_EDGE = 2**31  # one past PostgreSQL INTEGER


@dataclass(frozen=True)
class Case:
    id: str
    method: str
    path: str  # formatted with {npi}, {claim}, {req}, {token}
    json: Any = None
    who: str = ""  # "", "provider" or "operator"
    content: bytes | None = None
    form: dict[str, str] | None = None


def _request(**change: Any) -> dict[str, Any]:
    body = runner_request()
    body.update(change)
    return body


def _profile(**change: Any) -> dict[str, Any]:
    return {"running_focus": True, "services": ["gait_analysis"], **change}


def _text_cases() -> list[Case]:
    cases = []
    for bad in (NUL, ESC):
        tag = "nul" if bad == NUL else "esc"
        for field in ("name", "email", "phone", "preferred_times", "message"):
            value = f"rita{bad}@example.org" if field == "email" else f"x{bad}y"
            cases.append(
                Case(
                    f"request-{field}-{tag}",
                    "POST",
                    "/api/v1/providers/{npi}/requests",
                    _request(**{field: value}),
                )
            )
        cases += [
            Case(f"request-assessment-{tag}", "POST", "/api/v1/providers/{npi}/requests",
                 _request(assessment={"text": f"heel{bad}pain"})),
            Case(f"request-answer-key-{tag}", "POST", "/api/v1/providers/{npi}/requests",
                 _request(assessment={"text": "heel", "answers": {f"a{bad}": "present"}})),
            Case(f"signup-email-{tag}", "POST", "/api/v1/accounts",
                 {"email": f"a{bad}@example.org", "password": "long enough password"}),
            Case(f"signup-password-{tag}", "POST", "/api/v1/accounts",
                 {"email": "new@example.org", "password": f"long enough{bad}password"}),
            Case(f"signup-name-{tag}", "POST", "/api/v1/accounts",
                 {"email": "n@example.org", "password": "long enough password",
                  "display_name": f"Dr{bad}"}),
            Case(f"login-email-{tag}", "POST", "/api/v1/session",
                 {"email": f"a{bad}@example.org", "password": "x"}),
            Case(f"login-password-{tag}", "POST", "/api/v1/session",
                 {"email": "a@example.org", "password": f"x{bad}"}),
            Case(f"claim-npi-{tag}", "POST", "/api/v1/provider/claims",
                 {"npi": f"12345{bad}7890"}, "provider"),
            Case(f"claim-code-{tag}", "POST", "/api/v1/provider/claims/{claim}/verify",
                 {"code": f"12{bad}456"}, "provider"),
            Case(f"reply-{tag}", "POST", "/api/v1/provider/requests/{req}/reply",
                 {"decision": "accept", "message": f"See you{bad}"}, "provider"),
            Case(f"assess-text-{tag}", "POST", "/api/v1/assessments", {"text": f"heel{bad}"}),
            Case(f"interview-text-{tag}", "POST", "/api/v1/interview/next",
                 {"text": f"heel{bad}"}),
            Case(f"status-token-{tag}", "GET", f"/api/v1/requests/abc{bad}def"),
            Case(f"withdraw-token-{tag}", "DELETE", f"/api/v1/requests/abc{bad}def"),
            Case(f"profile-npi-{tag}", "GET", f"/api/v1/providers/12345{bad}789/profile"),
            Case(f"search-near-{tag}", "GET", f"/api/v1/providers?near=97201{bad}"),
            Case(f"search-q-{tag}", "GET", f"/api/v1/providers?near=97201&q=a{bad}"),
            Case(f"page-form-{tag}", "POST", "/providers/{npi}/request",
                 form={"name": f"Rita{bad}", "email": "rita@example.org"}),
        ]  # fmt: skip
        for field in ("sports_focus", "booking_url"):
            value = f"https://x{bad}" if field == "booking_url" else f"trail{bad}"
            cases.append(Case(f"profile-{field}-{tag}", "PUT", "/api/v1/provider/profiles/{npi}",
                              _profile(**{field: value}), "provider"))  # fmt: skip
        for field in ("sports_treated", "languages", "insurance"):
            cases.append(Case(f"profile-{field}-{tag}", "PUT", "/api/v1/provider/profiles/{npi}",
                              _profile(**{field: [f"a{bad}b"]}), "provider"))  # fmt: skip
    return cases


def _deep(depth: int) -> bytes:
    return b'{"text": ' + b"[" * depth + b"]" * depth + b"}"


CASES = [
    *_text_cases(),
    # Ids beyond the database's integer range.
    Case("inbox-huge-id", "GET", f"/api/v1/provider/requests/{HUGE_ID}", who="provider"),
    Case("inbox-int-edge", "GET", f"/api/v1/provider/requests/{INT_EDGE}", who="provider"),
    Case("reply-huge-id", "POST", f"/api/v1/provider/requests/{HUGE_ID}/reply",
         {"decision": "accept", "message": ""}, "provider"),
    Case("verify-huge-id", "POST", f"/api/v1/provider/claims/{HUGE_ID}/verify",
         {"code": "123456"}, "provider"),
    Case("decide-huge-id", "POST", f"/api/v1/operator/claims/{HUGE_ID}/approve", who="operator"),
    Case("decide-int-edge", "POST", f"/api/v1/operator/claims/{INT_EDGE}/approve", who="operator"),
    Case("page-inbox-huge-id", "GET", f"/provider/inbox/{HUGE_ID}", who="provider"),
    Case("negative-id", "GET", "/api/v1/provider/requests/-1", who="provider"),
    # Nesting, size and types.
    Case("assess-deep-json", "POST", "/api/v1/assessments", content=_deep(100_000)),
    Case("assess-deep-33", "POST", "/api/v1/assessments", content=_deep(40)),
    Case("request-deep-json", "POST", "/api/v1/providers/{npi}/requests", content=_deep(5000)),
    Case("assess-huge-body", "POST", "/api/v1/assessments",
         content=b'{"text": "' + b"a" * (2 * 1024 * 1024) + b'"}'),
    Case("assess-age-true", "POST", "/api/v1/assessments", {"text": "heel pain", "age": True}),
    Case("assess-age-string", "POST", "/api/v1/assessments", {"text": "heel pain", "age": "41"}),
    Case("assess-age-float", "POST", "/api/v1/assessments", {"text": "heel pain", "age": 41.5}),
    Case("assess-long-text", "POST", "/api/v1/assessments", {"text": "a" * 5001}),
    Case("request-unknown-answer", "POST", "/api/v1/providers/{npi}/requests",
         _request(assessment={"text": "heel pain", "answers": {"no_such_question": "present"}})),
    Case("request-long-name", "POST", "/api/v1/providers/{npi}/requests", _request(name="a" * 121)),
    Case("search-pole-radius", "GET", "/api/v1/providers?near=90,0&radius_km=401"),
    Case("search-lat-range", "GET", "/api/v1/providers?near=91,0"),
]  # fmt: skip


@pytest.fixture
def world(client: TestClient, engine: Engine) -> dict[str, Any]:
    """A verified provider with one request in its inbox and one pending claim; an operator."""
    prov = verified_provider(engine)
    token = client.post(f"/api/v1/providers/{prov.npi}/requests", json=runner_request()).json()[
        "token"
    ]
    sign_in(client, prov.email)
    req = client.get("/api/v1/provider/requests").json()[0]["id"]
    other = verified_provider(engine)  # a listing to claim
    claim = client.post("/api/v1/provider/claims", json={"npi": other.npi}).json().get("id", 1)
    client.cookies.clear()
    return {
        "npi": prov.npi,
        "token": token,
        "req": req,
        "claim": claim,
        "provider": prov.email,
        "operator": make_operator(engine),
    }


@pytest.mark.parametrize(
    "who", ["", "provider", "operator"], ids=["anyone", "provider", "operator"]
)
def test_hostile_input_is_a_4xx_problem(
    client: TestClient, world: dict[str, Any], who: str
) -> None:
    """Every case of the corpus sent by ``who`` (one signed-in client per role: signing in costs
    an argon2 hash); the failures are listed by case id."""
    if who:
        sign_in(client, world[who])
    cases = [c for c in CASES if c.who == who]
    assert cases
    failures = []
    for case in cases:
        path = quote(case.path.format(**world), safe="/?=&,:")
        headers = {"accept": "text/html"} if case.form is not None else {}
        if case.content is not None:
            headers["content-type"] = "application/json"
        r = client.request(
            case.method, path, json=case.json, content=case.content, data=case.form, headers=headers
        )
        problem = r.headers.get("content-type", "").startswith("application/problem+json")
        if not 400 <= r.status_code < 500 or (path.startswith("/api/") and not problem):
            failures.append(f"{case.id}: {r.status_code} {r.text[:200]}")
        elif "Traceback" in r.text:
            failures.append(f"{case.id}: traceback in the response")
    assert not failures, "\n".join(failures)
    assert client.get("/healthz").status_code == 200  # the server still answers
