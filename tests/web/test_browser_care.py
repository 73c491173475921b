"""Finding care on the smallest phone (320 px) in real Chromium, on the demo directory: the
way from a result carries the likely condition, an empty radius offers who else can help with
that condition, filters that leave nobody never end the search, and the provider page lists the
parts of the score one a line. Every page is screenshotted, checked with axe-core and for
sideways scrolling."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from fixtures.browser import axe_violations, shoot
from stridewise.directory import ranking
from stridewise.kb.next_best import condition_options
from web.browser_steps import describe, finish_interview, no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SMALLEST = {"width": 320, "height": 720}


@pytest.fixture
def small_page(chromium: Any, live_server: str) -> Iterator[Any]:
    context = chromium.new_context(
        viewport=SMALLEST, base_url=live_server, is_mobile=True, has_touch=True
    )
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.errors = errors
    yield pg
    context.close()


def _check(page: Any, name: str) -> None:
    shoot(page, f"care320-{name}")
    assert no_horizontal_scroll(page), f"{name} scrolls sideways at 320 px"
    assert axe_violations(page) == [], f"axe found problems on {name}"


def test_from_a_result_the_empty_radius_offers_who_else_helps_with_the_condition(
    small_page: Any,
) -> None:
    page = small_page
    describe(page)
    finish_interview(page)
    link = page.locator("a.btn[data-carry-state]").first
    condition = parse_qs(urlparse(link.get_attribute("href")).query)["condition"][0]
    assert condition in condition_options()
    link.click()
    page.wait_for_selector("#condition-note")
    # A rural ZIP where the demo has no sports medicine physician within 25 miles.
    page.fill("#near", "59301")
    page.select_option("#type", "sports_medicine_physician")
    page.click("button:has-text('Search')")
    page.wait_for_selector("#nearest-title")
    _check(page, "rural-next-best")
    assert f"condition={condition}" in page.url, "a new search keeps the condition"
    api = page.request.get(
        "/api/v1/providers",
        params={"near": "59301", "type": "sports_medicine_physician", "radius_km": 25 * 1.609344,
                "condition": condition},
    ).json()  # fmt: skip
    offered = page.locator(".next-best a")
    assert offered.count() == len(api["next_best"])
    order = [o.type_id for o in condition_options()[condition]]
    assert [a["type"] for a in api["next_best"]] == [
        t for t in order if t in {a["type"] for a in api["next_best"]}
    ]
    if api["next_best"]:
        assert "Who else can help with" in page.inner_text("#results-title ~ h3")
        first = offered.first.get_attribute("href")
        assert f"condition={condition}" in first and f"type={api['next_best'][0]['type']}" in first
    else:
        assert "Nobody else who can help with" in page.inner_text("main")
    assert page.errors == [], page.errors


def test_filters_that_leave_nobody_offer_a_search_without_them(small_page: Any) -> None:
    page = small_page
    page.goto("/care?type=podiatrist&near=10001&radius=10&accepting=1&language=Tagalog&sports=1")
    page.wait_for_selector("#nearest-title")
    alert = page.inner_text("#nearest-title")
    assert "matching your filters" in alert and "speaks Tagalog" in alert
    wider = page.locator("#nearest-title a:has-text('Search within')")
    nearest = page.locator(".provider .distance")
    if wider.count():  # offered only when someone is within the wider circle
        assert float(nearest.first.inner_text().split()[0]) <= 100
    _check(page, "filters-leave-nobody")
    page.click("a:has-text('Search again without the filters')")
    page.wait_for_selector("#results-title")
    assert page.locator(".provider").count() >= 1, "the demo has podiatrists in New York"
    assert "accepting" not in page.url and "language" not in page.url


def test_provider_page_lists_the_score_parts_and_keeps_the_way_back(small_page: Any) -> None:
    page = small_page
    page.goto(
        "/care?type=podiatrist&near=97201&radius=25&sort=distance&condition=plantar_fasciitis"
    )
    page.locator(".provider h3 a").first.click()
    page.wait_for_selector("dl.facts")
    _check(page, "provider")
    parts = page.locator(".why-rank li")
    assert parts.count() >= 3 and all(t.strip() for t in parts.all_inner_texts())
    page.click("summary:has-text('What the points mean')")
    scale = page.inner_text(".score-scale")
    assert f"up to {ranking.FIT_PRIMARY:g}" in scale and "with an equal score" in scale
    tel = page.locator("a[href^='tel:']").first
    assert tel.evaluate("e => getComputedStyle(e).whiteSpace") == "nowrap"
    caveats = page.inner_text(".medicare .hint")
    assert "over 65" in caveats and "under 11" in caveats and "No data is not bad data" in caveats
    back = page.get_by_role("link", name="Back to the results").get_attribute("href")
    assert "sort=distance" in back and "condition=plantar_fasciitis" in back
