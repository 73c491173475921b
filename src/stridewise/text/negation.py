"""Negation and hedging, NegEx-style: a cue negates the findings whose phrase starts inside its
scope, which runs to the end of the clause. The cues, pseudo-negations and terminators are data
(``text/data/negation.yaml``); hedges and uncertainty stay here."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field, field_validator


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

    @classmethod
    def compile(cls, data: NegationFile) -> NegationRules:
        """Compile the data; raises ``re.error`` for a malformed entry."""
        term = data.terminators
        return cls(
            cues=re.compile(_words(data.cues)),
            pseudo=re.compile(_words(data.pseudo)) if data.pseudo else None,
            terminators=re.compile(f"[{term.punctuation}]|{_words(term.words)}"),
        )


# A short question the runner answers "no" to themselves.
_ANSWERED_NO = re.compile(r"(?<![^.?!;,] )\b[^.?!;,]{1,40}\?\s*(?:no|nope|nah|none|never)\b")
# How many words after a cue it can still deny.
SCOPE_WORDS = 6
_WINDOW = re.compile(rf"(?:\W+\w+){{{SCOPE_WORDS}}}")
_HEDGES = re.compile(
    r"\b(?:maybe|perhaps|possibly|might|may be|a bit|a little|slight(?:ly)?|mild(?:ly)?"
    r"|kind of|sort of|i think|i guess|i suppose|not sure if|probably|a touch|vaguely"
    r"|somewhat|a tad|faint(?:ly)?)\b"
)
_UNCERTAIN = re.compile(
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


def negation_scopes(text: str, rules: NegationRules) -> list[Scope]:
    """Spans of ``text`` governed by a negation cue."""
    pseudo = [m.span() for m in rules.pseudo.finditer(text)] if rules.pseudo else []
    scopes: list[Scope] = []
    for cue in rules.cues.finditer(text):
        if any(a <= cue.start() < b for a, b in pseudo):
            continue
        term = rules.terminators.search(text, cue.end())
        end = term.start() if term else len(text)
        # NegEx-style window: a cue reaches only a few words ahead ("without any injury
        # my shin started aching" does not deny the shin).
        window = _WINDOW.match(text, cue.end())
        if window:
            end = min(end, window.end())
        scopes.append(Scope(cue.start(), end))
    # Questions answered "no": "Swelling? No. Other joints? No."
    for q in _ANSWERED_NO.finditer(text):
        scopes.append(Scope(q.start() - 1, q.end()))
    return scopes


def is_negated(scopes: list[Scope], start: int) -> bool:
    """True when a match starting at ``start`` begins inside a scope whose cue precedes it."""
    return any(s.start < start < s.end for s in scopes)


def clause_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause containing [start, end), bounded by sentence punctuation."""
    left = max(text.rfind(ch, 0, start) for ch in ".;!?")
    right_candidates = [i for i in (text.find(ch, end) for ch in ".;!?") if i != -1]
    right = min(right_candidates) if right_candidates else len(text)
    return left + 1, right


def is_hedged(text: str, start: int, end: int) -> bool:
    """True when a hedge word sits in the same clause shortly before the match."""
    lo, _ = clause_around(text, start, end)
    window = text[max(lo, start - 40) : start]
    return bool(_HEDGES.search(window))


def is_uncertain(text: str, start: int, end: int) -> bool:
    """True for "not sure if it's swollen": the runner does not know, so it is no evidence."""
    lo, _ = clause_around(text, start, end)
    window = text[max(lo, start - 50) : start]
    return bool(_UNCERTAIN.search(window))
