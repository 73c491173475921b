"""Whatever bytes arrive, reading never raises: a file is read or becomes a typed problem."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stridewise.training.intake import Upload, read_uploads
from stridewise.training.models import FileProblem

names = st.sampled_from(["a.fit", "a.gpx", "a.tcx", "a.fit.gz", "x.zip", "activities.csv", "b"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(names, st.binary(max_size=400)), min_size=1, max_size=5))
def test_random_bytes_never_raise(files: list[tuple[str, bytes]]) -> None:
    result = read_uploads([Upload(n, d) for n, d in files])
    assert all(isinstance(p, FileProblem) and p.message for p in result.problems)
    assert len(result.problems) + result.files_read >= 1


suffixes = st.sampled_from([".gpx", ".fit.gz", ".tcx", "/activities.csv", ".jpg", ""])


@pytest.mark.filterwarnings("ignore::UserWarning")
@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.text(min_size=1, max_size=20), suffixes, st.binary(max_size=200)), max_size=6
    )
)
def test_random_zip_entries_never_raise(entries: list[tuple[str, str, bytes]]) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for stem, suffix, data in entries:
            name = stem + suffix
            try:
                zf.writestr(name, data)
            except (ValueError, UnicodeEncodeError, IndexError):  # names zipfile cannot write
                continue
    result = read_uploads([Upload("fuzz.zip", buf.getvalue())])
    assert all(p.message for p in result.problems)
