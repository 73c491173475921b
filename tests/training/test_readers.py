"""Readers on real bytes of each format, made by the synthetic writers, and their failures."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

import pytest

from stridewise.training.fit_reader import FitUnreadable, read_fit
from stridewise.training.gpx_reader import GpxUnreadable, read_gpx
from stridewise.training.models import Sport, Surface
from stridewise.training.strava_csv import CsvUnreadable, read_activities_csv
from stridewise.training.synthetic import (
    SyntheticRun,
    fit_bytes,
    gpx_bytes,
    history,
    strava_export,
    tcx_bytes,
)
from stridewise.training.tcx_reader import TcxUnreadable, read_tcx

RUN = SyntheticRun(
    datetime(2026, 3, 1, 7, tzinfo=UTC), Sport.trail_run, 10_000, 3_300, 80, 150, "Speedgoat"
)


@pytest.mark.parametrize(
    ("reader", "writer", "name"),
    [
        (read_fit, fit_bytes, "a.fit"),
        (read_gpx, gpx_bytes, "a.gpx"),
        (read_tcx, tcx_bytes, "a.tcx"),
    ],
)
def test_each_format_reads_back_what_was_written(reader, writer, name) -> None:  # type: ignore[no-untyped-def]
    act = reader(writer(RUN), name)
    assert act.start == RUN.start and act.start.tzinfo is not None
    assert act.distance_m == pytest.approx(10_000, rel=0.01)
    assert act.duration_s == pytest.approx(3_300, abs=1)
    assert act.avg_hr == pytest.approx(150)
    assert act.elevation_gain_m == pytest.approx(80, abs=10)
    assert act.sport.is_running
    assert act.pace_s_per_km == pytest.approx(330, rel=0.01)


def test_fit_session_gives_trail_surface_and_records_only_file_still_reads() -> None:
    act = read_fit(fit_bytes(RUN), "a.fit")
    assert act.sport == Sport.trail_run and act.surface == Surface.trail
    bare = read_fit(fit_bytes(RUN, session=False), "b.fit")
    assert bare.distance_m == pytest.approx(10_000) and bare.duration_s == pytest.approx(3_300)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"hello",
        b"\x0e\x20" + bytes(20),
        fit_bytes(RUN)[:-40],
        fit_bytes(RUN)[:-2] + b"\x00\x00",
    ],
)
def test_damaged_fit_is_a_typed_failure(data: bytes) -> None:
    with pytest.raises(FitUnreadable):
        read_fit(data, "bad.fit")


@pytest.mark.parametrize(
    "data",
    [
        b"not xml",
        b"<gpx><trk><trkseg><trkpt lat='x'",
        b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "aaaa">]><gpx>&a;</gpx>',
        b"<gpx version='1.1' xmlns='http://www.topografix.com/GPX/1/1'></gpx>",
        b"<kml></kml>",
        b"\x00" * 50,
    ],
)
def test_bad_gpx_is_a_typed_failure(data: bytes) -> None:
    with pytest.raises(GpxUnreadable):
        read_gpx(data, "bad.gpx")


@pytest.mark.parametrize("data", [b"<TrainingCenterDatabase>", b"<gpx/>", b"{}"])
def test_bad_tcx_is_a_typed_failure(data: bytes) -> None:
    with pytest.raises(TcxUnreadable):
        read_tcx(data, "bad.tcx")


def test_strava_csv_rows_carry_gear_and_metres() -> None:
    runs = history(weeks=2, end=datetime(2026, 3, 1, tzinfo=UTC), seed=3)
    import io
    import zipfile

    zf = zipfile.ZipFile(io.BytesIO(strava_export(runs)))
    rows = read_activities_csv(zf.read("activities.csv"))
    assert len(rows) == len(runs)
    first = rows[0]
    assert first.activity.gear == runs[0].gear
    assert first.activity.distance_m == pytest.approx(runs[0].distance_m, abs=0.1)
    assert first.filename and first.filename.startswith("activities/")
    assert gzip.decompress(zf.read(first.filename))


def test_csv_without_strava_columns_is_refused() -> None:
    with pytest.raises(CsvUnreadable):
        read_activities_csv(b"a,b\n1,2\n")
