"""The SQLite staging writer: rows appear only on commit, the scratch files live outside the
database's directory and are removed, and the database stays intact."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest
from sqlalchemy import Engine, text

from stridewise.db.engine import make_engine
from stridewise.db.migrate import upgrade
from stridewise.directory.importing.sqlite_stage import SqliteStage


def _labels(prefix: str, n: int) -> dict[str, pa.Array]:
    return {
        "code": pa.array([f"{prefix}{i:04d}X" for i in range(n)]),
        "display_name": pa.array([f"Label {i}" for i in range(n)]),
        "classification": pa.array(["c"] * n),
        "specialization": pa.array([""] * n),
        "sports": pa.array([i % 2 == 0 for i in range(n)]),
        "relevant": pa.array([True] * n),
    }


@pytest.fixture
def engine(sqlite_url: str) -> Engine:
    upgrade(sqlite_url)
    return make_engine(sqlite_url)


def _codes(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(
            conn.execute(text("SELECT code FROM directory_taxonomy ORDER BY code")).scalars()
        )


def test_rows_appear_on_commit_and_scratch_is_removed(engine: Engine, sqlite_url: str) -> None:
    db_dir = Path(sqlite_url.removeprefix("sqlite:///")).parent
    with engine.connect() as conn, SqliteStage(conn) as stage:
        scratch = stage._dir
        assert db_dir not in scratch.parents
        assert stage.append("directory_taxonomy", _labels("AAAAA", 3)) == 3
        assert _codes(engine) == []  # staged, not yet copied
        stage.commit()
        assert _codes(engine) == ["AAAAA0000X", "AAAAA0001X", "AAAAA0002X"]
        stage.append("directory_taxonomy", _labels("BBBBB", 2))
        stage.commit()
        stage.commit()  # nothing staged: a plain commit
    assert not scratch.exists()
    assert len(_codes(engine)) == 5
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        sports = conn.execute(text("SELECT sports FROM directory_taxonomy ORDER BY code")).scalars()
        assert list(sports) == [1, 0, 1, 1, 0]


def test_uncommitted_rows_are_dropped(engine: Engine) -> None:
    with pytest.raises(RuntimeError), engine.connect() as conn, SqliteStage(conn) as stage:
        stage.append("directory_taxonomy", _labels("CCCCC", 4))
        raise RuntimeError("import interrupted")
    assert _codes(engine) == []


def test_a_failed_copy_rolls_back_and_detaches(engine: Engine) -> None:
    with engine.connect() as conn, SqliteStage(conn) as stage:
        stage.append("directory_taxonomy", _labels("DDDDD", 2))
        stage.commit()
        stage.append("directory_taxonomy", _labels("DDDDD", 3))  # two codes already exist
        with pytest.raises(Exception, match="UNIQUE"):
            stage.commit()
        stage.append("directory_taxonomy", _labels("EEEEE", 1))  # the stage still works
        stage.commit()
    assert _codes(engine) == ["DDDDD0000X", "DDDDD0001X", "EEEEE0000X"]


@pytest.mark.postgres
def test_needs_sqlite(postgres_url: str) -> None:
    engine = make_engine(postgres_url)
    with engine.connect() as conn, pytest.raises(ValueError):
        SqliteStage(conn)
    engine.dispose()
