"""Columns are read by name, so the 329- and 330-column layouts both resolve."""

from __future__ import annotations

from pathlib import Path

import pytest

from stridewise.directory.demo import bundled
from stridewise.directory.importing import nppes_columns as col


def test_both_layouts_resolve(real_sample: Path) -> None:
    old = col.resolve_columns(col.read_header(real_sample))
    new = col.resolve_columns(col.read_header(bundled("nppes_header.csv")))
    assert old.get(col.SEX) == "Provider Gender Code"
    assert new.get(col.SEX) == "Provider Sex Code"
    assert old.get(col.taxonomy_code(15)) == new.get(col.taxonomy_code(15))


def test_missing_required_columns_is_a_clear_error() -> None:
    with pytest.raises(col.MissingColumnsError, match="NPI"):
        col.resolve_columns(["name", "zip"])
