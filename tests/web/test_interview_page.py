"""The interview page respects a "no": declined age and sex never come back, and "Skip the rest"
still asks the warning-sign questions. Driven through the real app with form posts, as a browser
without JavaScript would send them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient

from stridewise.engine import Engine
from stridewise.web.app import create_app

HEEL = "my heel hurts with the first steps in the morning since I upped my mileage"
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
QUESTION = re.compile(r'<input type="hidden" name="q" value="([^"]+)"')


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app()) as c:
        yield c


def _post(client: TestClient, url: str, pairs: list[tuple[str, str]]) -> str:
    # A fresh client has no CSRF cookie yet; htmx's header is the page's own same-origin proof.
    r = client.post(
        url,
        content=urlencode(pairs),
        headers={"content-type": "application/x-www-form-urlencoded", "hx-request": "true"},
    )
    assert r.status_code == 200
    return r.text


def _state(html: str) -> list[tuple[str, str]]:
    return [(k, v) for k, v in HIDDEN.findall(html) if k not in ("q", "csrf_token")]


def _question(html: str) -> str | None:
    m = QUESTION.search(html)
    return m.group(1) if m else None


def _decline_all(client: TestClient, start: list[tuple[str, str]]) -> list[str]:
    html = _post(client, "/interview", start)
    asked: list[str] = []
    for _ in range(40):
        q = _question(html)
        if q is None:
            assert "Your result" in html
            return asked
        asked.append(q)
        extra = [("dont_know", "1")] if q == "age" else [("answer", "unknown")]
        html = _post(client, "/interview", [*_state(html), ("q", q), *extra])
    raise AssertionError(f"the interview never ended: {asked}")


def test_declining_every_question_ends_with_a_result_and_never_repeats(client: TestClient) -> None:
    asked = _decline_all(client, [("text", HEEL)])
    assert asked[:2] == ["age", "sex"]
    assert len(asked) == len(set(asked)), f"a declined question came back: {asked}"


def test_prefer_not_to_say_on_the_start_page_is_not_asked_again(client: TestClient) -> None:
    asked = _decline_all(client, [("text", HEEL), ("age", "34"), ("sex", "declined")])
    assert "sex" not in asked and "age" not in asked


def test_skip_the_rest_still_asks_the_warning_sign_questions(
    client: TestClient, engine: Engine
) -> None:
    kb = engine.kb
    safety = {sq.finding for sq in kb.safety_questions} | {
        f for r in kb.red_flags for f in (*r.all_of, *r.any_of, *r.any_of_2)
    }
    html = _post(client, "/interview", [("text", HEEL)])
    html = _post(client, "/interview", [*_state(html), ("q", "age"), ("skip", "1")])
    asked: list[str] = []
    for _ in range(20):
        q = _question(html)
        if q is None:
            break
        asked.append(q)
        assert "checks for a warning sign" in html
        html = _post(client, "/interview", [*_state(html), ("q", q), ("answer", "absent")])
    assert "Your result" in html and "still asked the ones that check for warning signs" in html
    assert asked, "skipping asked no warning-sign question at all"
    assert set(asked) <= safety, f"skipping asked more than warning signs: {asked}"


def test_a_warning_sign_after_skipping_still_raises_the_level(client: TestClient) -> None:
    html = _post(client, "/interview", [("text", HEEL)])
    html = _post(client, "/interview", [*_state(html), ("q", "age"), ("skip", "1")])
    for _ in range(20):
        q = _question(html)
        if q is None:
            break
        html = _post(client, "/interview", [*_state(html), ("q", q), ("answer", "present")])
    assert "Your result" in html
    assert "triage-emergency" in html or "triage-urgent" in html
