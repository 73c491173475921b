"""Imports that cannot destroy: header-only, truncated, all-malformed and far smaller files are
refused before the flip and leave the active directory as it was; stale staging folders go."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from stridewise.directory.generator import header_line
from stridewise.directory.importing.importer import import_nppes
from stridewise.directory.importing.safety import (
    STAGE_PREFIX,
    ImportRefused,
    check_complete,
    check_kept,
    remove_stale_stages,
)


def _state(engine: Engine) -> tuple[int, int, int]:
    """(active generation, its providers, rows of any other generation)."""
    with engine.connect() as conn:
        g = int(conn.execute(text("SELECT active_generation FROM directory_state")).scalar() or 0)
        n = conn.execute(
            text("SELECT COUNT(*) FROM directory_providers WHERE generation = :g"), {"g": g}
        ).scalar()
        other = conn.execute(
            text("SELECT COUNT(*) FROM directory_search WHERE generation <> :g"), {"g": g}
        ).scalar()
    return g, int(n or 0), int(other or 0)


@pytest.fixture
def live(directory_engine: Engine, make_nppes: Callable[..., Path]) -> Engine:
    import_nppes(directory_engine, make_nppes(1000, seed=3, relevant_share=0.9))
    return directory_engine


def _header_only(tmp_path: Path) -> Path:
    path = tmp_path / "header.csv"
    path.write_text(header_line() + "\n", encoding="latin-1")
    return path


def _truncated(make_nppes: Callable[..., Path]) -> Path:
    path = make_nppes(1000, seed=4, relevant_share=0.9)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 700])  # cut inside the last row
    return path


def _malformed(tmp_path: Path) -> Path:
    path = tmp_path / "malformed.csv"
    rows = "".join(f'"{1000000000 + i}","1","broken"\n' for i in range(200))
    path.write_text(header_line() + "\n" + rows, encoding="latin-1")
    return path


@pytest.mark.parametrize("kind", ["header-only", "truncated", "all-malformed", "far-smaller"])
def test_bad_files_never_replace_the_directory(
    live: Engine, make_nppes: Callable[..., Path], tmp_path: Path, kind: str
) -> None:
    before = _state(live)
    path = {
        "header-only": lambda: _header_only(tmp_path),
        "truncated": lambda: _truncated(make_nppes),
        "all-malformed": lambda: _malformed(tmp_path),
        "far-smaller": lambda: make_nppes(300, seed=5, relevant_share=0.9),
    }[kind]()
    with pytest.raises(ImportRefused) as refused:
        import_nppes(live, path)
    assert "\n" not in str(refused.value)
    assert _state(live) == before  # same generation, same providers, no leftovers


def test_force_lifts_the_floor_but_never_allows_an_empty_directory(
    live: Engine, make_nppes: Callable[..., Path], tmp_path: Path
) -> None:
    g, _, _ = _state(live)
    small = import_nppes(live, make_nppes(300, seed=5, relevant_share=0.9), force=True)
    assert _state(live) == (g + 1, small.kept, 0)
    with pytest.raises(ImportRefused):
        import_nppes(live, _header_only(tmp_path), force=True)
    # A floor of 0.1 accepts a smaller file without force.
    import_nppes(live, make_nppes(100, seed=6, relevant_share=0.9), floor=0.1)


def test_incremental_imports_refuse_truncated_files(
    live: Engine, make_nppes: Callable[..., Path]
) -> None:
    before = _state(live)
    with pytest.raises(ImportRefused):
        import_nppes(live, _truncated(make_nppes), incremental=True)
    assert _state(live) == before


def test_check_complete_reads_only_the_last_row(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(b'"a","b","c"\n"1","2","3"')  # no final line break, but whole
    check_complete(path, 3)
    path.write_bytes(b'"a","b","c"\n"1","2')
    with pytest.raises(ImportRefused):
        check_complete(path, 3)
    path.write_bytes(b'"a","b","c"\n"1","2","3"\n')
    check_complete(path, 3)


def test_check_kept() -> None:
    check_kept(600, 700, 1000, 0.5, False)
    check_kept(10, 700, 1000, 0.5, True)
    with pytest.raises(ImportRefused, match="under 50%"):
        check_kept(499, 700, 1000, 0.5, False)
    with pytest.raises(ImportRefused, match="kept no providers"):
        check_kept(0, 0, 0, 0.5, True)


def test_stale_staging_folders_are_removed(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    gone = tmp_path / f"{STAGE_PREFIX}{dead.stdout.strip()}-abc"
    mine = tmp_path / f"{STAGE_PREFIX}{os.getpid()}-def"
    legacy = tmp_path / f"{STAGE_PREFIX}xyz"
    for folder in (gone, mine, legacy):
        folder.mkdir()
        (folder / "stage-1.sqlite3").write_bytes(b"x")
    old = 1_000_000_000
    os.utime(legacy, (old, old))
    assert remove_stale_stages(tmp_path) == 2
    assert [p.name for p in tmp_path.iterdir()] == [mine.name]
