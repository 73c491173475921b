"""Found walking the runner's journey on a phone: at a rural ZIP the care page lowercased the
condition's name ("who else can help with achilles tendinopathy"), though names keep their
proper nouns (Achilles, Morton's, Sever's, Lisfranc, Jones). Also checked at 320 px and with
axe-core: the rural search leads on (a wider radius, other kinds of provider)."""

from __future__ import annotations

from typing import Any

import pytest

from fixtures.browser import PHONE, axe_violations
from web.browser_steps import no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_rural_search_keeps_the_conditions_name_and_leads_on(phone_page: Any) -> None:
    page = phone_page
    page.goto("/care?near=59263&type=podiatrist&radius=25&condition=achilles_tendinopathy")
    page.wait_for_selector("h2#results-title")
    text = page.inner_text("main")
    assert "achilles tendinopathy" not in text
    assert "Achilles tendinopathy (mid-portion)" in text
    assert page.locator("a:has-text('Search within 100 miles')").count() == 1
    for width in (320, PHONE["width"]):
        page.set_viewport_size({"width": width, "height": PHONE["height"]})
        assert no_horizontal_scroll(page)
    assert axe_violations(page) == []
