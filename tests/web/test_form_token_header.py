"""A form posted with its token in the X-CSRF-Token header (the documented alternative to the
hidden field) reaches the page with its fields. The CSRF layer used to hand the page an empty
body in that case, so the sign-in form said "Wrong email or password" for the right ones."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from stridewise.db.migrate import upgrade
from stridewise.settings import Settings
from stridewise.web.app import create_app


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    settings = Settings(data_dir=tmp_path_factory.mktemp("token-header"))
    upgrade(settings.effective_database_url)
    return TestClient(create_app(settings))


def _token(client: TestClient) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/provider/login").text)
    assert match
    return match.group(1)


def test_header_token_keeps_the_form_fields(client: TestClient) -> None:
    token = _token(client)
    sent = client.post(
        "/provider/login",
        data={"email": "header-token@example.org", "password": "not the password"},
        headers={"X-CSRF-Token": token},
    )
    assert sent.status_code == 401  # checked, not refused: the token was accepted
    # The page echoes the email it received: the body reached it.
    assert 'value="header-token@example.org"' in sent.text


def test_field_token_still_works_and_a_bad_header_is_refused(client: TestClient) -> None:
    token = _token(client)
    form = {"email": "field-token@example.org", "password": "x"}
    sent = client.post("/provider/login", data={**form, "csrf_token": token})
    assert sent.status_code == 401 and 'value="field-token@example.org"' in sent.text
    refused = client.post("/provider/login", data=form, headers={"X-CSRF-Token": "x" * 43})
    assert refused.status_code == 403
