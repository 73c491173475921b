"""Medicare Physician and Other Practitioners, by provider and service (about 9.8 million rows,
3.3 GB a year): aggregated in one DuckDB pass into, per NPI, the services and beneficiaries of
each configured procedure group (:mod:`stridewise.directory.cms.procedures`).

The code column is matched against the configured codes by a hash join on a few dozen rows, so
the other 95% of rows only have their code trimmed; the counts of the kept rows are summed per
(NPI, group) in DuckDB and only those sums reach Python. A kept row whose count is not a number
(or negative) is skipped and counted; an empty beneficiary count (CMS leaves some blank) is 0.
CMS suppresses rows under 11 beneficiaries, so a group may be absent for a clinician who does
perform it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from stridewise.directory.cms.procedures import ProcedureGroups
from stridewise.directory.importing.cms import duck
from stridewise.directory.importing.cms.stream import ProgressFn, Stream

COLUMNS = {
    "npi": ("Rndrng_NPI", "National Provider Identifier"),
    "code": ("HCPCS_Cd", "HCPCS Code"),
    "benes": ("Tot_Benes", "Number of Medicare Beneficiaries"),
    "services": ("Tot_Srvcs", "Number of Services"),
}


def aggregate_sql(source: str, columns: Mapping[str, str], by_code: Mapping[str, str]) -> str:
    """One pass over ``source``: per (NPI, group id) the row count, the rows whose counts are
    not numbers, and the sums of the others; every row of no configured code falls in the one
    group (NULL, NULL), so the row total comes from the same pass."""
    codes = ", ".join(f"({duck.literal(c)}, {duck.literal(g)})" for c, g in by_code.items())
    ok = "(s >= 0 AND b >= 0)"
    return f"""
        WITH wanted(code, gid) AS (VALUES {codes}),
        src AS (
            SELECT {duck.text(columns["npi"])} AS npi, upper({duck.text(columns["code"])}) AS code,
                   {duck.text(columns["services"])} AS s_text,
                   {duck.text(columns["benes"])} AS b_text
            FROM {source}
        ),
        kept AS (
            SELECT w.gid, CASE WHEN w.gid IS NOT NULL THEN src.npi END AS npi,
                   CASE WHEN w.gid IS NOT NULL THEN {duck.luhn("src.npi")} END AS valid,
                   CASE WHEN w.gid IS NOT NULL THEN TRY_CAST(s_text AS DOUBLE) END AS s,
                   CASE WHEN w.gid IS NULL THEN NULL WHEN b_text = '' THEN 0.0
                        ELSE TRY_CAST(b_text AS DOUBLE) END AS b
            FROM src LEFT JOIN wanted w ON src.code = w.code
        )
        SELECT npi, gid, bool_and(valid) AS valid, COUNT(*) AS n,
               COUNT(*) FILTER (WHERE gid IS NOT NULL AND NOT coalesce({ok}, false)) AS bad,
               coalesce(SUM(s) FILTER (WHERE {ok}), 0.0) AS services,
               coalesce(SUM(b) FILTER (WHERE {ok}), 0.0) AS benes
        FROM kept GROUP BY npi, gid
    """


class ServicesFolder:
    columns = COLUMNS

    def __init__(self, groups: ProcedureGroups) -> None:
        self.group_of = groups.by_code
        self.sums: pa.Table | None = None

    def read(
        self,
        path: Path,
        header: list[str],
        columns: Mapping[str, str],
        stats: Stream,
        progress: ProgressFn | None = None,
    ) -> None:
        """Aggregate the file; counts rows, malformed rows and skipped rows in ``stats``."""
        sql = aggregate_sql(duck.csv_source(path, header), columns, self.group_of)
        with duck.connect() as con:
            result = duck.run(con, sql, path.stat().st_size, progress)
            stats.malformed += duck.malformed(con)
        stats.rows += int(pc.sum(result.column("n")).as_py() or 0)
        kept = result.filter(pc.is_valid(result.column("gid")))
        bad = int(pc.sum(kept.column("bad")).as_py() or 0)
        if bad:
            stats.skipped["count not a number"] += bad
        valid = kept.column("valid")
        invalid_rows = pc.sum(pc.filter(pc.subtract(kept["n"], kept["bad"]), pc.invert(valid)))
        if invalid_rows.as_py():
            stats.skipped["invalid NPI"] += int(invalid_rows.as_py())
        # A group whose every row was skipped as not a number has nothing to keep.
        keep = pc.and_(valid, pc.greater(pc.subtract(kept["n"], kept["bad"]), 0))
        self.sums = kept.filter(keep).sort_by([("npi", "ascending"), ("gid", "ascending")])

    def kept(self) -> int:
        return 0 if self.sums is None else self.sums.num_rows

    def close(self) -> None:
        """Nothing to release: DuckDB closed after the aggregation."""

    def tables(self, generation: int) -> Iterator[tuple[str, dict[str, Any]]]:
        if self.sums is None or not self.sums.num_rows:
            return
        n = self.sums.num_rows
        yield (
            "cms_procedures",
            {
                "generation": pa.array([generation] * n, pa.int32()),
                "npi": self.sums["npi"],
                "group_id": self.sums["gid"],
                "services": pc.round(self.sums["services"], 1),
                # Beneficiaries summed over codes can count a person twice: an upper bound.
                "beneficiaries": pc.cast(pc.floor(self.sums["benes"]), pa.int64()),
            },
        )
