"""Upload limits enforced before reading: counts, sizes, bombs, traversal, symlinks, foreign
files. Every bad file becomes a typed problem; only whole-request limits raise."""

from __future__ import annotations

import gzip
import io
import stat
import zipfile
from datetime import UTC, datetime

import pytest

from stridewise.training.errors import UploadRejected
from stridewise.training.intake import Upload, read_uploads
from stridewise.training.limits import Limits
from stridewise.training.models import ProblemKind, Sport
from stridewise.training.synthetic import SyntheticRun, fit_bytes, gpx_bytes, history, strava_export

RUN = SyntheticRun(datetime(2026, 3, 1, 7, tzinfo=UTC), Sport.run, 8_000, 2_600, 40, 148, None)


def _zip(entries: list[tuple[str | zipfile.ZipInfo, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            zf.writestr(name, data)
    return buf.getvalue()


def _kinds(result) -> set[ProblemKind]:  # type: ignore[no-untyped-def]
    return {p.kind for p in result.problems}


def test_strava_export_zip_merges_csv_gear_and_files() -> None:
    runs = history(weeks=6, end=datetime(2026, 3, 1, tzinfo=UTC), seed=2)
    result = read_uploads([Upload("export.zip", strava_export(runs, folder="export_123/"))])
    assert len(result.activities) == len(runs)
    assert {a.gear for a in result.activities if a.sport.is_running} <= set(r.gear for r in runs)
    assert _kinds(result) == {ProblemKind.foreign_type}  # the photos, summarised once


def test_loose_gz_fit_and_gpx_files() -> None:
    result = read_uploads(
        [Upload("a.fit.gz", gzip.compress(fit_bytes(RUN))), Upload("b.gpx", gpx_bytes(RUN))]
    )
    # The same run twice is one activity.
    assert len(result.activities) == 1 and result.files_read == 2


def test_foreign_empty_and_corrupt_files_are_problems_not_errors() -> None:
    result = read_uploads(
        [
            Upload("photo.jpg", b"\xff\xd8\xff\xe0"),
            Upload("empty.gpx", b""),
            Upload("broken.fit", b"garbage" * 10),
            Upload("broken.zip", b"PK\x03\x04nonsense"),
            Upload("bad.gz.fit.gz", b"not gzip"),
            Upload("good.gpx", gpx_bytes(RUN)),
        ]
    )
    assert len(result.activities) == 1
    assert _kinds(result) == {ProblemKind.foreign_type, ProblemKind.empty, ProblemKind.corrupt}
    assert all(p.message for p in result.problems)


def test_whole_request_limits_raise() -> None:
    limits = Limits(max_files=2, max_total_bytes=1000)
    with pytest.raises(UploadRejected):
        read_uploads([], limits)
    with pytest.raises(UploadRejected):
        read_uploads([Upload(f"{i}.gpx", b"x") for i in range(3)], limits)
    with pytest.raises(UploadRejected):
        read_uploads([Upload("a.gpx", b"x" * 2000)], limits)


def test_zip_traversal_absolute_and_symlink_entries_are_refused() -> None:
    link = zipfile.ZipInfo("activities/link.gpx")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    data = _zip(
        [
            ("../../etc/evil.gpx", gpx_bytes(RUN)),
            ("/abs/evil.gpx", gpx_bytes(RUN)),
            (link, b"/etc/passwd"),
            ("ok.gpx", gpx_bytes(RUN)),
        ]
    )
    result = read_uploads([Upload("x.zip", data)])
    unsafe = [p for p in result.problems if p.kind == ProblemKind.unsafe_path]
    assert len(unsafe) == 3 and len(result.activities) == 1


def test_zip_bombs_are_refused_before_inflating() -> None:
    zeros = b"<gpx>" + b"\x00" * (5 * 1024 * 1024)
    bomb = _zip([("activities/1.gpx", zeros)])
    result = read_uploads([Upload("bomb.zip", bomb)])
    assert _kinds(result) == {ProblemKind.zip_bomb}
    small = Limits(max_total_uncompressed=1024)
    result = read_uploads([Upload("x.zip", _zip([("a.gpx", gpx_bytes(RUN))]))], small)
    assert _kinds(result) == {ProblemKind.zip_bomb} and not result.activities


def test_gz_bomb_inside_a_zip_is_refused() -> None:
    inner = gzip.compress(b"\x00" * (40 * 1024 * 1024))
    result = read_uploads([Upload("x.zip", _zip([("activities/1.fit.gz", inner)]))])
    assert ProblemKind.zip_bomb in _kinds(result) and not result.activities


def test_too_many_entries_and_oversized_entries() -> None:
    limits = Limits(max_entries=3, max_entry_bytes=100)
    many = _zip([(f"{i}.gpx", b"x") for i in range(5)])
    assert _kinds(read_uploads([Upload("m.zip", many)], limits)) == {ProblemKind.too_many_files}
    big = _zip([("big.gpx", b"<gpx>" + b" " * 500)])
    assert _kinds(read_uploads([Upload("b.zip", big)], Limits(max_entry_bytes=100))) == {
        ProblemKind.too_large
    }


def test_names_with_control_characters_are_cleaned() -> None:
    result = read_uploads([Upload("evil\x00\n.txt", b"x")])
    assert "\x00" not in result.problems[0].name and "\n" not in result.problems[0].name
