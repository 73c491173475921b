"""What a text says of one finding: present, denied, hedged, or nothing.

:func:`classify` runs once for every candidate finding of a text (``extract.py``), so what does
not depend on the finding is worked out once per text, in a :class:`Reading`: the negation
scopes, the trigger and anchor hits, and where a hedge, a doubt or an inner denial could begin
(``guards.py``), so that most matches are settled without a window search."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from stridewise.text.anchors import Anchored
from stridewise.text.guards import Guard, begins_within
from stridewise.text.lexicon import FindingPatterns
from stridewise.text.literals import Expr
from stridewise.text.negation import (
    _HEDGES,
    _UNCERTAIN,
    DOUBT_REACH,
    HEDGE_REACH,
    Scopes,
    is_hedged,
    is_uncertain,
)
from stridewise.text.triggers import Hits

HEDGED_WEIGHT = 0.6
# A phrase can carry its own denial at the end: "the tip of the ankle bone is not sore",
# "pressing the bone does not hurt". The cue sits inside the match, so the scope test (which
# only looks before a match) misses it; this reads it as the runner's answer "no".
_INNER_DENIAL = Expr(
    r"\b(?:not|never|no longer)\b(?: \w+){0,2}? (?:sore|tender|painful|hurt|hurts|hurting|agony)\b"
)
# "I can hop on it without pain" ends in its own denial too, unless the phrase already denies
# the ability ("I can't hop without pain" states the finding).
_WITHOUT_PAIN = Expr(r"\b(?:without|with no) (?:any )?(?:pain|hurting|discomfort|bother)\b")
_DENIED_ABILITY = Expr(r"\b(?:not|never|unable|barely|hardly|impossible)\b")

_HEDGE_GUARD = Guard(_HEDGES)
_DOUBT_GUARD = Guard(_UNCERTAIN)
_DENIAL_GUARD = Guard(_INNER_DENIAL, _WITHOUT_PAIN)


def _denies_itself(quote: str) -> bool:
    if _INNER_DENIAL.search(quote):
        return True
    m = _WITHOUT_PAIN.search(quote)
    return m is not None and not _DENIED_ABILITY.search(quote[: m.start()])


@dataclass(frozen=True)
class Extracted:
    finding: str
    status: str  # "present" or "absent"
    weight: float  # 1.0 for a plain statement, less for a hedged one
    quote: str


_new = object.__new__


def _extracted(finding: str, status: str, weight: float, quote: str) -> Extracted:
    """``Extracted(finding, status, weight, quote)``, built the cheap way: a frozen dataclass's
    ``__init__`` calls ``object.__setattr__`` once per field, and this runs for every finding
    of every text. The instance is the same (same fields, equality, hash, repr)."""
    made: Extracted = _new(Extracted)
    made.__dict__.update(finding=finding, status=status, weight=weight, quote=quote)
    return made


class Reading:
    """One text as every finding's classification reads it. Build with :meth:`of`; read-only
    once built (a plain class: a frozen dataclass costs a call per field to build, per text)."""

    __slots__ = ("denials", "doubts", "hedges", "hits", "plain", "scopes", "text")

    def __init__(
        self,
        text: str,
        plain: bool,
        scopes: Scopes,
        hits: Hits,
        hedges: list[int] | None,
        doubts: list[int] | None,
        denials: list[int] | None,
    ) -> None:
        self.text = text
        #: ``literals.is_plain(text)``.
        self.plain = plain
        self.scopes = scopes
        #: ``knowledge.triggers.scan(text)``.
        self.hits = hits
        #: Where a hedge, a doubt, or a denial inside a phrase could begin (None: anywhere).
        self.hedges = hedges
        self.doubts = doubts
        self.denials = denials

    @classmethod
    def of(cls, text: str, scopes: Scopes, hits: Hits, plain: bool) -> Reading:
        return cls(
            text,
            plain,
            scopes,
            hits,
            _HEDGE_GUARD.positions(text, plain),
            _DOUBT_GUARD.positions(text, plain),
            _DENIAL_GUARD.positions(text, plain),
        )

    def uncertain(self, start: int) -> bool:
        """``negation.is_uncertain`` for a match starting at ``start``."""
        return begins_within(self.doubts, start - DOUBT_REACH, start) and is_uncertain(
            self.text, start, start
        )

    def hedged(self, start: int) -> bool:
        """``negation.is_hedged`` for a match starting at ``start``."""
        return begins_within(self.hedges, start - HEDGE_REACH, start) and is_hedged(
            self.text, start, start
        )

    def denies_itself(self, start: int, end: int, quote: str) -> bool:
        """:func:`_denies_itself` for the match ``quote`` at ``[start, end)``."""
        return begins_within(self.denials, start, end) and _denies_itself(quote)


def _matches(
    rx: Expr | None, need: tuple[str, ...] | None, anchored: Anchored | None, r: Reading
) -> Iterable[re.Match[str]]:
    """The matches of ``rx`` in the text, found lazily (a caller that has its answer stops the
    scan); none without a scan when the pattern's triggers are absent. On a plain text a
    pattern with anchors is tried only where they occur (the same matches: see anchors.py)."""
    if rx is None or (need is not None and r.hits.present.isdisjoint(need)):
        return ()
    if r.plain and anchored is not None:
        starts = r.hits.starts(anchored)
        return anchored.finditer(r.text, starts) if starts else ()
    return rx.on(r.plain).finditer(r.text)


def _excluded(p: FindingPatterns, r: Reading) -> list[tuple[int, int]]:
    if p.exclude is None:
        return []
    text = r.text
    if r.plain and p.exclude_anchors is not None:
        found = p.exclude_anchors.finditer(text, r.hits.starts(p.exclude_anchors))
        return [m.span() for m in found]
    if not p.exclude.could_match(text):
        return []
    return [m.span() for m in p.exclude.on(r.plain).finditer(text)]


def classify(p: FindingPatterns, r: Reading) -> Extracted | None:
    """What the text of ``r`` says of one finding.

    An explicit, unhedged statement beats a denial elsewhere; a denial beats a hedge; among
    equals the earliest wins (a denial the present phrases carry before one the absent phrases
    state). So the first firm statement settles it, and the rest of the text is not read."""
    denied: Extracted | None = None
    hedged: Extracted | None = None
    excluded: list[tuple[int, int]] | None = None
    for m in _matches(p.present, p.present_triggers, p.present_anchors, r):
        if excluded is None:
            excluded = _excluded(p, r)
        start, end = m.span()
        if excluded and any(a < end and start < b for a, b in excluded):
            continue
        if r.uncertain(start):
            continue
        quote = m.group(0)
        if r.scopes.negates(start) or r.denies_itself(start, end, quote):
            if denied is None:
                denied = _extracted(p.finding, "absent", 1.0, quote)
        elif not r.hedged(start):
            return _extracted(p.finding, "present", 1.0, quote)
        elif hedged is None:
            hedged = _extracted(p.finding, "present", HEDGED_WEIGHT, quote)
    if denied is not None:
        return denied
    for m in _matches(p.absent, p.absent_triggers, p.absent_anchors, r):
        if not r.scopes.negates(m.start()):
            return _extracted(p.finding, "absent", 1.0, m.group(0))
    return hedged


__all__ = ["HEDGED_WEIGHT", "Extracted", "Reading", "classify"]
