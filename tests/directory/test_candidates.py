"""The early-stopping ranked search agrees with a brute-force ranking of every index row.

The oracle reads all of directory_search, keeps the rows inside the circle by the same distance
rule, scores them with the documented formula, merges each NPI's rows, and sorts by (score desc,
MIPS tie-breaker desc, distance asc, NPI asc). Every count and page the library returns must
equal it, on SQLite and PostgreSQL, with and without profile boosts, MIPS scores, secondary
locations and multi-key searches."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from stridewise.directory import ranking
from stridewise.directory.geocode import resolve_place
from stridewise.directory.importing.importer import import_nppes
from stridewise.directory.index_keys import search_keys, type_key
from stridewise.directory.provider_types import provider_types
from stridewise.directory.schemas import ProviderQuery
from stridewise.directory.search import search_providers
from stridewise.directory.search.area import Disc


@pytest.fixture
def directory(
    directory_engine: Engine,
    make_nppes: Callable[..., Path],
    real_sample: Path,
    real_locations: Path,
) -> Engine:
    import_nppes(directory_engine, make_nppes(5000, seed=33, relevant_share=0.9))
    # The real rows on top add secondary practice locations (several rows per NPI).
    import_nppes(directory_engine, real_sample, locations=real_locations, incremental=True)
    return directory_engine


def _oracle(
    session: Session, query: ProviderQuery, boosts: dict[str, float]
) -> list[tuple[float, float, str]]:
    """(score, distance, npi) of every match, best first (ties: MIPS key, distance, NPI)."""
    mips = {
        str(n): float(v)
        for n, v in session.execute(
            text(
                "SELECT m.npi, m.score FROM cms_mips m JOIN cms_state c ON c.kind = 'mips'"
                " AND c.active_generation = m.generation"
            )
        )
    }
    place = resolve_place(query.near)
    disc = Disc(place.lat, place.lon, query.radius_miles)
    types = provider_types()
    keys = [type_key(query.type)] if query.type else search_keys(types)
    rows = session.execute(
        text(
            "SELECT s.key, s.lat, s.lon, s.npi, s.fit, s.static FROM directory_search s"
            " JOIN directory_state st ON st.active_generation = s.generation"
        )
    ).all()
    best: dict[str, tuple[float, float, float, str]] = {}
    for key, lat, lon, npi, fit, static in rows:
        if key not in keys:
            continue
        d = disc.miles(lat, lon)
        if d * d > query.radius_miles**2:
            continue
        used = fit if query.type else ranking.FIT_ANY
        score = used + static + ranking.DISTANCE_MAX * (1 - d / query.radius_miles)
        score += boosts.get(npi, 0.0)
        # Above the documented rule: at least 75 breaks ties, higher first; below is like none.
        key_mips = mips.get(npi, 0.0) if mips.get(npi, 0.0) >= 75 else 0.0
        entry = (-score, -key_mips, d, npi)
        if npi not in best or entry < best[npi]:
            best[npi] = entry
    return [(-s, d, n) for s, _, d, n in sorted(best.values())]


def _set_mips(session: Session, scores: dict[str, float]) -> None:
    """Make ``scores`` the active MIPS generation's rows (as a MIPS import would)."""
    session.execute(text("DELETE FROM cms_mips"))
    session.execute(text("DELETE FROM cms_state WHERE kind = 'mips'"))
    if scores:
        session.execute(
            text(
                "INSERT INTO cms_state (kind, active_generation, imported_at, source, year,"
                " rows, summary) VALUES ('mips', 7, '', 'test', 0, :n, '{}')"
            ),
            {"n": len(scores)},
        )
        session.execute(
            text("INSERT INTO cms_mips (generation, npi, score, source) VALUES (7, :n, :s, :src)"),
            [{"n": n, "s": v, "src": "individual"} for n, v in scores.items()],
        )
    session.commit()


CASES = [
    ProviderQuery(near="10001", type="physical_therapist", radius_miles=40, per_page=20),
    ProviderQuery(near="10001", type="primary_care", radius_miles=80, per_page=9, page=3),
    ProviderQuery(near="Kearney, NE", type="orthopedic_surgeon", radius_miles=250, per_page=5),
    ProviderQuery(near="90012", radius_miles=30, per_page=25, page=2),
    ProviderQuery(near="Chicago, IL", type="podiatrist", radius_miles=120, per_page=100),
    ProviderQuery(near="59301", type="podiatrist", radius_miles=10),
]


@pytest.mark.parametrize("query", CASES, ids=lambda q: f"{q.near}-{q.type}-{q.radius_miles}")
@pytest.mark.parametrize("signals", ["plain", "boosted", "mips"])
def test_matches_brute_force(directory: Engine, query: ProviderQuery, signals: str) -> None:
    with Session(directory) as s:
        boosts: dict[str, float] = {}
        if signals == "mips":
            # Every match gets a MIPS score (some below the tie-breaker's 75), so that ties
            # within a ZIP (every row sits on a ZIP centroid) are broken by it.
            rng = random.Random(11)
            _set_mips(s, {n: rng.choice([40.0, 74.9, 75.0, 88.0, 100.0])
                          for _, _, n in _oracle(s, query, {})})  # fmt: skip
        if signals == "boosted":
            # Boost providers the plain ranking puts low, so they must jump tiers to place.
            tail = _oracle(s, query, {})[-5:]
            for _score, _, npi in tail:
                ranking.set_profile_boost(s, npi, 20.0, "Verified running-focused profile")
                boosts[npi] = 20.0
            s.commit()
        expected = _oracle(s, query, boosts)
        page = search_providers(s, query)
        for npi in boosts:
            ranking.set_profile_boost(s, npi, 0.0, "")
        s.commit()
        _set_mips(s, {})
    start = (query.page - 1) * query.per_page
    want = expected[start : start + query.per_page]
    assert page.total == len(expected)
    assert [r.npi for r in page.results] == [n for _, _, n in want]
    assert [r.score for r in page.results] == [round(sc, 2) for sc, _, _ in want]


def test_every_page_covers_the_circle_once(directory: Engine) -> None:
    query = dict(near="10001", type="physical_therapist", radius_miles=60, per_page=50)
    with Session(directory) as s:
        first = search_providers(s, ProviderQuery(**query))
        npis = [
            r.npi
            for p in range(1, first.pages + 2)  # one page past the end is empty, not an error
            for r in search_providers(s, ProviderQuery(**query, page=p)).results
        ]
    assert len(npis) == len(set(npis)) == first.total > 50


def test_mips_breaks_ties_and_shows(directory: Engine) -> None:
    """Equal scores are ordered by MIPS (75 or more, the higher first) before distance and
    NPI; a lower MIPS score orders like none; the score is never changed by it, and the reason
    is shown."""
    query = ProviderQuery(near="10001", type="physical_therapist", radius_miles=40, per_page=100)
    with Session(directory) as s:
        plain = _oracle(s, query, {})
        scores = [sc for sc, _, _ in plain]
        tied = [n for sc, _, n in plain if scores.count(sc) > 1]
        assert len(tied) >= 4  # the fixture has equal scores (same ZIP, same tier)
        # Reverse the NPI order within ties: the higher NPI gets the higher MIPS score.
        mips = {n: 75.0 + i % 26 for i, n in enumerate(sorted(tied))}
        mips[sorted(tied)[0]] = 74.0  # under the threshold: orders like no score
        _set_mips(s, mips)
        try:
            expected = _oracle(s, query, {})
            page = search_providers(s, query)
            again = search_providers(s, query.model_copy(update={"page": 2}))
        finally:
            _set_mips(s, {})
    got = [r.npi for r in page.results] + [r.npi for r in again.results]
    assert got == [n for _, _, n in expected][: len(got)]
    assert [n for _, _, n in expected] != [n for _, _, n in plain]  # MIPS moved someone
    assert [r.score for r in page.results] == [round(sc, 2) for sc, _, _ in expected[:100]]
    shown = {r.npi: r.why for r in page.results}
    for npi, why in shown.items():
        if npi in mips:
            line = next(w for w in why if "MIPS" in w)
            assert ("tie-breaker" in line) and ("+0" in line)
            assert ("ahead of equal scores" in line) == (mips[npi] >= 75)


def test_one_tier_per_provider_and_key(directory: Engine) -> None:
    """A one-key count adds its per-tier counts into the total (candidates.count): that needs
    every row of an NPI under a key, at any of its practice locations, to share one tier."""
    with directory.connect() as conn:
        locations = conn.execute(
            text("SELECT COUNT(*) FROM directory_search WHERE loc > 0")
        ).scalar()
        split = conn.execute(
            text(
                "SELECT generation, key, npi FROM directory_search"
                " GROUP BY generation, key, npi HAVING COUNT(DISTINCT tier) > 1"
            )
        ).all()
    assert locations and split == []
