"""The compiled lexicon: for every finding, the phrases that assert it, deny it, or only look
like it, compiled from ``lexicon.yaml`` (format and macros) merged with ``lexicon_*.yaml`` (more
findings, one file per group of findings). ``text/knowledge.py`` reads the files."""

from __future__ import annotations

import re
import re._parser as sre_parse  # type: ignore[import-not-found]  # the parser behind re.compile
from dataclasses import dataclass
from typing import Any

from stridewise.text.anchors import Anchored
from stridewise.text.literals import Expr, triggers


@dataclass(frozen=True)
class FindingPatterns:
    """``*_triggers``: literals of which at least one must occur in the text for the pattern to
    match (None: no such literal, always run). A substring test is far cheaper than a scan.
    ``*_anchors``: the literals every match of each phrase begins with (None: not known), so
    that a pattern is tried only where one occurs, with the phrases that can begin there
    (``anchors.py``). Each pattern is one alternation of the finding's phrases, in the data's order."""

    finding: str
    present: Expr | None
    absent: Expr | None
    exclude: Expr | None
    present_triggers: tuple[str, ...] | None = None
    absent_triggers: tuple[str, ...] | None = None
    present_anchors: Anchored | None = None
    absent_anchors: Anchored | None = None
    exclude_anchors: Anchored | None = None


def _expand(pattern: str, macros: dict[str, str]) -> str:
    for name, body in macros.items():
        pattern = pattern.replace("{" + name + "}", body)
    return pattern


def _join(
    patterns: list[str], macros: dict[str, str], where: str, *, guard: bool = False
) -> Expr | None:
    if not patterns:
        return None
    alternatives = [f"(?:{_expand(p, macros)})" for p in patterns]
    try:
        return Expr("|".join(alternatives), guard=guard)
    except re.error as exc:
        raise ValueError(f"lexicon {where}: bad regex: {exc}") from exc


def _anchors(phrases: list[str], rx: Expr | None, parsed: list[Any] | None) -> Anchored | None:
    # The anchors serve plain texts, which use the expression as rx.on(plain=True) compiled it.
    return None if rx is None else Anchored.of(phrases, rx.on(True).flags, parsed)


def _parse(phrases: list[str]) -> list[Any]:
    """Each phrase parsed once, for its triggers and its anchors (parsing is most of the cost
    of working them out, and of the engine's load)."""
    return [sre_parse.parse(p) for p in phrases]


def compile_lexicon(raw: dict[str, Any]) -> dict[str, FindingPatterns]:
    macros: dict[str, str] = raw.get("macros", {})
    out: dict[str, FindingPatterns] = {}
    for fid, spec in raw["findings"].items():
        present = [_expand(p, macros) for p in spec.get("present", [])]
        absent = [_expand(p, macros) for p in spec.get("absent", [])]
        present_rx = _join(present, {}, f"{fid}.present")
        absent_rx = _join(absent, {}, f"{fid}.absent")
        exclude = [_expand(p, macros) for p in spec.get("exclude", [])]
        # Present and absent phrases have the trigger index; an exclusion guards itself.
        exclude_rx = _join(exclude, {}, f"{fid}.exclude", guard=True)
        # Parsed after _join has proved each alternation well formed.
        present_parsed, absent_parsed = _parse(present), _parse(absent)
        out[fid] = FindingPatterns(
            finding=fid,
            present=present_rx,
            absent=absent_rx,
            exclude=exclude_rx,
            present_triggers=triggers(present, present_parsed),
            absent_triggers=triggers(absent, absent_parsed),
            present_anchors=_anchors(present, present_rx, present_parsed),
            absent_anchors=_anchors(absent, absent_rx, absent_parsed),
            exclude_anchors=_anchors(exclude, exclude_rx, None),
        )
    return out


def merge_lexicons(main: dict[str, Any], parts: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """``main`` with the findings of each named part added; a finding defined twice is an error,
    because the second definition would silently replace the first."""
    merged: dict[str, Any] = {**main, "findings": dict(main["findings"])}
    for name, part in parts:
        for fid, spec in (part.get("findings") or {}).items():
            if fid in merged["findings"]:
                raise ValueError(f"lexicon {name}: finding {fid!r} is already defined")
            merged["findings"][fid] = spec
    return merged
