"""Where a match of an expression can start, so that it is tried only there.

A lexicon expression is an alternation of phrases, most of them starting with a word after a
``\\b``. ``re`` has no fast skip for such a pattern (its literal-prefix and first-character
shortcuts stop at the ``\\b``), so a scan of a text tries every alternative at every position.
:func:`anchors` works out, from the parsed expression, a set of literal strings every match
begins with: its *anchors*. A match can then start only where an anchor occurs; one
Aho-Corasick pass finds every anchor of every expression (``triggers.TriggerIndex.scan``), and
:func:`anchored` tries the expression with ``Pattern.match`` at just those positions.

This is exact, not a heuristic: ``finditer`` tries the pattern at each position from the end of
the previous match onward and yields the first position where it matches; trying only the
positions where a match can start, in order, from the same place, yields the same matches.
``match(text, pos)`` sees the text before ``pos`` (``\\b`` and look-behinds read it), as the
scan does. An expression that could match the empty string has no anchors (an anchor is never
empty), so the rule for empty matches never arises.

The anchors are worked out for ASCII-mode matching (``\\d`` is ``[0-9]``): the engine uses them
on plain texts only (``literals.is_plain``), where both modes match the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import re._parser as sre_parse  # type: ignore[import-not-found]  # the parser behind re.compile

_LITERAL = sre_parse.LITERAL
_SUBPATTERN = sre_parse.SUBPATTERN
_BRANCH = sre_parse.BRANCH
_IN = sre_parse.IN
_RANGE = sre_parse.RANGE
_CATEGORY = sre_parse.CATEGORY
_DIGIT = sre_parse.CATEGORY_DIGIT
_REPEATS = (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT)
#: Zero-width: they consume nothing, so they add nothing to what a match begins with.
_ZERO_WIDTH = (sre_parse.AT, sre_parse.ASSERT, sre_parse.ASSERT_NOT)
#: A set of exact strings bigger than this stops growing (a cross product of optional words
#: multiplies quickly); the anchors found so far still hold.
_CAP = 256
#: A character class of more characters than this is no anchor (it would match almost anywhere).
_CLASS = 10
#: More anchors than this for one expression: none (it would be tried almost everywhere anyway).
_MAX_ANCHORS = 20_000
_Parsed = Any  # re._parser.SubPattern or a list of (op, arg) pairs: untyped internals


def _exact_seq(seq: _Parsed) -> set[str] | None:
    """Every string ``seq`` can match, when that is a small finite set; else None."""
    out = {""}
    for item in seq:
        strings = _exact(item)
        if strings is None:
            return None
        out = {a + b for a in out for b in strings}
        if len(out) > _CAP:
            return None
    return out


def _class(items: _Parsed) -> set[str] | None:
    chars: set[str] = set()
    for op, arg in items:
        if op is _LITERAL:
            chars.add(chr(arg))
        elif op is _RANGE and arg[1] - arg[0] < _CLASS:
            chars.update(chr(c) for c in range(arg[0], arg[1] + 1))
        elif op is _CATEGORY and arg is _DIGIT:
            chars.update("0123456789")  # ASCII mode; see the module docstring
        else:  # NEGATE, wide ranges, \w, \s ...
            return None
    return chars if len(chars) <= _CLASS else None


def _exact(item: tuple[Any, Any]) -> set[str] | None:
    """Every string one parsed item can match, when that is a small finite set; else None.
    Zero-width items match the empty string (what they assert is ignored: a superset)."""
    op, arg = item
    if op is _LITERAL:
        return {chr(arg)}
    if op in _ZERO_WIDTH:
        return {""}
    if op is _IN:
        return _class(arg)
    if op is _SUBPATTERN:
        _group, add_flags, del_flags, body = arg
        return None if add_flags or del_flags else _exact_seq(body)
    if op is _BRANCH:
        out: set[str] = set()
        for alt in arg[1]:
            strings = _exact_seq(alt)
            if strings is None:
                return None
            out |= strings
        return out if len(out) <= _CAP else None
    if op in _REPEATS:
        low, high, body = arg
        if high > 3:
            return None
        one = _exact_seq(body)
        if one is None:
            return None
        out, run = set(), {""}
        for n in range(high + 1):
            if n >= low:
                out |= run
            run = {a + b for a in run for b in one}
            if len(run) > _CAP:
                return None
        return out
    return None


def _prefixes(item: tuple[Any, Any]) -> set[str] | None:
    """Strings every match of one item begins with (None: no such set known)."""
    op, arg = item
    if op is _SUBPATTERN:
        return None if arg[1] or arg[2] else _starts(arg[3])
    if op is _BRANCH:
        out: set[str] = set()
        for alt in arg[1]:
            out |= _starts(alt)
        return out
    if op in _REPEATS and arg[0] >= 1:
        return _starts(arg[2])
    return None


def _starts(seq: _Parsed) -> set[str]:
    """Strings every match of ``seq`` begins with; ``{""}`` when nothing is known."""
    out = {""}
    for item in seq:
        strings = _exact(item)
        if strings is not None:
            longer = {a + b for a in out for b in strings}
            if len(longer) <= _CAP:
                out = longer
                continue
            return out
        # Not a small finite set: what its matches begin with ends the anchor.
        heads = _prefixes(item)
        if heads is None:
            return out
        longer = {a + b for a in out for b in heads}
        return longer if len(longer) <= _MAX_ANCHORS else out
    return out


def _minimal(strings: set[str]) -> frozenset[str]:
    """Drop every string that extends another: the shorter one already marks the position, and
    then no two anchors start at the same place."""
    out: list[str] = []
    for s in sorted(strings):  # a string sorts right after its prefixes' run
        if not out or not s.startswith(out[-1]):
            out.append(s)
    return frozenset(out)


def anchors(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Literal strings of which every (ASCII-mode) match of ``pattern`` begins with one, or None
    when no such set of non-empty strings is known."""
    parsed = sre_parse.parse(pattern, flags)
    if parsed.state.flags & re.IGNORECASE:
        return None
    found = _starts(parsed)
    if "" in found or len(found) > _MAX_ANCHORS:
        return None
    return _minimal(found)


def anchored(rx: re.Pattern[str], text: str, starts: list[int]) -> Iterator[re.Match[str]]:
    """``rx.finditer(text)``, given ``starts``: in increasing order, every position where a match
    can begin (an anchor of ``rx`` occurs). ``rx`` must not match the empty string."""
    end = 0
    match = rx.match
    for pos in starts:
        if pos >= end:
            m = match(text, pos)
            if m is not None:
                end = m.end()
                yield m


__all__ = ["anchored", "anchors"]
