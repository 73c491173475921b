"""Idempotency-Key on the POSTs that create things: a retry replays the first answer and creates
nothing; another body with the same key is refused; nothing readable is stored."""

from __future__ import annotations

import re
import uuid
from concurrent.futures import ThreadPoolExecutor

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from connect.conftest import (
    PASSWORD,
    SECRET_WORDS,
    add_listing,
    new_npi,
    runner_request,
    unique_email,
    verified_provider,
)
from stridewise.connect.models import (
    Account,
    AppointmentRequest,
    Claim,
    IdempotentResponse,
    OutboxMail,
)
from stridewise.settings import Settings
from stridewise.web.app import create_app


def key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


def count(engine: Engine, model: type, *where: object) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def test_retried_request_is_replayed_not_duplicated(client: TestClient, engine: Engine) -> None:
    prov = verified_provider(engine)
    url = f"/api/v1/providers/{prov.npi}/requests"
    headers = key()
    first = client.post(url, json=runner_request(), headers=headers)
    again = client.post(url, json=runner_request(), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert count(engine, AppointmentRequest, AppointmentRequest.npi == prov.npi) == 1
    with engine.connect() as conn:
        bodies = conn.scalars(select(IdempotentResponse.body)).all()
    token = first.json()["token"]
    assert not any(token in b or SECRET_WORDS in b for b in bodies)  # sealed, not readable
    # Without a key each POST is a new request, as before.
    assert client.post(url, json=runner_request()).json()["token"] != token


def test_same_key_other_body_or_bad_key_is_refused(client: TestClient, engine: Engine) -> None:
    prov = verified_provider(engine)
    url = f"/api/v1/providers/{prov.npi}/requests"
    headers = key()
    assert client.post(url, json=runner_request(), headers=headers).status_code == 201
    other = client.post(url, json=runner_request(message="changed"), headers=headers)
    assert other.status_code == 422
    assert other.headers["content-type"] == "application/problem+json"
    for bad in ("short", "x" * 256, "has space in it, sixteen+"):
        r = client.post(url, json=runner_request(), headers={"Idempotency-Key": bad})
        assert r.status_code == 400, bad
        assert r.headers["content-type"] == "application/problem+json"
    assert count(engine, AppointmentRequest, AppointmentRequest.npi == prov.npi) == 1


def test_concurrent_retries_create_once(app: FastAPI, engine: Engine) -> None:
    prov = verified_provider(engine)
    url = f"/api/v1/providers/{prov.npi}/requests"
    headers = key()

    def send(_: int) -> tuple[int, str]:
        with TestClient(app) as c:
            r = c.post(url, json=runner_request(share=False), headers=headers)
            return r.status_code, r.json().get("token", "")

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(send, range(4)))
    assert {status for status, _ in results} == {201}
    assert len({token for _, token in results}) == 1
    assert count(engine, AppointmentRequest, AppointmentRequest.npi == prov.npi) == 1


def test_sign_up_replay_signs_in_again(app: FastAPI, engine: Engine) -> None:
    email = unique_email()
    body = {"email": email, "password": PASSWORD}
    headers = key()
    with TestClient(app) as first, TestClient(app) as retry:
        a = first.post("/api/v1/accounts", json=body, headers=headers)
        b = retry.post("/api/v1/accounts", json=body, headers=headers)
        assert a.status_code == b.status_code == 201 and a.json() == b.json()
        assert retry.get("/api/v1/provider/claims").status_code == 200  # a working session
        wrong = retry.post(
            "/api/v1/accounts", json={**body, "password": "another password"}, headers=headers
        )
        assert wrong.status_code == 422
    assert count(engine, Account, Account.email == email) == 1


def test_claim_retry_sends_one_code(client: TestClient, engine: Engine) -> None:
    npi = new_npi()
    add_listing(engine, npi)
    email = unique_email()
    assert client.post("/api/v1/accounts", json={"email": email, "password": PASSWORD}).is_success
    headers = key()
    a = client.post("/api/v1/provider/claims", json={"npi": npi}, headers=headers)
    b = client.post("/api/v1/provider/claims", json={"npi": npi}, headers=headers)
    assert a.status_code == b.status_code == 201 and a.json() == b.json()
    assert count(engine, Claim, Claim.npi == npi) == 1
    assert count(engine, OutboxMail, OutboxMail.recipient == email) == 1


def test_keys_are_per_account(app: FastAPI, engine: Engine) -> None:
    """Another account reusing someone's key gets its own result, never theirs."""
    npi = new_npi()
    add_listing(engine, npi)
    headers = key()
    ids = []
    for _ in range(2):
        with TestClient(app) as c:
            body = {"email": unique_email(), "password": PASSWORD}
            assert c.post("/api/v1/accounts", json=body).status_code == 201
            r = c.post("/api/v1/provider/claims", json={"npi": npi}, headers=headers)
            assert r.status_code == 201 and "idempotent-replayed" not in r.headers
            ids.append(r.json()["id"])
    assert ids[0] != ids[1]


def test_expired_key_may_be_used_again(settings: Settings, engine: Engine) -> None:
    prov = verified_provider(engine)
    brief = create_app(settings.model_copy(update={"idempotency_ttl_hours": 1e-9}))
    url = f"/api/v1/providers/{prov.npi}/requests"
    headers = key()
    with TestClient(brief) as c:
        a = c.post(url, json=runner_request(share=False), headers=headers)
        b = c.post(url, json=runner_request(share=False), headers=headers)
    assert a.status_code == b.status_code == 201
    assert a.json()["token"] != b.json()["token"]
    assert count(engine, AppointmentRequest, AppointmentRequest.npi == prov.npi) == 2


def test_request_form_sent_twice_makes_one_request(client: TestClient, engine: Engine) -> None:
    """The form carries its own key, so a double press of Send stores one request."""
    prov = verified_provider(engine)
    page = client.get(f"/providers/{prov.npi}/request")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    form_key = re.search(r'name="idempotency_key" value="([^"]+)"', page.text)
    assert csrf and form_key
    data = {
        "csrf_token": csrf.group(1),
        "idempotency_key": form_key.group(1),
        "name": "Rita",
        "email": "rita@example.org",
        "message": "Twice pressed",
    }
    url = f"/providers/{prov.npi}/request"
    first = client.post(url, data=data, follow_redirects=False)
    second = client.post(url, data=data, follow_redirects=False)
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    assert count(engine, AppointmentRequest, AppointmentRequest.npi == prov.npi) == 1
    # A fresh form is a fresh request.
    fresh = client.get(url)
    fresh_key = re.search(r'name="idempotency_key" value="([^"]+)"', fresh.text)
    assert fresh_key and fresh_key.group(1) != form_key.group(1)
    third = client.post(
        url, data={**data, "idempotency_key": fresh_key.group(1)}, follow_redirects=False
    )
    assert third.headers["location"] != first.headers["location"]
    assert count(engine, AppointmentRequest, AppointmentRequest.npi == prov.npi) == 2
