"""What a regular expression needs before it can match, so that a text is only scanned when it
could match at all.

Two exact shortcuts, neither of which can change what an expression finds:

- *required literals* (:func:`required`): literals of which every match contains at least one,
  worked out from the parsed expression. A text holding none of them cannot match, and a
  substring test is far cheaper than a scan (the lexicon's trigger index is built on them too);
- *plain text* (:func:`is_plain`): on a text of ASCII characters without the four separators
  ``\\x1c``-``\\x1f``, ``\\b``, ``\\w``, ``\\d`` and ``\\s`` mean the same in ASCII mode as in
  Unicode mode, and ASCII mode tests a table where Unicode mode calls the Unicode database at
  every position. (``\\s`` is the only class that differs on ASCII characters: Unicode mode
  counts the four separators as space.)

:class:`Expr` puts both together for one expression.
"""

from __future__ import annotations

import re
import re._parser as sre_parse  # type: ignore[import-not-found]  # the parser behind re.compile
from collections.abc import Callable, Iterator
from typing import Any

_LITERAL = sre_parse.LITERAL
_SUBPATTERN = sre_parse.SUBPATTERN
_BRANCH = sre_parse.BRANCH
_REPEATS = (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT)
#: The lexicon's triggers are at least this long: shorter ones occur in almost every text, and
#: would make a finding a candidate everywhere. A single guard can use any literal (a test for
#: "?" is as cheap as one for "swelling").
TRIGGER_LENGTH = 3
_SEPARATORS = "\x1c\x1d\x1e\x1f"
#: An expression needing one of more literals than this is scanned without testing them first:
#: the tests would cost about as much as the scan they might spare.
MAX_GUARD = 8


def _required(seq: object, shortest: int) -> set[str] | None:
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
            req = _required(arg[-1], shortest)
        elif op is _BRANCH:
            alts = [_required(alt, shortest) for alt in arg[1]]
            req = None if any(a is None for a in alts) else set().union(*alts)  # type: ignore[arg-type]
        elif op in _REPEATS and arg[0] >= 1:
            req = _required(arg[2], shortest)
        else:
            req = None
        if req:
            candidates.append(req)
    if run:
        candidates.append({run})
    good = [c for c in candidates if all(len(x.strip()) >= shortest for x in c)]
    if not good:
        return None
    # Prefer few, long literals: the cheapest and most selective substring tests.
    return min(good, key=lambda c: (len(c), -min(len(x) for x in c)))


def required(pattern: str, flags: int = 0) -> tuple[str, ...] | None:
    """Literals of which every match of ``pattern`` contains one, or None (no such set). Case-
    insensitive patterns have none: their literals need not occur as written."""
    parsed = sre_parse.parse(pattern, flags)
    if parsed.state.flags & re.IGNORECASE:
        return None
    req = _required(parsed, 1)
    return tuple(sorted(req)) if req is not None else None


def triggers(patterns: list[str], parsed: list[Any] | None = None) -> tuple[str, ...] | None:
    """Literals of which one must occur for any of ``patterns`` to match, or None. ``parsed``:
    the patterns as ``re._parser.parse`` read them, when the caller has them."""
    out: set[str] = set()
    for i, p in enumerate(patterns):
        req = _required(parsed[i] if parsed is not None else sre_parse.parse(p), TRIGGER_LENGTH)
        if req is None:
            return None
        out |= req
    return tuple(sorted(out))


def is_plain(text: str) -> bool:
    """Whether ASCII-mode matching finds exactly what Unicode-mode matching finds in ``text``."""
    # Spelled out (the four of _SEPARATORS): called for every expression searched, and four
    # substring tests cost less than a generator over them.
    return (
        text.isascii()
        and "\x1c" not in text
        and "\x1d" not in text
        and "\x1e" not in text
        and "\x1f" not in text
    )


def contains_any(text: str, literals: tuple[str, ...] | None) -> bool:
    """Whether ``text`` holds one of ``literals`` (None: no requirement, always true)."""
    return literals is None or any(map(text.__contains__, literals))


class Expr:
    """One expression with its required literals, compiled for plain and for other texts.

    The ASCII-mode twin is compiled at once (it also proves the expression well formed); the
    Unicode-mode original, which only a text with other characters needs, on first use. The
    methods mirror ``re.Pattern``'s and return exactly what the original would. Safe to share
    between threads: a race on the first use only does the same work twice."""

    __slots__ = ("_ascii", "_guard", "_need", "_unicode", "flags", "source")

    def __init__(self, source: str, flags: int = 0, *, guard: bool = True) -> None:
        """Compile ``source``; raises ``re.error`` when it is malformed. ``guard=False`` skips
        working out the required literals (for a caller that has its own prefilter)."""
        self.source = source
        self.flags = flags
        self._unicode: re.Pattern[str] | None = None
        self._ascii: re.Pattern[str] | None = None
        try:
            self._ascii = re.compile(source, flags | re.ASCII)
        except re.error:  # an inline (?u) asks for Unicode mode, or the source is malformed
            self._unicode = re.compile(source, flags)
        # Case-insensitive matching folds differently in ASCII mode (the Kelvin sign is a "k"
        # in Unicode mode), so such an expression keeps Unicode mode everywhere.
        if self._ascii is not None and self._ascii.flags & re.IGNORECASE:
            self._ascii = None
        # The literals are worked out on first use: a second parse of every expression would
        # cost the engine's load more than it saves there.
        self._guard = guard
        self._need: tuple[str, ...] | None = None

    @property
    def need(self) -> tuple[str, ...] | None:
        """Literals of which every match contains one (None: no test, always scan)."""
        if self._guard:
            found = required(self.source, self.flags)
            self._need = found if found is not None and len(found) <= MAX_GUARD else None
            self._guard = False
        return self._need

    @property
    def pattern(self) -> re.Pattern[str]:
        """The expression as ``re.compile(source, flags)`` builds it."""
        if self._unicode is None:
            self._unicode = re.compile(self.source, self.flags)
        return self._unicode

    def on(self, plain: bool) -> re.Pattern[str]:
        """The compiled expression to use on a text for which :func:`is_plain` is ``plain``."""
        if plain and self._ascii is not None:
            return self._ascii
        return self.pattern

    def could_match(self, text: str) -> bool:
        """False only when ``text`` lacks every required literal (then nothing can match)."""
        return contains_any(text, self.need)

    def _for(self, text: str) -> re.Pattern[str] | None:
        """The compiled expression to scan ``text`` with, or None when it cannot match there.
        (``could_match`` and ``on`` in one call: this runs for every expression searched.)"""
        need = self.need if self._guard else self._need
        if need is not None and not any(map(text.__contains__, need)):
            return None
        if self._ascii is not None and is_plain(text):
            return self._ascii
        return self._unicode or self.pattern

    def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
        rx = self._for(text)
        return None if rx is None else rx.search(text, pos)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        rx = self._for(text)
        return iter(()) if rx is None else rx.finditer(text)

    def sub(self, repl: str | Callable[[re.Match[str]], str], text: str) -> str:
        rx = self._for(text)
        return text if rx is None else rx.sub(repl, text)

    def __repr__(self) -> str:
        return f"Expr({self.source!r})"


__all__ = ["Expr", "contains_any", "is_plain", "required", "triggers"]
