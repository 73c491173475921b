"""The provider detail page offers "Request an appointment" exactly when connect would accept
the request (claimed, verified, accepting new patients); otherwise it says why and shows the
phone. Coming from a result, the request form opens with the runner's description filled in."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from connect.conftest import add_listing, new_npi, verified_provider
from connect.test_durability import server
from connect.test_security import csrf_from
from stridewise.connect.models import ProviderProfile
from stridewise.db.engine import session_scope
from stridewise.directory.models import Provider
from stridewise.kb.next_best import condition_options
from stridewise.settings import Settings

HEEL = "Stabbing pain under my left heel with the first steps in the morning"


def _set_phone(engine: Engine, npi: str, phone: str) -> None:
    with session_scope(engine) as session:
        row = session.query(Provider).filter_by(npi=npi).one()
        row.phone = phone


def test_verified_provider_offers_the_request_link(client: TestClient, engine: Engine) -> None:
    prov = verified_provider(engine)
    page = client.get(f"/care/providers/{prov.npi}")
    assert page.status_code == 200
    assert f'href="/providers/{prov.npi}/request"' in page.text
    assert "Request an appointment" in page.text
    # The prefill form (shown by app.js when a result's description is at hand) posts there too.
    form = re.search(r"<form[^>]*data-request-prefill[^>]*>(.*?)</form>", page.text, re.DOTALL)
    assert form and f'action="/providers/{prov.npi}/request"' in form.group(0)
    assert 'name="prefill" value="1"' in form.group(1)
    assert 'name="csrf_token"' in form.group(1)  # injected by the security middleware
    assert "not joined Stridewise" not in page.text
    assert client.get(f"/providers/{prov.npi}/request").status_code == 200


def test_unclaimed_provider_explains_and_shows_the_phone(
    client: TestClient, engine: Engine
) -> None:
    npi = new_npi()
    add_listing(engine, npi, name="Unclaimed Foot Clinic")
    _set_phone(engine, npi, "503-555-0142")
    page = client.get(f"/care/providers/{npi}")
    assert page.status_code == 200
    assert "has not joined Stridewise yet" in page.text
    assert 'href="tel:503-555-0142"' in page.text
    assert f"/providers/{npi}/request" not in page.text
    # ...and the request form agrees: nobody there could read the request.
    assert client.get(f"/providers/{npi}/request").status_code == 404


def test_claimed_but_unverified_or_full_providers_get_no_link(
    client: TestClient, engine: Engine
) -> None:
    unverified, full = verified_provider(engine), verified_provider(engine)
    with session_scope(engine) as session:
        session.get_one(ProviderProfile, unverified.npi).verified = False
        session.get_one(ProviderProfile, full.npi).accepting_new_patients = False
    page = client.get(f"/care/providers/{unverified.npi}")
    assert "has not joined Stridewise yet" in page.text
    assert f"/providers/{unverified.npi}/request" not in page.text
    page = client.get(f"/care/providers/{full.npi}")
    assert "not accepting new patients" in page.text
    assert f"/providers/{full.npi}/request" not in page.text


def test_result_page_carries_the_description_to_find_care(client: TestClient) -> None:
    start = client.get("/")
    result = client.post(
        "/result",
        data={"csrf_token": csrf_from(start.text), "text": HEEL, "age": "45", "sex": "female"},
    )
    assert result.status_code == 200 and "Your result" in result.text
    raw = re.search(r'data-runner-state="([^"]*)"', result.text)
    assert raw
    state = json.loads(unescape(raw.group(1)))
    assert state["text"] == HEEL and state["age"] == 45 and state["sex"] == "female"
    assert isinstance(state["answers"], dict)
    # The way to care carries the likely condition, which chooses the next best types there.
    link = re.search(
        r'href="/care\?type=[a-z_]+&amp;condition=([a-z_]+)" data-carry-state', result.text
    )
    assert link and link.group(1) in condition_options()


@pytest.fixture
def chromium_browser(chromium: object) -> object:
    """The session's one Chromium (a second Playwright in one process would clash)."""
    return chromium


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_from_result_to_a_prefilled_request_form(
    chromium_browser: object, settings: Settings, engine: Engine
) -> None:
    from playwright.sync_api import Browser, expect

    from web.browser_steps import HEEL_TEXT, describe, finish_interview

    assert isinstance(chromium_browser, Browser)
    prov = verified_provider(engine)
    errors: list[str] = []
    with server(settings) as (_, base):
        page = chromium_browser.new_context(base_url=base).new_page()
        page.on(
            "console",
            lambda m: (
                errors.append(m.text)
                if m.type == "error" and not m.location.get("url", "").endswith("/favicon.ico")
                else None
            ),
        )
        # Without a result behind it the button is the plain link to an empty form.
        page.goto(f"/care/providers/{prov.npi}")
        page.get_by_role("link", name="Request an appointment").click()
        expect(page.locator("#text")).to_have_value("")

        describe(page)
        finish_interview(page)
        page.locator("a[data-carry-state]").first.click()
        page.wait_for_url("**/care?type=*")
        page.goto(f"/care/providers/{prov.npi}")
        expect(page.get_by_role("link", name="Request an appointment")).to_be_hidden()
        page.get_by_role("button", name="Request an appointment").click()
        page.wait_for_url(f"**/providers/{prov.npi}/request")
        expect(page.locator("#text")).to_have_value(HEEL_TEXT)
        expect(page.locator("#age")).to_have_value("45")
        expect(page.locator("#sex")).to_have_value("female")
        # Consent is opt-in: filled in, but the share box is never ticked for the runner.
        expect(page.locator("input[name=share_summary]")).not_to_be_checked()
        assert json.loads(page.locator("input[name=answers]").input_value())

        # Starting again forgets the description.
        page.goto("/")
        page.goto(f"/care/providers/{prov.npi}")
        expect(page.get_by_role("link", name="Request an appointment")).to_be_visible()
    assert errors == [], errors
