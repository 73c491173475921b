"""``stridewise.inputs``: the one-scan JSON bound check never passes what the exact check refuses,
and the edge refuses the escapes that smuggle control characters past a byte scan."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from stridewise.inputs import MAX_JSON_DEPTH, InputRejected, loads, plainly_bounded
from stridewise.settings import Settings
from stridewise.web.app import create_app

# Text drawn mostly from the characters that matter: controls, DEL, backslash, quote, letters.
_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from("\x00\x01\x08\x09\x0a\x0c\x0d\x1b\x1f\x7f\\\"'/bfu0 "),
        st.characters(codec="utf-8"),
    ),
    max_size=12,
)
_JSON: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | _TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=40,
)


def _exact_ok(raw: bytes) -> bool:
    try:
        loads(raw)
    except InputRejected:
        return False
    return True


@settings(max_examples=400, deadline=None)
@given(value=_JSON, ascii_only=st.booleans())
def test_the_scan_never_passes_what_the_exact_check_refuses(value: Any, ascii_only: bool) -> None:
    raw = json.dumps(value, ensure_ascii=ascii_only).encode()
    if plainly_bounded(raw):
        assert _exact_ok(raw)


@pytest.mark.parametrize(
    "raw",
    [
        rb'{"text": "heel\u0000pain"}',
        rb'{"text": "heel\u001Bpain"}',
        rb'{"text": "heel\u007fpain"}',
        rb'{"text": "heel\bpain"}',
        rb'{"text": "heel\fpain"}',
        b'{"text": "heel\x7fpain"}',
        rb'{"a\u0001": 1}',
        b"[" * (MAX_JSON_DEPTH + 1) + b"1" + b"]" * (MAX_JSON_DEPTH + 1),
    ],
    ids=["nul", "esc-upper", "del-escape", "backspace", "formfeed", "raw-del", "key", "deep"],
)
def test_bodies_the_scan_cannot_clear(raw: bytes) -> None:
    assert not plainly_bounded(raw)
    assert not _exact_ok(raw)


@pytest.mark.parametrize(
    "raw",
    [
        rb'{"text": "first line\nsecond \"quoted\" line\t\u2019 caf\u00e9"}',
        rb'{"text": "a backslash then b: \\b, not a backspace"}',
        b'{"text": "heel pain", "answers": {"swelling": "absent"}}',
    ],
    ids=["ordinary-escapes", "escaped-backslash", "plain"],
)
def test_ordinary_bodies_pass_either_way(raw: bytes) -> None:
    assert _exact_ok(raw)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    return TestClient(create_app(Settings(data_dir=tmp_path_factory.mktemp("inputs"))))


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        (rb'{"text": "sore heel\bafter runs"}', 422),
        (rb'{"text": "sore heel", "answers": {"swelling\u0000": "present"}}', 422),
        (rb'{"text": "sore heel after runs, a literal \\b in it"}', 200),
        (rb'{"text": "sore heel\nafter runs \u2019"}', 200),
    ],
    ids=["backspace", "nul-in-key", "escaped-backslash", "newline-and-quote"],
)
def test_edge_on_escapes(client: TestClient, raw: bytes, status: int) -> None:
    resp = client.post(
        "/api/v1/assessments", content=raw, headers={"Content-Type": "application/json"}
    )
    assert resp.status_code == status, resp.text
    if status == 422:
        assert resp.headers["content-type"].startswith("application/problem+json")
        assert "\x00" not in resp.text and "\x08" not in resp.text
