"""The limits an upload must meet before anything in it is parsed.

Checked from sizes and zip directory entries first (cheap, before any decompression); every
decompression is then bounded again, because a zip's declared sizes can lie."""

from __future__ import annotations

from dataclasses import dataclass

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Upload limits. The defaults fit a five-year Strava export with room to spare."""

    max_files: int = 20
    """Files in one upload (a zip counts as one)."""
    max_file_bytes: int = 200 * MIB
    """One uploaded file, as sent (a Strava export zip is usually well under this)."""
    max_total_bytes: int = 250 * MIB
    """All uploaded files together, as sent."""
    max_entries: int = 6000
    """Entries in one zip (activity files, photos and the rest)."""
    max_entry_bytes: int = 32 * MIB
    """One activity file, uncompressed (a 24-hour GPX with one-second points is ~20 MB)."""
    max_total_uncompressed: int = 2048 * MIB
    """Everything we would decompress from one upload."""
    max_ratio: float = 200.0
    """Uncompressed/compressed size of one zip entry or .gz file; text GPX reaches ~30."""

    def describe(self) -> str:
        return (
            f"up to {self.max_files} files, {self.max_total_bytes // MIB} MB in total, "
            f"activity files up to {self.max_entry_bytes // MIB} MB each"
        )


DEFAULT_LIMITS = Limits()
