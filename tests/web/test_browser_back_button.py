"""The phone's Back button after the interview's form posts: from a provider search back to the
result, and from the library back into the questions. Without care the browser offers to
resend the first form (losing every answer) or shows an error page; here Back lands on the
start page, which offers the runner's own result or questions again."""

from __future__ import annotations

from typing import Any

import pytest

from fixtures.browser import PHONE, axe_violations, shoot
from web.browser_steps import answer_current, describe, finish_interview, no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_back_from_care_returns_to_the_result(phone_page: Any) -> None:
    page = phone_page
    describe(page)
    finish_interview(page)
    likely = page.inner_text(".likely-name")
    page.locator("main a[href^='/care?type=']").first.click()
    page.wait_for_selector("h1:has-text('near you')")
    page.go_back()
    offer = page.locator("[data-resume-offer]")
    offer.wait_for(state="visible")
    for width in (320, 390):
        page.set_viewport_size({"width": width, "height": PHONE["height"]})
        assert no_horizontal_scroll(page)
    shoot(page, "phone-back-to-result-offer")
    assert axe_violations(page) == []
    offer.get_by_role("button", name="Back to my result").click()
    page.wait_for_selector("h1:has-text('Your result')")
    assert page.inner_text(".likely-name") == likely

    # From the clinician's summary, Back also comes home to the offer, not to an error.
    page.click("button:has-text('Summary for your clinician')")
    page.wait_for_selector("h1:has-text('Summary for the clinician')")
    page.go_back()
    page.locator("[data-resume-offer]").wait_for(state="visible")

    # "Start afresh" forgets it: the start page no longer offers it.
    page.click("button:has-text('Start afresh')")
    assert page.locator("[data-resume-offer]").is_hidden()
    page.reload()
    assert page.locator("[data-resume-offer]").is_hidden()


def test_back_from_the_library_returns_to_the_questions(phone_page: Any) -> None:
    page = phone_page
    describe(page)
    answer_current(page)
    question = page.inner_text(".question-text")
    page.click("header a:has-text('Conditions')")
    page.wait_for_selector("h1")
    page.go_back()
    page.get_by_role("button", name="Carry on with my questions").click()
    page.wait_for_selector(".question-text")
    assert page.inner_text(".question-text") == question
