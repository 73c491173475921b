"""What every CMS file importer provides to :mod:`.run`: its columns, a read of the whole file
that folds it, and the rows it keeps per table as Arrow columns.

The two large files (services, Doctors and Clinicians) fold in DuckDB (:mod:`.duck`); the two
smaller ones stream through pyarrow with a Python fold per batch (:class:`StreamedFolder`)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa

from stridewise.directory.importing.cms.stream import ProgressFn, Stream, batches


class Folder(Protocol):
    @property
    def columns(self) -> Mapping[str, Sequence[str]]:
        """Logical column name -> accepted header spellings (the first is canonical)."""

    def read(
        self,
        path: Path,
        header: list[str],
        columns: Mapping[str, str],
        stats: Stream,
        progress: ProgressFn | None = None,
    ) -> None:
        """Read and fold the whole file (``columns``: logical name -> the file's header name);
        count rows, malformed rows and skipped rows by reason in ``stats``."""

    def kept(self) -> int:
        """Rows of the kind's main table the import will write."""

    def tables(self, generation: int) -> Iterator[tuple[str, Mapping[str, Any]]]:
        """(table, aligned Arrow columns by name) to append."""

    def close(self) -> None:
        """Release what the fold holds (scratch files); safe to call twice."""


class StreamedFolder:
    """A folder fed batch by batch from pyarrow's streaming reader (:func:`.stream.batches`):
    subclasses implement ``add``."""

    def add(self, batch: Mapping[str, pa.Array], stats: Stream) -> None:
        raise NotImplementedError

    def read(
        self,
        path: Path,
        header: list[str],
        columns: Mapping[str, str],
        stats: Stream,
        progress: ProgressFn | None = None,
    ) -> None:
        for batch in batches(path, columns, stats, progress):
            self.add(batch, stats)

    def close(self) -> None:
        """Nothing to release: the fold is in memory."""


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


def as_columns(rows: list[tuple[Any, ...]], names: Sequence[str]) -> dict[str, pa.Array]:
    """Row tuples as Arrow columns by name (cast to the table's types when written)."""
    return {name: pa.array([r[i] for r in rows]) for i, name in enumerate(names)}
