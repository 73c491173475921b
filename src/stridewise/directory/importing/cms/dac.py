"""The Doctors and Clinicians national downloadable file (``DAC_NationalDownloadableFile.csv``,
31 columns, about 2.6 million rows and 650 MB; several rows per NPI: one per enrollment, group
and address). Rows fold per NPI: specialties, telehealth, Medicare assignment, group names, and
every distinct practice address as a location.

The fold runs in DuckDB (:mod:`.duck`): one parallel pass copies the wanted columns, trimmed,
into a table of DuckDB's own on-disk scratch database; then two ``GROUP BY`` queries fold it.
Every order is by content, never by file position (the threads split the file, and keeping
file order cost about 40% more time), so the same rows in any order give the same result:
primary specialties first, then secondary ones, each alphabetically; group names
alphabetically; addresses by ZIP then street (``seq`` 1, 2, ...); the smallest medical school
name and graduation year given when rows disagree. Only the folded rows reach Python, as Arrow.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from stridewise.directory.importing.cms import duck
from stridewise.directory.importing.cms.stream import ProgressFn, Stream

COLUMNS = {
    "npi": ("NPI",),
    "pri_spec": ("pri_spec", "Primary specialty"),
    "sec_spec_all": ("sec_spec_all", "All secondary specialties"),
    "telehealth": ("Telehlth", "Telehealth"),
    "facility": ("Facility Name", "org_nm"),
    "adr1": ("adr_ln_1", "Line 1 Street Address"),
    "adr2": ("adr_ln_2", "Line 2 Street Address"),
    "city": ("City/Town", "cty", "City"),
    "state": ("State", "st"),
    "zip": ("ZIP Code", "zip"),
    "phone": ("Telephone Number", "phn_numbr"),
    "assignment": ("ind_assgn", "Clinician accepts Medicare Assignment"),
    "med_sch": ("Med_sch", "Medical school name"),
    "grd_yr": ("Grd_yr", "Graduation year"),
}
MAX_SPECIALTIES = 8
MAX_GROUPS = 5
MAX_LOCATIONS = 20


def _load_sql(source: str, c: Mapping[str, str]) -> str:
    t = duck.text
    return f"""
        CREATE TABLE dac AS
        SELECT {t(c["npi"])} AS npi, {duck.luhn(t(c["npi"]))} AS valid,
               upper({t(c["pri_spec"])}) AS pri, upper({t(c["sec_spec_all"])}) AS sec,
               upper({t(c["telehealth"])}) = 'Y' AS tele,
               upper({t(c["assignment"])}) = 'Y' AS assign,
               {t(c["facility"])} AS grp, {t(c["med_sch"])} AS school,
               TRY_CAST({t(c["grd_yr"])} AS INTEGER) AS yr,
               upper({t(c["adr1"])}) AS a1, upper({t(c["adr2"])}) AS a2,
               upper({t(c["city"])}) AS city, upper({t(c["state"])}) AS st,
               upper({t(c["zip"])}) AS zip, {t(c["phone"])} AS phone
        FROM {source}
    """


_CLINICIANS = f"""
    WITH ok AS (SELECT * FROM dac WHERE valid),
    specs AS (
        SELECT npi, spec, min(secondary) AS secondary
        FROM (SELECT npi, pri AS spec, 0 AS secondary FROM ok
              UNION ALL
              SELECT npi, trim(unnest(string_split(sec, ','))) AS spec, 1 AS secondary FROM ok)
        WHERE spec <> '' GROUP BY npi, spec
    ),
    spec_lists AS (
        SELECT npi, list_slice(list(spec ORDER BY secondary, spec), 1, {MAX_SPECIALTIES}) AS specs
        FROM specs GROUP BY npi
    ),
    groups AS (
        SELECT npi, list_slice(list(grp ORDER BY grp), 1, {MAX_GROUPS}) AS groups
        FROM (SELECT DISTINCT npi, grp FROM ok WHERE grp <> '') GROUP BY npi
    ),
    base AS (
        SELECT npi, bool_or(tele) AS telehealth, bool_or(assign) AS assignment,
               min(school) FILTER (WHERE school <> '') AS school,
               min(yr) FILTER (WHERE yr > 1900 AND yr < 2100) AS yr
        FROM ok GROUP BY npi
    )
    SELECT b.npi,
           left(array_to_string(coalesce(s.specs, []), ' | '), 400) AS specialties,
           coalesce(list_bool_or([x LIKE '%SPORTS%' FOR x IN s.specs]), false)
               AS sports_specialty,
           b.telehealth, b.assignment,
           array_to_string(coalesce(g.groups, []), ' | ') AS groups,
           left(coalesce(b.school, ''), 200) AS med_school,
           coalesce(b.yr, 0) AS grad_year
    FROM base b LEFT JOIN spec_lists s USING (npi) LEFT JOIN groups g USING (npi)
    ORDER BY b.npi
"""

_LOCATIONS = f"""
    SELECT npi, seq, left(grp, 200) AS group_name, left(a1, 200) AS address1,
           left(a2, 200) AS address2, left(city, 100) AS city, left(st, 40) AS state,
           left(zip, 20) AS postal_code, left(phone, 30) AS phone
    FROM (
        SELECT *, row_number() OVER (PARTITION BY npi ORDER BY zip, a1, a2, city, st) AS seq
        FROM (SELECT npi, a1, a2, city, st, zip,
                     coalesce(min(grp) FILTER (WHERE grp <> ''), '') AS grp,
                     coalesce(min(phone) FILTER (WHERE phone <> ''), '') AS phone
              FROM dac WHERE valid AND a1 <> '' GROUP BY npi, a1, a2, city, st, zip)
    )
    WHERE seq <= {MAX_LOCATIONS}
    ORDER BY npi, seq
"""


class DacFolder:
    """Folds in a DuckDB scratch database that stays open until :meth:`close`, so
    :meth:`tables` streams the folded rows in batches (the national file folds to about a
    million clinicians and two million addresses: held whole as Arrow they alone would be
    several hundred MB)."""

    columns = COLUMNS
    BATCH_ROWS = 100_000

    def __init__(self) -> None:
        self._duck: contextlib.ExitStack | None = None
        self._con: Any = None
        self._kept = 0

    def read(
        self,
        path: Path,
        header: list[str],
        columns: Mapping[str, str],
        stats: Stream,
        progress: ProgressFn | None = None,
    ) -> None:
        """Fold the file; counts rows, malformed rows and invalid NPIs in ``stats``."""
        self.close()
        self._duck = contextlib.ExitStack()
        con = self._con = self._duck.enter_context(duck.connect())
        source = duck.csv_source(path, header)
        duck.execute(con, _load_sql(source, columns), path.stat().st_size, progress)
        stats.malformed += duck.malformed(con)
        sql = "SELECT COUNT(*), COUNT(*) FILTER (WHERE NOT valid) FROM dac"
        total, invalid = con.execute(sql).fetchall()[0]
        stats.rows += int(total)
        if invalid:
            stats.skipped["invalid NPI"] += int(invalid)
        con.execute(f"CREATE TABLE clinicians AS {_CLINICIANS}").fetchall()
        con.execute(f"CREATE TABLE locations AS {_LOCATIONS}").fetchall()
        con.execute("DROP TABLE dac").fetchall()
        self._kept = int(con.execute("SELECT COUNT(*) FROM clinicians").fetchall()[0][0])

    def kept(self) -> int:
        return self._kept

    def tables(self, generation: int) -> Iterator[tuple[str, Mapping[str, Any]]]:
        if self._con is None:
            return
        for name, table in (("cms_clinicians", "clinicians"), ("cms_locations", "locations")):
            reader = self._con.sql(f"SELECT * FROM {table}").to_arrow_reader(self.BATCH_ROWS)
            for batch in reader:
                columns: dict[str, Any] = {c: batch.column(c) for c in batch.schema.names}
                columns["generation"] = pa.array([generation] * batch.num_rows, pa.int32())
                if "seq" in columns:
                    columns["seq"] = pc.cast(columns["seq"], pa.int16())
                yield name, columns

    def close(self) -> None:
        """Close and delete the scratch database."""
        if self._duck is not None:
            self._duck.close()
        self._duck, self._con = None, None
