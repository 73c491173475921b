"""Where the matches of a few small expressions can begin in a text, found once per text.

The classifier asks the same questions of every match of every finding: is there a hedge in
the few words before it ("a bit sore"), an admission of not knowing ("not sure if it's
swollen"), a denial inside the phrase itself ("the bone is not sore")? Each question is a
regular-expression search in a slice of the text, and most answer "no". A :class:`Guard` works
out, once per text, where any of its expressions could begin (their anchors, ``anchors.py``:
literal strings every match begins with), so a question whose slice holds no such position is
answered "no" without a slice, a call or a search.

This is exact, not a heuristic: a match found in a slice ``text[lo:hi]`` begins at some
``lo <= p < hi`` with one of the anchors spelled out in the text at ``p``, so a slice in which
no anchor begins holds no match. Where a guard cannot say (an expression without anchors, or a
text that is not plain, for which the anchors are not worked out: ``literals.is_plain``) every
question is asked as before.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

import ahocorasick

from stridewise.text.anchors import anchors
from stridewise.text.literals import Expr


class Guard:
    """The anchors of one or more expressions, in one automaton. Read-only: thread-safe."""

    __slots__ = ("_automaton",)

    def __init__(self, *exprs: Expr) -> None:
        found: set[str] = set()
        self._automaton: Any = None  # ahocorasick.Automaton (untyped C extension); None: no guard
        for expr in exprs:
            heads = anchors(expr.source, expr.on(True).flags)
            if heads is None:
                return
            found |= heads
        automaton = ahocorasick.Automaton()
        for anchor in found:
            automaton.add_word(anchor, len(anchor) - 1)
        automaton.make_automaton()
        self._automaton = automaton

    def positions(self, text: str, plain: bool) -> list[int] | None:
        """Where, in ascending order, an anchor begins in ``text``; None when unknown (then every
        slice may hold a match). ``plain``: ``literals.is_plain(text)``."""
        if self._automaton is None or not plain:
            return None
        found = [end - back for end, back in self._automaton.iter(text)]
        found.sort()
        return found


def begins_within(positions: list[int] | None, lo: int, hi: int) -> bool:
    """Whether one of ``positions`` (from :meth:`Guard.positions`) lies in ``[lo, hi)``; always
    true when they are unknown."""
    if positions is None:
        return True
    if not positions:
        return False
    i = bisect_left(positions, lo)
    return i < len(positions) and positions[i] < hi


__all__ = ["Guard", "begins_within"]
