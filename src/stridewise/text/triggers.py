"""Which lexicon literals occur in a text, and where, found in one pass.

Every finding's patterns carry *triggers* (``lexicon.FindingPatterns``): literals of which at
least one must occur for the pattern to match at all. Testing each finding's triggers with
substring searches scanned the text once per literal, a few thousand times per assessment. An
Aho-Corasick automaton (``pyahocorasick``) over every trigger finds all of them in one pass over
the text, so a finding whose triggers are absent costs a set lookup, and only the findings whose
words occur run their regular expressions.

The same pass records where each pattern's *anchors* (``anchors.py``: the literals its matches
begin with) occur, so a pattern is then tried only at those positions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import ahocorasick

from stridewise.text.anchors import Anchored, Start
from stridewise.text.lexicon import FindingPatterns


@dataclass(frozen=True, slots=True)
class Hits:
    """What one pass over a text found."""

    #: Every trigger literal that occurs in the text.
    present: frozenset[str]
    #: For each anchored pattern, where its anchors occur in the text (with the phrases each
    #: can begin), in no particular order; a pattern none of whose anchors occurs has no entry.
    at: dict[Anchored, list[Start]]

    def starts(self, pattern: Anchored) -> list[Start]:
        """Where, in ascending order, an anchor of ``pattern`` begins in the text (its anchors
        are no prefixes of one another, so no two begin at the same place)."""
        found = self.at.get(pattern)
        if found is None:
            return []
        # Nearly sorted already (the pass reports them by their end). No two share a position,
        # so the sort never compares the phrase tuples.
        found.sort()
        return found


@dataclass(frozen=True)
class TriggerIndex:
    """An automaton over every trigger and anchor literal of a lexicon. Read-only after
    :meth:`of`, so one index serves every thread."""

    automaton: Any  # ahocorasick.Automaton (untyped C extension)
    size: int
    #: Findings with a pattern that has no trigger literal: they are always tried.
    always: frozenset[str]
    #: For each literal, the findings one of whose patterns it triggers.
    findings_of: Mapping[str, frozenset[str]]
    #: The trigger literals (the keys of ``findings_of``).
    triggers: frozenset[str] = frozenset()
    #: The finding each present or absent pattern with anchors belongs to.
    finding_of: Mapping[Anchored, str] = field(default_factory=dict)
    #: Findings with a present or absent pattern without anchors (tried wherever triggered).
    unanchored: frozenset[str] = frozenset()
    #: Each finding's place in the lexicon, the order in which an extraction lists them.
    rank: Mapping[str, int] = field(default_factory=dict)
    #: For each finding, the literals that trigger one of its patterns (``findings_of``
    #: turned around).
    triggers_of: Mapping[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, lexicon: Mapping[str, FindingPatterns]) -> TriggerIndex:
        owners: dict[str, set[str]] = {}
        always: set[str] = set()
        anchored: dict[str, list[tuple[Anchored, tuple[int, ...]]]] = {}
        finding_of: dict[Anchored, str] = {}
        unanchored: set[str] = set()
        for fid, p in lexicon.items():
            for rx, need in ((p.present, p.present_triggers), (p.absent, p.absent_triggers)):
                if rx is None:
                    continue
                if need is None:
                    always.add(fid)
                    continue
                for literal in need:
                    owners.setdefault(literal, set()).add(fid)
            for rx, found, decides in (
                (p.present, p.present_anchors, True),
                (p.absent, p.absent_anchors, True),
                (p.exclude, p.exclude_anchors, False),
            ):
                if rx is None:
                    continue
                if found is None:
                    if decides:
                        unanchored.add(fid)
                    continue
                if decides:
                    finding_of[found] = fid
                for literal, phrases in found.owners.items():
                    anchored.setdefault(literal, []).append((found, phrases))
        automaton = ahocorasick.Automaton()
        for literal in anchored.keys() | owners.keys():
            automaton.add_word(
                literal, (literal, len(literal) - 1, tuple(anchored.get(literal, ())))
            )
        if len(automaton):
            automaton.make_automaton()
        return cls(
            automaton,
            len(automaton),
            frozenset(always),
            {k: frozenset(v) for k, v in owners.items()},
            frozenset(owners),
            finding_of,
            frozenset(unanchored),
            {fid: i for i, fid in enumerate(lexicon)},
            _turned(owners),
        )

    def scan(self, text: str) -> Hits:
        """Every trigger literal in ``text``, and where every pattern's anchors occur."""
        if not self.size:
            return Hits(frozenset(), {})
        found: set[str] = set()
        add = found.add
        at: defaultdict[Anchored, list[Start]] = defaultdict(list)
        for end, (literal, back, patterns) in self.automaton.iter(text):
            add(literal)
            for pattern, phrases in patterns:
                at[pattern].append((end - back, phrases))
        # intersection() walks its argument: the few literals found, not every trigger.
        return Hits(self.triggers.intersection(found), at)

    def present(self, text: str) -> frozenset[str]:
        """Every trigger literal that occurs somewhere in ``text``."""
        return self.scan(text).present

    def candidates(self, present: frozenset[str]) -> set[str]:
        """The findings that can match a text whose trigger literals are ``present``."""
        out = set(self.always)
        if present:
            out.update(*map(self.findings_of.__getitem__, present))
        return out

    def anchored_candidates(self, hits: Hits) -> set[str]:
        """The findings that can match a plain text (``literals.is_plain``) with ``hits``:
        its triggers occur, and so does an anchor of one of its patterns unless one has none."""
        # (Exclusions have no entry in finding_of: get gives None, which filter drops.)
        out = set(filter(None, map(self.finding_of.get, hits.at)))
        out |= self.unanchored
        # The same as ``out & self.candidates(hits.present)``, without building the union of
        # every present literal's findings: a few dozen findings to test, not that union.
        always, triggers_of, present = self.always, self.triggers_of, hits.present
        return {
            fid for fid in out if fid in always or not present.isdisjoint(triggers_of.get(fid, ()))
        }


def _turned(owners: Mapping[str, set[str]]) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for literal, fids in owners.items():
        for fid in fids:
            out.setdefault(fid, set()).add(literal)
    return {fid: frozenset(literals) for fid, literals in out.items()}


def may_match(need: tuple[str, ...] | None, present: frozenset[str]) -> bool:
    """Whether a pattern with triggers ``need`` (None: no literal is required) can match a text
    whose trigger literals are ``present``."""
    return need is None or not present.isdisjoint(need)
