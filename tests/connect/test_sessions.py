"""Server-side sessions: the cookie is an opaque id whose hash is stored; sign-out, password
change and expiry end sessions on the server, so a copied cookie stops working."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from connect.conftest import PASSWORD, sign_in, verified_provider
from stridewise.connect import sessions
from stridewise.connect.models import AccountSession, utcnow
from stridewise.db.engine import session_scope

INBOX = "/api/v1/provider/requests"


def _copy(app: FastAPI, cookie: str) -> int:
    """What a second browser holding a copy of ``cookie`` gets from the inbox."""
    with TestClient(app) as thief:
        return thief.get(INBOX, headers={"cookie": f"sw_session={cookie}"}).status_code


def test_cookie_is_an_opaque_id_stored_as_a_hash(
    client: TestClient, app: FastAPI, engine: Engine
) -> None:
    prov = verified_provider(engine)
    sign_in(client, prov.email)
    cookie = client.cookies["sw_session"]
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", cookie)
    with engine.connect() as conn:
        stored = conn.scalars(
            select(AccountSession.token_hash).where(AccountSession.account_id == prov.account_id)
        ).all()
    assert stored == [hashlib.sha256(b"session:" + cookie.encode()).hexdigest()]
    assert _copy(app, cookie) == 200


def test_copied_cookie_stops_working_after_api_sign_out(
    client: TestClient, app: FastAPI, engine: Engine
) -> None:
    prov = verified_provider(engine)
    sign_in(client, prov.email)
    cookie = client.cookies["sw_session"]
    assert client.get(INBOX).status_code == 200
    assert client.delete("/api/v1/session").status_code == 204
    assert _copy(app, cookie) == 401
    with engine.connect() as conn:
        left = conn.scalars(
            select(AccountSession).where(AccountSession.account_id == prov.account_id)
        ).all()
    assert left == []


def test_copied_cookie_stops_working_after_page_sign_out(
    client: TestClient, app: FastAPI, engine: Engine
) -> None:
    prov = verified_provider(engine)
    sign_in(client, prov.email)
    cookie = client.cookies["sw_session"]
    page = client.get("/provider")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert page.status_code == 200 and token
    out = client.post(
        "/provider/logout", data={"csrf_token": token.group(1)}, follow_redirects=False
    )
    assert out.status_code == 303
    assert _copy(app, cookie) == 401


def test_password_change_ends_every_other_session(
    client: TestClient, app: FastAPI, engine: Engine
) -> None:
    prov = verified_provider(engine)
    with TestClient(app) as other:
        sign_in(other, prov.email)
        sign_in(client, prov.email)
        old_cookie = client.cookies["sw_session"]
        wrong = client.put(
            "/api/v1/account/password",
            json={"current_password": "not the password", "new_password": "a brand new one"},
        )
        assert wrong.status_code == 422
        assert wrong.headers["content-type"] == "application/problem+json"
        assert other.get(INBOX).status_code == 200  # a failed change ends nothing
        r = client.put(
            "/api/v1/account/password",
            json={"current_password": PASSWORD, "new_password": "a brand new one"},
        )
        assert r.status_code == 204
        assert other.get(INBOX).status_code == 401  # the other browser is signed out
        assert client.get(INBOX).status_code == 200  # this one got a fresh session
        assert client.cookies["sw_session"] != old_cookie
        assert _copy(app, old_cookie) == 401
    assert (
        client.post("/api/v1/session", json={"email": prov.email, "password": PASSWORD}).status_code
        == 401
    )
    again = client.post(
        "/api/v1/session", json={"email": prov.email, "password": "a brand new one"}
    )
    assert again.status_code == 200


def test_expiry_is_enforced_by_the_server(app: FastAPI, engine: Engine) -> None:
    prov = verified_provider(engine)
    with session_scope(engine) as session:
        stale = sessions.start(session, prov.account_id, now=utcnow() - timedelta(hours=13))
        live = sessions.start(session, prov.account_id)
    assert _copy(app, stale) == 401  # the cookie's own Max-Age is not what ends it
    assert _copy(app, live) == 200
    with session_scope(engine) as session:
        assert sessions.sweep(session) >= 1
        assert sessions.resolve(session, live) is not None


def test_malformed_session_cookies_are_just_signed_out(app: FastAPI) -> None:
    for junk in ("", "x", "a" * 43, "a.b", "a" * 5000):
        with TestClient(app) as c:
            c.cookies.set("sw_session", junk)
            assert c.get(INBOX).status_code == 401


def test_password_page_ends_other_sessions(
    client: TestClient, app: FastAPI, engine: Engine
) -> None:
    prov = verified_provider(engine)
    with TestClient(app) as other:
        sign_in(other, prov.email)
        sign_in(client, prov.email)
        page = client.get("/provider/password")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert page.status_code == 200 and token
        form = {"csrf_token": token.group(1), "current_password": "wrong one!"}
        bad = client.post("/provider/password", data={**form, "new_password": "a new password"})
        assert bad.status_code == 422 and "not right" in bad.text
        form["current_password"] = PASSWORD
        ok = client.post(
            "/provider/password",
            data={**form, "new_password": "a new password"},
            follow_redirects=False,
        )
        assert ok.status_code == 303
        assert other.get(INBOX).status_code == 401
        assert client.get(INBOX).status_code == 200
    with TestClient(app) as anonymous:
        r = anonymous.get("/provider/password", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/provider/login"
