"""Trying a pattern only where its anchors occur finds exactly what a full scan finds."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from stridewise.engine import Engine
from stridewise.text.anchors import anchored, anchors
from stridewise.text.literals import is_plain
from stridewise.text.normalise import normalise
from stridewise.text.selfdiagnosis import mask_self_diagnosis
from stridewise.text.triggers import TriggerIndex

EVALS = Path(__file__).resolve().parents[2] / "evals"


def _starts(text: str, found: frozenset[str]) -> list[int]:
    """Where one of ``found`` begins in ``text``, by plain substring search."""
    return sorted(i for i in range(len(text)) if any(text.startswith(a, i) for a in found))


@pytest.mark.parametrize(
    ("pattern", "want"),
    [
        (r"\bheels?\b", {"heel"}),
        (r"\b(?:my |the )?heels?\b", {"my heel", "the heel", "heel"}),
        (r"(?<![\w'])(?:ankle|shin)(?![\w'])", {"ankle", "shin"}),
        (r"\b\d+ ?(?:km|k)\b", {str(d) for d in range(10)}),
        (r"(?:\bfoot\b)|(?:\bfeet\b)", {"foot", "feet"}),
        (r"\b(?:sore|sore heel)\b", {"sore"}),  # an anchor that extends another is dropped
        (r"\bpain\w* in\b", {"pain"}),
    ],
)
def test_anchors_are_what_every_match_begins_with(pattern: str, want: set[str]) -> None:
    assert anchors(pattern) == want


@pytest.mark.parametrize(
    "pattern",
    [
        r"\w+ heel",  # begins anywhere
        r"(?:my )?\w* heel",
        r"x*",  # can match the empty string
        r"(?i)heel",  # case-insensitive: the literals need not occur as written
        r".{0,3}heel",
        r"[^a]heel",
    ],
)
def test_no_anchors_when_a_match_can_begin_anywhere(pattern: str) -> None:
    assert anchors(pattern) is None


# Small patterns over a small alphabet, so that overlaps, empty alternatives, look-arounds and
# repeats meet often: the anchored matches must equal finditer's on every text.
TRICKY = [
    r"a|ab",
    r"ab|a",
    r"(?:x )?ab",
    r"\bab\b",
    r"(?<=a)b",
    r"(?<!a)b",
    r"a{1,2}b",
    r"(?:ab|a)(?:c|)",
    r"\b(?:a|b)+ c",
    r"(?:a b|a)(?= )",
    r"b\b|ab",
    r"(?:ca|c)(?:a|b)?",
    r"\d+ ?x",
    r"(?:\ba\b)|(?:\bc a\b)|(?:b)",
]


@pytest.mark.parametrize("pattern", TRICKY)
def test_anchored_equals_finditer_on_random_texts(pattern: str) -> None:
    found = anchors(pattern)
    assert found is not None
    rx = re.compile(pattern, re.ASCII)
    rng = random.Random(pattern)
    for _ in range(2000):
        text = "".join(rng.choice("abc x.1") for _ in range(rng.randrange(25)))
        want = [m.span() for m in rx.finditer(text)]
        got = [m.span() for m in anchored(rx, text, _starts(text, found))]
        assert got == want, text


def _texts(engine: Engine) -> list[str]:
    raw = [
        json.loads(line)["text"]
        for path in sorted(EVALS.glob("vignettes*.jsonl"))
        for line in path.read_text().splitlines()
    ][::3]
    rng = random.Random(14)
    mutated = []
    for _ in range(150):  # run-ons, splices and typos: matches across the seams
        a, b = rng.choice(raw), rng.choice(raw)
        cut = rng.randrange(len(a) + 1)
        chars = list(a[:cut] + b[rng.randrange(len(b) + 1) :])
        for _ in range(3):
            if chars:
                chars[rng.randrange(len(chars))] = rng.choice("aeiou '.-")
        mutated.append("".join(chars))
    knowledge = engine.text
    out = []
    for text in raw + mutated:
        masked, _ = mask_self_diagnosis(normalise(text, knowledge.spelling, knowledge.speller))
        out.append(masked)
    return out


def test_every_lexicon_pattern_finds_the_same_matches_anchored(engine: Engine) -> None:
    knowledge = engine.text
    index: TriggerIndex = knowledge.triggers
    patterns = [
        (rx, found)
        for p in knowledge.lexicon.values()
        for rx, found in (
            (p.present, p.present_anchors),
            (p.absent, p.absent_anchors),
            (p.exclude, p.exclude_anchors),
        )
        if rx is not None
    ]
    # Nearly every pattern can be anchored; the rest are scanned as before.
    assert sum(found is not None for _, found in patterns) >= 0.9 * len(patterns)
    compared = 0
    for text in _texts(engine):
        if not is_plain(text):
            continue
        hits = index.scan(text)
        for rx, found in patterns:
            if found is None:
                continue
            want = [m.span() for m in re.compile(rx.source).finditer(text)]
            got = [m.span() for m in anchored(rx.on(True), text, hits.starts(rx))]
            assert got == want, (rx.source[:80], text)
            compared += len(want)
    assert compared > 2000
