"""An operator on a phone follows the site's own "Providers" link (and a provider opens the
operator's page): each lands on their own signed-in home, not on a "Not found" page."""

from __future__ import annotations

from typing import Any

import pytest

from fixtures.browser import PHONE, LiveApp, run_cli

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PASSWORD = "a long enough password 1"


def _sign_in(page: Any, email: str, password: str) -> None:
    page.goto("/provider/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button:has-text('Sign in')")
    page.wait_for_selector("h1:not(:has-text('sign-in'))")


def test_each_role_lands_on_its_own_home(chromium: Any, live_app: LiveApp) -> None:
    made = run_cli(
        live_app, "operator", "create", "--email", "nav-op@example.org", "--password-stdin",
        stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    context = chromium.new_context(viewport=PHONE, base_url=live_app.url, is_mobile=True)
    page = context.new_page()
    try:
        _sign_in(page, "nav-op@example.org", PASSWORD)
        page.wait_for_selector("h1:has-text('Operator')")
        page.click("header a:has-text('Providers')")
        page.wait_for_selector("h1:has-text('Operator')")
        assert page.url.endswith("/operator")
        response = page.goto("/provider/inbox")
        assert response is not None and response.ok and page.url.endswith("/operator")
        page.click("button:has-text('Sign out')")

        _sign_in(page, live_app.demo_email, live_app.demo_password)
        page.goto("/operator")
        page.wait_for_selector("h1:has-text('Hello')")
        assert page.url.endswith("/provider")
    finally:
        context.close()
