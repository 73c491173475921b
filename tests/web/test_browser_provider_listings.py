"""A provider with many listings (the demo practices' account holds one per metro and type) can
tell them apart on a phone: the dashboard, the inbox and a request name the practice and its
town, not only the NPI, and a request's status reads in words, as in the inbox."""

from __future__ import annotations

import re
from typing import Any

import pytest

from fixtures.browser import PHONE, LiveApp, axe_violations, shoot
from web.browser_steps import no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def _fits(page: Any, name: str) -> None:
    for width in (320, 390):
        page.set_viewport_size({"width": width, "height": PHONE["height"]})
        assert no_horizontal_scroll(page), f"{name} is wider than {width} px"
    shoot(page, f"phone-{name}")
    assert axe_violations(page) == []


def test_listings_and_requests_name_the_practice(chromium: Any, live_app: LiveApp) -> None:
    if not live_app.demo_password:
        pytest.fail("demo ensure did not print the demo account's password")
    contexts = [chromium.new_context(viewport=PHONE, base_url=live_app.url) for _ in range(2)]
    runner, doctor = (c.new_page() for c in contexts)
    try:
        runner.goto("/care?near=97201&type=podiatrist")
        card = runner.locator("a[href^='/care/providers/']").first
        npi = re.search(r"/care/providers/(\d{10})", card.get_attribute("href")).group(1)
        name = card.inner_text().split(",")[0].strip()  # without the credentials
        runner.goto(f"/providers/{npi}/request")
        runner.fill("#name", "Lena Listing")
        runner.fill("#email", "lena@example.org")
        runner.click("button:has-text('Send request')")
        runner.wait_for_selector("text=Your request was sent")

        doctor.goto("/provider/login")
        doctor.fill("#email", live_app.demo_email)
        doctor.fill("#password", live_app.demo_password)
        doctor.click("button:has-text('Sign in')")
        doctor.wait_for_selector("h1:has-text('Hello')")
        listing = doctor.locator(f"li.claim:has-text('NPI {npi}')")
        assert name in listing.inner_text() and "Portland, OR" in listing.inner_text()
        _fits(doctor, "provider-dashboard-listings")

        doctor.goto("/provider/inbox")
        item = doctor.locator("li.card:has-text('Lena Listing')")
        assert f"for {name}, Portland, OR (NPI {npi})" in item.inner_text()
        item.get_by_role("link", name="Lena Listing").click()
        doctor.wait_for_selector("h1:has-text('Request from Lena Listing')")
        assert name in doctor.inner_text("dl.facts")
        assert doctor.inner_text(".request-status") == "Waiting for your answer"
        _fits(doctor, "provider-inbox-item-listing")
        doctor.click("button:has-text('Decline')")
        doctor.wait_for_selector("text=Your answer was sent")
        assert doctor.inner_text(".request-status") == "Declined"
    finally:
        for c in contexts:
            c.close()
