"""Upload -> what your training shows -> plan, on a 390x844 phone in real Chromium."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from fixtures.browser import axe_violations, shoot
from stridewise.training.models import Sport
from stridewise.training.synthetic import SyntheticRun, history, strava_export
from web.browser_steps import no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_phone_upload_result_and_plan(phone_page: Any, tmp_path: Path) -> None:
    end = datetime.now(UTC)
    runs = history(weeks=14, end=end - timedelta(days=6), seed=9)
    runs.append(
        SyntheticRun(end - timedelta(days=1), Sport.run, 22_000, 7_500, 80, 150, "Pegasus 39")
    )
    export = tmp_path / "strava_export.zip"
    export.write_bytes(strava_export(runs))
    page = phone_page
    page.goto("/training")
    assert no_horizontal_scroll(page)
    assert "discarded" in page.inner_text("#privacy-note")
    shoot(page, "phone-training-01-upload")
    assert axe_violations(page) == []
    page.set_input_files("#files", str(export))
    page.click("button:has-text('Show what my training shows')")
    page.wait_for_selector("h1:has-text('What your training shows')")
    assert page.locator("svg[role=img] rect.load-bar").count() == 12
    assert page.locator("text=A run much longer than your recent longest").count()
    assert no_horizontal_scroll(page)
    shoot(page, "phone-training-02-result")
    assert axe_violations(page) == []
    page.click("summary:has-text('Show the weeks as a table')")
    page.set_viewport_size({"width": 320, "height": 700})
    assert no_horizontal_scroll(page), "no sideways scroll at 320 px, table open"
    page.set_viewport_size({"width": 390, "height": 844})
    # Pick a plan (standalone visit: no assessment yet), then confirm into the assessment.
    page.select_option("#condition", "achilles_tendinopathy")
    page.click("button:has-text('Show my plan')")
    page.wait_for_selector("text=Week by week")
    assert page.locator(".plan-weeks li").count() == 6
    assert no_horizontal_scroll(page)
    shoot(page, "phone-training-03-plan")
    assert axe_violations(page) == []
    with page.expect_download() as dl:
        page.click("button:has-text('Add to my calendar')")
    assert dl.value.suggested_filename.endswith(".ics")


def test_from_result_to_training_and_back_with_a_confirmed_finding(
    phone_page: Any, tmp_path: Path
) -> None:
    from web.browser_steps import describe, finish_interview

    end = datetime.now(UTC)
    runs = history(weeks=10, end=end - timedelta(days=6), seed=4)
    runs.append(SyntheticRun(end - timedelta(days=1), Sport.run, 21_000, 7_200, 60, 150, "X"))
    export = tmp_path / "export.zip"
    export.write_bytes(strava_export(runs))
    page = phone_page
    page.goto("/")
    describe(page)
    finish_interview(page)
    page.click("button:has-text('Add my training history')")
    page.wait_for_selector("#files")
    page.set_input_files("#files", str(export))
    page.click("button:has-text('Show what my training shows')")
    page.wait_for_selector("h1:has-text('What your training shows')")
    # Came from a result: the plan is for the top condition, no picker needed.
    assert page.locator("#condition").count() == 0
    assert page.locator(".return-plan").count() == 1
    assert not page.is_checked("#confirm-rf_mileage_jump")  # the runner confirms, we never assume
    page.check("#confirm-rf_mileage_jump")
    shoot(page, "phone-training-04-from-result")
    page.click("button:has-text('Update my result')")
    page.wait_for_selector("h1:has-text('Your result')")
    assert no_horizontal_scroll(page)
    shoot(page, "phone-training-05-result-updated")
    page.click("button:has-text('Summary for your clinician')")
    page.wait_for_selector("h1:has-text('Summary')")
    assert "mileage" in page.inner_text("main").lower()
    assert page.locator("#s-rtr").count() == 1
    shoot(page, "phone-training-06-summary")
