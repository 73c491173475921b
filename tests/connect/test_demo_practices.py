"""Demo practices: verified profiles seeded into the demo so a fresh `make run` can send an
appointment request, filter by language or accepting, and sign in as the demo provider."""

from __future__ import annotations

import secrets

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, text

from connect.conftest import new_npi, unique_email
from stridewise.connect.accounts import authenticate
from stridewise.connect.demo_practices import DEMO_TYPES, seed_demo_practices
from stridewise.connect.models import ProviderProfile
from stridewise.db.engine import session_scope
from stridewise.directory.models import Provider


def _listings(engine: Engine, zip_code: str) -> dict[str, list[str]]:
    """Two individuals of each demo type in ``zip_code`` and one organisation; NPIs by type."""
    out: dict[str, list[str]] = {}
    with session_scope(engine) as session:
        g = int(
            session.execute(
                text("SELECT active_generation FROM directory_state WHERE id = 1")
            ).scalar()
            or 0
        )
        for type_id in DEMO_TYPES:
            for entity in (1, 1, 2):
                npi = new_npi()
                session.add(
                    Provider(
                        generation=g,
                        npi=npi,
                        entity_type=entity,
                        name=f"Test {type_id}",
                        postal_code=f"{zip_code}-1234",
                        lat=45.5,
                        lon=-122.7,
                        primary_taxonomy="213E00000X",
                        taxonomies="213E00000X",
                        type_ids=f"primary_care,{type_id}",
                    )
                )
                if entity == 1:
                    out.setdefault(type_id, []).append(npi)
    return out


def test_one_verified_profile_per_type_and_zip_owned_by_one_account(engine: Engine) -> None:
    zip_code = f"{secrets.randbelow(90000) + 10000}"
    listings = _listings(engine, zip_code)
    email = unique_email("demo")
    with session_scope(engine) as session:
        seeded = seed_demo_practices(session, [zip_code], email=email)
    assert seeded is not None and seeded.profiles == len(DEMO_TYPES)
    with session_scope(engine) as session:
        account = authenticate(session, email, seeded.password)
        assert account is not None and account.role == "provider"
        profiles = session.scalars(
            select(ProviderProfile).where(ProviderProfile.account_id == account.id)
        ).all()
        # The lowest NPI individual of each type; never the organisation.
        assert sorted(p.npi for p in profiles) == sorted(min(n) for n in listings.values())
        assert all(p.verified and "English" in p.languages for p in profiles)
        boosts = session.execute(
            text("SELECT COUNT(*) FROM directory_profile_boosts WHERE npi IN (:a, :b, :c)"),
            dict(zip("abc", (p.npi for p in profiles), strict=True)),
        ).scalar()
        assert boosts == len(DEMO_TYPES)  # the search sees them (filters and booking)
    with session_scope(engine) as session:
        assert seed_demo_practices(session, [zip_code], email=email) is None  # never twice


def test_a_seeded_practice_takes_requests(engine: Engine, client: TestClient) -> None:
    zip_code = f"{secrets.randbelow(90000) + 10000}"
    listings = _listings(engine, zip_code)
    with session_scope(engine) as session:
        seed_demo_practices(session, [zip_code], email=unique_email("demo"))
    npi = min(listings["podiatrist"])
    form = client.get(f"/providers/{npi}/request")
    assert form.status_code == 200 and "Request an appointment" in form.text
    unseeded = max(listings["podiatrist"])
    assert client.get(f"/providers/{unseeded}/request").status_code == 404
