"""Trying a pattern only where its anchors occur finds exactly what a full scan finds."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from stridewise.engine import Engine
from stridewise.text.anchors import Anchored, Start, anchors
from stridewise.text.literals import is_plain
from stridewise.text.normalise import normalise
from stridewise.text.selfdiagnosis import mask_self_diagnosis
from stridewise.text.triggers import TriggerIndex

EVALS = Path(__file__).resolve().parents[2] / "evals"


def _starts(text: str, pattern: Anchored) -> list[Start]:
    """Where an anchor of ``pattern`` begins in ``text``, by plain substring search."""
    return [
        (i, phrases)
        for i in range(len(text))
        for anchor, phrases in pattern.owners.items()
        if text.startswith(anchor, i)
    ]


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
    assert anchors(pattern) == frozenset(want)


@pytest.mark.parametrize(
    "pattern",
    [
        r"\w+ heel",  # begins anywhere
        r"(?:my )?\w* heel",
        r"x*",  # can match the empty string
        r"(?i)heel",  # case-insensitive: the literals need not occur as written
        r".{0,3}heel",
        r"[^a]heel",
        r"(a)b\1",  # a back-reference: its number depends on the phrases around it
    ],
)
def test_no_anchors_when_a_match_can_begin_anywhere(pattern: str) -> None:
    assert anchors(pattern) is None


# Small alternations over a small alphabet, so that overlaps, shared anchors, look-arounds and
# repeats meet often: the anchored matches must equal finditer's on every text.
TRICKY = [
    ["a", "ab"],
    ["ab", "a"],
    ["(?:x )?ab", "x"],
    [r"\bab\b", "b", "a b"],
    [r"(?<=a)b", r"(?<!a)b c"],
    ["a{1,2}b", "ab c", "aa"],
    ["(?:ab|a)(?:c|)", "a"],
    [r"\b(?:a|b)+ c", "b"],
    ["(?:a b|a)(?= )", r"a\b"],
    [r"b\b", "ab", "bb"],
    ["(?:ca|c)(?:a|b)?", "c"],
    [r"\d+ ?x", "1"],
    [r"\ba\b", r"\bc a\b", "b", "c"],
]


@pytest.mark.parametrize("phrases", TRICKY, ids="|".join)
def test_anchored_equals_finditer_on_random_texts(phrases: list[str]) -> None:
    pattern = Anchored.of(phrases, re.ASCII)
    assert pattern is not None
    whole = re.compile("|".join(f"(?:{p})" for p in phrases), re.ASCII)
    rng = random.Random("|".join(phrases))
    for _ in range(2000):
        text = "".join(rng.choice("abc x.1") for _ in range(rng.randrange(25)))
        want = [m.span() for m in whole.finditer(text)]
        got = [m.span() for m in pattern.finditer(text, _starts(text, pattern))]
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
    anchored = [(rx, found) for rx, found in patterns if found is not None]
    compared = 0
    for text in _texts(engine):
        if not is_plain(text):
            continue
        hits = index.scan(text)
        for rx, found in anchored:
            want = [m.span() for m in re.compile(rx.source).finditer(text)]
            got = [m.span() for m in found.finditer(text, hits.starts(found))]
            assert got == want, (rx.source[:80], text)
            compared += len(want)
    assert compared > 2000
