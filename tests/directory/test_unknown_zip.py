"""An unknown ZIP gets an honest, useful answer: it is not known; ZIPs of the same postal area
(same first three digits) are offered only if there are any, else the runner is asked for a town
or another ZIP. The care page and the JSON API say the same thing, built by the geocoder.

Before, 00000 offered 00501, 00544, 00601... (numerically close: a firm's ZIP in New York and
Puerto Rico), and the care page said "We could not find 00000. Try a 5-digit ZIP code"."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from stridewise.db.migrate import upgrade
from stridewise.directory.geocode import PlaceNotFound, resolve_place, zip_point
from stridewise.settings import Settings
from stridewise.web.app import create_app


def _refusal(text: str) -> PlaceNotFound:
    with pytest.raises(PlaceNotFound) as info:
        resolve_place(text)
    return info.value


def test_a_zip_of_an_unknown_area_suggests_nothing_and_asks_for_a_town() -> None:
    exc = _refusal("00000")
    assert exc.suggestions == []
    assert exc.reason == "We do not know the ZIP code 00000."
    assert "by your town" in exc.hint and "another ZIP code" in exc.hint
    assert "00501" not in str(exc) and "Did you mean" not in str(exc)


def test_a_zip_of_a_known_area_suggests_only_that_area_with_towns() -> None:
    exc = _refusal("99999")
    assert exc.suggestions and all(z.startswith("999") for z in exc.suggestions)
    assert all(zip_point(z) is not None for z in exc.suggestions)  # each one searchable
    assert exc.hint == ""
    assert "same three digits" in exc.suggestions_intro
    assert exc.labels[0].startswith(exc.suggestions[0] + " (") and ", AK)" in exc.labels[0]
    assert str(exc).count("\n") == 0


@pytest.fixture
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path_factory.mktemp('zip')}/sw.sqlite3"
    upgrade(url)
    settings = Settings(database_url=url, secret_key="test-secret-key-0123456789",
                        outbox_worker_enabled=False)  # fmt: skip
    with TestClient(create_app(settings)) as c:
        yield c


def _page_error(page: str) -> str:
    found = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', page, re.S)
    assert found, "no error on the care page"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).split())


@pytest.mark.parametrize("near", ["00000", "99999", "Portlnd, OR", "abcde"])
def test_the_care_page_and_the_api_say_the_same(client: TestClient, near: str) -> None:
    api = client.get("/api/v1/providers", params={"near": near})
    assert api.status_code == 422
    page = client.get("/care", params={"near": near})
    assert page.status_code == 200
    assert _page_error(page.text) == api.json()["detail"] == str(_refusal(near))
    assert api.json()["suggestions"] == _refusal(near).suggestions


def test_the_page_links_each_same_area_zip(client: TestClient) -> None:
    page = client.get("/care", params={"near": "99999"}).text
    for z in _refusal("99999").suggestions:
        assert f"/care?near={z}&amp;" in page
