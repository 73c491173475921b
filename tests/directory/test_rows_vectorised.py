"""The vectorised row builder gives exactly the rows of the per-row reference builder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from stridewise.directory.importing import nppes_columns as col
from stridewise.directory.importing.importer import parsed_batches
from stridewise.directory.importing.rows_reference import PROVIDER_COLUMNS, RecordBuilder, decode
from stridewise.directory.importing.rows_vectorised import ColumnarBuilder

FIELDS = {
    "npi": col.NPI,
    "entity": col.ENTITY_TYPE,
    "org": col.ORG_NAME,
    "last": col.LAST_NAME,
    "first": col.FIRST_NAME,
    "middle": col.MIDDLE_NAME,
    "prefix": col.PREFIX,
    "suffix": col.SUFFIX,
    "credential": col.CREDENTIAL,
    "address1": col.ADDRESS1,
    "address2": col.ADDRESS2,
    "city": col.CITY,
    "state": col.STATE,
    "postal": col.POSTAL,
    "phone": col.PHONE,
    "updated": col.LAST_UPDATE,
}


def _reference(builder: RecordBuilder, row: dict[str, bytes], cmap: col.ColumnMap) -> object:
    f = {k: decode(row[c]) if (c := cmap.get(v)) else "" for k, v in FIELDS.items()}
    codes: list[str] = []
    primary = ""
    for k, logical in enumerate(col.TAXONOMY_CODES):
        name = cmap.get(logical)
        code = decode(row[name]) if name else ""
        if code:
            if code not in codes:
                codes.append(code)
            switch = cmap.get(col.PRIMARY_SWITCHES[k])
            if not primary and switch and row[switch] == b"Y":
                primary = code
    primary = primary or codes[0]
    codes.remove(primary)
    codes.insert(0, primary)
    return builder.build(1, f, codes, primary)


@pytest.mark.parametrize("source", ["real", "synthetic"])
def test_columnar_rows_match_reference(
    source: str, real_sample: Path, make_nppes: Callable[..., Path]
) -> None:
    path = real_sample if source == "real" else make_nppes(3000, seed=5, relevant_share=0.9)
    cmap = col.resolve_columns(col.read_header(path))
    builder = RecordBuilder.create()
    columnar = ColumnarBuilder(builder)
    relevant = sorted(builder.relevant)
    expected: list[tuple[object, ...]] = []
    got: list[tuple[object, ...]] = []
    seen: set[str] = set()
    for batch, _, _ in parsed_batches(path, cmap.present()):
        hits = [
            pc.is_in(batch.column(c), value_set=pa.array(relevant, type=pa.binary()))
            for lg in col.TAXONOMY_CODES
            if (c := cmap.get(lg))
        ]
        keep = hits[0]
        for h in hits[1:]:
            keep = pc.or_(keep, h)
        kept = batch.filter(keep)
        for row in kept.to_pylist():
            result = _reference(builder, row, cmap)
            if isinstance(result, tuple) and result[0][1] not in seen:
                seen.add(result[0][1])
                expected.append(result[0][1:])
        built = columnar.build(kept, cmap)
        columns = [built.providers[c].to_pylist() for c in PROVIDER_COLUMNS[1:]]
        got.extend(zip(*columns, strict=True))
    # Each block comes back in NPI order (cheaper primary-key inserts); the rows are the same.
    assert got and sorted(got) == sorted(expected)
