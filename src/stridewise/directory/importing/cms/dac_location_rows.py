"""Which DAC practice addresses become locations of a directory generation, computed set-wise.

:mod:`.dac_locations` states the rule; this module applies it to whole columns at once, so a
national refresh (about two million DAC addresses against a million directory providers) costs
seconds of vectorised work instead of a Python loop of several string operations per row.

The rule, per provider, walking its DAC addresses by ``seq``: an address whose street key
(street line upper-cased, dots dropped, commas as spaces, runs of spaces as one; and the ZIP's
first five characters) is one of the provider's register addresses or of an address already
taken is ``same_address``; one whose ZIP has no centroid is ``zip_not_found``; any other becomes
a location at its ZIP's centroid, and gets search rows (is ``indexed``) unless that point is
already one of the provider's register points or of a location already taken. Walking order
only matters among rows of the same provider and street key (they share the ZIP, so all or none
of them have a centroid: the first is taken, the rest are ``same_address``) and among taken rows
at the same point (the first is indexed), so both become "first by ``seq`` in its group"
(window functions in DuckDB).

The text rules are Python's own (``str.upper``, ``str.split``, ``str.title``,
:func:`.rows_reference.format_phone`, :func:`.rows_reference.format_postal`): the stored rows
must stay exactly those the row-at-a-time rule wrote. Arrow's ASCII kernels agree with them on
printable ASCII (tested), which is nearly every row of the CMS and NPPES files; a row with any
other character takes the Python functions themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from stridewise.directory.geocode import gazetteer
from stridewise.directory.importing.cms.duck import MAX_THREADS
from stridewise.directory.importing.rows_reference import format_phone, format_postal
from stridewise.directory.index_keys import CELLS_PER_DEGREE

#: DAC-derived locations have ``seq`` (and search rows ``loc``) above this.
SEQ_BASE = 1000
#: Columns of a DAC address as read from ``cms_locations``.
DAC_COLUMNS = ("npi", "seq", "address1", "address2", "city", "state", "postal_code", "phone")
#: Columns of a provider's register address (primary or NPPES secondary) as read.
KNOWN_COLUMNS = ("npi", "address1", "postal_code", "lat", "lon")
#: Columns of a new ``directory_locations`` row, minus ``generation`` (the caller's).
LOCATION_OUT = ("npi", "seq", "address1", "address2", "city", "state", "postal_code", "phone",
                "lat", "lon")  # fmt: skip
COUNTS = ("locations", "indexed", "same_address", "zip_not_found", "not_in_directory")
_PLAIN = "^[ -~]*$"  # printable ASCII: where Arrow's ASCII kernels and Python's agree


def street(line: str) -> str:
    """The street line of an address as compared, the Python definition."""
    return " ".join(line.upper().replace(".", "").replace(",", " ").split())


def _zip5(postal: str) -> str | None:
    return postal[:5] if len(postal) >= 5 and postal[:5].isdigit() else None


def _plain_mask(columns: list[pa.Array]) -> pa.Array:
    mask = pc.match_substring_regex(columns[0], _PLAIN)
    for col in columns[1:]:
        mask = pc.and_(mask, pc.match_substring_regex(col, _PLAIN))
    return pc.fill_null(mask, False)


def _street_arrow(line: pa.Array) -> pa.Array:
    upper = pc.ascii_upper(line)
    spaced = pc.replace_substring(pc.replace_substring(upper, ".", ""), ",", " ")
    return pc.ascii_trim(pc.replace_substring_regex(spaced, " +", " "), " ")


def _zip5_arrow(postal: pa.Array) -> pa.Array:
    five = pc.utf8_slice_codeunits(postal, 0, 5)
    none = pa.scalar(None, pa.string())
    return pc.if_else(pc.match_substring_regex(postal, "^[0-9]{5}"), five, none)


def _postal_arrow(postal: pa.Array) -> pa.Array:
    nine = pc.match_substring_regex(postal, "^[0-9]{9}$")
    dashed = pc.binary_join_element_wise(
        pc.utf8_slice_codeunits(postal, 0, 5), pc.utf8_slice_codeunits(postal, 5, 9), "-"
    )
    return pc.if_else(nine, dashed, postal)


def _phone_arrow(phone: pa.Array) -> pa.Array:
    digits = pc.replace_substring_regex(phone, "[^0-9]", "")
    part = [pc.utf8_slice_codeunits(digits, a, b) for a, b in ((0, 3), (3, 6), (6, 10))]
    pretty = pc.binary_join_element_wise("(", part[0], ") ", part[1], "-", part[2], "")
    return pc.if_else(pc.equal(pc.utf8_length(digits), 10), pretty, phone)


def _derive(
    table: pa.Table,
    plain_columns: tuple[str, ...],
    arrow_rules: Mapping[str, Callable[[pa.Table], pa.Array]],
    python_rules: Mapping[str, Callable[[dict[str, object]], object]],
) -> pa.Table:
    """``table`` with the derived columns added: Arrow's rules for rows whose ``plain_columns``
    are all printable ASCII, Python's for the rest (usually none)."""
    if table.num_rows == 0:
        types = {name: rule(table).type for name, rule in arrow_rules.items()}
        return pa.Table.from_arrays(
            [*table.columns, *(pa.array([], t) for t in types.values())],
            names=[*table.column_names, *types],
        )
    mask = _plain_mask([table.column(c) for c in plain_columns])
    plain = table.filter(mask)
    out = plain
    for name, rule in arrow_rules.items():
        out = out.append_column(name, rule(plain))
    other = table.filter(pc.invert(mask))
    if other.num_rows == 0:
        return out
    records = other.to_pylist()
    extra = other
    for name, rule in python_rules.items():
        values = pa.array([rule(r) for r in records], out.schema.field(name).type)
        extra = extra.append_column(name, values)
    return pa.concat_tables([out, extra])


def _text(record: Mapping[str, object], column: str) -> str:
    return str(record[column])


def derive_dac(table: pa.Table) -> pa.Table:
    """DAC addresses with their street key, ZIP5 and the stored text of a location."""
    return _derive(
        table,
        ("address1", "address2", "city", "postal_code", "phone"),
        {
            "street": lambda t: _street_arrow(t["address1"]),
            "zip_key": lambda t: pc.utf8_slice_codeunits(t["postal_code"], 0, 5),
            "zip5": lambda t: _zip5_arrow(t["postal_code"]),
            "a1": lambda t: pc.ascii_title(t["address1"]),
            "a2": lambda t: pc.ascii_title(t["address2"]),
            "city_t": lambda t: pc.ascii_title(t["city"]),
            "postal_f": lambda t: _postal_arrow(t["postal_code"]),
            "phone_f": lambda t: _phone_arrow(t["phone"]),
        },
        {
            "street": lambda r: street(_text(r, "address1")),
            "zip_key": lambda r: _text(r, "postal_code")[:5],
            "zip5": lambda r: _zip5(_text(r, "postal_code")),
            "a1": lambda r: _text(r, "address1").title(),
            "a2": lambda r: _text(r, "address2").title(),
            "city_t": lambda r: _text(r, "city").title(),
            "postal_f": lambda r: format_postal(_text(r, "postal_code")),
            "phone_f": lambda r: format_phone(_text(r, "phone")),
        },
    )


def derive_known(table: pa.Table) -> pa.Table:
    """Register addresses with their street key."""
    return _derive(
        table,
        ("address1", "postal_code"),
        {
            "street": lambda t: _street_arrow(t["address1"]),
            "zip_key": lambda t: pc.utf8_slice_codeunits(t["postal_code"], 0, 5),
        },
        {
            "street": lambda r: street(_text(r, "address1")),
            "zip_key": lambda r: _text(r, "postal_code")[:5],
        },
    )


@lru_cache(maxsize=1)
def zip_table() -> pa.Table:
    """Every ZIP with a centroid (:func:`.geocode.zip_point`'s), as (zip5, lat, lon)."""
    zips = {z: p for z, p in gazetteer().zips.items() if len(z) == 5 and z.isdigit()}
    return pa.table(
        {
            "zip5": pa.array(list(zips), pa.string()),
            "lat": pa.array([p.lat for p in zips.values()], pa.float64()),
            "lon": pa.array([p.lon for p in zips.values()], pa.float64()),
        }
    )


_CLASSIFY = """
    CREATE TEMP TABLE classified AS
    SELECT d.i, d.npi, d.seq, z.lat, z.lon,
           CASE WHEN k.npi IS NOT NULL THEN 'same_address'
                WHEN z.zip5 IS NULL THEN 'zip_not_found'
                WHEN row_number() OVER (PARTITION BY d.npi, d.street, d.zip_key
                                        ORDER BY d.seq) > 1 THEN 'same_address'
                ELSE 'taken' END AS status
    FROM dac d
    LEFT JOIN (SELECT DISTINCT npi, street, zip_key FROM known) k
        ON k.npi = d.npi AND k.street = d.street AND k.zip_key = d.zip_key
    LEFT JOIN zips z ON z.zip5 = d.zip5
"""
_TAKEN = """
    SELECT c.i, c.lat, c.lon,
           p.npi IS NULL AND row_number() OVER (PARTITION BY c.npi, c.lat, c.lon
                                                ORDER BY c.seq) = 1 AS indexed
    FROM classified c
    LEFT JOIN (SELECT DISTINCT npi, lat, lon FROM known) p
        ON p.npi = c.npi AND p.lat = c.lat AND p.lon = c.lon
    WHERE c.status = 'taken'
    ORDER BY c.npi, c.seq
"""


def compute(dac: pa.Table, known: pa.Table) -> tuple[pa.Table, dict[str, int]]:
    """(new locations, counts) for ``dac`` (:data:`DAC_COLUMNS`, only NPIs of the directory)
    against ``known`` (:data:`KNOWN_COLUMNS`, those NPIs' register addresses). The locations
    have :data:`LOCATION_OUT` and, for their search rows, ``cell`` and ``indexed``.
    ``not_in_directory`` is the caller's to fill in."""
    derived = derive_dac(dac)
    derived = derived.append_column("i", pa.array(range(derived.num_rows), pa.int64()))
    con = duckdb.connect()
    try:
        con.execute(f"SET threads = {MAX_THREADS}")
        con.register("dac", derived.select(["i", "npi", "seq", "street", "zip_key", "zip5"]))
        con.register("known", derive_known(known))
        con.register("zips", zip_table())
        con.execute(_CLASSIFY)
        sql = "SELECT status, COUNT(*) FROM classified GROUP BY status"
        statuses = dict(con.execute(sql).fetchall())
        taken = con.sql(_TAKEN).to_arrow_table()
    finally:
        con.close()
    rows = derived.take(taken["i"])
    locations = pa.table(
        {
            "npi": rows["npi"],
            "seq": pc.cast(pc.add(rows["seq"], SEQ_BASE), pa.int16()),
            "address1": rows["a1"],
            "address2": rows["a2"],
            "city": rows["city_t"],
            "state": rows["state"],
            "postal_code": rows["postal_f"],
            "phone": rows["phone_f"],
            "lat": taken["lat"],
            "lon": taken["lon"],
        }
    )
    cells = pc.cast(pc.floor(pc.multiply(taken["lon"], float(CELLS_PER_DEGREE))), pa.int32())
    locations = locations.append_column("cell", cells).append_column("indexed", taken["indexed"])
    counts = {name: int(statuses.get(name, 0)) for name in COUNTS}
    counts["locations"] = locations.num_rows
    counts["indexed"] = pc.sum(taken["indexed"]).as_py() or 0
    return locations, counts
