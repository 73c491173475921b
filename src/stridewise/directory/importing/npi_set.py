"""The NPIs an import has already written, in about 4 bytes each.

An NPI is ten digits starting with 1 or 2, so it fits an unsigned 32-bit integer. A national
file keeps about 2.5 million providers: a Python ``set`` of them costs about 150 MB, a sorted
uint32 array 10 MB. New NPIs go into a small Python set first; when it is full it is merged into
the sorted array (one ``np.insert``, a single pass). Membership is a binary search there plus a
set lookup.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

#: NPIs held in the small set before a merge into the sorted array.
MERGE_AT = 1 << 16

NpiArray = npt.NDArray[np.uint32]


class NpiSet:
    """A growing set of NPIs (as uint32) with vectorised membership."""

    def __init__(self) -> None:
        self._sorted: NpiArray = np.empty(0, dtype=np.uint32)
        self._recent: set[int] = set()

    def __len__(self) -> int:
        return int(self._sorted.size) + len(self._recent)

    def _in_sorted(self, npis: NpiArray) -> npt.NDArray[np.bool_]:
        if not self._sorted.size:
            return np.zeros(npis.size, dtype=bool)
        at = np.minimum(np.searchsorted(self._sorted, npis), self._sorted.size - 1)
        found: npt.NDArray[np.bool_] = self._sorted[at] == npis
        return found

    def contains(self, npis: NpiArray) -> npt.NDArray[np.bool_]:
        """For each NPI, whether the set holds it."""
        found = self._in_sorted(npis)
        if self._recent:
            recent = self._recent
            found |= np.fromiter((n in recent for n in npis.tolist()), bool, npis.size)
        return found

    def add(self, npis: NpiArray) -> None:
        """Add NPIs (which need not be new)."""
        self._recent.update(npis.tolist())
        if len(self._recent) >= MERGE_AT:
            new = np.fromiter(self._recent, dtype=np.uint32, count=len(self._recent))
            new.sort()
            new = new[~self._in_sorted(new)]
            self._sorted = np.insert(self._sorted, np.searchsorted(self._sorted, new), new)
            self._recent.clear()
