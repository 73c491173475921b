"""Reading a big NPPES CSV as independent, row-aligned chunks, parsed in parallel.

Arrow's streaming CSV reader parses one block after another on one core. A national file is
10 GB, so the importer instead cuts the file into chunks of whole rows (:func:`read_chunks`), and
worker threads parse them at the same time (:func:`parse_chunk`, then :func:`ordered_map`), each
with its own parser: the parse runs on every core, and results still come back in file order.

Rows are cut where a line ends and the next begins with a quote (``\\n"``): NPPES quotes every
field, so a newline inside a quoted field cannot be taken for a row end unless that field also
has a quote right after the newline. A file that quotes nothing is cut at plain newlines. A chunk
that cannot be parsed whole (a row with the wrong number of columns) is parsed again with Arrow's
per-row error handler, which skips and counts the bad rows; only that chunk pays for it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pyarrow as pa
import pyarrow.csv as pacsv

T = TypeVar("T")
R = TypeVar("R")

#: Bytes per chunk: large enough that per-chunk overheads vanish, small enough that a few
#: chunks in flight per worker keep memory far below the 1 GB budget.
CHUNK_BYTES = 32 << 20


def read_chunks(path: Path, chunk_bytes: int = CHUNK_BYTES) -> Iterator[tuple[pa.Buffer, int]]:
    """Yield (chunk of whole data rows, file offset just past it). The header line is skipped.

    Chunks are Arrow buffers from Arrow's memory pool, which reuses their memory; the part of a
    read after the last row end is read again as the start of the next chunk rather than copied.
    """
    with pa.OSFile(str(path), "rb") as fh:
        size = int(fh.size())
        pos = _header_end(fh)
        while pos < size:
            fh.seek(pos)
            buf = fh.read_buffer(chunk_bytes)
            if pos + buf.size >= size:
                yield buf, size
                return
            cut = _row_end(buf)
            if cut <= 0:  # a row longer than a chunk: read more at once
                chunk_bytes *= 2
                continue
            pos += cut
            yield buf.slice(0, cut), pos


def _header_end(fh: pa.NativeFile) -> int:
    """Offset just past the header line (the whole file if it has a single line)."""
    start, step = 0, 1 << 16
    while True:
        fh.seek(start)
        part: bytes = fh.read(step)
        at = part.find(b"\n")
        if at >= 0:
            return start + at + 1
        if len(part) < step:
            return start + len(part)
        start += len(part)


def _row_end(buf: pa.Buffer) -> int:
    """Offset just past the last complete row in ``buf`` (0 if there is none)."""
    window = 1 << 16
    size = int(buf.size)
    while True:
        start = max(0, size - window)
        tail: bytes = buf.slice(start).to_pybytes()
        quoted = tail.rfind(b'\n"')
        if quoted >= 0:
            return start + quoted + 1
        if start == 0:
            if tail.startswith(b'"'):
                return 0  # a quoted file whose only row is still incomplete
            return tail.rfind(b"\n") + 1
        window *= 16


def parse_chunk(data: pa.Buffer, names: list[str], columns: list[str]) -> tuple[pa.Table, int]:
    """Parse one chunk: the ``columns`` (by name, of the file's ``names``) as raw bytes.

    Returns (table, malformed rows skipped). Empty fields are empty strings, never null."""
    try:
        return _parse(data, names, columns, None), 0
    except pa.ArrowInvalid:
        pass
    bad = 0

    def skip(_row: Any) -> str:
        nonlocal bad
        bad += 1
        return "skip"

    return _parse(data, names, columns, skip), bad


def _parse(
    data: pa.Buffer, names: list[str], columns: list[str], invalid: Callable[[Any], str] | None
) -> pa.Table:
    # One thread per chunk (the chunks themselves run in parallel); 1 MB blocks measured
    # faster than one chunk-sized block.
    reader = pacsv.open_csv(
        pa.BufferReader(data),
        read_options=pacsv.ReadOptions(column_names=names, use_threads=False, block_size=1 << 20),
        parse_options=pacsv.ParseOptions(invalid_row_handler=invalid),
        convert_options=pacsv.ConvertOptions(
            include_columns=columns,
            column_types={c: pa.binary() for c in columns},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    return reader.read_all()


def ordered_map(fn: Callable[[T], R], items: Iterator[T], workers: int, ahead: int) -> Iterator[R]:
    """``map(fn, items)`` on ``workers`` threads, in order, with at most ``ahead`` items in flight.

    Arrow releases the GIL, so parsing threads run on separate cores. An error in ``fn`` is
    raised here, at its item; closing the iterator early cancels what has not started."""
    pending: deque[Future[R]] = deque()
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="nppes-parse") as pool:
        try:
            for item in items:
                pending.append(pool.submit(fn, item))
                if len(pending) >= ahead:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()
