"""Writing ``directory_search``, the search index, in its own key order.

``directory_search`` is keyed (generation, key, tier, cell, lat, lon, npi, loc). Rows inserted in
random order make the database rewrite B-tree pages over and over; rows inserted in key order
are appended, each page written once. :class:`SearchIndexBuffer` collects the search rows of
many blocks as compact Arrow columns (30 bytes a row: the NPI as a 32-bit integer, the score
parts as 32-bit floats, which hold every value the ranking rule produces exactly), sorts them in
memory, and hands them to a sink in key order: once for a whole full import of up to
``max_rows`` rows (the national file has about 2.5 million), or in sorted runs of that size when
a directory is larger, so memory stays bounded whatever the file size.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from stridewise.directory.index_keys import CELLS_PER_DEGREE

#: Called with (table name, aligned columns by name); appends them to the table.
Sink = Callable[[str, Mapping[str, pa.Array]], object]

#: Rows held before a sorted run is written: 4M rows is 120 MB of columns (twice that sorting).
MAX_ROWS = 4_000_000


def cells(lon: pa.Array) -> pa.Array:
    """The longitude band of each point (the same rule as :func:`records.cell_of`)."""
    return pc.floor(pc.multiply(lon, float(CELLS_PER_DEGREE))).cast(pa.int32())


class SearchIndexBuffer:
    """Search rows of one generation, buffered and written sorted by the index key."""

    def __init__(self, generation: int, keys: list[str], max_rows: int = MAX_ROWS) -> None:
        self.generation = generation
        # Sorting by a key's position in the sorted key list sorts by the key text itself.
        self.keys = sorted(keys)
        self._code = {k: i for i, k in enumerate(self.keys)}
        self.max_rows = max_rows
        self._parts: list[pa.Table] = []
        self._rows = 0

    def add(self, search: Mapping[str, list[pa.Array]], sink: Sink) -> None:
        """Buffer one block's rows: per key, aligned (lat, lon, npi, fit, static) columns, all
        at practice location 0. Writes a sorted run through ``sink`` when the buffer is full."""
        for key, (lat, lon, npi, fit, static) in search.items():
            n = len(npi)
            if not n:
                continue
            code = pa.array(np.full(n, self._code[key], dtype=np.int16))
            self._parts.append(
                pa.table(
                    {
                        "code": code,
                        "lat": lat,
                        "lon": lon,
                        "npi": pc.cast(npi, pa.uint32()),
                        "fit": pc.cast(fit, pa.float32()),
                        "st": pc.cast(static, pa.float32()),
                    }
                )
            )
            self._rows += n
        if self._rows >= self.max_rows:
            self.flush(sink)

    def flush(self, sink: Sink) -> int:
        """Write every buffered row through ``sink`` in index order, one call per key (so the
        key is the same on every row of a call); returns the row count."""
        if not self._parts:
            return 0
        rows = pa.concat_tables(self._parts)
        self._parts, self._rows = [], 0
        rows = rows.append_column("cell", cells(rows.column("lon")))
        rows = rows.append_column(
            "tier",
            pc.add(rows.column("fit").cast(pa.float64()), rows.column("st").cast(pa.float64())),
        )
        rows = rows.sort_by(
            [(c, "ascending") for c in ("code", "tier", "cell", "lat", "lon", "npi")]
        ).combine_chunks()
        codes = rows.column("code").to_numpy()
        starts = np.flatnonzero(np.diff(codes, prepend=-1))  # each key is one contiguous run
        for start, stop in zip(starts, [*starts[1:], len(codes)], strict=True):
            run = rows.slice(start, stop - start)
            n = run.num_rows
            sink(
                "directory_search",
                {
                    "generation": pa.array(np.full(n, self.generation, dtype=np.int32)),
                    "key": pa.array([self.keys[codes[start]]] * n, pa.string()),
                    "tier": run.column("tier"),
                    "cell": run.column("cell"),
                    "lat": run.column("lat"),
                    "lon": run.column("lon"),
                    "npi": run.column("npi").cast(pa.string()),
                    "loc": pa.array(np.zeros(n, dtype=np.int16)),
                    "fit": run.column("fit"),
                    "static": run.column("st"),
                },
            )
        return int(rows.num_rows)
