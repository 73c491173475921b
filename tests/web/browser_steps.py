"""Shared steps for the browser tests: describe the pain, answer the interview, reach the result.

Kept out of the test modules so each journey reads as the runner's story."""

from __future__ import annotations

from typing import Any

HEEL_TEXT = (
    "Stabbing pain under my left heel with the first steps in the morning, since I increased "
    "my mileage three weeks ago."
)
MAX_QUESTIONS = 25


def describe(page: Any, text: str = HEEL_TEXT, regions: tuple[str, ...] = ("heel",)) -> None:
    """Fill the start page and continue to the interview."""
    page.goto("/")
    page.fill("#text", text)
    for region in regions:
        page.click(f"[data-region={region}]")
    page.check("input[name=side][value=left]")
    page.fill("#age", "45")
    page.select_option("#sex", "female")
    page.click("button:has-text('Continue')")
    page.wait_for_selector("h1")


def on_result(page: Any) -> bool:
    return bool(page.locator("h1:has-text('Your result')").count())


def answer_current(page: Any, prefer: str = "No") -> str:
    """Answer the question on screen (``prefer`` when offered, else the first option) and wait
    for the next page. Returns the question text."""
    page.wait_for_selector(".question-text")
    question = page.inner_text(".question-text")
    if page.locator("#answer").count():
        page.fill("#answer", "45")
        page.click("button:has-text('Next')")
    else:
        preferred = page.locator(f"button[name=answer]:text-is('{prefer}')")
        target = preferred if preferred.count() else page.locator("button[name=answer]").first
        target.click()
    page.wait_for_function(
        "q => !document.querySelector('.question-text') || "
        "document.querySelector('.question-text').innerText !== q || "
        "document.querySelector('.field-error')",
        arg=question,
    )
    return question


def finish_interview(page: Any, prefer: str = "No") -> None:
    """Answer questions until the result page shows."""
    for _ in range(MAX_QUESTIONS):
        if on_result(page):
            return
        answer_current(page, prefer)
    assert on_result(page), "the interview did not end"


def no_horizontal_scroll(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))
