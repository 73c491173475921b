"""Keyboard-only use, bad-input messages and axe-core on every page that has a URL, in Chromium."""

from __future__ import annotations

from typing import Any

import pytest

from fixtures.browser import axe_violations, shoot
from web.browser_steps import HEEL_TEXT

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

GET_PAGES = [
    ("/", "start"),
    ("/care", "care-empty"),
    ("/care?near=97201&type=sports_medicine_physician", "care-results"),
    ("/conditions", "library"),
    ("/conditions/plantar_fasciitis", "condition"),
    ("/about", "about"),
    ("/no-such-page", "not-found"),
]


def _tab_to(page: Any, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching ``selector`` has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


@pytest.mark.parametrize(("path", "name"), GET_PAGES)
def test_axe_finds_no_serious_problem(page: Any, path: str, name: str) -> None:
    page.goto(path)
    shoot(page, f"desktop-axe-{name}")
    assert axe_violations(page) == []


def test_keyboard_only_foot_map_and_interview(page: Any) -> None:
    page.goto("/")
    _tab_to(page, "a.skip-link")
    page.keyboard.press("Enter")
    _tab_to(page, "#text")
    page.keyboard.type(HEEL_TEXT)
    _tab_to(page, "[data-region=heel]")
    page.keyboard.press("Enter")
    assert page.get_attribute("[data-region=heel]", "aria-pressed") == "true"
    assert "Under the heel" in page.inner_text("[data-map-picked]")
    page.keyboard.press(" ")
    assert page.get_attribute("[data-region=heel]", "aria-pressed") == "false"
    page.keyboard.press("Enter")
    _tab_to(page, "[data-region=arch]")
    page.keyboard.press(" ")
    assert page.get_attribute("[data-region=arch]", "aria-pressed") == "true"
    assert page.is_checked("[data-region-box=heel]") and page.is_checked("[data-region-box=arch]")
    _tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector(".question-text")
    # The new question has focus, so the next Tab lands on the answers.
    first = page.inner_text(".question-text")
    if page.locator("#answer").count():
        _tab_to(page, "#answer")
        page.keyboard.type("45")
        page.keyboard.press("Enter")
    else:
        _tab_to(page, "button[name=answer]")
        page.keyboard.press("Enter")
    page.wait_for_function(
        "q => document.querySelector('.question-text')?.innerText !== q", arg=first
    )
    _tab_to(page, "button[name=back]")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "q => document.querySelector('.question-text')?.innerText === q", arg=first
    )
    shoot(page, "desktop-keyboard-interview")


def test_bad_input_gets_a_helpful_message(page: Any) -> None:
    page.goto("/")
    page.click("button:has-text('Continue')")
    page.wait_for_selector("#error-summary")
    assert "tell us in a few words" in page.inner_text("#error-summary")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    shoot(page, "desktop-bad-empty")
    assert axe_violations(page) == []

    # The box takes exactly the server's limit and counts down to it.
    page.fill("#text", "x" * 5001)
    assert len(page.input_value("#text")) == 5000
    assert "0 of 5,000 characters left" in page.inner_text(".counter")
    # A page that lets more through (an old browser, a crafted form) gets the server's answer.
    page.evaluate("document.getElementById('text').removeAttribute('maxlength')")
    page.fill("#text", "x" * 5001)
    page.click("button:has-text('Continue')")
    page.wait_for_selector("#error-summary")
    assert "under 5,000" in page.inner_text("#error-summary")

    places = [
        ("zzzz", "is not a ZIP code"),
        ("00000", "We do not know the ZIP code 00000"),
        ("Atlantis, ZZ", "not a US state"),
        ("Portlnd, OR", "Did you mean"),
    ]
    for near, expected in places:
        response = page.goto(f"/care?near={near}")
        assert response is not None and response.status == 200
        assert expected in page.inner_text("#near-error"), near
    shoot(page, "desktop-bad-place")
