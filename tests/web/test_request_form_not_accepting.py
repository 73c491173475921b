"""A provider who stops taking new patients: the request form says so before the runner types
anything, with a way back to the listing and to a new search. Before, the form was shown, the
runner filled it in, and only Send said "Not accepting new patients" (losing what they typed)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from connect.conftest import verified_provider
from stridewise.connect.models import ProviderProfile
from stridewise.db.engine import session_scope


def test_the_form_says_not_accepting_before_anything_is_typed(
    engine_and_client: tuple[Engine, TestClient],
) -> None:
    engine, client = engine_and_client
    npi = verified_provider(engine).npi
    assert 'name="message"' in client.get(f"/providers/{npi}/request").text  # open: the form
    with session_scope(engine) as session:
        profile = session.get(ProviderProfile, npi)
        assert profile is not None
        profile.accepting_new_patients = False
    prefill = {"prefill": "1", "text": "heel"}  # the result page's "Request an appointment"
    hx = {"HX-Request": "true"}
    for page in (
        client.get(f"/providers/{npi}/request"),
        client.post(f"/providers/{npi}/request", data=prefill, headers=hx),
    ):
        assert page.status_code == 409
        assert "Not accepting new patients" in page.text
        assert 'name="message"' not in page.text
        assert re.search(rf'href="/care/providers/{npi}"', page.text)
        assert 'href="/care"' in page.text
