"""From load patterns to the engine's findings, which the runner confirms before they count.

The assessment is never fed a pattern directly: the runner sees "a recent jump in mileage",
ticks it if it is true for them, and only then does it reach the engine as an answer — through
the same public ``answers`` input every other answer uses."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from stridewise.kb.loader import KnowledgeBase
from stridewise.training.errors import TrainingError
from stridewise.training.patterns import PatternHit
from stridewise.triage.schemas import AnswerValue


@dataclass(frozen=True)
class SuggestedFinding:
    """A finding the history suggests, with the patterns that suggest it."""

    id: str
    label: str
    patterns: list[str]


def suggested_findings(kb: KnowledgeBase, hits: Sequence[PatternHit]) -> list[SuggestedFinding]:
    """One suggestion per finding, in the order the patterns were found."""
    by: dict[str, list[str]] = {}
    for hit in hits:
        by.setdefault(hit.finding, []).append(hit.id)
    return [SuggestedFinding(fid, kb.findings[fid].label, pids) for fid, pids in by.items()]


TRAINING_FINDINGS = frozenset(
    {"rf_mileage_jump", "rf_new_shoes", "rf_hills_trails", "rf_hard_surfaces", "rf_worn_shoes"}
)


def confirmed_answers(confirmed: Iterable[str]) -> dict[str, AnswerValue]:
    """The engine answers for the findings the runner confirmed. Only training findings are
    accepted here; anything else is a TrainingError (a crafted form, not a runner's tick)."""
    out: dict[str, AnswerValue] = {}
    for fid in confirmed:
        if fid not in TRAINING_FINDINGS:
            raise TrainingError(f"{fid!r} is not a finding a training history can suggest")
        out[fid] = "present"
    return out
