"""Headers and CSP, CSRF on forms, session cookies, argon2, rate limits, and no health details
or message text in the logs."""

from __future__ import annotations

import logging
import random
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from connect.conftest import (
    PASSWORD,
    SECRET_WORDS,
    runner_request,
    unique_email,
    verified_provider,
)
from stridewise.connect.models import Account
from stridewise.settings import Settings
from stridewise.web.app import create_app


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "every post form carries a CSRF token"
    return match.group(1)


def test_security_headers_and_csp(client: TestClient) -> None:
    r = client.get("/provider/login")
    csp = r.headers["content-security-policy"]
    script_src = next(p for p in csp.split(";") if p.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'self'" in script_src
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "same-origin"
    assert r.headers["x-frame-options"] == "DENY"
    api = client.get("/api/v1/requests/x")
    assert api.status_code == 404 and "content-security-policy" in api.headers


def test_forms_need_csrf_token(client: TestClient, engine: Engine) -> None:
    email = unique_email()
    form = {"email": email, "password": PASSWORD}
    assert client.post("/provider/signup", data=form).status_code == 403  # no cookie, no token
    page = client.get("/provider/signup")
    token = csrf_from(page.text)
    assert client.post("/provider/signup", data={**form, "csrf_token": "x" * 43}).status_code == 403
    foreign = client.post(
        "/provider/signup",
        data={**form, "csrf_token": token},
        headers={"origin": "https://evil.example"},
    )
    assert foreign.status_code == 403
    ok = client.post("/provider/signup", data={**form, "csrf_token": token}, follow_redirects=False)
    assert ok.status_code == 303
    with engine.connect() as conn:
        stored = conn.scalar(select(Account.password_hash).where(Account.email == email))
    assert stored is not None and stored.startswith("$argon2id$") and PASSWORD not in stored


def test_session_cookie_flags(settings: Settings, engine: Engine) -> None:
    secure = create_app(settings.model_copy(update={"secure_cookies": True}))
    with TestClient(secure, base_url="https://testserver") as client:
        r = client.post("/api/v1/accounts", json={"email": unique_email(), "password": PASSWORD})
        assert r.status_code == 201
        cookie = next(
            v
            for k, v in r.headers.multi_items()
            if k == "set-cookie" and v.startswith("sw_session=")
        )
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie
        assert "strict-transport-security" in r.headers
        tampered = cookie.split(";")[0][:-2] + "xx"
        client.cookies.clear()
        bad = client.get("/api/v1/provider/requests", headers={"cookie": tampered})
        assert bad.status_code == 401


def test_login_and_request_rate_limits(settings: Settings, engine: Engine) -> None:
    prov = verified_provider(engine)
    tight = settings.model_copy(
        update={"rate_limit_login_per_minute": 3, "rate_limit_requests_per_hour": 2}
    )
    # Counters are shared through the database, so this test uses an address of its own.
    address = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(256)}"
    with TestClient(create_app(tight), client=(address, 50000)) as client:
        codes = [
            client.post(
                "/api/v1/session", json={"email": prov.email, "password": "wrong password!"}
            ).status_code
            for _ in range(4)
        ]
        assert codes == [401, 401, 401, 429]
        url = f"/api/v1/providers/{prov.npi}/requests"
        replies = [client.post(url, json=runner_request()) for _ in range(3)]
        assert [r.status_code for r in replies] == [201, 201, 429]
        refused = replies[-1]
        assert refused.headers["content-type"] == "application/problem+json"
        assert 1 <= int(refused.headers["retry-after"]) <= 3600


def test_no_health_details_or_message_in_logs(
    client: TestClient,
    engine: Engine,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    prov = verified_provider(engine)
    message = f"My message {SECRET_WORDS}"
    r = client.post(f"/api/v1/providers/{prov.npi}/requests", json=runner_request(message=message))
    assert r.status_code == 201
    token = r.json()["token"]
    client.post("/api/v1/session", json={"email": prov.email, "password": PASSWORD})
    client.get("/api/v1/provider/requests")
    client.get(f"/requests/{token}")
    # A failing mail logs too: make sure that path is clean as well.
    from fixtures.smtp import free_port
    from stridewise.connect.outbox import drain

    drain(engine, client.app.state.settings.model_copy(update={"smtp_port": free_port()}))
    out, err = capfd.readouterr()
    logged = caplog.text + out + err
    assert caplog.records, "something was logged, so the check means something"
    for secret in (SECRET_WORDS, "Stabbing heel pain", "weekday mornings", "rita@example.org"):
        assert secret not in logged
