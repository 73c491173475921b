"""The appointment request form on a 320 px phone, when the runner ticks "share my summary"
but the summary is not usable: each problem names the box the runner sees and says how to go
on (fill it in, or untick the box), and nothing typed is lost."""

from __future__ import annotations

from typing import Any

import pytest

from fixtures.browser import axe_violations, shoot
from web.browser_steps import no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

DEMO_PODIATRIST_NEAR_97201 = "/care?near=97201&type=podiatrist"


def test_share_problems_name_the_box_and_the_way_on(phone_page: Any) -> None:
    page = phone_page
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto(DEMO_PODIATRIST_NEAR_97201)
    page.locator("a[href^='/care/providers/']").first.click()
    page.get_by_role("link", name="Request an appointment").click()
    page.fill("#name", "Una Share")
    page.fill("#email", "una@example.org")
    page.fill("#message", "Heel pain")
    page.check("input[name=share_summary]")
    page.click("button:has-text('Send request')")
    page.wait_for_selector("[role=alert]:has-text('Please check the form')")
    text = page.inner_text("main")
    assert "What is going on (your own words):" in text
    assert "untick the share box" in text
    assert "Text:" not in text
    assert page.input_value("#message") == "Heel pain", "what was typed is kept"
    assert no_horizontal_scroll(page)
    shoot(page, "phone-request-share-without-words")
    assert axe_violations(page) == []

    page.fill("#text", "Heel pain every morning")
    page.fill("#age", "forty")
    page.click("button:has-text('Send request')")
    page.wait_for_selector("text=Age: use a whole number of years, or leave it empty.")
    assert "Check your age and answers" not in page.inner_text("main")
    page.fill("#age", "40")
    page.click("button:has-text('Send request')")
    page.wait_for_selector("text=Your request was sent")
    assert "You shared your Stridewise summary with this request." in page.inner_text("main")
