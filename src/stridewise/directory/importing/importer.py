"""Import of NPPES monthly, weekly-incremental and practice-location files.

Design (see docs/directory.md):

* **Parallel and bounded.** The file is cut into 32 MB chunks of whole rows, and worker threads
  parse them at once, one parser each (:mod:`.csv_chunks`), reading only the
  ~50 columns we need (by name, so the 329- and 330-column layouts both work), as raw bytes (no
  transcoding: the files are mostly ASCII with stray latin-1). A few chunks are in flight at a
  time, so memory stays flat whatever the file size.
* **Vectorised filter and rows.** In the same worker, active rows with a runner-relevant taxonomy
  are selected with ``pyarrow.compute.is_in`` over the 15 taxonomy columns, and the kept rows
  are built column at a time (:mod:`.rows_vectorised`).
* **Arrow all the way into the database.** The main thread takes the chunks in file order,
  drops NPIs already seen (first row wins), and appends the providers from Arrow buffers, in C
  and without the GIL: binary COPY through ADBC on PostgreSQL
  (:mod:`.ingest`), a staging file copied with ``INSERT ... SELECT`` on
  SQLite (:mod:`.sqlite_stage`). Search rows are collected and written once,
  sorted by the index key, at the end (:mod:`.search_index`).
* **Atomic.** A full import writes a new *generation* while searches keep reading the old one,
  then flips ``directory_state.active_generation`` in one transaction. kill -9 at any point
  leaves the previous directory intact; the next import deletes the orphaned rows. An
  incremental import runs in a single transaction on the caller's connection.
* **Never destructive.** A full import whose file is truncated, kept nothing, or kept fewer
  providers than a floor share of the active directory is refused before the flip
  (:mod:`.safety`); the next import also clears what a killed one left behind.
* **Malformed rows** (wrong column count, bad NPI, no name, unknown ZIP) are skipped and counted
  by reason; they never abort the import.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Connection, Engine, text

from stridewise.directory.cms import evidence
from stridewise.directory.geocode import gazetteer, zip_point
from stridewise.directory.importing import nppes_columns as col
from stridewise.directory.importing import store
from stridewise.directory.importing.cms import dac_locations
from stridewise.directory.importing.csv_chunks import (
    CHUNK_BYTES,
    ordered_map,
    parse_chunk,
    read_chunks,
)
from stridewise.directory.importing.ingest import ArrowIngest, supported
from stridewise.directory.importing.npi_set import NpiSet
from stridewise.directory.importing.rows_reference import (
    LOCATION_COLUMNS,
    SEARCH_COLUMNS,
    RecordBuilder,
    decode,
    format_phone,
    format_postal,
    search_rows,
)
from stridewise.directory.importing.rows_vectorised import DUPLICATE, Built, ColumnarBuilder
from stridewise.directory.importing.safety import (
    DEFAULT_FLOOR,
    ImportRefused,
    check_complete,
    check_kept,
    remove_stale_stages,
)
from stridewise.directory.importing.search_index import SearchIndexBuffer, Sink
from stridewise.directory.importing.sqlite_stage import SqliteStage
from stridewise.directory.index_keys import Keys

#: Called with (bytes read so far, rows read so far) after every chunk.
ProgressFn = Callable[[int, int], None]

DEACTIVATED = "deactivated"
NOT_RELEVANT = "no runner-relevant taxonomy"
BAD_COLUMNS = "malformed: wrong number of columns"

#: A full import commits about every this many rows read (about 100 MB of NPPES file).
COMMIT_ROWS = 80_000

#: Parsing threads: one per core (Arrow releases the GIL), at most four.
WORKERS = max(1, min(4, os.cpu_count() or 2))


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


@dataclass
class _Chunk:
    """One parsed, filtered and built chunk, as a worker hands it to the writer."""

    built: Built
    gone: list[str]  # NPIs an incremental import removes (deactivated or no longer relevant)
    rows: int
    end: int  # file offset just past the chunk
    skipped: Counter[str]


def parsed_batches(path: Path, columns: list[str]) -> Iterator[tuple[pa.RecordBatch, int, int]]:
    """(batch of ``columns`` as raw bytes, malformed rows skipped, end offset) per chunk, read
    in order on the calling thread: for small files such as a pl_pfile."""
    names = col.read_header(path)
    for data, end in read_chunks(path, CHUNK_BYTES):
        table, bad = parse_chunk(data, names, columns)
        yield _one_batch(table), bad, end


def _one_batch(table: pa.Table) -> pa.RecordBatch:
    batches = table.combine_chunks().to_batches()
    return batches[0] if batches else pa.RecordBatch.from_pylist([], schema=table.schema)


class _Run:
    """State of one import run on one connection."""

    def __init__(
        self,
        conn: Connection,
        builder: RecordBuilder,
        report: ImportReport,
        generation: int,
        bulk: ArrowIngest | SqliteStage | None = None,
    ) -> None:
        self.conn = conn
        self.builder = builder
        self.report = report
        self.generation = generation
        self.writer = store.BulkWriter(conn)
        self.bulk = bulk
        #: Where chunk rows go: the bulk path of a full import, else the caller's transaction.
        self.sink: Sink = bulk.append if bulk is not None else self.writer.append
        self.relevant_values = pa.array(sorted(builder.relevant), type=pa.binary())
        self.columns = ColumnarBuilder(builder)
        self.all_keys = builder.all_keys()
        self.index = SearchIndexBuffer(generation, self.all_keys)
        self.seen = NpiSet()  # NPIs written so far

    def commit(self) -> None:
        if self.bulk is not None:
            self.bulk.commit()
        else:
            self.conn.commit()

    def masks(self, batch: pa.Table, cmap: col.ColumnMap) -> tuple[pa.Array, Counter[str]]:
        """The keep mask (active and runner-relevant), and the rows skipped by reason."""
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
            deactivated = pa.array(np.zeros(batch.num_rows, dtype=bool))
        else:
            deactivated = pc.not_equal(batch.column(deact_name), b"")
            if react_name is not None:
                deactivated = pc.and_(deactivated, pc.equal(batch.column(react_name), b""))
        keep = pc.and_(relevant, pc.invert(deactivated))
        skipped: Counter[str] = Counter()
        skipped[DEACTIVATED] = pc.sum(deactivated).as_py() or 0
        not_relevant = pc.and_(pc.invert(relevant), pc.invert(deactivated))
        skipped[NOT_RELEVANT] = pc.sum(not_relevant).as_py() or 0
        return keep, skipped

    def chunks(self, path: Path, cmap: col.ColumnMap, incremental: bool) -> Iterator[_Chunk]:
        """The file's chunks, parsed, filtered and built by worker threads, in file order."""
        names = col.read_header(path)
        columns = cmap.present()
        npi_col = cmap.get(col.NPI)
        assert npi_col is not None

        def work(item: tuple[bytes, int]) -> _Chunk:
            data, end = item
            table, bad = parse_chunk(data, names, columns)
            if not table.num_rows:
                empty = Built([], {}, {})
                return _Chunk(empty, [], 0, end, Counter({BAD_COLUMNS: bad} if bad else {}))
            # Filter first: only the kept quarter of the rows is copied into one batch.
            keep, skipped = self.masks(table, cmap)
            if bad:
                skipped[BAD_COLUMNS] = bad
            built = self.columns.build(_one_batch(table.filter(keep)), cmap)
            skipped.update(built.skipped)
            gone: list[str] = []
            if incremental:
                dropped = table.filter(pc.invert(keep)).column(npi_col)
                gone = [decode(v) for v in dropped.to_pylist()]
            return _Chunk(built, gone, table.num_rows, end, skipped)

        return ordered_map(work, read_chunks(path, CHUNK_BYTES), WORKERS, WORKERS + 1)

    def first_seen(self, built: Built) -> Built:
        """``built`` minus NPIs an earlier chunk already wrote (the first row wins)."""
        if not built.npis:
            return built
        ints = pc.cast(built.providers["npi"], pa.uint32()).to_numpy()
        again = self.seen.contains(ints)
        self.seen.add(ints[~again])
        if not again.any():  # the usual case
            return built
        repeated = {built.npis[i] for i in np.flatnonzero(again)}
        self.report.skipped[DUPLICATE] += len(repeated)
        return built.without(repeated)

    def write(self, built: Built, incremental: bool) -> None:
        n = len(built.npis)
        if n:
            generation = pa.array(np.full(n, self.generation, dtype=np.int32))
            self.sink("directory_providers", {"generation": generation, **built.providers})
        self.index.add(built.search, self.sink)
        if incremental:
            self.index.flush(self.sink)  # this chunk's deletions and insertions stay together

    def main_file(self, path: Path, incremental: bool, progress: ProgressFn | None) -> None:
        cmap = col.resolve_columns(col.read_header(path))
        unsaved = 0
        for chunk in self.chunks(path, cmap, incremental):
            built = self.first_seen(chunk.built)
            self.report.rows_read += chunk.rows
            self.report.bytes_read = chunk.end
            self.report.skipped.update(chunk.skipped)
            if incremental:
                keys_of = self.builder.stored_keys
                self.report.removed += store.delete_providers(
                    self.conn, self.generation, chunk.gone, keys_of
                )
                store.delete_providers(self.conn, self.generation, built.npis, keys_of)
            self.write(built, incremental)
            self.report.kept += len(built.npis)
            unsaved += chunk.rows
            if not incremental and (unsaved >= COMMIT_ROWS or unsaved == self.report.rows_read):
                # Bound the transaction (the first chunk too, so a killed import has visibly
                # left rows behind); the old generation stays active.
                self.commit()
                unsaved = 0
            if progress:
                progress(chunk.end, self.report.rows_read)
        if not incremental:
            self.index.flush(self.sink)
            self.commit()

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
        for batch, bad, _ in parsed_batches(path, cmap.present()):
            if bad:
                skipped[BAD_COLUMNS] += bad
            if not batch.num_rows:
                continue
            data = [batch.column(c).to_pylist() if c else [b""] * batch.num_rows for c in names]
            self.report.locations_read += batch.num_rows
            npis = sorted({decode(v) for v in data[0]})
            known = self._stored(npis)
            if incremental:
                fresh = [n for n in npis if n in known and n not in seq]
                self._delete_locations(fresh, known)
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

    def _stored(self, npis: list[str]) -> dict[str, Keys]:
        """Search keys of the given NPIs that are in the generation being written."""
        out: dict[str, Keys] = {}
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
                out[npi] = self.builder.stored_keys(taxonomies, bool(sports), share)
        return out

    def _delete_locations(self, npis: list[str], known: dict[str, Keys]) -> None:
        """Remove the secondary locations (and their search rows) of providers ``npis``."""
        for npi in npis:
            rows = self.conn.execute(
                text(
                    "SELECT seq, lat, lon FROM directory_locations WHERE generation = :g"
                    " AND npi = :n"
                ),
                {"g": self.generation, "n": npi},
            ).all()
            store.delete_search_rows(
                self.conn, self.generation, [(npi, s, la, lo, known[npi]) for s, la, lo in rows]
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
    floor: float = DEFAULT_FLOOR,
    force: bool = False,
) -> ImportReport:
    """Import an NPPES file into the directory at ``engine`` and return what happened.

    Full mode replaces the whole directory atomically; ``incremental`` upserts the file's active
    relevant providers and removes its deactivated (or no longer relevant) ones, in one
    transaction. ``locations`` is a pl_pfile of secondary practice locations.
    Raises MissingColumnsError for a file that is not NPPES at all, FileNotFoundError if absent,
    and ImportRefused (the directory untouched) for a file whose last row is incomplete or a
    full import that kept no providers or fewer than ``floor`` times the active directory's
    (``force`` lifts the floor).
    """
    started = time.perf_counter()
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    if locations is not None and not locations.is_file():
        raise FileNotFoundError(f"no such file: {locations}")
    header = col.read_header(path)
    col.resolve_columns(header)  # fail fast, before touching the database
    check_complete(path, len(header))
    remove_stale_stages()
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
                dac_locations.refresh(conn, report.generation)
                evidence.apply(conn, report.generation)
            return report
        report.generation = active + 1
        conn.commit()  # hold no transaction while the bulk connection writes
        bulk: ArrowIngest | SqliteStage
        with ArrowIngest(engine.url) if supported(engine.url) else SqliteStage(conn) as bulk:
            _Run(conn, builder, report, report.generation, bulk).main_file(path, False, progress)
        try:
            check_kept(report.kept, report.rows_read, _providers(conn, active), floor, force)
        except ImportRefused:
            with conn.begin():
                store.drop_inactive(conn, active)
            raise
        run = _Run(conn, builder, report, report.generation)
        if locations is not None:
            run.locations_file(locations, False)
        conn.commit()
        report.seconds = time.perf_counter() - started
        try:
            # DAC addresses as locations: computed and staged before the transaction that
            # activates the generation, which only copies them in.
            staged = dac_locations.stage(conn, report.generation)
            conn.commit()
            with conn.begin():
                dac_locations.apply(conn, staged, report.generation)
                evidence.apply(conn, report.generation)  # CMS points into the new tiers
                store.activate(
                    conn,
                    report.generation,
                    str(path),
                    report.as_dict(),
                    builder.labels.values(),
                    set(builder.relevant),
                )
        finally:
            dac_locations.discard(conn)
            conn.commit()
        with conn.begin():
            store.drop_inactive(conn, report.generation)
    if engine.dialect.name == "postgresql":
        store.vacuum(engine)
    report.seconds = time.perf_counter() - started
    return report


def _providers(conn: Connection, generation: int) -> int:
    """How many providers ``generation`` holds."""
    n = conn.execute(
        text("SELECT COUNT(*) FROM directory_providers WHERE generation = :g"), {"g": generation}
    ).scalar()
    conn.commit()
    return int(n or 0)
