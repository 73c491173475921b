"""The runner's request through the JSON API, the provider's inbox and reply, withdraw, and
authorisation on every object (the other party's ids and tokens are 404)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from connect.conftest import runner_request, sign_in, verified_provider
from stridewise.connect.models import AppointmentRequest, OutboxMail


def test_request_reply_withdraw(client: TestClient, engine: Engine) -> None:
    prov = verified_provider(engine)
    r = client.post(f"/api/v1/providers/{prov.npi}/requests", json=runner_request())
    assert r.status_code == 201, r.text
    token = r.json()["token"]
    assert r.json()["status_url"].endswith(f"/requests/{token}")

    status = client.get(f"/api/v1/requests/{token}").json()
    assert status["status"] == "pending" and status["shared_summary"] is True

    sign_in(client, prov.email)
    inbox = client.get("/api/v1/provider/requests").json()
    assert [i["runner_name"] for i in inbox] == ["Rita Runner"]
    item = inbox[0]
    assert item["summary"]["runner_words"].startswith("Stabbing heel pain")
    assert item["summary"]["conditions"], "the summary snapshot lists conditions"

    r = client.post(
        f"/api/v1/provider/requests/{item['id']}/reply",
        json={"decision": "accept", "message": "Come Tuesday 9am"},
    )
    assert r.status_code == 200 and r.json()["status"] == "accepted"
    again = client.post(
        f"/api/v1/provider/requests/{item['id']}/reply", json={"decision": "decline", "message": ""}
    )
    assert again.status_code == 409

    status = client.get(f"/api/v1/requests/{token}").json()
    assert status["status"] == "accepted" and status["reply"] == "Come Tuesday 9am"

    with engine.connect() as conn:
        queued = conn.scalar(
            select(func.count()).select_from(OutboxMail).where(OutboxMail.request_id == item["id"])
        )
    assert queued == 3  # provider notice, runner confirmation, runner reply notice

    assert client.delete(f"/api/v1/requests/{token}").status_code == 204
    assert client.get(f"/api/v1/requests/{token}").status_code == 404
    assert client.delete(f"/api/v1/requests/{token}").status_code == 404
    with engine.connect() as conn:
        assert (
            conn.scalar(
                select(func.count())
                .select_from(AppointmentRequest)
                .where(AppointmentRequest.id == item["id"])
            )
            == 0
        )
        assert (
            conn.scalar(
                select(func.count())
                .select_from(OutboxMail)
                .where(OutboxMail.request_id == item["id"])
            )
            == 0
        )
    assert client.get("/api/v1/provider/requests").json() == []


def test_summary_only_with_consent(client: TestClient, engine: Engine) -> None:
    prov = verified_provider(engine)
    body = runner_request(share=False)
    body["assessment"] = {"text": "should not be stored"}
    r = client.post(f"/api/v1/providers/{prov.npi}/requests", json=body)
    assert r.status_code == 201
    sign_in(client, prov.email)
    [item] = client.get("/api/v1/provider/requests").json()
    assert item["summary"] is None


def test_other_party_ids_and_tokens_are_404(client: TestClient, engine: Engine) -> None:
    alice, bob = verified_provider(engine), verified_provider(engine)
    to_alice = client.post(f"/api/v1/providers/{alice.npi}/requests", json=runner_request())
    to_bob = client.post(f"/api/v1/providers/{bob.npi}/requests", json=runner_request())
    assert to_alice.status_code == to_bob.status_code == 201

    sign_in(client, bob.email)
    [bob_item] = client.get("/api/v1/provider/requests").json()
    sign_in(client, alice.email)
    [alice_item] = client.get("/api/v1/provider/requests").json()
    assert client.get(f"/api/v1/provider/requests/{bob_item['id']}").status_code == 404
    assert (
        client.post(
            f"/api/v1/provider/requests/{bob_item['id']}/reply", json={"decision": "decline"}
        ).status_code
        == 404
    )
    assert client.get(f"/api/v1/provider/profiles/{bob.npi}").status_code == 404
    assert client.put(f"/api/v1/provider/profiles/{bob.npi}", json={}).status_code == 404
    assert client.get("/api/v1/provider/requests/999999999").status_code == 404
    # Alice's own request is reachable, so the 404s above are about ownership.
    assert client.get(f"/api/v1/provider/requests/{alice_item['id']}").status_code == 200

    # Runners: a token shaped right but unknown, and a malformed one, are both 404.
    token = to_alice.json()["token"]
    forged = ("A" if token[0] != "A" else "B") + token[1:]
    assert client.get(f"/api/v1/requests/{forged}").status_code == 404
    assert client.delete(f"/api/v1/requests/{forged}").status_code == 404
    assert client.get("/api/v1/requests/not-a-token").status_code == 404
    # A runner's token is no key to the provider side.
    client.delete("/api/v1/session")
    client.cookies.clear()
    assert client.get("/api/v1/provider/requests").status_code == 401


def test_bad_input_is_4xx_problem(client: TestClient, engine: Engine) -> None:
    prov = verified_provider(engine)
    url = f"/api/v1/providers/{prov.npi}/requests"
    cases = [
        {"name": "No contact"},
        {"name": "", "email": "a@b.org"},
        {"name": "X", "email": "not-an-email"},
        {"name": "X", "email": "a@b.org", "share_summary": True},
        {"name": "X", "email": "a@b.org", "message": "m" * 2001},
        {"name": "X", "email": "a@b.org", "unexpected": 1},
    ]
    for body in cases:
        r = client.post(url, json=body)
        assert r.status_code == 422, (body, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
    r = client.post(url, content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422
    unclaimed = client.post("/api/v1/providers/1234567893/requests", json=runner_request())
    assert unclaimed.status_code == 404
    assert unclaimed.json()["type"] == "/problems/provider-not-connected"
