"""The request form's age and sex boxes start filled in when the runner gave them only in their
own words ("I'm 38", "as a woman"), read from this session's description as the engine reads it;
nothing stored. Before, the age box stayed empty although the result had used the age."""

from __future__ import annotations

import json
import re
from html import unescape
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from connect.conftest import verified_provider
from connect.test_security import csrf_from

OWN_WORDS = (
    "My right heel hurts like a knife when I get out of bed, then eases after a few minutes. "
    "I'm 38 and as a woman who runs hills it started three weeks ago."
)


def _carried(client: TestClient, form: dict[str, str]) -> dict[str, Any]:
    start = client.get("/")
    result = client.post("/result", data={"csrf_token": csrf_from(start.text), **form})
    assert result.status_code == 200 and "Your result" in result.text
    raw = re.search(r'data-runner-state="([^"]*)"', result.text)
    assert raw
    state: dict[str, Any] = json.loads(unescape(raw.group(1)))
    return state


def test_age_and_sex_from_the_description_fill_the_request_form(
    engine_and_client: tuple[Engine, TestClient],
) -> None:
    engine, client = engine_and_client
    state = _carried(client, {"text": OWN_WORDS})
    assert state["age"] == 38 and state["sex"] == "female"
    npi = verified_provider(engine).npi
    prefill = {
        "csrf_token": csrf_from(client.get("/").text),
        "prefill": "1",
        "text": state["text"],
        "age": str(state["age"]),
        "sex": state["sex"],
        "answers": json.dumps(state["answers"]),
    }
    form = client.post(f"/providers/{npi}/request", data=prefill)
    assert form.status_code == 200
    assert re.search(r'id="age"[^>]*value="38"', form.text)
    assert re.search(r'<option value="female" selected>', form.text)
    assert 'name="share_summary" value="yes" checked' not in form.text  # consent stays opt-in


def test_what_the_runner_typed_in_the_boxes_wins(
    engine_and_client: tuple[Engine, TestClient],
) -> None:
    _, client = engine_and_client
    state = _carried(client, {"text": OWN_WORDS, "age": "41", "sex": "male"})
    assert state["age"] == 41 and state["sex"] == "male"


def test_no_age_anywhere_leaves_the_box_empty(
    engine_and_client: tuple[Engine, TestClient],
) -> None:
    _, client = engine_and_client
    state = _carried(client, {"text": "Sharp pain under my heel for 3 weeks, worse in the morning"})
    assert state["age"] == "" and state["sex"] == ""
