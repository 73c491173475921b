"""Reading an upload: the limits first, then each file through the reader for its format.

``read_uploads`` is the one entry point for the API, the CLI and the page. A bad file never
raises: it becomes a ``FileProblem`` and the rest is still read. Only an upload that breaks the
whole-request limits (count, total size) raises ``UploadRejected``."""

from __future__ import annotations

import io
import multiprocessing
import posixpath
import stat
import zipfile
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace

from stridewise.training.decompress import NotGzip, TooBig, gunzip_bounded
from stridewise.training.errors import UploadRejected
from stridewise.training.fit_reader import FitUnreadable, read_fit
from stridewise.training.gpx_reader import GpxUnreadable, read_gpx
from stridewise.training.limits import DEFAULT_LIMITS, MIB, Limits
from stridewise.training.models import (
    Activity,
    FileProblem,
    ProblemKind,
    ReadResult,
    sport_from_name,
    surface_for,
)
from stridewise.training.strava_csv import CsvRow, CsvUnreadable, read_activities_csv
from stridewise.training.tcx_reader import TcxUnreadable, read_tcx

ACTIVITY_EXTENSIONS = (".fit", ".gpx", ".tcx")
READERS: dict[str, Callable[[bytes, str], Activity]] = {
    ".fit": read_fit,
    ".gpx": read_gpx,
    ".tcx": read_tcx,
}
UNREADABLE = (FitUnreadable, GpxUnreadable, TcxUnreadable)
MAX_NAME = 120


@dataclass(frozen=True)
class Upload:
    """One uploaded file: the name the client gave and its bytes."""

    name: str
    data: bytes


def _display(name: str) -> str:
    """A file name safe to show and to echo back (no control characters, bounded)."""
    clean = "".join(ch if ch.isprintable() else "?" for ch in name)
    return (clean or "(no name)")[:MAX_NAME]


def _kind(name: str) -> tuple[str, bool]:
    """(extension without .gz, whether it was gzipped) of a file name, lower-cased."""
    lower = name.lower()
    gz = lower.endswith(".gz")
    if gz:
        lower = lower[:-3]
    return posixpath.splitext(lower)[1], gz


def read_uploads(
    uploads: Sequence[Upload], limits: Limits = DEFAULT_LIMITS, *, workers: int = 1
) -> ReadResult:
    """Read every upload. Raises UploadRejected if the request as a whole is over a limit.

    ``workers`` > 1 parses the files of a large zip on that many processes."""
    if not uploads:
        raise UploadRejected("no files were sent; choose one or more activity files or a zip")
    if len(uploads) > limits.max_files:
        raise UploadRejected(
            f"{len(uploads)} files were sent; the limit is {limits.max_files} "
            "(zip them, or send a Strava export zip as one file)"
        )
    total = sum(len(u.data) for u in uploads)
    if total > limits.max_total_bytes:
        raise UploadRejected(
            f"the files add up to {total / MIB:.0f} MB; the limit is "
            f"{limits.max_total_bytes // MIB} MB"
        )
    result = ReadResult()
    budget = _Budget(limits.max_total_uncompressed)
    for up in uploads:
        name = _display(up.name)
        if len(up.data) > limits.max_file_bytes:
            result.problems.append(
                FileProblem(
                    name,
                    ProblemKind.too_large,
                    f"{len(up.data) / MIB:.0f} MB is over the {limits.max_file_bytes // MIB} MB "
                    "limit for one file",
                )
            )
            continue
        if up.data[:4] == b"PK\x03\x04" or name.lower().endswith(".zip"):
            result.extend(_read_zip(up.data, name, limits, budget, workers))
        else:
            result.extend(_read_single(up.data, name, limits, budget, csv_rows=None))
    result.activities = _dedupe(result.activities)
    return result


class _Budget:
    """Uncompressed bytes still allowed for this upload."""

    def __init__(self, left: int) -> None:
        self.left = left

    def take(self, n: int) -> bool:
        self.left -= n
        return self.left >= 0


def _read_single(
    data: bytes,
    name: str,
    limits: Limits,
    budget: _Budget,
    csv_rows: list[CsvRow] | None,
    inner: str | None = None,
    jobs: list[_Job] | None = None,
) -> ReadResult:
    """One file (maybe .gz), named ``name`` in messages and ``inner`` (its path inside a zip)
    for telling its type. ``csv_rows`` collects activities.csv rows when reading a zip; with
    ``jobs`` given, activity files are queued there for parsing instead of parsed now."""
    out = ReadResult()
    ext, gz = _kind(inner or name)
    base = posixpath.basename(inner or name).lower()
    if not data:
        out.problems.append(FileProblem(name, ProblemKind.empty, "the file is empty"))
        return out
    if ext not in ACTIVITY_EXTENSIONS and not (ext == ".csv" and base.startswith("activities")):
        out.problems.append(
            FileProblem(
                name,
                ProblemKind.foreign_type,
                "not an activity file: we read .fit, .gpx and .tcx files (also .gz), a Strava "
                "activities.csv, or a Strava export .zip",
            )
        )
        return out
    if gz:
        try:
            data = gunzip_bounded(data, limits.max_entry_bytes, limits.max_ratio)
        except TooBig:
            out.problems.append(
                FileProblem(
                    name,
                    ProblemKind.zip_bomb,
                    "it inflates far beyond what an activity file can be, so it was not opened",
                )
            )
            return out
        except NotGzip:
            out.problems.append(
                FileProblem(name, ProblemKind.corrupt, "the .gz file is damaged or not gzip")
            )
            return out
        if not budget.take(len(data)):
            out.problems.append(_over_budget(name, limits))
            return out
    elif len(data) > limits.max_entry_bytes:
        out.problems.append(
            FileProblem(
                name,
                ProblemKind.too_large,
                f"{len(data) / MIB:.0f} MB is over the {limits.max_entry_bytes // MIB} MB limit "
                "for one activity file",
            )
        )
        return out
    out.files_read = 1
    if ext == ".csv":
        try:
            rows = read_activities_csv(data, name)
        except CsvUnreadable as exc:
            out.files_read = 0
            out.problems.append(FileProblem(name, ProblemKind.corrupt, str(exc)))
            return out
        if csv_rows is not None:
            csv_rows.extend(rows)
        else:
            out.activities.extend(r.activity for r in rows)
        return out
    if jobs is not None:
        jobs.append(_Job(ext, data, name, inner or name))
        out.files_read = 0
        return out
    parsed = _parse(_Job(ext, data, name, name))
    if isinstance(parsed, FileProblem):
        out.files_read = 0
        out.problems.append(parsed)
    else:
        out.activities.append(parsed)
    return out


@dataclass(frozen=True)
class _Job:
    """An activity file waiting to be parsed (possibly in a worker process)."""

    ext: str
    data: bytes
    name: str
    path: str


def _parse(job: _Job) -> Activity | FileProblem:
    try:
        return READERS[job.ext](job.data, job.name)
    except UNREADABLE as exc:
        return FileProblem(job.name, ProblemKind.corrupt, str(exc))


# Below this many files a worker pool costs more to start than it saves.
POOL_MIN_JOBS = 200


def _parse_all(jobs: list[_Job], workers: int) -> list[Activity | FileProblem]:
    """Parse every job, on ``workers`` processes when there are enough of them."""
    if workers <= 1 or len(jobs) < POOL_MIN_JOBS:
        return [_parse(j) for j in jobs]
    # forkserver: workers never inherit the web server's threads or the runner's other data.
    ctx = multiprocessing.get_context("forkserver")
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            return list(pool.map(_parse, jobs, chunksize=max(1, len(jobs) // (workers * 8))))
    except (BrokenProcessPool, OSError, RuntimeError):
        # No processes to be had here (a restricted host, an embedding without a __main__
        # guard): the same work, just on this one.
        return [_parse(j) for j in jobs]


def _over_budget(name: str, limits: Limits) -> FileProblem:
    return FileProblem(
        name,
        ProblemKind.zip_bomb,
        f"reading stopped: the upload would inflate past "
        f"{limits.max_total_uncompressed // MIB} MB in total",
    )


def _unsafe(info: zipfile.ZipInfo) -> str | None:
    """Why a zip entry's name or type is unsafe, or None."""
    name = info.filename
    mode = (info.external_attr >> 16) & 0xFFFF
    if mode and stat.S_ISLNK(mode):
        return "it is a symbolic link, which is never read"
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return "its path is absolute, which is never read"
    parts = name.replace("\\", "/").split("/")
    if ".." in parts:
        return "its path climbs out of the zip (..), which is never read"
    if "\x00" in name:
        return "its name contains a NUL byte"
    return None


def _read_zip(data: bytes, name: str, limits: Limits, budget: _Budget, workers: int) -> ReadResult:
    out = ReadResult()
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        out.problems.append(
            FileProblem(name, ProblemKind.corrupt, "the zip file is damaged or not a zip")
        )
        return out
    if len(infos) > limits.max_entries:
        out.problems.append(
            FileProblem(
                name,
                ProblemKind.too_many_files,
                f"the zip holds {len(infos):,} files; the limit is {limits.max_entries:,}",
            )
        )
        return out
    declared = sum(i.file_size for i in infos)
    if declared > limits.max_total_uncompressed:
        out.problems.append(
            FileProblem(
                name,
                ProblemKind.zip_bomb,
                f"the zip would inflate to {declared / MIB:,.0f} MB; the limit is "
                f"{limits.max_total_uncompressed // MIB:,} MB, so it was not opened",
            )
        )
        return out
    csv_rows: list[CsvRow] = []
    jobs: list[_Job] = []
    skipped_other = 0
    for info in infos:
        if info.is_dir():
            continue
        entry = f"{name}: {_display(info.filename)}"
        if why := _unsafe(info):
            out.problems.append(FileProblem(entry, ProblemKind.unsafe_path, why))
            continue
        ext, _ = _kind(info.filename)
        base = posixpath.basename(info.filename).lower()
        if ext not in ACTIVITY_EXTENSIONS and base != "activities.csv":
            skipped_other += 1
            continue
        if info.flag_bits & 0x1:
            out.problems.append(FileProblem(entry, ProblemKind.corrupt, "it is encrypted"))
            continue
        if info.file_size > limits.max_entry_bytes:
            out.problems.append(
                FileProblem(
                    entry,
                    ProblemKind.too_large,
                    f"{info.file_size / MIB:.0f} MB is over the "
                    f"{limits.max_entry_bytes // MIB} MB limit for one activity file",
                )
            )
            continue
        if info.file_size > max(info.compress_size, 1) * limits.max_ratio:
            out.problems.append(
                FileProblem(
                    entry,
                    ProblemKind.zip_bomb,
                    "it inflates far beyond what an activity file can be, so it was not opened",
                )
            )
            continue
        try:
            with zf.open(info) as fh:
                raw = fh.read(limits.max_entry_bytes + 1)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
            out.problems.append(FileProblem(entry, ProblemKind.corrupt, "it is damaged in the zip"))
            continue
        if len(raw) > limits.max_entry_bytes:
            out.problems.append(
                FileProblem(entry, ProblemKind.zip_bomb, "it is larger than the zip claims")
            )
            continue
        if not budget.take(len(raw)):
            out.problems.append(_over_budget(entry, limits))
            break
        one = _read_single(raw, entry, limits, budget, csv_rows, info.filename, jobs)
        out.files_read += one.files_read
        out.problems.extend(one.problems)
    by_path: dict[str, Activity] = {}
    for job, parsed in zip(jobs, _parse_all(jobs, workers), strict=True):
        if isinstance(parsed, FileProblem):
            out.problems.append(parsed)
        else:
            out.files_read += 1
            by_path[_path_key(job.path)] = parsed
    if skipped_other:
        out.problems.append(
            FileProblem(
                name,
                ProblemKind.foreign_type,
                f"{skipped_other:,} other file(s) in the zip (photos, settings and the like) are "
                "not activity files and were skipped",
            )
        )
    out.activities.extend(_merge_csv(csv_rows, by_path))
    return out


def _path_key(path: str) -> str:
    key = path.replace("\\", "/").lower()
    key = key.removesuffix(".gz")
    # A Strava export is often zipped inside a top-level folder; match on the activities/ part.
    marker = key.rfind("activities/")
    return key[marker:] if marker >= 0 else posixpath.basename(key)


def _merge_csv(rows: list[CsvRow], by_path: dict[str, Activity]) -> list[Activity]:
    """Activities from the files, with sport and gear from activities.csv where it names them;
    rows whose file is missing stand on their own."""
    out: list[Activity] = []
    used: set[str] = set()
    for row in rows:
        key = _path_key(row.filename) if row.filename else None
        parsed = by_path.get(key) if key else None
        if parsed is None:
            out.append(row.activity)
            continue
        used.add(key or "")
        sport = row.activity.sport
        merged = replace(
            parsed,
            sport=sport,
            surface=surface_for(sport) if sport != parsed.sport else parsed.surface,
            gear=row.activity.gear,
            distance_m=parsed.distance_m or row.activity.distance_m,
            duration_s=row.activity.duration_s or parsed.duration_s,
            avg_hr=parsed.avg_hr or row.activity.avg_hr,
        )
        out.append(merged)
    out.extend(a for k, a in by_path.items() if k not in used)
    return out


def _dedupe(activities: list[Activity]) -> list[Activity]:
    """One activity per start minute and sport (the same run sent as a FIT and in a zip)."""
    seen: dict[tuple[int, bool], Activity] = {}
    for act in activities:
        key = (int(act.start.timestamp()) // 60, act.sport.is_running)
        if key not in seen or (act.gear and not seen[key].gear):
            seen[key] = act
    return sorted(seen.values(), key=lambda a: a.start)


__all__ = ["Upload", "read_uploads", "sport_from_name"]
