"""The clinician's summary on a phone names each landmark once for screen readers."""

from __future__ import annotations

from typing import Any

import pytest

from fixtures.browser import AXE_JS
from web.browser_steps import describe, finish_interview

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_the_summary_names_each_landmark_once(phone_page: Any) -> None:
    """axe's landmark-unique (a best-practice rule the WCAG run leaves out): the "Differential"
    section and the table region inside it had the same name, twice read out as one place."""
    page = phone_page
    describe(page)
    finish_interview(page)
    page.click("button:has-text('Summary for your clinician')")
    page.wait_for_selector("h1:has-text('Summary for the clinician')")
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    found = page.evaluate(
        """async () => (await axe.run(document, {runOnly: {type: "rule",
            values: ["landmark-unique"]}})).violations.map(v => v.id)"""
    )
    assert found == []
