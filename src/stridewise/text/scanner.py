"""One expression scanned only where it can match, for the expressions outside the lexicon.

The lexicon's patterns share one Aho-Corasick pass (``triggers.TriggerIndex.scan``). A few other
expressions read every text too (the misspelling table, the duration phrases, the self-diagnosis
frames) and are long alternations that ``re`` tries at every position. A :class:`Scanner` gives
one of them its own automaton over its anchors (``anchors.py``): on a plain text it is tried only
where an anchor begins, and finds exactly what the expression finds (same matches, same order).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import ahocorasick

from stridewise.text.anchors import Anchored, Start
from stridewise.text.literals import Expr, is_plain


class Scanner:
    """``expr`` with its anchors' automaton. Read-only after construction: thread-safe."""

    __slots__ = ("_anchored", "_automaton", "_need", "expr")

    def __init__(self, expr: Expr) -> None:
        self.expr = expr
        #: ``expr.need``, worked out now: every text reads it.
        self._need = expr.need
        self._anchored = Anchored.of([expr.source], expr.on(True).flags)
        self._automaton: Any = None  # ahocorasick.Automaton (untyped C extension)
        if self._anchored is not None:
            automaton = ahocorasick.Automaton()
            for anchor, phrases in self._anchored.owners.items():
                automaton.add_word(anchor, (len(anchor) - 1, phrases))
            automaton.make_automaton()
            self._automaton = automaton

    def _starts(self, text: str) -> list[Start]:
        # An anchor begins at one place at most (see anchors._minimal): no ties to compare.
        return sorted(
            [(end - back, phrases) for end, (back, phrases) in self._automaton.iter(text)]
        )

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """``expr.finditer(text)``."""
        if self._anchored is None or not is_plain(text):
            return self.expr.finditer(text)
        need = self._need
        if need is not None and not any(map(text.__contains__, need)):
            return iter(())
        starts = self._starts(text)
        return self._anchored.finditer(text, starts) if starts else iter(())

    def search(self, text: str) -> re.Match[str] | None:
        """``expr.search(text)``: the first of :meth:`finditer`."""
        return next(self.finditer(text), None)

    def sub(self, repl: Callable[[re.Match[str]], str], text: str) -> str:
        """``expr.sub(repl, text)`` (an expression with anchors never matches empty, so the
        pieces between matches are exactly what ``re.sub`` keeps)."""
        if self._anchored is None or not is_plain(text):
            return self.expr.sub(repl, text)
        out: list[str] = []
        last = 0
        for m in self.finditer(text):
            out.append(text[last : m.start()])
            out.append(repl(m))
            last = m.end()
        if not out:
            return text
        out.append(text[last:])
        return "".join(out)

    def __repr__(self) -> str:
        return f"Scanner({self.expr.source!r})"


__all__ = ["Scanner"]
