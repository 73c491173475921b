"""The compact NPI set agrees with a Python set, across merges of its pending batches."""

from __future__ import annotations

import numpy as np
import pytest

from stridewise.directory.importing import npi_set
from stridewise.directory.importing.npi_set import NpiSet


def test_matches_a_python_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(npi_set, "MERGE_AT", 50)  # merge often
    rng = np.random.default_rng(5)
    seen = NpiSet()
    oracle: set[int] = set()
    assert not seen.contains(np.array([1_234_567_893], dtype=np.uint32)).any()
    for _ in range(40):
        batch = rng.integers(1_000_000_000, 1_000_000_400, size=17).astype(np.uint32)
        batch = np.unique(batch)
        expected = np.array([int(n) in oracle for n in batch])
        assert (seen.contains(batch) == expected).all()
        seen.add(batch[~expected])
        oracle.update(int(n) for n in batch)
    assert len(seen) == len(oracle)
    big = np.array([2_999_999_999, 1_000_000_000], dtype=np.uint32)  # NPIs fit 32 bits
    seen.add(big[:1])
    assert seen.contains(big).tolist() == [True, 1_000_000_000 in oracle]
