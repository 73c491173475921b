"""Negation scopes: the linear implementation gives exactly what the straightforward one did."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stridewise.engine import Engine
from stridewise.text.negation import _WINDOW, NegationRules, Scope, Scopes, negation_scopes

EVALS = Path(__file__).resolve().parents[2] / "evals"
_ANSWERED_NO = re.compile(r"(?<![^.?!;,] )\b[^.?!;,]{1,40}\?\s*(?:no|nope|nah|none|never)\b")


def reference_scopes(text: str, rules: NegationRules) -> list[Scope]:
    """The original quadratic algorithm: every cue searches to the end for a terminator."""
    pseudo = [m.span() for m in rules.pseudo.finditer(text)] if rules.pseudo else []
    scopes: list[Scope] = []
    for cue in rules.cues.finditer(text):
        if any(a <= cue.start() < b for a, b in pseudo):
            continue
        term = rules.terminators.search(text, cue.end())
        end = term.start() if term else len(text)
        window = _WINDOW.match(text, cue.end())
        if window:
            end = min(end, window.end())
        scopes.append(Scope(cue.start(), end))
    for q in _ANSWERED_NO.finditer(text):
        scopes.append(Scope(q.start() - 1, q.end()))
    return scopes


def _texts() -> list[str]:
    out = []
    for path in sorted(EVALS.glob("vignettes*.jsonl")):
        out += [json.loads(line)["text"].lower() for line in path.read_text().splitlines()]
    return out


def test_scopes_match_the_reference_on_every_vignette(engine: Engine) -> None:
    rules = engine.text.negation
    for text in _texts():
        fast = negation_scopes(text, rules)
        slow = reference_scopes(text, rules)
        for pos in range(len(text)):
            assert fast.negates(pos) == any(s.start < pos < s.end for s in slow), (text, pos)


@given(
    st.lists(
        st.tuples(st.integers(0, 200), st.integers(0, 60)).map(lambda p: Scope(p[0], p[0] + p[1])),
        max_size=30,
    ),
    st.integers(-5, 270),
)
def test_negates_is_the_any_over_scopes(scopes: list[Scope], pos: int) -> None:
    assert Scopes.of(scopes).negates(pos) == any(s.start < pos < s.end for s in scopes)


@pytest.mark.parametrize("words", [200, 2_000])
def test_a_long_unpunctuated_text_gets_bounded_scopes(engine: Engine, words: int) -> None:
    text = " ".join(["no pain but it is not swollen and never red"] * (words // 10))
    scopes = negation_scopes(text, engine.text.negation)
    assert len(scopes.starts) >= words // 10
    # every scope reaches at most a few words past its cue, however long the text
    assert max(e - s for s, e in zip(scopes.starts, scopes.max_end, strict=True)) < 80
