"""Negation and hedging, NegEx-style: a cue negates the findings whose phrase starts inside its
scope, which runs to the end of the clause. The cues, pseudo-negations and terminators are data
(``text/data/negation.yaml``); hedges and uncertainty stay here."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace

from pydantic import BaseModel, ConfigDict, Field, field_validator

from stridewise.text.literals import Expr, is_plain
from stridewise.text.scanner import Scanner


class Terminators(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    punctuation: str = Field(min_length=1)
    words: tuple[str, ...] = Field(min_length=1)

    @field_validator("punctuation")
    @classmethod
    def _plain_characters(cls, v: str) -> str:
        # The characters become one regex character class; these would change its meaning.
        if any(ch in v for ch in "]\\^-"):
            raise ValueError("must not contain ] \\ ^ or -")
        return v


class NegationFile(BaseModel):
    """``negation.yaml``: see the comment at the top of that file for the shape."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    cues: tuple[str, ...] = Field(min_length=1)
    pseudo: tuple[str, ...] = ()
    terminators: Terminators


def _words(entries: tuple[str, ...]) -> str:
    return r"\b(?:" + "|".join(entries) + r")\b"


@dataclass(frozen=True)
class NegationRules:
    """The compiled negation vocabulary (``text/data/negation.yaml``)."""

    cues: re.Pattern[str]
    pseudo: re.Pattern[str] | None
    terminators: re.Pattern[str]
    #: The same rules compiled in ASCII mode: they find the same on a plain text, faster (see
    #: ``literals.is_plain``).
    ascii: NegationRules | None = None
    #: The cues and pseudo-negations tried only where one can begin (``scanner.py``): they are
    #: read from every text, and as alternations of words ``re`` tries them at every position.
    cue_scanner: Scanner | None = None
    pseudo_scanner: Scanner | None = None

    @classmethod
    def compile(cls, data: NegationFile) -> NegationRules:
        """Compile the data; raises ``re.error`` for a malformed entry."""
        term = data.terminators

        def build(flags: int) -> NegationRules:
            return cls(
                cues=re.compile(_words(data.cues), flags),
                pseudo=re.compile(_words(data.pseudo), flags) if data.pseudo else None,
                terminators=re.compile(f"[{term.punctuation}]|{_words(term.words)}", flags),
            )

        pseudo = Scanner(Expr(_words(data.pseudo))) if data.pseudo else None
        return replace(
            build(0),
            ascii=build(re.ASCII),
            cue_scanner=Scanner(Expr(_words(data.cues))),
            pseudo_scanner=pseudo,
        )

    def on(self, plain: bool) -> NegationRules:
        """The rules to use on a text for which ``literals.is_plain`` is ``plain``."""
        return self.ascii if plain and self.ascii is not None else self


# A short question the runner answers "no" to themselves.
_ANSWERED_NO = Expr(r"(?<![^.?!;,] )\b[^.?!;,]{1,40}\?\s*(?:no|nope|nah|none|never)\b")
# How many words after a cue it can still deny.
SCOPE_WORDS = 6
_WINDOW = re.compile(rf"(?:\W+\w+){{{SCOPE_WORDS}}}")
_WINDOW_ASCII = re.compile(_WINDOW.pattern, re.ASCII)
_HEDGES = Expr(
    r"\b(?:maybe|perhaps|possibly|might|may be|a bit|a little|slight(?:ly)?|mild(?:ly)?"
    r"|kind of|sort of|i think|i guess|i suppose|not sure if|probably|a touch|vaguely"
    r"|somewhat|a tad|faint(?:ly)?)\b"
)
_UNCERTAIN = Expr(
    r"\b(?:not sure (?:if|whether|about)|no idea (?:if|whether)|can not tell (?:if|whether)"
    r"|do not know (?:if|whether)|hard to (?:tell|say) (?:if|whether)|not (?:really )?sure"
    # what they have read or fear could happen ("I read it can make them snap") is not a report
    r"|(?:read|heard|was told|told me|scared|afraid|worried|terrified) (?:that )?"
    r"(?:it|they|this|these|tendons?) (?:can|could|might|may|will) (?:make (?:it|them) )?)\b"
)


@dataclass(frozen=True)
class Scope:
    start: int
    end: int


#: Terminators are short phrases; one starting inside a cue's window is found by searching this
#: many characters past the window's end (so every cue costs O(window), not O(text)).
_TERMINATOR_SLACK = 80


@dataclass(frozen=True)
class Scopes:
    """The negation scopes of one text, sorted by start, with the running maximum of their ends,
    so that :meth:`negates` is one binary search instead of a pass over every scope."""

    starts: tuple[int, ...]
    max_end: tuple[int, ...]

    @classmethod
    def of(cls, scopes: list[Scope]) -> Scopes:
        ordered = sorted(scopes, key=lambda s: s.start)
        ends: list[int] = []
        best = -1
        for s in ordered:
            best = max(best, s.end)
            ends.append(best)
        return cls(tuple(s.start for s in ordered), tuple(ends))

    def negates(self, start: int) -> bool:
        """True when a match starting at ``start`` begins inside a scope whose cue precedes it
        (``scope.start < start < scope.end`` for some scope)."""
        i = bisect_left(self.starts, start)
        return i > 0 and self.max_end[i - 1] > start


def _inside(spans: list[tuple[int, int]], starts: list[int], pos: int) -> bool:
    """Whether ``pos`` lies in one of ``spans`` (non-overlapping, sorted: regex matches)."""
    i = bisect_right(starts, pos)
    return i > 0 and pos < spans[i - 1][1]


def negation_scopes(text: str, rules: NegationRules) -> Scopes:
    """Spans of ``text`` governed by a negation cue. Linear in the length of ``text``: each cue
    looks only a bounded distance ahead."""
    plain = is_plain(text)
    cues = rules.cue_scanner or rules.on(plain).cues
    pseudo_rx = rules.pseudo_scanner or rules.on(plain).pseudo
    rules = rules.on(plain)
    window_rx = _WINDOW_ASCII if plain else _WINDOW
    pseudo = [m.span() for m in pseudo_rx.finditer(text)] if pseudo_rx else []
    pseudo_starts = [a for a, _ in pseudo]
    scopes: list[Scope] = []
    for cue in cues.finditer(text):
        if _inside(pseudo, pseudo_starts, cue.start()):
            continue
        # NegEx-style window: a cue reaches only a few words ahead ("without any injury
        # my shin started aching" does not deny the shin).
        window = window_rx.match(text, cue.end())
        limit = min(len(text), window.end() + _TERMINATOR_SLACK) if window else len(text)
        term = rules.terminators.search(text, cue.end(), limit)
        end = term.start() if term else len(text)
        if window:
            end = min(end, window.end())
        scopes.append(Scope(cue.start(), end))
    # Questions answered "no": "Swelling? No. Other joints? No."
    for q in _ANSWERED_NO.finditer(text):
        scopes.append(Scope(q.start() - 1, q.end()))
    return Scopes.of(scopes)


def is_negated(scopes: Scopes, start: int) -> bool:
    """True when a match starting at ``start`` begins inside a scope whose cue precedes it."""
    return scopes.negates(start)


def _clause_start(text: str, start: int, reach: int) -> int:
    """Where the clause holding ``start`` begins, looking back at most ``reach`` characters
    (callers only read that far back, so a text without punctuation costs O(reach))."""
    lo = max(0, start - reach)
    find = text.rfind  # four calls spelled out: this runs for every match of every finding
    return (
        max(find(".", lo, start), find(";", lo, start), find("!", lo, start), find("?", lo, start))
        + 1
    )


#: How far before a match (in characters, within its clause) a hedge or a doubt is looked for.
HEDGE_REACH = 40
DOUBT_REACH = 50


def is_hedged(text: str, start: int, end: int) -> bool:
    """True when a hedge word sits in the same clause shortly before the match."""
    window = text[max(_clause_start(text, start, HEDGE_REACH), start - HEDGE_REACH) : start]
    return bool(_HEDGES.search(window))


def is_uncertain(text: str, start: int, end: int) -> bool:
    """True for "not sure if it's swollen": the runner does not know, so it is no evidence."""
    window = text[max(_clause_start(text, start, DOUBT_REACH), start - DOUBT_REACH) : start]
    return bool(_UNCERTAIN.search(window))
