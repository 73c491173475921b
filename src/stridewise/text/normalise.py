"""Normalise a runner's words before matching: lower case, straight quotes, contractions
expanded, common misspellings fixed (the table is data: ``text/data/spelling.yaml``). Offsets are not preserved; evidence quotes come from the
normalised text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import ahocorasick
from pydantic import BaseModel, ConfigDict, Field, field_validator

from stridewise.text.literals import Expr
from stridewise.text.scanner import Scanner
from stridewise.text.speller import Speller

_CONTRACTIONS = [
    (r"\bcan'?t\b", "can not"),
    (r"\bcannot\b", "can not"),
    (r"\bwon'?t\b", "will not"),
    (r"\bshan'?t\b", "shall not"),
    (r"\bain'?t\b", "is not"),
    (r"\b(\w+)n't\b", r"\1 not"),
    (r"\bi'm\b", "i am"),
    (r"\bim\b", "i am"),
    (r"\bi've\b", "i have"),
    (r"\bive\b", "i have"),
    (r"\bi'd\b", "i would"),
    (r"\bi'll\b", "i will"),
    (r"\b(it|that|there|what|he|she|who)'s\b", r"\1 is"),
    (r"\b(you|we|they)'re\b", r"\1 are"),
    (r"\b(you|we|they)'ve\b", r"\1 have"),
    (r"\bdont\b", "do not"),
    (r"\btheyre\b", "they are"),
    (r"\bdoesnt\b", "does not"),
    (r"\bdidnt\b", "did not"),
    (r"\bisnt\b", "is not"),
    (r"\bwasnt\b", "was not"),
    (r"\bhavent\b", "have not"),
    (r"\bhasnt\b", "has not"),
    (r"\bcant\b", "can not"),
    (r"\bcouldnt\b", "could not"),
    (r"\bwont\b", "will not"),
    (
        r"\bits\b(?= (?:been|got|gone|a |an |not|really|very|so|just|the|like|more|worse|better|getting|swollen|red|hot|sore|painful))",
        "it is",
    ),
]


@dataclass(frozen=True)
class Spelling:
    """The misspelling table (``text/data/spelling.yaml``) and its compiled whole-word matcher,
    tried only where a misspelling begins (``scanner.py``: a long alternation is otherwise
    tried at every position)."""

    table: dict[str, str]
    expr: Expr
    scanner: Scanner

    @classmethod
    def compile(cls, data: SpellingFile) -> Spelling:
        table = dict(data.misspellings)
        # Longest first, so "tip-toes" wins over "tip" at the same place.
        keys = sorted(table, key=len, reverse=True)
        rx = Expr(r"(?<![\w'])(" + "|".join(re.escape(k) for k in keys) + r")(?![\w'])")
        return cls(table, rx, Scanner(rx))

    @property
    def pattern(self) -> re.Pattern[str]:
        """The whole-word matcher, as compiled by ``re``."""
        return self.expr.pattern

    def fix(self, text: str) -> str:
        """``text`` with every known misspelling replaced (``text`` is already lower case)."""
        return self.scanner.sub(lambda m: self.table[m.group(1)], text)


class SpellingFile(BaseModel):
    """``spelling.yaml``: what was typed (a whole word, lower case) -> what it means."""

    model_config = ConfigDict(extra="forbid")

    misspellings: dict[str, str] = Field(min_length=1)
    #: Words the fuzzy speller must leave as typed (brands, running jargon); see speller.py.
    keep: list[str] = []

    @field_validator("misspellings")
    @classmethod
    def _plain_lower_case(cls, v: dict[str, str]) -> dict[str, str]:
        bad = [k for k in v if not k.strip() or k != k.lower() or k != k.strip()]
        if bad:
            raise ValueError(f"keys must be lower case, trimmed and non-empty: {bad}")
        return v


_CONTRACTION_RES = [(Expr(p), r) for p, r in _CONTRACTIONS]
# Every contraction has required literals (Expr.need); one pass finds which occur, so the
# contractions a text cannot hold cost a set test rather than a call each.


def _automaton(words: set[str]) -> Any:  # ahocorasick.Automaton (untyped C extension)
    automaton = ahocorasick.Automaton()
    for word in words:
        automaton.add_word(word, word)
    automaton.make_automaton()
    return automaton


# Each with its literals worked out once (Expr.need is a property, and this runs per text).
_CONTRACTION_STEPS = [(rx, repl, rx.need) for rx, repl in _CONTRACTION_RES]
_CONTRACTION_WORDS = _automaton({w for rx, _ in _CONTRACTION_RES for w in rx.need or ()})


def _words_in(text: str) -> frozenset[str]:
    return frozenset([word for _, word in _CONTRACTION_WORDS.iter(text)])


def _expand_contractions(t: str) -> str:
    """Each of _CONTRACTION_RES applied in turn, as ``rx.sub`` would (which skips a text
    without the expression's literals: decided here on the literals found in ``t`` as it is
    at that point, found again after every change)."""
    present = _words_in(t)
    for rx, repl, need in _CONTRACTION_STEPS:
        if need is not None and present.isdisjoint(need):
            continue
        changed = rx.sub(repl, t)
        if changed != t:
            t = changed
            present = _words_in(t)
    return t


# A reaction to pain is a statement that it hurt, not a jump or a fall: "my mate pressed the heel
# bone and I nearly jumped off the sofa", "I almost hit the roof".
_PAIN_REACTION = Expr(
    r"\b(?:i |he |she |you )?(?:nearly|almost|practically|literally) (?:jumped|jump|leapt|leaped|hit"
    r"|went through) (?:off (?:the|my) (?:sofa|couch|chair|bed|table|seat)|out of (?:my|his|her|your)"
    r" skin|through the (?:roof|ceiling)|the (?:roof|ceiling)|a mile)"
)
_HYPHEN_PHRASE = Expr(r"\b([a-z]+)-(of|to|in|on)-([a-z]+)\b")
_POSSESSIVE = Expr(r"(\w)'s\b")
_SPACE_RE = re.compile(r"[ \t]+")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": " - ", "…": "."})


def normalise(text: str, spelling: Spelling, speller: Speller | None = None) -> str:
    """Return ``text`` lower-cased, with contractions expanded, known misspellings fixed and,
    given a ``speller``, other unknown words corrected to the lexicon's vocabulary."""
    t = spelling.fix(text.translate(_QUOTES).lower())
    t = _expand_contractions(t)
    if speller is not None:
        # After the contractions, so "dont" has become "do not" and is not "corrected".
        t = speller.fix(t)
    t = _PAIN_REACTION.sub("it really hurt", t)
    # "'" left inside words (possessives) would break \b matching of common phrases.
    t = _POSSESSIVE.sub(r"\1s", t)
    # "back-of-heel", "ball-of-foot": hyphenated phrases read as words.
    t = _HYPHEN_PHRASE.sub(r"\1 \2 \3", t)
    t = t.replace("\n", ". ")
    # Without a tab or two spaces in a row every run of blanks is one space already.
    if "\t" in t or "  " in t:
        t = _SPACE_RE.sub(" ", t)
    return t.strip()
