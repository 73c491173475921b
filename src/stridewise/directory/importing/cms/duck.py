"""Reading a large CMS CSV with DuckDB: one parallel pass, bounded memory, rows counted and
malformed rows skipped, progress while it runs.

The Medicare services file (3.3 GB) and the Doctors and Clinicians file (650 MB) are folded in
SQL: DuckDB parses on both cores, filters and groups in C++, and hands back only the folded
rows as Arrow. Against the earlier pyarrow stream with a Python fold (same run, national-size
synthetic services file): the same CPU when few rows are on our codes (both are bound by
tokenising the CSV), 40% less memory, and about 1.5x less CPU when many rows are; the DAC fold
no longer grows with the number of NPIs (see docs/directory.md, "CMS imports").

The contract stays that of :mod:`.stream`: columns are found by header name (we read the header
ourselves and give DuckDB every column by name, all as text, so nothing is sniffed or guessed),
a row with too many or too few fields, an unclosed quote or bytes that are not UTF-8 is skipped
and counted, and the caller applies the refusal rule. ``memory_limit`` bounds DuckDB's own
buffers (it spills to a private folder beyond it, removed afterwards) and ``threads`` its
parallelism, so the whole import stays under 1 GB resident on two cores.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from stridewise.directory.importing.cms.stream import ProgressFn
from stridewise.directory.importing.safety import make_stage_dir

#: DuckDB's own memory ceiling. With Python, Arrow batches and SQLAlchemy the process peaked
#: at 341 MB (services) and 730 MB (DAC) on the national-size files (docs/directory.md).
MEMORY_LIMIT = "512MB"
#: Parse and fold on at most this many cores (the target machine has two).
MAX_THREADS = 2
#: How often the progress callback is called while a query runs.
POLL_SECONDS = 0.2


def ident(name: str) -> str:
    """``name`` as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def literal(value: str) -> str:
    """``value`` as a quoted SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def unique_names(header: Sequence[str]) -> list[str]:
    """The header's names made unique and non-empty, as DuckDB requires (a repeated or blank
    name is never one we read: :func:`.stream.resolve` maps ours to the first spelling)."""
    out: list[str] = []
    seen: set[str] = set()
    for i, name in enumerate(header):
        base = name or f"column{i}"
        candidate, k = base, 1
        while candidate.lower() in seen:
            k += 1
            candidate = f"{base}_{k}"
        seen.add(candidate.lower())
        out.append(candidate)
    return out


def csv_source(path: Path, header: Sequence[str]) -> str:
    """A ``read_csv`` call over ``path`` with every header column as text, by name; rows that do
    not parse go to DuckDB's ``reject_errors`` table (see :func:`malformed`)."""
    columns = ", ".join(f"{literal(n)}: 'VARCHAR'" for n in unique_names(header))
    return (
        f"read_csv({literal(str(path))}, header = true, auto_detect = false, delim = ',',"
        f" quote = '\"', escape = '\"', columns = {{{columns}}}, ignore_errors = true,"
        " store_rejects = true, null_padding = false)"
    )


def text(column: str) -> str:
    """SQL for a column's trimmed text ('' when empty)."""
    return f"trim(coalesce({ident(column)}, ''))"


def luhn(column: str) -> str:
    """SQL that is true when ``column`` (trimmed text) is a valid NPI: ten digits whose Luhn
    check over the '80840' prefix holds (the same rule as :func:`.folder.valid_npi`; the
    prefix contributes 24, and from the left the odd digits are doubled)."""
    terms = []
    for j in range(1, 11):
        d = f"TRY_CAST(substr({column}, {j}, 1) AS INTEGER)"
        terms.append(f"(CASE WHEN {d} * 2 > 9 THEN {d} * 2 - 9 ELSE {d} * 2 END)" if j % 2 else d)
    return (
        f"coalesce(regexp_full_match({column}, '[0-9]{{10}}') AND"
        f" (24 + {' + '.join(terms)}) % 10 = 0, false)"
    )


@contextlib.contextmanager
def connect(threads: int | None = None, memory_limit: str = MEMORY_LIMIT) -> Iterator[Any]:
    """A DuckDB connection with bounded memory and threads, its database and spill files in a
    private staging folder (deleted on exit; a killed import's folder is removed by the next
    one). Rows are not kept in file order (that costs memory): fold by content."""
    spill = make_stage_dir()
    # On disk, not in memory: a folded table is compressed and paged by DuckDB's buffer
    # manager (the national DAC import peaked at 730 MB this way, 842 MB with ":memory:").
    con = duckdb.connect(str(spill / "fold.duckdb"))
    try:
        n = threads or max(1, min(MAX_THREADS, os.cpu_count() or 1))
        con.execute(f"SET threads = {int(n)}").fetchall()
        con.execute(f"SET memory_limit = {literal(memory_limit)}").fetchall()
        con.execute(f"SET temp_directory = {literal(str(spill))}").fetchall()
        con.execute("SET preserve_insertion_order = false").fetchall()
        con.execute("SET enable_progress_bar = true").fetchall()
        con.execute("SET enable_progress_bar_print = false").fetchall()
        yield con
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)


def run(con: Any, sql: str, size: int, progress: ProgressFn | None = None) -> pa.Table:
    """Run the query ``sql`` and return its result as Arrow, reporting progress (see
    :func:`execute`)."""
    table: pa.Table = _watched(lambda: con.sql(sql).to_arrow_table(), con, size, progress)
    return table


def execute(con: Any, sql: str, size: int, progress: ProgressFn | None = None) -> None:
    """Run the statement ``sql``, calling ``progress(bytes, 0)`` with the share of a
    ``size``-byte file DuckDB reports done while it runs (rows are known after)."""
    _watched(lambda: con.execute(sql).fetchall(), con, size, progress)


def _watched(work: Callable[[], Any], con: Any, size: int, progress: ProgressFn | None) -> Any:
    """``work()``, on a worker thread while this one polls DuckDB's progress."""
    if progress is None:
        return work()
    out: dict[str, Any] = {}

    def target() -> None:
        try:
            out["value"] = work()
        except BaseException as exc:  # re-raised on the calling thread
            out["error"] = exc

    worker = threading.Thread(target=target, name="cms-duckdb", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(POLL_SECONDS)
        with contextlib.suppress(duckdb.Error):
            done = float(con.query_progress())
            if done > 0:
                progress(int(size * min(done, 100.0) / 100.0), 0)
    if "error" in out:
        raise out["error"]
    return out["value"]


def malformed(con: Any) -> int:
    """Rows the last ``read_csv`` on ``con`` skipped (a row with several errors counts once)."""
    rows = con.execute("SELECT COUNT(DISTINCT (scan_id, line)) FROM reject_errors").fetchall()
    return int(rows[0][0]) if rows else 0
