"""Streaming import of NPPES monthly, weekly-incremental and practice-location files.

Design (see docs/directory.md):

* **Streaming.** ``pyarrow.csv.open_csv`` parses the file in 8 MB blocks on a background thread,
  reading only the ~50 columns we need (by name, so the 329- and 330-column layouts both work),
  all as raw bytes (no transcoding: the files are mostly ASCII with stray latin-1). Memory stays
  flat whatever the file size.
* **Vectorised filter and rows.** Active rows with a runner-relevant taxonomy are selected with
  ``pyarrow.compute.is_in`` over the 15 taxonomy columns; the kept rows are then built column
  at a time (:mod:`stridewise.directory.columnar`), on the parsing thread, while the main
  thread writes the previous block. Only the provider rows written become Python tuples.
* **Search index built in SQL.** A full import derives ``directory_search`` at the end with
  one ``INSERT ... SELECT ... ORDER BY`` from the providers and the distinct taxonomy
  combinations (see :func:`store.build_search`), so the index is written in key order.
* **Atomic.** A full import writes a new *generation* while searches keep reading the old one,
  then flips ``directory_state.active_generation`` in one transaction. kill -9 at any point
  leaves the previous directory intact; the next import deletes the orphaned rows. An
  incremental import runs in a single transaction.
* **Malformed rows** (wrong column count, bad NPI, no name, unknown ZIP) are skipped and counted
  by reason; they never abort the import.
"""

from __future__ import annotations

import queue
import threading
import time
from collections import Counter
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import Any, TypeVar

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from sqlalchemy import Connection, Engine, text

from stridewise.directory import nppes_columns as col
from stridewise.directory import ranking, store
from stridewise.directory.columnar import Built, ColumnarBuilder
from stridewise.directory.geocode import gazetteer, zip_point
from stridewise.directory.records import (
    LOCATION_COLUMNS,
    PROVIDER_COLUMNS,
    SEARCH_COLUMNS,
    RecordBuilder,
    cell_of,
    decode,
    format_phone,
    format_postal,
    search_rows,
)

#: Called with (bytes read so far, rows read so far) after every parsed block.
ProgressFn = Callable[[int, int], None]

DEACTIVATED = "deactivated"
NOT_RELEVANT = "no runner-relevant taxonomy"
BAD_COLUMNS = "malformed: wrong number of columns"
DUPLICATE = "duplicate NPI in file"

#: A full import commits about every this many rows read (about 100 MB of NPPES file).
COMMIT_ROWS = 80_000

T = TypeVar("T")


@dataclass
class ImportReport:
    """What an import did. ``skipped`` maps each reason to a row count."""

    path: str
    mode: str
    rows_read: int = 0
    kept: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    removed: int = 0
    locations_read: int = 0
    locations_kept: int = 0
    locations_skipped: Counter[str] = field(default_factory=Counter)
    bytes_read: int = 0
    seconds: float = 0.0
    generation: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "mode": self.mode,
            "rows_read": self.rows_read,
            "kept": self.kept,
            "skipped": dict(self.skipped.most_common()),
            "removed": self.removed,
            "locations_read": self.locations_read,
            "locations_kept": self.locations_kept,
            "locations_skipped": dict(self.locations_skipped.most_common()),
            "bytes_read": self.bytes_read,
            "seconds": round(self.seconds, 3),
            "generation": self.generation,
        }


def stream_csv(
    path: Path, columns: list[str], on_bad_row: Callable[[], None]
) -> Generator[tuple[pa.RecordBatch, int], None, None]:
    """Yield (record batch of ``columns`` as binary, bytes consumed so far).

    Malformed rows (a wrong number of columns) are skipped and reported to ``on_bad_row``.
    Arrow's per-row error callback halves its parsing speed, so the file is first read without
    one; only if a block turns out to be malformed is the rest of the file re-read, from that
    block's first row, with the callback."""
    done = 0
    source = pa.OSFile(str(path), "rb")
    try:
        for batch in _open_csv(source, columns, None, 0):
            done += batch.num_rows
            yield batch, source.tell()
        return
    except pa.ArrowInvalid:
        pass  # a malformed row: carry on from the failing block with the slow, careful reader
    finally:
        source.close()

    def invalid(_row: Any) -> str:
        on_bad_row()
        return "skip"

    source = pa.OSFile(str(path), "rb")
    try:
        for batch in _open_csv(source, columns, invalid, done):
            yield batch, source.tell()
    finally:
        source.close()


def _open_csv(
    source: pa.NativeFile,
    columns: list[str],
    invalid: Callable[[Any], str] | None,
    skip_rows: int,
) -> pacsv.CSVStreamingReader:
    return pacsv.open_csv(
        source,
        read_options=pacsv.ReadOptions(
            block_size=8 << 20, use_threads=True, skip_rows_after_names=skip_rows
        ),
        parse_options=pacsv.ParseOptions(invalid_row_handler=invalid),
        convert_options=pacsv.ConvertOptions(
            include_columns=columns,
            column_types={c: pa.binary() for c in columns},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )


def in_background(items: Iterator[T], depth: int) -> Generator[T, None, None]:
    """Iterate ``items`` on a background thread, at most ``depth`` items ahead of the caller.

    Errors are re-raised in the caller; closing the returned generator (or an error in the
    caller) stops the thread and closes ``items``."""
    out: queue.Queue[tuple[bool, T | BaseException | None]] = queue.Queue(depth)
    stop = threading.Event()

    def put(item: tuple[bool, T | BaseException | None]) -> bool:
        while not stop.is_set():
            try:
                out.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def run() -> None:
        try:
            for item in items:
                if not put((True, item)):
                    break
            else:
                put((False, None))
        except BaseException as exc:  # handed to the caller, which re-raises it
            put((False, exc))
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()

    def results() -> Generator[T, None, None]:
        worker = threading.Thread(target=run, name="nppes-import", daemon=True)
        worker.start()
        try:
            while True:
                more, value = out.get()
                if not more:
                    if isinstance(value, BaseException):
                        raise value
                    return
                yield value  # type: ignore[misc]
        finally:
            stop.set()
            worker.join()

    return results()


class _Run:
    """State of one import run on one connection."""

    def __init__(
        self, conn: Connection, builder: RecordBuilder, report: ImportReport, generation: int
    ) -> None:
        self.conn = conn
        self.builder = builder
        self.report = report
        self.generation = generation
        self.writer = store.BulkWriter(conn)
        self.relevant_values = pa.array(sorted(builder.relevant), type=pa.binary())
        self.columns = ColumnarBuilder(builder)
        self.all_keys = ["all", *(f"type:{t}" for t in builder.types.by_id)]

    def bad_row(self) -> None:
        self.report.skipped[BAD_COLUMNS] += 1

    def masks(self, batch: pa.RecordBatch, cmap: col.ColumnMap) -> tuple[pa.Array, pa.Array]:
        """(keep, deactivated) boolean masks, computed without Python objects."""
        relevant: pa.Array | None = None
        for logical in col.TAXONOMY_CODES:
            name = cmap.get(logical)
            if name is None:
                continue
            hit = pc.is_in(batch.column(name), value_set=self.relevant_values)
            relevant = hit if relevant is None else pc.or_(relevant, hit)
        assert relevant is not None
        deact_name, react_name = cmap.get(col.DEACTIVATION_DATE), cmap.get(col.REACTIVATION_DATE)
        if deact_name is None:
            deactivated = pa.array([False] * batch.num_rows)
        else:
            deactivated = pc.not_equal(batch.column(deact_name), b"")
            if react_name is not None:
                deactivated = pc.and_(deactivated, pc.equal(batch.column(react_name), b""))
        keep = pc.and_(relevant, pc.invert(deactivated))
        self.report.skipped[DEACTIVATED] += pc.sum(deactivated).as_py() or 0
        not_relevant = pc.and_(pc.invert(relevant), pc.invert(deactivated))
        self.report.skipped[NOT_RELEVANT] += pc.sum(not_relevant).as_py() or 0
        return keep, deactivated

    def prepared(
        self, path: Path, cmap: col.ColumnMap, incremental: bool
    ) -> Iterator[tuple[Built, list[str], int, int]]:
        """(built rows, NPIs to remove, rows read, bytes read) per block.

        A background thread parses, filters and builds rows while the caller writes them.
        Arrow and SQLite release the GIL, so the two overlap; a bounded queue keeps at most a
        few blocks in memory. (A third thread for parsing alone was measured: no gain on two
        cores, where the import is CPU-bound.)"""
        npi_col = cmap.get(col.NPI)
        assert npi_col is not None

        def build() -> Iterator[tuple[Built, list[str], int, int]]:
            batches = stream_csv(path, cmap.present(), self.bad_row)
            try:
                for batch, position in batches:
                    keep, _ = self.masks(batch, cmap)
                    built = self.columns.build(batch.filter(keep), cmap, incremental)
                    gone: list[str] = []
                    if incremental:
                        dropped = batch.filter(pc.invert(keep)).column(npi_col)
                        gone = [decode(v) for v in dropped.to_pylist()]
                    yield built, gone, batch.num_rows, position
            finally:
                batches.close()

        return in_background(build(), 3)

    def write(self, built: Built) -> None:
        g = self.generation
        if built.npis:
            self.writer.insert(
                "directory_providers",
                PROVIDER_COLUMNS,
                zip(repeat(g), *(a.to_pylist() for a in built.providers)),
            )
        for key, (lat, lon, npi, fit, static) in built.search.items():
            lons = lon.to_pylist()
            rows = zip(
                repeat(g),
                repeat(key),
                [cell_of(v) for v in lons],
                lat.to_pylist(),
                lons,
                npi.to_pylist(),
                repeat(0),
                fit.to_pylist(),
                static.to_pylist(),
            )
            self.writer.insert("directory_search", SEARCH_COLUMNS, rows)

    def main_file(self, path: Path, incremental: bool, progress: ProgressFn | None) -> None:
        cmap = col.resolve_columns(col.read_header(path))
        unsaved = 0
        for built, gone, rows, position in self.prepared(path, cmap, incremental):
            self.report.rows_read += rows
            self.report.bytes_read = position
            self.report.skipped.update(built.skipped)
            if incremental:
                self.report.removed += store.delete_providers(
                    self.conn, self.generation, gone, self.all_keys
                )
                store.delete_providers(self.conn, self.generation, built.npis, self.all_keys)
            self.write(built)
            self.report.kept += len(built.npis)
            unsaved += rows
            if not incremental and (unsaved >= COMMIT_ROWS or unsaved == self.report.rows_read):
                # Bound the transaction (the first block too, so a killed import has visibly
                # left rows behind); the old generation stays active.
                self.conn.commit()
                unsaved = 0
            if progress:
                progress(position, self.report.rows_read)
        if not incremental:
            # The search rows of a full import are derived in SQL, in index order, from the
            # providers and the few distinct taxonomy combinations (see store.build_search).
            store.build_search(self.conn, self.generation, self.columns.fit_rows())

    def locations_file(self, path: Path, incremental: bool) -> None:
        cmap = col.resolve_columns(
            col.read_header(path),
            col.PL_WANTED,
            frozenset({col.PL_NPI, col.PL_POSTAL}),
            col.PL_ALIASES,
        )
        names = [cmap.get(c) for c in col.PL_WANTED]
        seq: dict[str, int] = {}
        skipped = self.report.locations_skipped
        for batch, _ in stream_csv(path, cmap.present(), lambda: skipped.update([BAD_COLUMNS])):
            data = [batch.column(c).to_pylist() if c else [b""] * batch.num_rows for c in names]
            self.report.locations_read += batch.num_rows
            npis = sorted({decode(v) for v in data[0]})
            known = self._stored(npis)
            if incremental:
                fresh = [n for n in npis if n in known and n not in seq]
                self._delete_locations(fresh)
            locs: list[tuple[object, ...]] = []
            searches: list[tuple[object, ...]] = []
            for i in range(batch.num_rows):
                npi, a1, a2, city, state, postal, phone = (decode(c[i]) for c in data)
                if npi not in known:
                    skipped["provider not in directory"] += 1
                    continue
                point = zip_point(postal) if len(postal) >= 5 else None
                if point is None:
                    skipped["practice ZIP not found (or outside the US)"] += 1
                    continue
                seq[npi] = s = seq.get(npi, 0) + 1
                locs.append(
                    (
                        self.generation,
                        npi,
                        s,
                        a1.title(),
                        a2.title(),
                        city.title(),
                        state,
                        format_postal(postal),
                        format_phone(phone),
                        point.lat,
                        point.lon,
                    )
                )
                searches.extend(
                    search_rows(self.generation, npi, s, point.lat, point.lon, known[npi])
                )
            self.writer.insert("directory_locations", LOCATION_COLUMNS, locs)
            self.writer.insert("directory_search", SEARCH_COLUMNS, searches)
            self.report.locations_kept += len(locs)

    def _stored(self, npis: list[str]) -> dict[str, Any]:
        """Search keys of the given NPIs that are in the generation being written."""
        out: dict[str, Any] = {}
        for start in range(0, len(npis), 500):
            chunk = npis[start : start + 500]
            params = {"g": self.generation, **{f"n{i}": n for i, n in enumerate(chunk)}}
            marks = ", ".join(f":n{i}" for i in range(len(chunk)))
            rows = self.conn.execute(
                text(
                    "SELECT npi, taxonomies, sports, completeness FROM directory_providers"
                    f" WHERE generation = :g AND npi IN ({marks})"
                ),
                params,
            )
            for npi, taxonomies, sports, share in rows:
                codes = taxonomies.split(",")
                static = ranking.sports_points(self.builder.is_sports(codes[0]), bool(sports))
                out[npi] = self.builder.keys(codes, codes[0], static + share * 10.0)
        return out

    def _delete_locations(self, npis: list[str]) -> None:
        for npi in npis:
            rows = self.conn.execute(
                text(
                    "SELECT seq, lat, lon FROM directory_locations WHERE generation = :g"
                    " AND npi = :n"
                ),
                {"g": self.generation, "n": npi},
            ).all()
            for s, lat, lon in rows:
                marks = ", ".join(f":k{i}" for i in range(len(self.all_keys)))
                self.conn.execute(
                    text(
                        f"DELETE FROM directory_search WHERE generation = :g AND key IN ({marks})"
                        " AND cell = :cell AND lat = :lat AND lon = :lon AND npi = :n AND loc = :s"
                    ),
                    {
                        "g": self.generation,
                        "cell": cell_of(lon),
                        "lat": lat,
                        "lon": lon,
                        "n": npi,
                        "s": s,
                        **{f"k{i}": k for i, k in enumerate(self.all_keys)},
                    },
                )
            self.conn.execute(
                text("DELETE FROM directory_locations WHERE generation = :g AND npi = :n"),
                {"g": self.generation, "n": npi},
            )


def import_nppes(
    engine: Engine,
    path: Path,
    *,
    locations: Path | None = None,
    incremental: bool = False,
    runner_codes: Path | None = None,
    nucc: Path | None = None,
    progress: ProgressFn | None = None,
) -> ImportReport:
    """Import an NPPES file into the directory at ``engine`` and return what happened.

    Full mode replaces the whole directory atomically; ``incremental`` upserts the file's active
    relevant providers and removes its deactivated (or no longer relevant) ones, in one
    transaction. ``locations`` is a pl_pfile of secondary practice locations.
    Raises MissingColumnsError for a file that is not NPPES at all, FileNotFoundError if absent.
    """
    started = time.perf_counter()
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    if locations is not None and not locations.is_file():
        raise FileNotFoundError(f"no such file: {locations}")
    col.resolve_columns(col.read_header(path))  # fail fast, before touching the database
    builder = RecordBuilder.create(runner_codes, nucc)
    gazetteer()  # load ZIPs up front so the progress bar measures parsing, not set-up
    report = ImportReport(str(path), "incremental" if incremental else "full")
    with engine.connect() as conn:
        with conn.begin():
            active = store.ensure_state(conn)
            store.drop_inactive(conn, active)
        if incremental:
            report.generation = active or 1
            with conn.begin():
                run = _Run(conn, builder, report, report.generation)
                run.main_file(path, True, progress)
                if locations is not None:
                    run.locations_file(locations, True)
                report.seconds = time.perf_counter() - started
                if active == 0:
                    store.activate(
                        conn,
                        1,
                        str(path),
                        report.as_dict(),
                        builder.labels.values(),
                        set(builder.relevant),
                    )
                else:
                    store.update_summary(conn, str(path), report.as_dict())
            return report
        report.generation = active + 1
        run = _Run(conn, builder, report, report.generation)
        run.main_file(path, False, progress)  # autobegins; commits after every block
        if locations is not None:
            run.locations_file(locations, False)
        conn.commit()
        report.seconds = time.perf_counter() - started
        with conn.begin():
            store.activate(
                conn,
                report.generation,
                str(path),
                report.as_dict(),
                builder.labels.values(),
                set(builder.relevant),
            )
        with conn.begin():
            store.drop_inactive(conn, report.generation)
    report.seconds = time.perf_counter() - started
    return report
