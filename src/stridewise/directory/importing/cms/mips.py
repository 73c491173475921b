"""MIPS final scores (the clinician public-reporting file). One NPI can have several rows; we
keep the individual score when there is one, otherwise the most specific group's (group, then
virtual group, then APM entity), and record which."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pyarrow as pa

from stridewise.directory.cms.models import MipsSource
from stridewise.directory.importing.cms.folder import StreamedFolder, as_columns, valid_npi
from stridewise.directory.importing.cms.stream import Stream

COLUMNS = {
    "npi": ("NPI",),
    "source": ("source", "Source"),
    "score": ("final_MIPS_score", "Final MIPS Score", "final_mips_score_without_cpb"),
}
#: Most specific first.
PREFERENCE = [
    MipsSource.individual,
    MipsSource.group,
    MipsSource.virtual_group,
    MipsSource.apm_entity,
]


def source_of(value: str) -> MipsSource | None:
    v = value.strip().lower()
    if "individual" in v:
        return MipsSource.individual
    if "virtual" in v:
        return MipsSource.virtual_group
    if "apm" in v:
        return MipsSource.apm_entity
    if "group" in v:
        return MipsSource.group
    return None


class MipsFolder(StreamedFolder):
    columns = COLUMNS

    def __init__(self) -> None:
        self.best: dict[str, tuple[int, float, MipsSource]] = {}

    def add(self, batch: Mapping[str, pa.Array], stats: Stream) -> None:
        rows = zip(
            batch["npi"].to_pylist(),
            batch["source"].to_pylist(),
            batch["score"].to_pylist(),
            strict=True,
        )
        for npi, raw_source, raw_score in rows:
            npi = npi.strip()
            source = source_of(raw_source)
            try:
                score = float(raw_score)
            except ValueError:
                score = -1.0
            if not valid_npi(npi):
                stats.skipped["invalid NPI"] += 1
            elif source is None:
                stats.skipped["unknown source"] += 1
            elif not 0 <= score <= 100:
                stats.skipped["score missing or out of range"] += 1
            else:
                rank = PREFERENCE.index(source)
                held = self.best.get(npi)
                # More specific wins; at equal specificity the higher score (several groups).
                if held is None or (rank, -score) < (held[0], -held[1]):
                    self.best[npi] = (rank, score, source)

    def kept(self) -> int:
        return len(self.best)

    def tables(self, generation: int) -> Iterator[tuple[str, Mapping[str, Any]]]:
        rows = [(generation, n, s, src.value) for n, (_, s, src) in self.best.items()]
        yield "cms_mips", as_columns(rows, ("generation", "npi", "score", "source"))
