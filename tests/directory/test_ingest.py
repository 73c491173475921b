"""Arrow columns to directory tables: the column contract, ADBC on PostgreSQL, the sorted
search-index writer, and the SQLite writer's constant columns."""

from __future__ import annotations

import pyarrow as pa
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from stridewise.directory.importing.ingest import ArrowIngest, conform, supported
from stridewise.directory.importing.search_index import SearchIndexBuffer
from stridewise.directory.importing.store import BulkWriter


def _search_columns(n: int, key_lat: float = 40.0) -> list[pa.Array]:
    return [
        pa.array([key_lat + i / 100 for i in range(n)]),
        pa.array([-73.0 - i / 10 for i in range(n)]),
        pa.array([f"10000000{i:02d}" for i in range(n)]),
        pa.array([40.0] * n),
        pa.array([5.0 * (i % 3) for i in range(n)]),
    ]


def test_conform_casts_to_table_types_and_refuses_missing_columns() -> None:
    cols = {
        "code": pa.array(["213E00000X"]),
        "display_name": pa.array(["Podiatrist"]),
        "classification": pa.array(["Podiatrist"]),
        "specialization": pa.array([""]),
        "sports": pa.array([1]),
        "relevant": pa.array([True]),
    }
    table = conform("directory_taxonomy", cols)
    assert table.schema.field("sports").type == pa.bool_()
    del cols["relevant"]
    with pytest.raises(KeyError):
        conform("directory_taxonomy", cols)


def test_search_index_writes_sorted_runs_one_key_per_call() -> None:
    calls: list[dict[str, list[object]]] = []
    buffer = SearchIndexBuffer(3, ["type:podiatrist", "other", "type:chiropractor"])
    for lat in (41.0, 40.0):  # later blocks may hold smaller keys: the run is sorted anyway
        block = {"type:podiatrist": _search_columns(3, lat), "other": _search_columns(2, lat)}
        buffer.add(block, lambda _t, c: calls.append({k: v.to_pylist() for k, v in c.items()}))
    assert calls == []  # nothing is written before the flush
    buffer.flush(lambda _t, c: calls.append({k: v.to_pylist() for k, v in c.items()}))
    keys = [call["key"][0] for call in calls]
    assert keys == sorted(keys) == ["other", "type:podiatrist"]
    for call in calls:
        assert len(set(call["key"])) == 1 and set(call["generation"]) == {3}
        order = list(zip(call["tier"], call["cell"], call["lat"], call["lon"], strict=True))
        assert order == sorted(order)
        assert call["tier"] == [f + s for f, s in zip(call["fit"], call["static"], strict=True)]


def test_search_index_bounds_memory_with_runs() -> None:
    calls: list[int] = []
    buffer = SearchIndexBuffer(1, ["type:podiatrist"], max_rows=4)
    for _ in range(3):
        buffer.add(
            {"type:podiatrist": _search_columns(3)}, lambda _t, c: calls.append(len(c["npi"]))
        )
    assert calls == [6]  # the second block filled the buffer; the third waits for flush
    buffer.flush(lambda _t, c: calls.append(len(c["npi"])))
    assert calls == [6, 3]


def _taxonomy_rows(n: int, prefix: str) -> dict[str, pa.Array]:
    return {
        "code": pa.array([f"{prefix}{i:04d}X" for i in range(n)]),
        "display_name": pa.array(["It's a label"] * n),  # a quote in a constant column
        "classification": pa.array(["c"] * n),
        "specialization": pa.array([f"s{i}" for i in range(n)]),
        "sports": pa.array([False] * n),
        "relevant": pa.array([True] * n),
    }


def test_bulk_writer_inlines_constant_columns(directory_engine: Engine) -> None:
    with directory_engine.connect() as conn:
        conn.execute(text("DELETE FROM directory_taxonomy"))
        BulkWriter(conn).append("directory_taxonomy", _taxonomy_rows(5, "ZZZZZ"))
        conn.commit()
        rows = conn.execute(
            text("SELECT code, display_name, specialization FROM directory_taxonomy ORDER BY code")
        ).all()
    assert [r[1] for r in rows] == ["It's a label"] * 5
    assert [r[2] for r in rows] == [f"s{i}" for i in range(5)]


@pytest.mark.postgres
def test_adbc_appends_and_rolls_back_on_postgres(postgres_url: str) -> None:
    from stridewise.db.engine import make_engine
    from stridewise.db.migrate import upgrade

    upgrade(postgres_url)
    url = make_url(postgres_url)
    assert supported(url) and not supported(make_url("sqlite:///x.db"))
    engine = make_engine(postgres_url)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM directory_taxonomy"))
    with ArrowIngest(url) as ingest:
        assert ingest.append("directory_taxonomy", _taxonomy_rows(3, "AAAAA")) == 3
        ingest.commit()
    with pytest.raises(RuntimeError), ArrowIngest(url) as ingest:
        ingest.append("directory_taxonomy", _taxonomy_rows(2, "BBBBB"))
        raise RuntimeError("interrupted before commit")
    with engine.connect() as conn:
        codes = conn.execute(text("SELECT code FROM directory_taxonomy ORDER BY code")).scalars()
        assert list(codes) == ["AAAAA0000X", "AAAAA0001X", "AAAAA0002X"]
    engine.dispose()
