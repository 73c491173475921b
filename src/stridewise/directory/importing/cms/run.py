"""``import_cms``: stream one CMS file into its kind's new generation, then swap or refuse.

Imports never change what a runner sees until the swap (:mod:`.swap`)."""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from stridewise.directory.cms.models import CmsKind
from stridewise.directory.cms.procedures import procedure_groups
from stridewise.directory.importing.cms import swap
from stridewise.directory.importing.cms.affiliations import AffiliationsFolder
from stridewise.directory.importing.cms.dac import DacFolder
from stridewise.directory.importing.cms.folder import Folder
from stridewise.directory.importing.cms.mips import MipsFolder
from stridewise.directory.importing.cms.services import ServicesFolder
from stridewise.directory.importing.cms.stream import (
    ProgressFn,
    Stream,
    ends_cleanly,
    read_header,
    resolve,
)


@dataclass
class CmsReport:
    kind: str
    source: str
    rows_read: int = 0
    kept: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    bytes_read: int = 0
    seconds: float = 0.0
    year: int = 0
    scores_changed: int = 0
    #: DAC only: practice addresses added as search locations, and why others were not.
    locations: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows_read": self.rows_read,
            "kept": self.kept,
            "skipped": dict(self.skipped),
            "seconds": round(self.seconds, 2),
            "year": self.year,
        }


def year_of(path: Path) -> int:
    """The data year in a CMS file name (e.g. ``..._2024.csv`` or ``DY24``), else 0."""
    m = re.search(r"(20\d\d)", path.name)
    if m:
        return int(m.group(1))
    m = re.search(r"DY(\d\d)", path.name, re.IGNORECASE)
    return 2000 + int(m.group(1)) if m else 0


def folder_for(kind: CmsKind, groups: Path | None = None) -> Folder:
    if kind is CmsKind.dac:
        return DacFolder()
    if kind is CmsKind.affiliations:
        return AffiliationsFolder()
    if kind is CmsKind.mips:
        return MipsFolder()
    return ServicesFolder(procedure_groups(groups))


def import_cms(
    engine: Engine,
    kind: CmsKind,
    path: Path,
    *,
    force: bool = False,
    year: int | None = None,
    groups: Path | None = None,
    progress: ProgressFn | None = None,
) -> CmsReport:
    """Import one CMS file. Raises FileNotFoundError, MissingColumnsError (not that kind of
    file) and ImportRefused (empty or truncated, unless ``force``)."""
    started = time.perf_counter()
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    folder = folder_for(kind, groups)
    header = read_header(path)
    columns = resolve(header, folder.columns, kind.value)
    report = CmsReport(kind.value, str(path), year=year or year_of(path))
    stats = Stream()
    try:
        folder.read(path, header, columns, stats, progress)
        if progress is not None:
            progress(path.stat().st_size, stats.rows)
        report.rows_read, report.kept = stats.rows, folder.kept()
        report.skipped = stats.skipped
        if stats.malformed:
            report.skipped["malformed row"] += stats.malformed
        report.bytes_read = path.stat().st_size
        new = swap.write(engine, kind, folder.tables)
    finally:
        folder.close()
    report.seconds = time.perf_counter() - started
    report.scores_changed, report.locations = swap.switch(
        engine,
        kind,
        new,
        kept=report.kept,
        complete=ends_cleanly(path),
        force=force,
        source=str(path),
        year=report.year,
        summary=report.as_dict(),
    )
    report.seconds = time.perf_counter() - started
    return report
