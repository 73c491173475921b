"""Search on SQLite and PostgreSQL: filters, ranking, reasons, paging, profile boosts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from stridewise.directory.geocode import PlaceNotFound
from stridewise.directory.importing.importer import import_nppes
from stridewise.directory.ranking import set_profile_boost
from stridewise.directory.schemas import ProviderQuery
from stridewise.directory.search import UnknownProviderType, get_provider, search_providers


@pytest.fixture
def filled(directory_engine: Engine, make_nppes: Callable[..., Path], nucc: Path | None) -> Engine:
    import_nppes(directory_engine, make_nppes(6000, seed=21, relevant_share=0.9), nucc=nucc)
    return directory_engine


def test_type_and_radius(filled: Engine) -> None:
    with Session(filled) as s:
        page = search_providers(
            s, ProviderQuery(near="10001", type="physical_therapist", radius_miles=30, per_page=50)
        )
    assert page.total > 0 and page.results
    for r in page.results:
        assert r.distance_miles <= 30.01
        assert "physical_therapist" in r.types
        assert r.npi and r.name and r.taxonomies and r.why
    scores = [r.score for r in page.results]
    assert scores == sorted(scores, reverse=True)


def test_paging_is_stable_and_complete(filled: Engine) -> None:
    query = dict(near="Chicago, IL", type="primary_care", radius_miles=50, per_page=7)
    with Session(filled) as s:
        first = search_providers(s, ProviderQuery(**query))
        pages = [
            search_providers(s, ProviderQuery(**query, page=p)).results
            for p in range(1, first.pages + 1)
        ]
        again = search_providers(s, ProviderQuery(**query, page=2))
    npis = [r.npi for page in pages for r in page]
    assert len(npis) == len(set(npis)) == first.total
    assert [r.npi for r in again.results] == [r.npi for r in pages[1]]


def test_taxonomy_and_text_filters(filled: Engine) -> None:
    with Session(filled) as s:
        by_code = search_providers(
            s, ProviderQuery(near="90012", taxonomy="225100000X", radius_miles=60)
        )
        assert by_code.total > 0
        assert all(any(t.code == "225100000X" for t in r.taxonomies) for r in by_code.results)
        name = by_code.results[0].name.split()[0]
        named = search_providers(
            s, ProviderQuery(near="90012", taxonomy="225100000X", radius_miles=60, q=name.lower())
        )
        assert 0 < named.total <= by_code.total
        assert all(name.lower() in r.name.lower() for r in named.results)


def test_sports_focus_and_profile_boost_rank_higher(filled: Engine) -> None:
    query = ProviderQuery(
        near="Denver, CO", type="physical_therapist", radius_miles=100, per_page=100
    )
    with Session(filled) as s:
        page = search_providers(s, query)
        last = page.results[-1]
        set_profile_boost(s, last.npi, 20, "Verified running-focused profile")
        s.commit()
        boosted = search_providers(s, query)
        set_profile_boost(s, last.npi, 0, "")
        s.commit()
    moved = next(r for r in boosted.results if r.npi == last.npi)
    assert moved.score == pytest.approx(last.score + 20)
    assert any("running-focused" in w for w in moved.why)
    sports = [r for r in page.results if r.sports_focus]
    if sports:
        assert any("Sports focus" in w for w in sports[0].why)


def test_errors_and_empty(filled: Engine) -> None:
    with Session(filled) as s:
        with pytest.raises(PlaceNotFound) as place:
            search_providers(s, ProviderQuery(near="Sprngfield, IL", type="podiatrist"))
        assert "Springfield, IL" in place.value.suggestions
        with pytest.raises(UnknownProviderType):
            search_providers(s, ProviderQuery(near="97201", type="foot_doctor"))
        far = search_providers(s, ProviderQuery(near="0.0,-150.0", radius_miles=5))
        assert far.total == 0 and far.results == []


def test_detail(filled: Engine) -> None:
    with Session(filled) as s:
        hit = search_providers(s, ProviderQuery(near="10001", radius_miles=10)).results[0]
        detail = get_provider(s, hit.npi)
        assert get_provider(s, "1000000004") is None
    assert detail is not None and detail.npi == hit.npi and detail.taxonomies
