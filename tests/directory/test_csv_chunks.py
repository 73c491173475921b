"""Cutting CSV files into chunks of whole rows, parsing them, and the ordered thread map."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from stridewise.directory.importing.csv_chunks import ordered_map, parse_chunk, read_chunks

HEADER = '"NPI","Name","Note"\n'


def _rows(path: Path, chunk_bytes: int) -> list[list[str]]:
    names = ["NPI", "Name", "Note"]
    out: list[list[str]] = []
    for data, _end in read_chunks(path, chunk_bytes):
        table, bad = parse_chunk(data, names, names)
        assert bad == 0
        out.extend([v.decode() for v in row.values()] for row in table.to_pylist())
    return out


@pytest.mark.parametrize("chunk_bytes", [7, 64, 1 << 20])
def test_chunks_are_whole_rows(tmp_path: Path, chunk_bytes: int) -> None:
    rows = [[str(1000 + i), f"Name {i}", "x" * (i % 50)] for i in range(300)]
    rows[7][2] = "two\nlines"  # a quoted newline does not end the row
    path = tmp_path / "f.csv"
    path.write_text(HEADER + "".join(",".join(f'"{v}"' for v in r) + "\n" for r in rows))
    assert _rows(path, chunk_bytes) == rows


def test_unquoted_file_and_no_final_newline(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text("NPI,Name,Note\n1,a,b\r\n2,c,d\r\n3,e,f")
    assert _rows(path, 5) == [["1", "a", "b"], ["2", "c", "d"], ["3", "e", "f"]]


def test_header_only_and_offsets(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text(HEADER)
    assert list(read_chunks(empty)) == []
    path = tmp_path / "f.csv"
    path.write_text(HEADER + '"1","a","b"\n' * 100)
    ends = [end for _data, end in read_chunks(path, 100)]
    assert ends == sorted(ends) and ends[-1] == path.stat().st_size


def test_malformed_rows_are_skipped_and_counted(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text(HEADER + '"1","a","b"\n"2","c"\n"3","e","f","g"\n"4","h","i"\n')
    names = ["NPI", "Name", "Note"]
    ((data, _),) = read_chunks(path)
    table, bad = parse_chunk(data, names, ["NPI"])
    assert bad == 2 and table.column("NPI").to_pylist() == [b"1", b"4"]


def test_ordered_map_keeps_order_and_raises_at_the_item() -> None:
    seen_threads: set[str] = set()

    def square(x: int) -> int:
        seen_threads.add(threading.current_thread().name)
        if x == 7:
            raise ValueError("seven")
        return x * x

    results = ordered_map(square, iter(range(20)), workers=3, ahead=4)
    assert [next(results) for _ in range(7)] == [x * x for x in range(7)]
    with pytest.raises(ValueError, match="seven"):
        next(results)
    assert all(name.startswith("nppes-parse") for name in seen_threads)
