"""Logical implications between findings, declared in findings.yaml.

A pop is an injury; a swollen calf is swelling; no injury means no twist. They are applied both to
what the runner wrote and to what they answered, so "did you feel a pop?" answered yes also
settles "did an injury start it?" and the interview never asks a question already answered.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from stridewise.kb.loader import KnowledgeBase


def with_parents(kb: KnowledgeBase, present: Iterable[str]) -> set[str]:
    """``present`` plus every parent of each finding, up the chain (pain under the heel is heel
    pain). Unknown ids are kept as they are."""
    out = set(present)
    for fid in list(out):
        finding = kb.findings.get(fid)
        parent = finding.parent if finding else None
        while parent:
            out.add(parent)
            parent = kb.findings[parent].parent
    return out


def implied_by(kb: KnowledgeBase, known: Mapping[str, str]) -> dict[str, tuple[str, str]]:
    """Findings that ``known`` (finding id -> "present"/"absent") implies but does not itself
    settle, as ``{finding: (status, source finding)}``. Transitive; a finding ``known`` states
    is never overridden, and the first implication reached wins."""
    out: dict[str, tuple[str, str]] = {}
    frontier = [(fid, status, fid) for fid, status in known.items()]
    while frontier:
        fid, status, source = frontier.pop(0)
        finding = kb.findings.get(fid)
        if finding is None or status not in ("present", "absent"):
            continue
        targets = finding.implies if status == "present" else finding.absent_implies
        for target in targets:
            if target in known or target in out:
                continue
            out[target] = (status, source)
            frontier.append((target, status, source))
    return out


__all__ = ["implied_by", "with_parents"]
