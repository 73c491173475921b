"""What every CMS file importer provides to :mod:`.run`: its columns, a per-batch fold, and the
rows it keeps per table."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Protocol

import pyarrow as pa

from stridewise.directory.importing.cms.stream import Stream


class Folder(Protocol):
    @property
    def columns(self) -> Mapping[str, Sequence[str]]:
        """Logical column name -> accepted header spellings (the first is canonical)."""

    def add(self, batch: Mapping[str, pa.Array], stats: Stream) -> None:
        """Fold one batch in; count skipped rows in ``stats.skipped`` by reason."""

    def kept(self) -> int:
        """Rows of the kind's main table the import will write."""

    def tables(self, generation: int) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        """(table, rows) to write, in chunks."""


def valid_npi(value: str) -> bool:
    """Ten digits with a valid Luhn check digit over the '80840' prefix."""
    if len(value) != 10 or not value.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed("80840" + value)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def chunks(rows: list[dict[str, Any]], size: int = 20_000) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]
