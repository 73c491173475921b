"""Guards that keep an import from destroying the live directory, and the clean-up of imports
that were killed.

A full import builds a new generation beside the active one and only then flips to it, so a
bad file used to become the directory as soon as it finished: a header-only file, a file cut
off in the middle of a row, or one of only malformed rows each replaced thousands of providers
with none. Before the flip, :func:`check_kept` refuses a generation that kept nothing or far
fewer providers than the active one (the floor is a share of the active count, 50% unless
configured; ``force`` lifts it), and :func:`check_complete` refuses, before the database is
touched, a file whose last row stops short.

A killed import leaves its half-written generation (removed by ``store.drop_inactive`` when the
next import starts) and its SQLite staging folder in the temp directory: folders carry their
process id, and :func:`remove_stale_stages` deletes those of processes that are gone.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
import time
from pathlib import Path

#: Staging folders are named ``stridewise-stage-<pid>-<random>``.
STAGE_PREFIX = "stridewise-stage-"

#: Default floor: a full import must keep at least this share of the active providers.
DEFAULT_FLOOR = 0.5

#: How far from the end to look for the start of the last row (an NPPES row is ~2 KB).
_TAIL_BYTES = 1 << 20

#: A staging folder without a readable process id is stale after this long.
_UNOWNED_AFTER_SECONDS = 6 * 3600


class ImportRefused(ValueError):
    """The import would have damaged the directory; nothing was changed. One-line message."""


def check_complete(path: Path, width: int) -> None:
    """Raise ImportRefused if the file's last row is incomplete: the file does not end with a
    line break and its last line has fewer than ``width`` (the header's) columns, or an open
    quote. A truncated download or copy looks exactly like that."""
    size = path.stat().st_size
    with path.open("rb") as fh:
        fh.seek(max(0, size - _TAIL_BYTES))
        tail = fh.read()
    if not tail or tail.endswith(b"\n"):
        return
    last = tail.rsplit(b"\n", 1)[-1].decode("latin-1")
    try:
        rows = list(csv.reader(io.StringIO(last), strict=True))
    except csv.Error:
        rows = []
    if len(rows) != 1 or len(rows[0]) < width:
        raise ImportRefused(
            f"{path.name} ends in the middle of a row (truncated?); nothing was imported"
        )


def check_kept(kept: int, rows_read: int, active: int, floor: float, force: bool) -> None:
    """Raise ImportRefused unless a full import that kept ``kept`` providers (of ``rows_read``
    rows) may replace an active directory of ``active`` providers."""
    if kept == 0:
        raise ImportRefused(
            f"the file kept no providers ({rows_read:,} rows read); the directory was not replaced"
        )
    if not force and kept < floor * active:
        raise ImportRefused(
            f"the file kept {kept:,} providers, under {floor:.0%} of the {active:,} in the"
            " directory; the directory was not replaced (use --force to replace it anyway)"
        )


def make_stage_dir() -> Path:
    """A new staging folder in the temp directory, named with this process's id."""
    return Path(tempfile.mkdtemp(prefix=f"{STAGE_PREFIX}{os.getpid()}-"))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


def remove_stale_stages(root: Path | None = None) -> int:
    """Delete staging folders left by killed imports under ``root`` (the temp directory): those
    whose process is gone, or, without a process id, older than six hours. Returns how many."""
    root = root or Path(tempfile.gettempdir())
    removed = 0
    for folder in root.glob(f"{STAGE_PREFIX}*"):
        if not folder.is_dir():
            continue
        owner = folder.name[len(STAGE_PREFIX) :].split("-", 1)[0]
        if owner.isdigit():
            stale = int(owner) != os.getpid() and not _alive(int(owner))
        else:
            stale = time.time() - folder.stat().st_mtime > _UNOWNED_AFTER_SECONDS
        if stale:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed
