r"""Fuzzy spelling against the lexicon's own vocabulary, for the typos no table can list.

Runners type on phones: "swolen", "brusied", "metatarsel", "limpin", "tinglng". The misspelling
table (``spelling.yaml``) fixes the common ones by name; this fixes the long tail with SymSpell
(``symspellpy``), looking each unknown word up among the words the lexicon itself uses.

A word is corrected only when all of these hold, so that real words are never rewritten:

- it is at least :data:`MIN_LENGTH` letters and is not a word the lexicon already knows;
- it is not in ``keep`` (brand names and running jargon, from ``spelling.yaml``);
- it is not an English word: symspellpy's English frequency dictionary (82,765 words, MIT
  licence) says so. That list is read once, when the first unknown word needs it;
- it does not start with one of the lexicon's stems (the lexicon reads "numbish" and
  "tinglng" through ``numb\w*`` and ``tingl\w*`` already, and a drug name it spells in full
  is not a typo of a shorter one);
- exactly one vocabulary word lies at the smallest edit distance (1 for words of up to
  eight letters, 2 for longer ones), so an ambiguous typo is left alone, and it begins with
  the same letter (people rarely mistype the first letter; "radicular" is not "navicular").

Before that, a dropped final g ("runnin", "swellin", "limpin") is put back when the result is
an English word.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

from symspellpy import SymSpell, Verbosity

from stridewise.text.literals import Expr

#: Shorter words are too easily one edit away from a different real word ("hell", "heal").
MIN_LENGTH = 6
#: Edit distance allowed for words longer than six letters (one for shorter ones).
LONG_WORD_DISTANCE = 2
#: A stem counts as covering a word when at most this many letters follow it.
STEM_TAIL = 4
#: How many distinct words one speller remembers the answer for.
_MEMO_SIZE = 20_000
_WORD = Expr(rf"(?<![\w'])[a-z]{{{MIN_LENGTH},}}(?![\w'])")
_LETTERS = re.compile(r"[a-z]{4,}")
# Regex escapes (\b, \w, \s ...) would otherwise glue their letter onto the next word.
_ESCAPE = re.compile(r"\\[a-zA-Z]")


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """symspellpy's English word list (package data, read once, on first need)."""
    path = resources.files("symspellpy") / "frequency_dictionary_en_82_765.txt"
    return frozenset(path.read_text(encoding="utf-8").split()[0::2])


def vocabulary_of(patterns: Iterable[str]) -> set[str]:
    """The words a set of regex sources spells out: every run of four or more letters."""
    words: set[str] = set()
    for source in patterns:
        words.update(_LETTERS.findall(_ESCAPE.sub(" ", source)))
    return words


class Speller:
    """Corrects unknown words to the lexicon's vocabulary. Safe to share between threads: the
    SymSpell index is read-only after construction and the memo is a plain dict whose races
    only repeat work."""

    def __init__(self, vocabulary: Iterable[str], keep: Iterable[str] = ()) -> None:
        self.vocabulary = frozenset(w for w in vocabulary if w.isalpha())
        self.keep = frozenset(keep)
        self._stems = sorted(self.vocabulary)
        self._index = SymSpell(max_dictionary_edit_distance=LONG_WORD_DISTANCE, prefix_length=7)
        for word in self.vocabulary:
            self._index.create_dictionary_entry(word, 1)
        self._memo: dict[str, str | None] = {}
        #: Words :meth:`correction` leaves as typed whatever they are.
        self._known = self.vocabulary | self.keep

    def correction(self, word: str) -> str | None:
        """The lexicon word ``word`` was meant to be, or None to leave it as typed."""
        if len(word) < MIN_LENGTH or word in self.vocabulary or word in self.keep:
            return None
        if word in self._memo:
            return self._memo[word]
        best = self._lookup(word)
        if len(self._memo) < _MEMO_SIZE:
            self._memo[word] = best
        return best

    def _lookup(self, word: str) -> str | None:
        english = english_words()
        if word in english:
            return None
        if word.endswith("in") and word + "g" in english:
            return word + "g"
        if self._has_stem(word):
            return None
        distance = 1 if len(word) <= 8 else LONG_WORD_DISTANCE
        found = self._index.lookup(word, Verbosity.CLOSEST, max_edit_distance=distance)
        if len(found) != 1 or found[0].distance == 0 or found[0].term[0] != word[0]:
            return None
        return str(found[0].term)

    def _has_stem(self, word: str) -> bool:
        """Whether a vocabulary word of four or more letters begins ``word`` with at most
        :data:`STEM_TAIL` letters after it."""
        for cut in range(max(4, len(word) - STEM_TAIL), len(word)):
            prefix = word[:cut]
            i = bisect_left(self._stems, prefix)
            if i < len(self._stems) and self._stems[i] == prefix:
                return True
        return False

    def fix(self, text: str) -> str:
        """``text`` (lower case) with each unknown word replaced by its unique correction."""

        known = self._known
        correction = self.correction

        def repl(m: re.Match[str]) -> str:
            word = m.group(0)
            # Most words are the lexicon's own: answered without a call.
            return word if word in known else correction(word) or word

        return _WORD.sub(repl, text)
