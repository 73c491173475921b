"""Streaming a CMS CSV by column name: pyarrow's streaming reader, only the needed columns,
every value as text, malformed rows skipped and counted, progress in bytes.

Columns are found by header name, case- and spacing-insensitively, with aliases (CMS renames
columns between releases), so a file with reordered or extra columns imports the same.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from stridewise.directory.importing.nppes_columns import MissingColumnsError

#: Called with (bytes read so far, rows read so far).
ProgressFn = Callable[[int, int], None]
BLOCK_SIZE = 8 << 20


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def read_header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as fh:
        return next(csv.reader(fh), [])


def resolve(
    header: Sequence[str], wanted: Mapping[str, Sequence[str]], kind: str
) -> dict[str, str]:
    """Map each logical name of ``wanted`` (name -> accepted header spellings) to the file's
    header name. Raises MissingColumnsError naming what is missing."""
    by_norm = {_norm(h): h for h in header}
    out: dict[str, str] = {}
    missing = []
    for logical, spellings in wanted.items():
        found = next((by_norm[_norm(s)] for s in spellings if _norm(s) in by_norm), None)
        if found is None:
            missing.append(spellings[0])
        else:
            out[logical] = found
    if missing:
        raise MissingColumnsError(
            f"not a CMS {kind} file: no column {', '.join(repr(m) for m in missing)}"
        )
    return out


def ends_cleanly(path: Path) -> bool:
    """Whether the file's last row is complete (it ends with a line break)."""
    size = path.stat().st_size
    if size == 0:
        return False
    with path.open("rb") as fh:
        fh.seek(size - 1)
        return fh.read(1) in (b"\n", b"\r")


@dataclass
class Stream:
    """Counts of one streamed read."""

    rows: int = 0
    malformed: int = 0
    skipped: Counter[str] = field(default_factory=Counter)


def batches(
    path: Path,
    columns: Mapping[str, str],
    stats: Stream,
    progress: ProgressFn | None = None,
) -> Iterator[dict[str, pa.Array]]:
    """Yield the file's rows in batches, as logical name -> string array."""
    names = list(dict.fromkeys(columns.values()))

    def bad_row(_: object) -> str:
        stats.malformed += 1
        return "skip"

    with path.open("rb") as fh:
        reader = pacsv.open_csv(
            fh,
            read_options=pacsv.ReadOptions(block_size=BLOCK_SIZE, encoding="utf8"),
            parse_options=pacsv.ParseOptions(newlines_in_values=False, invalid_row_handler=bad_row),
            convert_options=pacsv.ConvertOptions(
                include_columns=names,
                column_types={n: pa.string() for n in names},
                strings_can_be_null=False,
            ),
        )
        for batch in reader:
            stats.rows += batch.num_rows
            if progress is not None:
                progress(fh.tell(), stats.rows)
            yield {logical: batch.column(actual) for logical, actual in columns.items()}
