"""A scanner (an expression tried only where its anchors begin) finds what ``re`` finds."""

from __future__ import annotations

import json
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from stridewise.engine import Engine
from stridewise.text import durations, extract, selfdiagnosis
from stridewise.text.literals import Expr
from stridewise.text.normalise import normalise
from stridewise.text.scanner import Scanner

EVALS = Path(__file__).resolve().parents[2] / "evals"
MODULE_SCANNERS = [
    durations._FOR,
    *(rx for rx, _ in durations._RELATIVE),
    extract._AGE,
    extract._FEMALE,
    extract._MALE,
    selfdiagnosis._FRAME,
]


def _check(scanner: Scanner, text: str) -> None:
    original = re.compile(scanner.expr.source, scanner.expr.flags)
    want = [(m.span(), m.groups()) for m in original.finditer(text)]
    assert [(m.span(), m.groups()) for m in scanner.finditer(text)] == want, (scanner, text)
    found = scanner.search(text)
    assert (found.span() if found else None) == (want[0][0] if want else None)
    assert scanner.sub(lambda m: f"<{m.group(0)}>", text) == original.sub(
        lambda m: f"<{m.group(0)}>", text
    )


def test_every_scanner_has_anchors() -> None:
    # Otherwise it only adds a layer: each was made a scanner because it can be anchored.
    assert all(s._anchored is not None for s in MODULE_SCANNERS)


def test_a_scanner_finds_what_re_finds(engine: Engine) -> None:
    knowledge = engine.text
    raw = [
        json.loads(line)["text"]
        for path in sorted(EVALS.glob("vignettes*.jsonl"))
        for line in path.read_text().splitlines()
    ][::4]
    texts = [normalise(t, knowledge.spelling, knowledge.speller) for t in raw]
    texts += [t.lower() for t in raw]  # before normalising: what the misspelling table reads
    texts += ["caf\u00e9: i am 34 and for 3 weeks", "heel\x1cpain for 3\x1fweeks", ""]
    for text in texts:
        for scanner in [*MODULE_SCANNERS, knowledge.spelling.scanner]:
            _check(scanner, text)


@given(st.text(alphabet="abcdefghilmnoprstuwy '.,?-\u00e9\u00a0\x1c\x1f0123456789", max_size=80))
@settings(max_examples=300, deadline=None)
def test_a_scanner_finds_what_re_finds_in_any_text(text: str) -> None:
    for scanner in MODULE_SCANNERS:
        _check(scanner, text)


def test_an_expression_without_anchors_is_scanned_as_before() -> None:
    scanner = Scanner(Expr(r"\w+ heel"))
    assert scanner._anchored is None
    _check(scanner, "my left heel and your right heel")
