"""Never an empty page: nearest matches beyond the radius (checked against a brute-force
nearest over every index row), next best provider types, and the runner's filters and sort."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from stridewise.directory.geocode import resolve_place
from stridewise.directory.importing.importer import import_nppes
from stridewise.directory.ranking import set_profile_boost
from stridewise.directory.schemas import ProviderQuery, SortOrder
from stridewise.directory.search import get_provider, search_providers
from stridewise.directory.search.area import Disc
from stridewise.directory.search.fallback import next_best_table, wider_radii


@pytest.fixture
def filled(directory_engine: Engine, make_nppes: Callable[..., Path]) -> Engine:
    import_nppes(directory_engine, make_nppes(4000, seed=33, relevant_share=0.9))
    return directory_engine


def _brute_nearest(engine: Engine, near: str, key: str, n: int) -> list[str]:
    place = resolve_place(near)
    disc = Disc(place.lat, place.lon, 500.0)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT npi, lat, lon FROM directory_search WHERE key = :k AND generation ="
                " (SELECT active_generation FROM directory_state WHERE id = 1)"
            ),
            {"k": key},
        ).all()
    best: dict[str, float] = {}
    for npi, lat, lon in rows:
        d = disc.miles(lat, lon)
        if d <= 500 and d < best.get(npi, 1e9):
            best[npi] = d
    return [npi for npi, _ in sorted(best.items(), key=lambda kv: (kv[1], kv[0]))[:n]]


def test_nothing_within_the_radius_gives_the_nearest_and_next_best(filled: Engine) -> None:
    query = ProviderQuery(near="59301", type="sports_medicine_physician", radius_miles=1)
    with Session(filled) as s:
        page = search_providers(s, query)
    assert page.total == 0 and page.results == []
    assert page.nearest, "a rural miss must still name the nearest providers"
    miles = [r.distance_miles for r in page.nearest]
    assert miles == sorted(miles) and miles[0] > 1
    assert [r.npi for r in page.nearest] == _brute_nearest(
        filled, "59301", "type:sports_medicine_physician", 5
    )
    assert all("sports_medicine_physician" in r.types and r.why for r in page.nearest)
    assert page.searched_miles is None


def test_next_best_types_have_someone_within_the_radius(filled: Engine) -> None:
    query = ProviderQuery(near="10001", type="athletic_trainer", radius_miles=1)
    with Session(filled) as s:
        page = search_providers(s, query)
        if page.total:
            pytest.skip("an athletic trainer happens to be within a mile")
        assert page.next_best
        for alt in page.next_best:
            check = search_providers(s, ProviderQuery(near="10001", type=alt.type, radius_miles=1))
            assert check.total == alt.total > 0
    assert [a.type for a in page.next_best] == [
        a.id
        for a in next_best_table().next_best["athletic_trainer"]
        if a.id in {b.type for b in page.next_best}
    ]


def test_every_next_best_entry_is_a_known_type() -> None:
    from stridewise.directory.provider_types import provider_types

    known = provider_types().by_id
    table = next_best_table().next_best
    assert set(table) == set(known)
    for type_id, alts in table.items():
        assert all(a.id in known and a.id != type_id for a in alts)


def test_wider_radii() -> None:
    assert wider_radii(10) == [20, 100, 250, 500]
    assert wider_radii(100) == [200, 250, 500]
    assert wider_radii(250) == [500]
    assert wider_radii(500) == []


def test_sort_by_distance_is_nearest_first_with_the_same_total(filled: Engine) -> None:
    base = dict(near="Chicago, IL", type="physical_therapist", radius_miles=50, per_page=15)
    with Session(filled) as s:
        best = search_providers(s, ProviderQuery(**base))
        near = search_providers(s, ProviderQuery(**base, sort=SortOrder.distance))
        second = search_providers(s, ProviderQuery(**base, sort=SortOrder.distance, page=2))
    assert near.total == best.total > 15
    miles = [r.distance_miles for r in near.results + second.results]
    assert miles == sorted(miles)
    assert near.results[0].distance_miles <= min(r.distance_miles for r in best.results)


def test_profile_filters(filled: Engine) -> None:
    base = dict(near="Chicago, IL", type="physical_therapist", radius_miles=50, per_page=100)
    with Session(filled) as s:
        page = search_providers(s, ProviderQuery(**base))
        a, b = page.results[3].npi, page.results[5].npi
        set_profile_boost(s, a, 20, "Verified running-focused profile", running_focus=True,
                          accepting=True, languages=["English", "Spanish"])  # fmt: skip
        set_profile_boost(s, b, 5, "Verified profile", accepting=False, languages=["French"])
        s.commit()
        accepting = search_providers(s, ProviderQuery(**base, accepting=True))
        spanish = search_providers(s, ProviderQuery(**base, language="spanish"))
        french = search_providers(s, ProviderQuery(**base, language="French"))
        sports = search_providers(s, ProviderQuery(**base, sports=True))
        tele = search_providers(s, ProviderQuery(**base, telehealth=True))
    assert [r.npi for r in accepting.results] == [a]
    assert [r.npi for r in spanish.results] == [a]
    assert [r.npi for r in french.results] == [b]
    assert a in {r.npi for r in sports.results}
    assert all(r.sports_focus or r.npi == a for r in sports.results)
    assert sports.total < page.total
    assert tele.total == 0  # no DAC file imported: nobody is known to offer telehealth
    assert tele.nearest == []


def test_provider_detail_explains_its_rank(filled: Engine) -> None:
    query = ProviderQuery(near="Chicago, IL", type="physical_therapist", radius_miles=50)
    with Session(filled) as s:
        first = search_providers(s, query).results[0]
        detail = get_provider(s, first.npi, type_id="physical_therapist", near="Chicago, IL",
                              radius_miles=50)  # fmt: skip
        plain = get_provider(s, first.npi)
    assert detail is not None and plain is not None
    assert detail.why == first.why
    assert detail.distance_miles == first.distance_miles
    assert plain.why == [] and plain.distance_miles is None


@pytest.mark.parametrize("bad", ["", "x", "1234", "a" * 41, "en\x00", "fr;--"])
def test_bad_language_is_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        ProviderQuery(near="10001", language=bad)
