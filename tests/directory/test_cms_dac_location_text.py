"""The column-wise text rules of the DAC location refresh (Arrow's ASCII kernels on printable
ASCII, Python's own functions on anything else) give exactly what Python's ``str.upper``,
``str.split``, ``str.title`` and the phone and ZIP formatters give, on random text."""

from __future__ import annotations

import random

import pyarrow as pa

from stridewise.directory.importing.cms.dac_location_rows import (
    DAC_COLUMNS,
    derive_dac,
    derive_known,
    street,
)
from stridewise.directory.importing.rows_reference import format_phone, format_postal

# Printable ASCII, weighted towards what addresses hold, and characters where the rules differ
# between libraries: other whitespace, ß, ligatures, full-width and Arabic-Indic digits.
ASCII = [chr(c) for c in range(32, 127)] + list("     ..,,0123456789aA'-")
OTHER = list("\t\n\x0b\x0c\x1c\x85\xa0\u2003ßŉǅﬁÉé’\uff11\u0663İı")


def _text(rng: random.Random, other: bool) -> str:
    pool = ASCII + OTHER if other else ASCII
    return "".join(rng.choice(pool) for _ in range(rng.randint(0, 14)))


def _table(n: int, seed: int) -> pa.Table:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        other = rng.random() < 0.2
        digits = "".join(rng.choice("0123456789") for _ in range(rng.choice((3, 5, 9, 10, 11))))
        postal = digits if rng.random() < 0.6 else _text(rng, other)
        phone = digits if rng.random() < 0.3 else _text(rng, other) + digits
        rows.append(
            (f"{i:010d}", i % 20 + 1, _text(rng, other), _text(rng, other),
             _text(rng, other), "OR", postal, phone)
        )  # fmt: skip
    columns = list(zip(*rows, strict=True))
    return pa.table({c: pa.array(v) for c, v in zip(DAC_COLUMNS, columns, strict=True)})


def test_text_rules_equal_python_on_random_text() -> None:
    table = _table(20_000, seed=5)
    out = {r["npi"]: r for r in derive_dac(table).to_pylist()}
    assert len(out) == table.num_rows
    non_ascii = 0
    for r in table.to_pylist():
        got = out[r["npi"]]
        a1, postal, phone = r["address1"], r["postal_code"], r["phone"]
        non_ascii += not (a1 + r["address2"] + r["city"] + postal + phone).isascii()
        assert (
            got["street"]
            == street(a1)
            == " ".join(a1.upper().replace(".", "").replace(",", " ").split())
        )
        assert got["zip_key"] == postal[:5]
        assert got["zip5"] == (postal[:5] if len(postal) >= 5 and postal[:5].isdigit() else None)
        assert (got["a1"], got["a2"], got["city_t"]) == (
            a1.title(), r["address2"].title(), r["city"].title()
        )  # fmt: skip
        assert got["postal_f"] == format_postal(postal)
        assert got["phone_f"] == format_phone(phone)
    assert non_ascii > 2000  # both paths were exercised


def test_register_street_keys_equal_python() -> None:
    table = _table(5_000, seed=8).select(["npi", "address1", "postal_code"])
    for r in derive_known(table).to_pylist():
        assert r["street"] == street(r["address1"])
        assert r["zip_key"] == r["postal_code"][:5]
