"""Required literals and ASCII twins: shortcuts that must never change what an expression finds."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stridewise.engine import Engine
from stridewise.text import aside, durations, extract, negation, normalise, selfdiagnosis
from stridewise.text.literals import Expr, contains_any, is_plain, required
from stridewise.text.normalise import normalise as normalise_text

EVALS = Path(__file__).resolve().parents[2] / "evals"
MODULE_EXPRS = [
    *(rx for rx, _ in normalise._CONTRACTION_RES),
    normalise._PAIN_REACTION,
    normalise._HYPHEN_PHRASE,
    normalise._POSSESSIVE,
    durations._FOR.expr,
    durations._AGO,
    durations._PLAIN,
    *(rx.expr for rx, _ in durations._RELATIVE),
    extract._AGE.expr,
    extract._FEMALE.expr,
    extract._MALE.expr,
    extract._INNER_DENIAL,
    extract._WITHOUT_PAIN,
    selfdiagnosis._FRAME.expr,
    aside._MINOR,
    aside._DISMISS,
    negation._ANSWERED_NO,
    negation._HEDGES,
    negation._UNCERTAIN,
]


def _exprs(engine: Engine) -> list[Expr]:
    lexicon = [
        rx
        for p in engine.text.lexicon.values()
        for rx in (p.present, p.absent, p.exclude)
        if rx is not None
    ]
    return [*lexicon, *MODULE_EXPRS, engine.text.spelling.expr]


def _texts(engine: Engine) -> list[str]:
    """Every vignette, normalised, and the same texts made non-plain three ways."""
    raw = [
        json.loads(line)["text"]
        for path in sorted(EVALS.glob("vignettes*.jsonl"))
        for line in path.read_text().splitlines()
    ][::8]
    norm = [normalise_text(t, engine.text.spelling, engine.text.speller) for t in raw]
    odd = [
        norm[0].replace(" ", "\u00a0", 3),  # a no-break space: \s, not \w, in Unicode mode
        norm[1].replace(" ", "\x1c", 3),  # a separator: \s in Unicode mode only
        norm[2].replace("e", "\u00e9", 4),  # a Unicode letter: \w in Unicode mode only
        "caf\u00e9 heel pain",
        "heel\x1cpain for 3\x1fweeks",
    ]
    return norm + odd


@pytest.fixture(scope="module")
def texts(engine: Engine) -> list[str]:
    return _texts(engine)


def test_every_match_contains_a_required_literal(engine: Engine, texts: list[str]) -> None:
    for rx in _exprs(engine):
        if rx.need is None:
            continue
        for text in texts:
            for m in rx.pattern.finditer(text):
                assert contains_any(m.group(0), rx.need), (rx, m.group(0))


def test_an_expr_finds_what_re_finds(engine: Engine, texts: list[str]) -> None:
    for rx in _exprs(engine):
        original = re.compile(rx.source, rx.flags)
        for text in texts:
            want = [(m.span(), m.groups()) for m in original.finditer(text)]
            got = [(m.span(), m.groups()) for m in rx.finditer(text)]
            assert got == want, (rx, text)
            plain = is_plain(text)
            assert [m.span() for m in rx.on(plain).finditer(text)] == [s for s, _ in want]
            first = original.search(text)
            found = rx.search(text)
            assert (found.span() if found else None) == (first.span() if first else None)
            assert rx.sub("#", text) == original.sub("#", text)


@given(st.text(alphabet="abcdefghilmnoprstuwy '.,?-\u00e9\u00a0\x1c\x1f0123456789", max_size=80))
@settings(max_examples=300, deadline=None)
def test_an_expr_finds_what_re_finds_in_any_text(text: str) -> None:
    for rx in MODULE_EXPRS:
        original = re.compile(rx.source, rx.flags)
        assert [m.span() for m in rx.finditer(text)] == [m.span() for m in original.finditer(text)]


@pytest.mark.parametrize(
    ("pattern", "need"),
    [
        (r"\bcan'?t\b", ("can",)),
        (r"\b(?:heel|arch) pain\b", (" pain",)),
        (r"\b(?:heel|arch)\b", ("arch", "heel")),
        (r"\b(?:very )?flat feet", ("flat feet",)),
        (r"(\w)'s\b", ("'s",)),
        (r"\bfoo(?:bar)?", ("foo",)),
        (r"\b\w+\b", None),
        (r"(?:heel)?", None),
        (r"(?i)heel", None),  # case-folded literals need not occur as written
    ],
)
def test_required_literals(pattern: str, need: tuple[str, ...] | None) -> None:
    assert required(pattern) == need


@pytest.mark.parametrize(
    ("text", "plain"),
    [("heel pain", True), ("caf\u00e9", False), ("a\u00a0b", False), ("a\x1cb", False), ("", True)],
)
def test_plain_text(text: str, plain: bool) -> None:
    assert is_plain(text) is plain


def test_case_insensitive_expressions_keep_unicode_mode() -> None:
    rx = Expr("(?i)\u212a")  # the Kelvin sign folds to "k" in Unicode mode only
    assert [m.span() for m in rx.finditer("k")] == [(0, 1)]


def test_a_malformed_expression_is_an_error() -> None:
    with pytest.raises(re.error):
        Expr(r"\b(?:heel")
