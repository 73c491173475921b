"""Derived findings: a finding that follows from a combination of others (``derived.yaml``).

The Ottawa rules are the example: a bone tender to press where the rules look (the outer foot,
the inner midfoot, either ankle bone) is the Ottawa finding itself. The rules are data; this
module validates them and applies them to an extraction."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field


class DerivedRule(BaseModel):
    """Set ``finding`` present when every ``all_of`` and at least one ``any_of`` is present.
    The first ``all_of`` finding lends the new finding its quote and weight."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    finding: str = Field(min_length=1)
    all_of: tuple[str, ...] = Field(min_length=1)
    any_of: tuple[str, ...] = ()
    why: str = Field(min_length=5)

    def fires(self, present: Callable[[str], bool]) -> bool:
        if not all(present(f) for f in self.all_of):
            return False
        return not self.any_of or any(present(f) for f in self.any_of)

    def mentions(self) -> tuple[str, ...]:
        """Every finding id the rule names."""
        return (self.finding, *self.all_of, *self.any_of)


class DerivedFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rules: tuple[DerivedRule, ...] = ()


class _Stated(Protocol):
    """What a rule reads of a finding (an extracted finding, read-only)."""

    @property
    def status(self) -> str: ...
    @property
    def weight(self) -> float: ...
    @property
    def quote(self) -> str: ...


def derive(
    rules: tuple[DerivedRule, ...],
    findings: Mapping[str, _Stated],
    add: Callable[[str, str, str, float], None],
) -> None:
    """Apply ``rules`` in order; ``add(finding, status, quote, weight)`` records what fired (it
    keeps whatever the text already said about that finding)."""

    def present(fid: str) -> bool:
        found = findings.get(fid)
        return found is not None and found.status == "present"

    for rule in rules:
        if rule.fires(present):
            source = findings[rule.all_of[0]]
            add(rule.finding, "present", source.quote, source.weight)


__all__ = ["DerivedFile", "DerivedRule", "derive"]
