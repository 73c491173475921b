"""The runner's journeys in real Chromium: describe, answer, result, summary and PDF, find care;
the emergency journey; going back to change an answer; a phone-sized screen. Every page visited
is screenshotted to test-artifacts/screenshots/ and checked with axe-core."""

from __future__ import annotations

from typing import Any

import pytest

from fixtures.browser import axe_violations, shoot
from web.browser_steps import answer_current, describe, finish_interview, no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def _clean(page: Any, name: str) -> None:
    shoot(page, name)
    assert axe_violations(page) == [], f"axe found serious/critical problems on {name}"


def test_full_journey_describe_answer_result_summary_pdf_care(page: Any) -> None:
    page.goto("/")
    _clean(page, "desktop-01-start")
    describe(page)
    assert page.locator(".question-text").count(), "the interview should ask a question"
    assert page.locator("progress").count()
    page.click("summary:has-text('Why we ask')")
    assert page.locator(".why p").is_visible()
    _clean(page, "desktop-02-interview")
    finish_interview(page)

    banner = page.locator(".triage")
    assert banner.count() == 1 and banner.locator(".icon").count() == 1
    # The first screen: how urgent, what it probably is, what to do now; the rest is folded.
    assert page.locator(".likely-name a[href^='/conditions/']").count() == 1
    assert page.locator("#now-title").is_visible()
    page.click("#causes summary")
    assert page.locator(".condition .bar-fill").count() >= 1
    assert page.locator(".condition h3 a[href^='/conditions/']").count() >= 1
    page.click("#why summary")
    assert page.locator("#why").locator("text=Points towards it").count()
    assert page.locator(".site-footer").locator("text=Not a diagnosis").is_visible()
    _clean(page, "desktop-03-result")

    page.click("button:has-text('Summary for your clinician')")
    page.wait_for_selector("h1:has-text('Summary for the clinician')")
    assert HEEL_WORDS in page.inner_text(".words")
    # The differential lists the conditions of at least 1%, as the result page does.
    shares = page.locator(".ddx tbody tr td:nth-child(2)").all_inner_texts()
    assert len(shares) >= 2 and all(int(x.rstrip("%")) >= 1 for x in shares)
    _clean(page, "desktop-04-summary")
    with page.expect_download() as dl:
        page.click("button:has-text('Download PDF')")
    pdf = dl.value.path().read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 2000

    page.click("button:has-text('Back to my result')")
    page.wait_for_selector("h1:has-text('Your result')")
    page.locator("a.btn[data-carry-state]").first.click()
    page.wait_for_selector("#near")
    page.fill("#near", "97201")
    page.click("button:has-text('Search')")
    page.wait_for_selector("#results-title")
    assert page.locator(".provider").count() >= 1
    assert page.locator(".provider .distance").first.inner_text().endswith("miles")
    page.wait_for_selector(".leaflet-container")
    assert page.locator("path.leaflet-interactive").count() >= 2  # markers, no tiles needed
    _clean(page, "desktop-05-care")

    page.locator(".type-switch a:has-text('Physical therapist')").click()
    page.wait_for_selector("h1:has-text('physical therapist')")
    assert page.locator("#results-title").count()
    page.locator(".provider h3 a").first.click()
    page.wait_for_selector("dl.facts")
    _clean(page, "desktop-06-provider")
    assert page.errors == [], page.errors


HEEL_WORDS = "Stabbing pain under my left heel"


def test_emergency_journey_says_call_911(page: Any) -> None:
    page.goto("/")
    page.fill(
        "#text",
        "My calf is swollen and hot on one side and I am short of breath after a long flight",
    )
    page.click("[data-region=calf]")
    page.click("button:has-text('Continue')")
    page.wait_for_selector(".triage-emergency")
    banner = page.locator(".triage-emergency")
    assert "Call 911" in banner.inner_text()
    assert "emergency department" in banner.inner_text()
    assert banner.get_attribute("role") == "alert"
    _clean(page, "desktop-07-emergency")


def test_going_back_changes_an_answer(page: Any) -> None:
    # A vague description, so the interview needs more than one question (the detailed heel
    # story is clear enough that the engine may stop after its first, safety, question).
    describe(page, text="My foot hurts when I run.")
    first = answer_current(page, prefer="No")
    second = page.inner_text(".question-text")
    assert second != first
    assert "Your last answer" in page.inner_text(".last-answer")
    page.click("button[name=back]")
    page.wait_for_function(
        "q => document.querySelector('.question-text')?.innerText === q", arg=first
    )
    # Answer it differently this time; the interview goes on from the new answer.
    answer_current(page, prefer="Yes")
    assert page.locator(".question-text, h1:has-text('Your result')").count()


def test_phone_viewport_journey(phone_page: Any) -> None:
    page = phone_page
    page.goto("/")
    assert no_horizontal_scroll(page)
    shoot(page, "phone-01-start")
    describe(page)
    assert no_horizontal_scroll(page)
    shoot(page, "phone-02-interview")
    finish_interview(page)
    assert no_horizontal_scroll(page)
    shoot(page, "phone-03-result")
    page.click("button:has-text('Summary for your clinician')")
    page.wait_for_selector("h1:has-text('Summary')")
    assert no_horizontal_scroll(page)
    shoot(page, "phone-04-summary")
    page.goto("/care?near=97201&type=podiatrist")
    page.wait_for_selector(".leaflet-container")
    assert no_horizontal_scroll(page)
    shoot(page, "phone-05-care")
    for path, name in [("/conditions", "06-library"), ("/conditions/plantar_fasciitis",
                       "07-condition"), ("/about", "08-about")]:  # fmt: skip
        page.goto(path)
        assert no_horizontal_scroll(page), path
        shoot(page, f"phone-{name}")
