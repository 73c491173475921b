"""Refused forms, in real Chromium against the real server: a browser that blocks or lost our
cookie can still be assessed (the runner's pages store nothing, so they need no form token), and
a refused form (an expired sign-in form, a post from another site) gets the site's own page
with the way back instead of a bare, unstyled one."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import pytest

from fixtures.browser import PHONE, axe_violations, shoot
from web.browser_steps import HEEL_TEXT, no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def _post(url: str, fields: dict[str, str], headers: dict[str, str]) -> tuple[int, str]:
    """POST a form with no cookie at all, as a browser that blocks cookies does."""
    data = urllib.parse.urlencode(fields).encode()
    req = urllib.request.Request(url, data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_the_runner_is_assessed_without_cookies(live_server: str) -> None:
    origin = {"Origin": live_server, "Accept": "text/html"}
    status, html = _post(f"{live_server}/interview", {"text": HEEL_TEXT}, origin)
    assert status == 200 and "question-text" in html
    status, html = _post(f"{live_server}/result", {"text": HEEL_TEXT}, origin)
    assert status == 200 and "Your result" in html
    status, _ = _post(f"{live_server}/summary", {"text": HEEL_TEXT}, origin)
    assert status == 200
    # Origin is still checked: another site cannot post the runner's pages.
    status, _ = _post(f"{live_server}/result", {"text": HEEL_TEXT}, {"Origin": "https://x.test"})
    assert status == 403


def test_a_form_that_stores_something_still_needs_its_token(live_server: str) -> None:
    status, html = _post(
        f"{live_server}/provider/signup",
        {"email": "nocookie@example.org", "password": "a long enough password 1"},
        {"Origin": live_server, "Referer": f"{live_server}/provider/signup"},
    )
    assert status == 403
    assert 'name="viewport"' in html, "the refusal page is laid out for a phone"
    assert 'href="/provider/signup"' in html, "it links back to the form it came from"
    assert "Nothing was sent" in html and "not a diagnosis" in html.lower()


def test_an_expired_provider_form_leads_back_on_a_phone(chromium: Any, live_server: str) -> None:
    context = chromium.new_context(viewport=PHONE, base_url=live_server, is_mobile=True)
    page = context.new_page()
    try:
        page.goto("/provider/login")
        page.fill("#email", "someone@example.org")
        page.fill("#password", "a long enough password 1")
        context.clear_cookies()  # the phone dropped the cookies while the form sat open
        page.click("button:has-text('Sign in')")
        page.wait_for_selector("h1:has-text('Please send that again')")
        back = page.get_by_role("link", name="Open the page again")
        assert back.get_attribute("href") == "/provider/login"
        for width in (320, 390):
            page.set_viewport_size({"width": width, "height": PHONE["height"]})
            assert no_horizontal_scroll(page)
        shoot(page, "phone-form-refused")
        assert axe_violations(page) == []
        back.click()
        page.wait_for_selector("#email")
        page.fill("#email", "someone@example.org")
        page.fill("#password", "a long enough password 1")
        page.click("button:has-text('Sign in')")
        page.wait_for_selector("text=Wrong email or password")  # the form works again
    finally:
        context.close()
