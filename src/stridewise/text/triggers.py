"""Which lexicon trigger literals occur in a text, found in one pass.

Every finding's patterns carry *triggers* (``lexicon.FindingPatterns``): literals of which at
least one must occur for the pattern to match at all. Testing each finding's triggers with
substring searches scanned the text once per literal, a few thousand times per assessment. An
Aho-Corasick automaton (``pyahocorasick``) over every trigger finds all of them in one pass over
the text, so a finding whose triggers are absent costs a set lookup, and only the findings whose
words occur run their regular expressions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import ahocorasick

from stridewise.text.lexicon import FindingPatterns


@dataclass(frozen=True)
class TriggerIndex:
    """An automaton over every trigger literal of a lexicon. Read-only after :meth:`of`, so
    one index serves every thread."""

    automaton: Any  # ahocorasick.Automaton (untyped C extension)
    size: int
    #: Findings with a pattern that has no trigger literal: they are always tried.
    always: frozenset[str]
    #: For each literal, the findings one of whose patterns it triggers.
    findings_of: Mapping[str, frozenset[str]]

    @classmethod
    def of(cls, lexicon: Mapping[str, FindingPatterns]) -> TriggerIndex:
        owners: dict[str, set[str]] = {}
        always: set[str] = set()
        for fid, p in lexicon.items():
            for rx, need in ((p.present, p.present_triggers), (p.absent, p.absent_triggers)):
                if rx is None:
                    continue
                if need is None:
                    always.add(fid)
                    continue
                for literal in need:
                    owners.setdefault(literal, set()).add(fid)
        automaton = ahocorasick.Automaton()
        for literal in owners:
            automaton.add_word(literal, literal)
        if owners:
            automaton.make_automaton()
        findings_of = {k: frozenset(v) for k, v in owners.items()}
        return cls(automaton, len(owners), frozenset(always), findings_of)

    def present(self, text: str) -> frozenset[str]:
        """Every trigger literal that occurs somewhere in ``text``."""
        if not self.size:
            return frozenset()
        return frozenset(literal for _, literal in self.automaton.iter(text))

    def candidates(self, present: frozenset[str]) -> set[str]:
        """The findings that can match a text whose trigger literals are ``present``."""
        out = set(self.always)
        for literal in present:
            out.update(self.findings_of[literal])
        return out


def may_match(need: tuple[str, ...] | None, present: frozenset[str]) -> bool:
    """Whether a pattern with triggers ``need`` (None: no literal is required) can match a text
    whose trigger literals are ``present``."""
    return need is None or not present.isdisjoint(need)
