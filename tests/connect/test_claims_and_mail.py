"""Claiming a listing (emailed code through a real SMTP server, then operator approval), the
profile and its ranking boost, and the outbox's delivery and retries."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete, select

from connect.conftest import (
    PASSWORD,
    add_listing,
    make_operator,
    new_npi,
    runner_request,
    sign_in,
    unique_email,
    verified_provider,
)
from fixtures.smtp import SmtpServer, free_port
from stridewise.connect.models import AppointmentRequest, OutboxMail, utcnow
from stridewise.connect.outbox import drain
from stridewise.directory.models import ProfileBoost
from stridewise.settings import Settings


@pytest.fixture(autouse=True)
def empty_outbox(engine: Engine) -> None:
    """The PostgreSQL database is shared by the session: start each mail test with no mail."""
    with engine.begin() as conn:
        conn.execute(delete(OutboxMail))


def test_claim_verify_approve_profile(
    client: TestClient, engine: Engine, settings: Settings, smtp_server: SmtpServer
) -> None:
    npi = new_npi()
    add_listing(engine, npi)
    email = unique_email()
    r = client.post("/api/v1/accounts", json={"email": email, "password": PASSWORD})
    assert r.status_code == 201, r.text
    assert client.post("/api/v1/provider/claims", json={"npi": "1234567890"}).status_code == 422
    assert client.post("/api/v1/provider/claims", json={"npi": "1234567893"}).status_code == 404
    claim = client.post("/api/v1/provider/claims", json={"npi": npi}).json()
    assert claim["status"] == "email_pending"

    assert drain(engine, settings).sent == 1
    [mail] = smtp_server.wait_for(1)
    assert mail["To"] == email
    code = re.search(r"is: (\d{6})", mail.get_content())
    assert code is not None

    wrong = "000000" if code.group(1) != "000000" else "111111"
    bad = client.post(f"/api/v1/provider/claims/{claim['id']}/verify", json={"code": wrong})
    assert bad.status_code == 422
    ok = client.post(f"/api/v1/provider/claims/{claim['id']}/verify", json={"code": code.group(1)})
    assert ok.json()["status"] == "awaiting_approval"
    # Not verified yet: no requests and no profile.
    assert client.get(f"/api/v1/provider/profiles/{npi}").status_code == 404
    assert (
        client.post(f"/api/v1/providers/{npi}/requests", json=runner_request()).status_code == 404
    )
    refused = client.get("/api/v1/operator/counts")
    assert refused.status_code == 403
    assert refused.json()["detail"] == "This needs an operator account."

    sign_in(client, make_operator(engine))
    assert claim["id"] in [c["id"] for c in client.get("/api/v1/operator/claims").json()]
    decided = client.post(f"/api/v1/operator/claims/{claim['id']}/approve", json={})
    assert decided.status_code == 200 and decided.json()["status"] == "approved"
    counts = client.get("/api/v1/operator/counts").json()
    assert counts["claims"]["approved"] >= 1
    assert set(counts) == {"requests", "claims", "outbox", "accounts"}

    sign_in(client, email)
    profile = {
        "running_focus": True,
        "sports_focus": "Distance running",
        "sports_treated": ["Running", "Triathlon"],
        "services": ["gait_analysis", "shockwave", "telehealth"],
        "accepting_new_patients": True,
        "languages": ["English", "Spanish"],
        "insurance": ["Aetna"],
        "booking_url": "https://example.org/book",
    }
    r = client.put(f"/api/v1/provider/profiles/{npi}", json=profile)
    assert r.status_code == 200 and r.json()["verified"] is True
    bad_link = client.put(
        f"/api/v1/provider/profiles/{npi}", json={**profile, "booking_url": "javascript:alert(1)"}
    )
    assert bad_link.status_code == 422
    with engine.connect() as conn:
        boost = conn.scalar(select(ProfileBoost.boost).where(ProfileBoost.npi == npi))
    assert boost == 20.0
    assert client.get(f"/api/v1/providers/{npi}/profile").json()["services"][0] == "gait_analysis"


def test_mail_delivered_after_commit_and_retried(
    client: TestClient, engine: Engine, settings: Settings, smtp_server: SmtpServer
) -> None:
    prov = verified_provider(engine)
    down = settings.model_copy(update={"smtp_port": free_port()})  # nothing listens there
    r = client.post(f"/api/v1/providers/{prov.npi}/requests", json=runner_request())
    assert r.status_code == 201
    token = r.json()["token"]

    report = drain(engine, down)
    assert report.retried == 2 and report.sent == 0
    with engine.connect() as conn:
        assert conn.scalar(select(AppointmentRequest.status)) is not None  # request kept
        errors = set(conn.scalars(select(OutboxMail.last_error)))
    assert errors == {"ConnectionRefusedError"}

    # Later, the server is back: the due retries go out.
    report = drain(engine, settings, now=utcnow() + timedelta(minutes=1))
    assert report.sent == 2
    mails = smtp_server.wait_for(2)
    by_to = {m["To"]: m.get_content() for m in mails}
    assert f"/requests/{token}" in by_to["rita@example.org"]
    provider_mail = by_to[prov.email]
    assert "Morning heel pain" not in provider_mail and "Stabbing" not in provider_mail
    with engine.connect() as conn:
        assert set(conn.scalars(select(OutboxMail.body))) == {""}  # bodies blanked once sent


def test_mail_gives_up_but_keeps_request(
    engine: Engine, settings: Settings, client: TestClient
) -> None:
    prov = verified_provider(engine)
    assert (
        client.post(f"/api/v1/providers/{prov.npi}/requests", json=runner_request()).status_code
        == 201
    )
    down = settings.model_copy(update={"smtp_port": free_port(), "mail_max_attempts": 2})
    drain(engine, down)
    report = drain(engine, down, now=utcnow() + timedelta(hours=1))
    assert report.failed == 2
    sign_in(client, prov.email)
    assert len(client.get("/api/v1/provider/requests").json()) == 1
