"""The compiled lexicon: for every finding, the phrases that assert it, deny it, or only look
like it, compiled from ``lexicon.yaml`` (format and macros) merged with ``lexicon_*.yaml`` (more
findings, one file per group of findings). ``text/knowledge.py`` reads the files."""

from __future__ import annotations

import re
import re._parser as sre_parse  # type: ignore[import-not-found]  # the parser behind re.compile
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FindingPatterns:
    """``*_triggers``: literals of which at least one must occur in the text for the pattern to
    match (None: no such literal, always run). A substring test is far cheaper than a scan."""

    finding: str
    present: re.Pattern[str] | None
    absent: re.Pattern[str] | None
    exclude: re.Pattern[str] | None
    present_triggers: tuple[str, ...] | None = None
    absent_triggers: tuple[str, ...] | None = None


_LITERAL = sre_parse.LITERAL
_SUBPATTERN = sre_parse.SUBPATTERN
_BRANCH = sre_parse.BRANCH
_REPEATS = (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT)


def _required(seq: object) -> set[str] | None:
    """A set of literals of which every match of ``seq`` contains at least one, or None.

    Walks the parsed pattern: a literal run is required as is; a non-optional group or
    repeat requires what its body requires; a branch requires one of its alternatives'
    requirements. Of the candidates in a sequence, the most selective is kept."""
    candidates: list[set[str]] = []
    run = ""
    for op, arg in seq:  # type: ignore[attr-defined]
        if op is _LITERAL:
            run += chr(arg)
            continue
        if run:
            candidates.append({run})
            run = ""
        if op is _SUBPATTERN:
            req = _required(arg[-1])
        elif op is _BRANCH:
            alts = [_required(alt) for alt in arg[1]]
            req = None if any(a is None for a in alts) else set().union(*alts)  # type: ignore[arg-type]
        elif op in _REPEATS and arg[0] >= 1:
            req = _required(arg[2])
        else:
            req = None
        if req:
            candidates.append(req)
    if run:
        candidates.append({run})
    good = [c for c in candidates if all(len(x.strip()) >= 3 for x in c)]
    if not good:
        return None
    # Prefer few, long literals: the cheapest and most selective substring tests.
    return min(good, key=lambda c: (len(c), -min(len(x) for x in c)))


def triggers(patterns: list[str]) -> tuple[str, ...] | None:
    """Literals of which one must occur for any of ``patterns`` to match, or None."""
    out: set[str] = set()
    for p in patterns:
        req = _required(sre_parse.parse(p))
        if req is None:
            return None
        out |= req
    return tuple(sorted(out))


def _expand(pattern: str, macros: dict[str, str]) -> str:
    for name, body in macros.items():
        pattern = pattern.replace("{" + name + "}", body)
    return pattern


def _join(patterns: list[str], macros: dict[str, str], where: str) -> re.Pattern[str] | None:
    if not patterns:
        return None
    alternatives = [f"(?:{_expand(p, macros)})" for p in patterns]
    try:
        return re.compile("|".join(alternatives))
    except re.error as exc:
        raise ValueError(f"lexicon {where}: bad regex: {exc}") from exc


def compile_lexicon(raw: dict[str, Any]) -> dict[str, FindingPatterns]:
    macros: dict[str, str] = raw.get("macros", {})
    out: dict[str, FindingPatterns] = {}
    for fid, spec in raw["findings"].items():
        present = [_expand(p, macros) for p in spec.get("present", [])]
        absent = [_expand(p, macros) for p in spec.get("absent", [])]
        out[fid] = FindingPatterns(
            finding=fid,
            present=_join(present, {}, f"{fid}.present"),
            absent=_join(absent, {}, f"{fid}.absent"),
            exclude=_join(spec.get("exclude", []), macros, f"{fid}.exclude"),
            present_triggers=triggers(present),
            absent_triggers=triggers(absent),
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
