"""The fuzzy speller: what it corrects, and the real words it must leave alone."""

from __future__ import annotations

import pytest

from stridewise.engine import Engine
from stridewise.text.speller import Speller, english_words, vocabulary_of


@pytest.fixture(scope="module")
def speller(engine: Engine) -> Speller:
    return engine.text.speller


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("runnin", "running"),
        ("walkin", "walking"),
        ("swellin", "swelling"),
        ("throbbin", "throbbing"),
        ("outsde", "outside"),
        ("sqeeze", "squeeze"),
        ("attatches", "attaches"),
    ],
)
def test_corrects_typos_towards_the_lexicon(speller: Speller, typed: str, meant: str) -> None:
    assert speller.correction(typed) == meant
    assert meant in speller.fix(f"my {typed} foot").split()


@pytest.mark.parametrize(
    "word",
    [
        "yesterday",  # an English word
        "statin",  # in keep: a drug, and "stating" is no correction
        "prednisolone",  # the lexicon spells it
        "metformin",
        "osteopenia",
        "deadlifts",  # a lexicon stem (deadlift) covers it
        "numbish",  # numb\w* reads it already
        "radicular",  # the nearest lexicon word starts with another letter
        "parkrun",  # running words in keep
        "astro",  # too short to guess at
    ],
)
def test_leaves_real_and_known_words_alone(speller: Speller, word: str) -> None:
    assert speller.correction(word) is None
    assert speller.fix(f"on the {word} again") == f"on the {word} again"


def test_an_ambiguous_typo_is_left_as_typed() -> None:
    # "tendan" is one edit from both words: no unique correction, so none.
    speller = Speller({"tendon", "tendin"})
    assert speller.correction("tendan") is None
    assert Speller({"tendon"}).correction("tendan") == "tendon"


def test_vocabulary_ignores_regex_escapes() -> None:
    assert vocabulary_of([r"\bmetformin\b|\bswell(?:ing|en)\w*"]) == {"metformin", "swell"}


def test_english_word_list_is_the_packaged_dictionary() -> None:
    words = english_words()
    assert len(words) > 80_000
    assert {"running", "heel", "swollen"} <= words
