"""The training page on a phone when nothing in the upload could be read: it says why and never
claims to have found "none of the patterns" in a history it did not see."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fixtures.browser import axe_violations, shoot
from web.browser_steps import no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.mark.parametrize(
    ("name", "content"),
    [("broken.gpx", b"\x00\x01 not xml"), ("activities.csv", b"")],
)
def test_an_unreadable_upload_is_not_a_clean_history(
    phone_page: Any, tmp_path: Path, name: str, content: bytes
) -> None:
    upload = tmp_path / name
    upload.write_bytes(content)
    page = phone_page
    page.goto("/training")
    page.set_input_files("#files", str(upload))
    page.click("button:has-text('Show what my training shows')")
    page.wait_for_selector("h1:has-text('What your training shows')")
    assert page.title().startswith("What your training shows")
    assert page.locator(f".file-problems li:has-text('{name}')").count() == 1
    patterns = page.inner_text("section[aria-labelledby=patterns-title]")
    assert "We found none" not in patterns
    assert "We could not look for them" in patterns
    assert page.locator("#files").count() == 1, "the upload form is still there to try again"
    assert no_horizontal_scroll(page)
    shoot(page, "phone-training-unreadable")
    assert axe_violations(page) == []
