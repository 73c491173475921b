"""Next best provider types chosen by the runner's condition (kb/data/care_next_best.yaml),
falling back to the per-type list; in the library, the JSON API and the care page."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from stridewise.directory.importing.importer import import_nppes
from stridewise.directory.schemas import ProviderQuery
from stridewise.directory.search import search_providers
from stridewise.directory.search.fallback import next_best_table, next_best_types
from stridewise.kb.loader import load_kb
from stridewise.kb.models import TriageLevel
from stridewise.kb.next_best import condition_options
from stridewise.settings import Settings
from stridewise.web.api import providers
from stridewise.web.problems import install_problem_handlers


@pytest.fixture
def filled(directory_engine: Engine, make_nppes: Callable[..., Path]) -> Engine:
    import_nppes(directory_engine, make_nppes(4000, seed=33, relevant_share=0.9))
    return directory_engine


def test_every_condition_has_options_of_its_own_providers_first() -> None:
    kb = load_kb()
    options = condition_options()
    assert set(options) == set(kb.conditions)
    for cid, cond in kb.conditions.items():
        types = [o.type_id for o in options[cid]]
        assert len(types) == len(set(types)), cid
        assert all(t in kb.provider_types for t in types), cid
        if cond.triage is TriageLevel.emergency:
            assert types == ["emergency_department"], cid
        else:
            # The condition's own first choice leads, and every option has a plain reason.
            assert types[0] in {p.id for p in cond.providers}, cid
        assert all(10 <= len(o.why) <= 200 for o in options[cid]), cid


def test_condition_list_without_the_searched_type_else_the_type_list() -> None:
    options = [o.type_id for o in condition_options()["tibial_stress_fracture"]]
    got = [n.id for n in next_best_types("sports_medicine_physician", "tibial_stress_fracture")]
    assert got == [t for t in options if t != "sports_medicine_physician"]
    by_type = [n.id for n in next_best_table().next_best["sports_medicine_physician"]]
    assert got != by_type, "the condition must change the suggestions here"
    assert [n.id for n in next_best_types("sports_medicine_physician")] == by_type
    assert [n.id for n in next_best_types("sports_medicine_physician", "no_such")] == by_type


def test_emergencies_never_get_an_office_as_next_best() -> None:
    # An emergency condition: nobody else, the page says call 911.
    assert next_best_types("emergency_department", "acute_limb_ischemia") == []
    # An emergency department searched for a condition that never needs one: the emergency
    # list (urgent care, only if not life- or limb-threatening), not podiatrists.
    got = next_best_types("emergency_department", "plantar_fasciitis")
    assert [n.id for n in got] == [
        n.id for n in next_best_table().next_best["emergency_department"]
    ]
    # A condition whose care includes the emergency department keeps its own list.
    assert "urgent_care" in [
        n.id for n in next_best_types("emergency_department", "achilles_rupture")
    ]


def test_query_normalises_and_refuses_an_unknown_condition() -> None:
    assert ProviderQuery(near="97201", condition="Plantar-Fasciitis").condition == (
        "plantar_fasciitis"
    )
    with pytest.raises(ValidationError, match="did you mean plantar_fasciitis"):
        ProviderQuery(near="97201", condition="plantar fascitis")


def test_search_offers_the_conditions_types_that_have_someone_near(filled: Engine) -> None:
    near, cond = "10001", "tibial_stress_fracture"
    with Session(filled) as s:
        page = search_providers(
            s, ProviderQuery(near=near, type="athletic_trainer", radius_miles=1, condition=cond)
        )
        if page.total:
            pytest.skip("an athletic trainer happens to be within a mile")
        assert page.condition == cond and page.next_best
        order = [o.type_id for o in condition_options()[cond]]
        assert [a.type for a in page.next_best] == [
            t for t in order if t in {a.type for a in page.next_best}
        ]
        for alt in page.next_best:
            check = search_providers(s, ProviderQuery(near=near, type=alt.type, radius_miles=1))
            assert check.total == alt.total > 0
        reasons = {o.type_id: o.why for o in condition_options()[cond]}
        assert all(alt.why == reasons[alt.type] for alt in page.next_best)


@pytest.fixture
def client(filled: Engine, database_url: str) -> TestClient:
    app = FastAPI()
    app.state.settings = Settings(database_url=database_url)
    install_problem_handlers(app)
    app.include_router(providers.router, prefix="/api/v1")
    return TestClient(app)


def test_api_condition_parameter(client: TestClient) -> None:
    params = {"near": "59301", "type": "sports_medicine_physician", "radius_km": 1}
    r = client.get("/api/v1/providers", params={**params, "condition": "plantar_fasciitis"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["condition"] == "plantar_fasciitis"
    allowed = {o.type_id for o in condition_options()["plantar_fasciitis"]}
    assert {a["type"] for a in body["next_best"]} <= allowed - {"sports_medicine_physician"}
    r = client.get("/api/v1/providers", params={**params, "condition": "plantar fascitis"})
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "plantar_fasciitis" in r.json()["detail"]
    assert client.get("/api/v1/providers", params={**params}).json()["condition"] is None
