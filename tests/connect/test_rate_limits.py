"""Rate limits shared by every app server: counted in the database (or Redis), per address, per
account or email and per target; 429 problem+json with Retry-After."""

from __future__ import annotations

import random
import re
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from connect.conftest import (
    PASSWORD,
    add_listing,
    new_npi,
    runner_request,
    unique_email,
    verified_provider,
)
from stridewise.connect.models import RateCounter
from stridewise.connect.rate_limit import (
    Bucket,
    DatabaseCounters,
    RateLimited,
    RateLimiter,
    RedisCounters,
    Rule,
)
from stridewise.settings import Settings
from stridewise.web.app import create_app

REDIS_URL = "redis://127.0.0.1:6379/15"


def fresh_address() -> str:
    """Counters outlive a test on the shared PostgreSQL database: each test has its own IPs."""
    return f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"


def client_for(settings: Settings, address: str | None = None, **limits: Any) -> TestClient:
    app = create_app(settings.model_copy(update=limits))
    return TestClient(app, client=(address or fresh_address(), 50000))


def assert_limited(response: Any) -> None:
    assert response.status_code == 429, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert int(response.headers["retry-after"]) >= 1
    assert response.json()["status"] == 429


def test_login_spraying_many_emails_from_one_address(settings: Settings) -> None:
    with client_for(settings, rate_limit_login_per_address_per_hour=5) as c:
        codes = [
            c.post(
                "/api/v1/session", json={"email": unique_email(), "password": "guess guess"}
            ).status_code
            for _ in range(5)
        ]
        assert codes == [401] * 5
        assert_limited(
            c.post("/api/v1/session", json={"email": unique_email(), "password": "guess guess"})
        )


def test_login_guessing_one_account_from_many_addresses(settings: Settings, engine: Engine) -> None:
    prov = verified_provider(engine)
    app = create_app(settings.model_copy(update={"rate_limit_login_per_email_per_hour": 3}))
    codes = []
    for _ in range(4):
        with TestClient(app, client=(fresh_address(), 50000)) as c:
            codes.append(
                c.post("/api/v1/session", json={"email": prov.email, "password": "nope nope"})
            )
    assert [r.status_code for r in codes[:3]] == [401, 401, 401]
    assert_limited(codes[3])
    # The limit is on the email, not the spelling of it.
    with TestClient(app, client=(fresh_address(), 50000)) as c:
        upper = prov.email.upper()
        assert_limited(c.post("/api/v1/session", json={"email": upper, "password": PASSWORD}))


def test_signups_per_address(settings: Settings) -> None:
    with client_for(settings, rate_limit_signups_per_address_per_hour=2) as c:
        for _ in range(2):
            body = {"email": unique_email(), "password": PASSWORD}
            assert c.post("/api/v1/accounts", json=body).status_code == 201
        assert_limited(
            c.post("/api/v1/accounts", json={"email": unique_email(), "password": PASSWORD})
        )


def test_claim_codes_per_npi_per_day_across_accounts(settings: Settings, engine: Engine) -> None:
    npi = new_npi()
    add_listing(engine, npi)
    limits = {"rate_limit_claim_codes_per_npi_per_day": 3}
    with client_for(settings, **limits) as first, client_for(settings, **limits) as second:
        for c in (first, second):
            body = {"email": unique_email(), "password": PASSWORD}
            assert c.post("/api/v1/accounts", json=body).status_code == 201
        codes = [first.post("/api/v1/provider/claims", json={"npi": npi}) for _ in range(2)]
        assert [r.status_code for r in codes] == [201, 201]  # a restart re-sends the code
        assert second.post("/api/v1/provider/claims", json={"npi": npi}).status_code == 201
        assert_limited(second.post("/api/v1/provider/claims", json={"npi": npi}))
        assert_limited(first.post("/api/v1/provider/claims", json={"npi": npi}))
        # Another listing is not affected.
        other = new_npi()
        add_listing(engine, other)
        assert first.post("/api/v1/provider/claims", json={"npi": other}).status_code == 201


def test_code_guesses_per_npi_survive_restarting_the_claim(
    settings: Settings, engine: Engine
) -> None:
    npi = new_npi()
    add_listing(engine, npi)
    with client_for(settings, rate_limit_claim_guesses_per_npi_per_day=4) as c:
        body = {"email": unique_email(), "password": PASSWORD}
        assert c.post("/api/v1/accounts", json=body).status_code == 201
        claim_id = c.post("/api/v1/provider/claims", json={"npi": npi}).json()["id"]
        url = f"/api/v1/provider/claims/{claim_id}/verify"
        statuses = [c.post(url, json={"code": "000000"}).status_code for _ in range(3)]
        assert set(statuses) <= {422}
        # Restarting the claim resets the claim's own five tries, not the NPI's daily count.
        assert c.post("/api/v1/provider/claims", json={"npi": npi}).status_code == 201
        assert c.post(url, json={"code": "000001"}).status_code == 422
        assert_limited(c.post(url, json={"code": "000002"}))


def test_requests_per_runner_email_across_addresses(settings: Settings, engine: Engine) -> None:
    prov = verified_provider(engine)
    url = f"/api/v1/providers/{prov.npi}/requests"
    target = unique_email("victim")
    body = {**runner_request(share=False), "email": target}
    limits = {"rate_limit_requests_per_email_per_day": 2}
    for expected in (201, 201, 429):
        with client_for(settings, **limits) as c:
            assert c.post(url, json=body).status_code == expected


def test_requests_per_provider(settings: Settings, engine: Engine) -> None:
    prov = verified_provider(engine)
    url = f"/api/v1/providers/{prov.npi}/requests"
    limits = {"rate_limit_requests_per_npi_per_hour": 2}
    codes = []
    for _ in range(3):
        with client_for(settings, **limits) as c:
            codes.append(c.post(url, json=runner_request(share=False)))
    assert [r.status_code for r in codes[:2]] == [201, 201]
    assert_limited(codes[2])


def test_page_limits_answer_429_with_retry_after(settings: Settings) -> None:
    with client_for(settings, rate_limit_signups_per_address_per_hour=1) as c:
        for expected in (303, 429):
            page = c.get("/provider/signup")
            token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
            assert token
            form = {"email": unique_email(), "password": PASSWORD, "csrf_token": token.group(1)}
            r = c.post("/provider/signup", data=form, follow_redirects=False)
            assert r.status_code == expected
        assert int(r.headers["retry-after"]) >= 1
        assert "text/html" in r.headers["content-type"]


def test_database_counters_are_shared_and_hold_no_subject(engine: Engine) -> None:
    """Two limiters (two app servers) on one database count together; keys are HMACs."""
    rule = Rule(Bucket.LOGIN_EMAIL, 3, 3600)
    email = unique_email("both-servers")
    a = RateLimiter(DatabaseCounters(engine), "test-secret-key-0123456789")
    b = RateLimiter(DatabaseCounters(engine), "test-secret-key-0123456789")
    a.hit((rule, email))
    b.hit((rule, email))
    a.hit((rule, email))
    with pytest.raises(RateLimited) as refused:
        b.hit((rule, email))
    assert 1 <= refused.value.retry_after <= 3600
    with engine.connect() as conn:
        keys = conn.scalars(select(RateCounter.key)).all()
    assert keys and not any(email in k for k in keys)


@pytest.fixture
def redis_url() -> str:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception as exc:
        pytest.skip(f"Redis tests NOT RUN: no Redis at {REDIS_URL}: {type(exc).__name__}")
    return REDIS_URL


def test_redis_counters_are_shared_between_servers(redis_url: str, engine: Engine) -> None:
    import redis

    rule = Rule(Bucket.SIGNUP_ADDRESS, 2, 60)
    subject = f"redis-{uuid.uuid4().hex}"
    servers = [
        RateLimiter(RedisCounters(redis_url, DatabaseCounters(engine)), "test-secret-0123")
        for _ in range(2)
    ]
    client = redis.Redis.from_url(redis_url)
    before = set(client.keys("stridewise:rl:*"))
    servers[0].hit((rule, subject))
    servers[1].hit((rule, subject))
    with pytest.raises(RateLimited):
        servers[0].hit((rule, subject))
    keys = [k.decode() for k in set(client.keys("stridewise:rl:*")) - before]
    assert len(keys) == 1 and subject not in keys[0]
    assert 0 < client.ttl(keys[0]) <= 61


def test_redis_configured_app_limits_logins(redis_url: str, settings: Settings) -> None:
    with client_for(settings, redis_url=redis_url, rate_limit_login_per_address_per_hour=2) as c:
        for _ in range(2):
            body = {"email": unique_email(), "password": "guess guess"}
            assert c.post("/api/v1/session", json=body).status_code == 401
        assert_limited(
            c.post("/api/v1/session", json={"email": unique_email(), "password": "guess guess"})
        )


def test_unreachable_redis_falls_back_to_the_database(engine: Engine) -> None:
    from fixtures.smtp import free_port

    rule = Rule(Bucket.LOGIN_ADDRESS, 1, 60)
    subject = f"fallback-{uuid.uuid4().hex}"
    store = RedisCounters(f"redis://127.0.0.1:{free_port()}/0", DatabaseCounters(engine))
    limiter = RateLimiter(store, "test-secret-0123")
    limiter.hit((rule, subject))
    with pytest.raises(RateLimited):
        limiter.hit((rule, subject))
