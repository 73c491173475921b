"""Where a match of an expression can start, so that it is tried only there.

A lexicon expression is an alternation of phrases, most of them starting with a word after a
``\\b``. ``re`` has no fast skip for such a pattern (its literal-prefix and first-character
shortcuts stop at the ``\\b``), so a scan of a text tries every phrase at every position.
:func:`anchors` works out, from the parsed expression, a set of literal strings every match
begins with: its *anchors*. A match can then start only where an anchor occurs. One
Aho-Corasick pass finds every anchor of every expression (``triggers.TriggerIndex.scan``), and
:meth:`Anchored.finditer` tries, with ``Pattern.match``, only those positions and there only the
phrases that can begin with the anchor found.

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
import re._parser as sre_parse  # type: ignore[import-not-found]  # the parser behind re.compile
from collections.abc import Iterator
from typing import Any

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
_CAP = 128
#: Anchors stop growing once every one is this long: a longer anchor is hardly rarer in a text,
#: and the optional words after it would multiply their number (and the engine's load time).
_ENOUGH = 8
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
        if min(map(len, out)) >= _ENOUGH:
            return out  # selective enough; longer ones would only multiply
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


# A back-reference (\\1, (?P=name)) or a conditional group ((?(1)...)) in a source. An escaped
# backslash before a digit is a false alarm, which only costs the anchors (never a wrong match).
_BACKREFERENCE = re.compile(r"\\[1-9]|\(\?P=|\(\?\(")


def anchors(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Literal strings of which every (ASCII-mode) match of ``pattern`` begins with one, no
    one a prefix of another; None when no such set of non-empty strings is known (or the
    pattern refers back to a group, whose number depends on the patterns around it)."""
    return _anchors_of(pattern, sre_parse.parse(pattern, flags), flags)


def _anchors_of(pattern: str, parsed: _Parsed, flags: int) -> frozenset[str] | None:
    if (parsed.state.flags | flags) & re.IGNORECASE or _BACKREFERENCE.search(pattern):
        return None
    found = _starts(parsed)
    if "" in found or len(found) > _MAX_ANCHORS:
        return None
    return _minimal(found)


#: Where an anchor begins in a text, and the alternatives (their indices) it can begin.
Start = tuple[int, tuple[int, ...]]


class Anchored:
    """An alternation of phrases ``(?:a)|(?:b)|...`` that is tried only where an anchor occurs,
    and there only with the phrases that can begin with that anchor.

    At one position the alternation matches as its first phrase that matches there (nothing
    follows it in the pattern), and a phrase none of whose anchors begins there cannot match,
    so trying the phrases an anchor belongs to, in order, is the same as trying the whole
    alternation. Each phrase is compiled alone, on first use. Safe to share between threads:
    a race on the first use only compiles a phrase twice."""

    __slots__ = ("_checks", "_compiled", "_flags", "_sources", "owners")

    def __init__(
        self,
        sources: list[str],
        flags: int,
        owners: dict[str, tuple[int, ...]],
        checks: list[tuple[int, tuple[str, ...]]] | None = None,
    ):
        self._sources = sources
        self._flags = flags
        self._compiled: list[re.Pattern[str] | None] = [None] * len(sources)
        #: For each anchor, the phrases (indices, ascending) that can begin with it. An entry
        #: ``~k`` (negative) stands for ``checks[k] = (phrase, heads)``: a phrase whose own
        #: anchors only extend this one ("a" shared, "ach" its own), tried only where one of
        #: ``heads`` begins (a failed attempt of a long phrase costs far more than the test).
        self.owners = owners
        self._checks = checks or []

    @classmethod
    def of(cls, phrases: list[str], flags: int, parsed: list[Any] | None = None) -> Anchored | None:
        """``phrases`` joined as ``(?:p1)|(?:p2)|...`` compile with ``flags`` (the flags of
        the compiled whole, e.g. ``re.ASCII``); ``parsed``: each phrase as ``re._parser.parse``
        read it, when the caller has them. None when a phrase has no anchors or one refers
        back to a group (numbered across the whole alternation)."""
        per_phrase: list[frozenset[str]] = []
        for i, phrase in enumerate(phrases):
            try:
                tree = parsed[i] if parsed is not None else sre_parse.parse(phrase, flags)
            except re.error:  # well formed only inside the alternation: scanned as a whole
                return None
            found = _anchors_of(phrase, tree, flags)
            if found is None:
                return None
            per_phrase.append(found)
        sources = [f"(?:{p})" for p in phrases]
        every = _minimal(set().union(*per_phrase))
        if len(every) > _MAX_ANCHORS:
            return None
        owners: dict[str, list[int]] = {}
        checks: list[tuple[int, tuple[str, ...]]] = []
        for i, heads in enumerate(per_phrase):
            under: dict[str, list[str]] = {}
            for s in heads:
                # The one anchor of the whole that begins ``s``: it marks where ``s`` can begin.
                for cut in range(1, len(s) + 1):
                    if s[:cut] in every:
                        under.setdefault(s[:cut], []).append(s)
                        break
            for anchor, own in under.items():
                entry = i
                if anchor not in own:  # only longer anchors of this phrase begin here
                    checks.append((i, tuple(sorted(own))))
                    entry = ~(len(checks) - 1)
                owners.setdefault(anchor, []).append(entry)
        return cls(sources, flags, {k: tuple(v) for k, v in owners.items()}, checks)

    def _compile(self, i: int) -> re.Pattern[str]:
        rx = re.compile(self._sources[i], self._flags)
        self._compiled[i] = rx
        return rx

    def finditer(self, text: str, starts: list[Start]) -> Iterator[re.Match[str]]:
        """What ``finditer`` of the whole alternation yields on ``text``, given ``starts``: in
        ascending order, every place an anchor begins (see ``triggers.Hits.starts``)."""
        end = 0
        compiled = self._compiled
        checks = self._checks
        for pos, phrases in starts:
            if pos < end:
                continue
            for i in phrases:
                if i < 0:
                    i, heads = checks[~i]
                    if not text.startswith(heads, pos):
                        continue
                m = (compiled[i] or self._compile(i)).match(text, pos)
                if m is not None:
                    end = m.end()
                    yield m
                    break


__all__ = ["Anchored", "Start", "anchors"]
