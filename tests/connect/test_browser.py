"""Playwright in Debian's Chromium against a real server: a runner requests an appointment, the
provider accepts it from their inbox, and the runner sees the reply on the status link."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from connect.conftest import PASSWORD, verified_provider
from connect.test_durability import server
from stridewise.settings import Settings

CHROMIUM = "/usr/bin/chromium"

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def browser_page(chromium: object) -> object:
    """The session's one Chromium (tests/fixtures/browser.py): a second Playwright in the same
    process would clash with it."""
    return chromium


def test_request_accept_reply(browser_page: object, settings: Settings, engine: Engine) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(browser_page, Browser)
    prov = verified_provider(engine)
    errors: list[str] = []
    with server(settings) as (_, base):
        runner = browser_page.new_context().new_page()
        runner.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        runner.goto(f"{base}/providers/{prov.npi}/request")
        runner.get_by_label("Your name").fill("Rita Runner")
        runner.get_by_label("Email").fill("rita@example.org")
        runner.get_by_label("Preferred times").fill("Weekday mornings")
        runner.get_by_label("A short message").fill("Heel pain for 3 weeks")
        runner.get_by_label("What is going on").fill("Stabbing pain under my heel in the morning")
        runner.get_by_label("I agree to share").check()
        runner.get_by_role("button", name="Send request").click()
        expect(runner.locator(".request-status")).to_have_text("Waiting for the provider")
        status_url = runner.url.split("?")[0]

        doctor = browser_page.new_context().new_page()
        doctor.goto(f"{base}/provider/login")
        doctor.get_by_label("Email").fill(prov.email)
        doctor.get_by_label("Password").fill(PASSWORD)
        doctor.get_by_role("button", name="Sign in").click()
        doctor.get_by_role("link", name="Requests inbox").click()
        doctor.get_by_role("link", name="Rita Runner").click()
        expect(doctor.locator(".runner-message")).to_have_text("Heel pain for 3 weeks")
        doctor.get_by_label("Message to the runner").fill("See you Tuesday at 9")
        doctor.get_by_role("button", name="Accept").click()
        expect(doctor.locator(".request-status")).to_have_text("Accepted")

        runner.goto(status_url)
        expect(runner.locator(".request-status")).to_have_text("Accepted")
        expect(runner.locator(".provider-reply")).to_have_text("See you Tuesday at 9")
    assert not [e for e in errors if "Content Security Policy" in e]
