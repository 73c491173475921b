"""The athlete profile is where runners decide: the /care results list and the provider page
show a verified profile's running focus, services, languages, insurance, new patients and
booking link, and a "Why this provider ranks here" line with the API's ``why``. The page's
filters and sort reach the search, and an empty radius still shows the nearest providers."""

from __future__ import annotations

from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from connect.conftest import PASSWORD, unique_email
from stridewise.connect.accounts import create_account
from stridewise.connect.models import Claim, ProviderProfile
from stridewise.connect.profiles import sync_boost
from stridewise.db.engine import session_scope
from stridewise.directory.generator import write_file
from stridewise.directory.importing.importer import import_nppes
from stridewise.directory.schemas import ProviderQuery
from stridewise.directory.search import search_providers

NEAR = "Chicago, IL"


@pytest.fixture
def listed(engine: Engine, tmp_path: Path) -> str:
    """A fresh synthetic directory; the NPI of the 4th physical therapist near Chicago gets a
    verified running-focused profile."""
    path = tmp_path / "npidata.csv"
    write_file(path, 3000, seed=44, relevant_share=0.9)
    # Replaces whatever directory an earlier test on this (shared PostgreSQL) database left:
    # a smaller one would otherwise be refused by the import floor.
    import_nppes(engine, path, force=True)
    with Session(engine) as s:
        page = search_providers(
            s, ProviderQuery(near=NEAR, type="physical_therapist", radius_miles=50)
        )
    npi = page.results[3].npi
    with session_scope(engine) as session:
        account = create_account(session, unique_email(), PASSWORD, "provider", "Dr Test")
        session.add(
            Claim(account_id=account.id, npi=npi, status="approved", approved_npi=npi, code_hash="")
        )
        profile = ProviderProfile(
            npi=npi,
            account_id=account.id,
            verified=True,
            running_focus=True,
            sports_focus="Trail and ultra runners",
            sports_treated=["Running", "Triathlon"],
            services=["gait_analysis", "return_to_run_programme"],
            accepting_new_patients=True,
            languages=["English", "Spanish"],
            insurance=["Aetna", "Medicare"],
            booking_url="https://example.org/book",
        )
        session.add(profile)
        session.flush()
        sync_boost(session, profile)
    return npi


def _card(html: str, npi: str) -> str:
    start = html.index(f'href="/care/providers/{npi}')
    end = html.index('class="why-rank"', start)
    return html[start : html.index("</div>", end)]


def test_results_list_shows_the_profile_and_why(client: TestClient, listed: str) -> None:
    page = client.get("/care", params={"near": NEAR, "type": "physical_therapist", "radius": 50})
    assert page.status_code == 200
    card = unescape(_card(page.text, listed))
    for fact in (
        "Trail and ultra runners",
        "Gait analysis",
        "English, Spanish",
        "Aetna",
        "Accepting new patients",
        'href="https://example.org/book"',
        "Verified profile",
    ):
        assert fact in card, fact  # fmt: skip
    assert "Why this provider ranks here:" in card
    api = client.get(
        "/api/v1/providers",
        params={"near": NEAR, "type": "physical_therapist", "radius_km": 50 * 1.609344},
    ).json()
    why = next(r["why"] for r in api["results"] if r["npi"] == listed)
    # Each part of the score on a line of its own.
    assert all(f"<li>{part}</li>" in card for part in why), why
    assert "Verified running-focused profile" in card
    # Listings without a profile still say why they rank where they do.
    assert page.text.count("Why this provider ranks here:") == len(api["results"])


def test_provider_page_shows_the_profile_and_why(client: TestClient, listed: str) -> None:
    page = client.get(
        f"/care/providers/{listed}",
        params={"type": "physical_therapist", "near": NEAR, "radius": 50},
    )
    assert page.status_code == 200
    text = unescape(page.text)
    for fact in (
        "For runners",
        "Trail and ultra runners",
        "Return-to-run programme",
        "Medicare",
        "Book on their website",
        "Why this provider ranks here:",
        "miles from",
    ):
        assert fact in text, fact  # fmt: skip
    # A bad place or type on the link still shows the listing, without the reasons.
    odd = client.get(f"/care/providers/{listed}", params={"near": "Nowhere, ZZ", "type": "x"})
    assert odd.status_code == 200 and "Why this provider ranks here" not in odd.text


def test_filters_and_sort_on_the_page(client: TestClient, listed: str) -> None:
    base = {"near": NEAR, "type": "physical_therapist", "radius": 50}
    spanish = client.get("/care", params={**base, "language": "spanish", "accepting": "1"})
    assert spanish.status_code == 200
    api = client.get(
        "/api/v1/providers",
        params={"near": NEAR, "type": "physical_therapist", "radius_km": 50 * 1.609344,
                "language": "spanish", "accepting": True},
    ).json()  # fmt: skip
    assert listed in {r["npi"] for r in api["results"]}
    total = api["total"]
    assert f"{total} physical therapist{'' if total == 1 else 's'} within 50 miles" in unescape(
        spanish.text
    )
    assert f"/care/providers/{listed}" in spanish.text
    assert "language=spanish" in spanish.text  # carried in the links
    nearest = client.get("/care", params={**base, "sort": "distance"})
    assert "Nearest first." in nearest.text
    for odd in (
        {"language": "<script>"},
        {"sort": "cheapest"},
        {"language": "a" * 500},
    ):
        r = client.get("/care", params={**base, **odd})  # fmt: skip
        assert r.status_code == 200 and "<script>" not in r.text.split("<main", 1)[-1]
    # A control character is refused at the edge (issue 11), never reflected.
    r = client.get("/care", params={**base, "telehealth": "\x00"})
    assert r.status_code == 422 and "\x00" not in r.text


def test_empty_radius_names_the_nearest(client: TestClient, listed: str) -> None:
    page = client.get("/care", params={"near": "59301", "type": "sports_medicine_physician",
                                       "radius": 10})  # fmt: skip
    text = unescape(page.text)
    assert page.status_code == 200
    if "0 sports medicine physicians within 10 miles" not in text:
        pytest.skip("the synthetic directory happens to have one near 59301")
    assert "The nearest is" in text and "miles away" in text
    assert "The nearest sports medicine physician" in text
