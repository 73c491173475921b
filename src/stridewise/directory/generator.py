"""A deterministic generator of synthetic NPPES monthly files.

The output looks like the real ``npidata_pfile``: the 330-column June 2025 header, every field
double-quoted, LF line ends, 10-digit NPIs with a valid Luhn check digit, 9-digit ZIP+4 postal
codes, real ZIPs (from the ``zipcodes`` package) and real NUCC taxonomy codes. Every person and
organisation name contains the word SYNTHETIC, so no one can mistake a row for a real provider.

Providers are spread over standard ZIPs with a weight of ``1 / (1 + land area in sq mi) ** 0.5``
(Census ZCTA areas): we ship no population figures, and a ZIP's land area is a usable inverse
proxy for its population density, so dense cities get many providers and rural ZIPs few.

The mix is roughly the real file's: about ``relevant_share`` of rows carry a runner-relevant
taxonomy (default 0.15; with secondary codes about a fifth of rows are kept, as in the real
file), ``deactivated_share`` are deactivated (only NPI and date filled), and the rest
are nurses, pharmacies, dentists and so on, which the importer must skip. The same seed and
arguments always produce the same bytes.
"""

from __future__ import annotations

import bisect
import csv
import gzip
import random
from collections.abc import Iterator, Sequence
from importlib import resources
from itertools import accumulate
from pathlib import Path
from typing import TextIO

from stridewise.directory.geocode import zip_records
from stridewise.directory.importing import nppes_columns as col

# Relative frequency of each runner-relevant code among relevant rows, and its credential.
RELEVANT_CODES: list[tuple[str, float, str]] = [
    ("225100000X", 20, "PT, DPT"),
    ("2251S0007X", 2, "PT, DPT, SCS"),
    ("2251X0800X", 3, "DPT, OCS"),
    ("225200000X", 6, "PTA"),
    ("261QP2000X", 1.5, ""),
    ("261QR0400X", 1, ""),
    ("207Q00000X", 12, "MD"),
    ("207R00000X", 12, "MD"),
    ("363LF0000X", 10, "FNP-C"),
    ("363A00000X", 5, "PA-C"),
    ("208000000X", 4, "MD"),
    ("111N00000X", 6, "DC"),
    ("111NS0005X", 0.6, "DC, CCSP"),
    ("225700000X", 5, "LMT"),
    ("213E00000X", 1.4, "DPM"),
    ("213ES0103X", 0.3, "DPM, FACFAS"),
    ("213ES0000X", 0.15, "DPM"),
    ("261QP1100X", 0.1, ""),
    ("207X00000X", 1.8, "MD"),
    ("207XX0004X", 0.2, "MD"),
    ("207XX0005X", 0.4, "MD"),
    ("207QS0010X", 0.4, "MD"),
    ("2081S0010X", 0.15, "DO"),
    ("208100000X", 0.9, "MD"),
    ("2255A2300X", 1.2, "ATC"),
    ("224L00000X", 0.1, "CPed"),
    ("222Z00000X", 0.2, "CO"),
    ("335E00000X", 0.3, ""),
    ("261QU0200X", 0.8, ""),
    ("282N00000X", 0.4, ""),
    ("207P00000X", 2.5, "MD"),
    ("2084N0400X", 1.0, "MD"),
    ("207RR0500X", 0.5, "MD"),
    ("2086S0129X", 0.3, "MD"),
    ("207RC0000X", 1.5, "MD"),
]
OTHER_CODES: list[tuple[str, float, str]] = [
    ("163W00000X", 25, "RN"),
    ("183500000X", 8, "PHARMD"),
    ("1041C0700X", 6, "LCSW"),
    ("3336C0003X", 3, ""),
    ("106H00000X", 2, "LMFT"),
    ("390200000X", 5, ""),
    ("122300000X", 6, "DDS"),
    ("367500000X", 2, "CRNA"),
    ("207L00000X", 2, "MD"),
    ("2085R0202X", 2, "MD"),
    ("207V00000X", 2, "MD"),
    ("101YM0800X", 5, "LPC"),
    ("152W00000X", 2, "OD"),
    ("235Z00000X", 3, "CCC-SLP"),
    ("332B00000X", 2, ""),
    ("251E00000X", 2, ""),
    ("2084P0800X", 2, "MD"),
    ("103T00000X", 4, "PHD"),
]
SPORTS_EXTRA = {
    "225100000X": "2251S0007X",
    "111N00000X": "111NS0005X",
    "213E00000X": "213ES0000X",
    "207Q00000X": "207QS0010X",
    "207X00000X": "207XX0005X",
}
FIRST = [
    "ALEX",
    "JORDAN",
    "TAYLOR",
    "MORGAN",
    "CASEY",
    "RILEY",
    "AVERY",
    "QUINN",
    "JAMIE",
    "DREW",
    "ROWAN",
    "SAGE",
    "EMERY",
    "HAYDEN",
    "PARKER",
    "REESE",
    "SKYLER",
    "DAKOTA",
]
WORDS = [
    "ALDER",
    "BIRCH",
    "CEDAR",
    "ASPEN",
    "MAPLE",
    "WILLOW",
    "SPRUCE",
    "HAZEL",
    "LARCH",
    "ROWAN",
    "JUNIPER",
    "SEQUOIA",
    "HEMLOCK",
    "POPLAR",
    "CYPRESS",
    "LINDEN",
    "OAK",
    "ELM",
]
STREETS = ["MAIN", "OAK", "PARK", "RIVER", "LAKE", "HILL", "MILL", "CHURCH", "MARKET", "UNION"]
ORG_KINDS = ["CLINIC LLC", "HEALTH PC", "CARE GROUP", "THERAPY INC", "MEDICAL ASSOCIATES"]


def luhn_npi(body9: int) -> str:
    """A 10-digit NPI: nine digits plus the Luhn check digit over the '80840' prefix."""
    digits = f"80840{body9:09d}"
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:  # rightmost payload digit is doubled (check digit not yet appended)
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return f"{body9:09d}{(10 - total % 10) % 10}"


def header_line() -> str:
    """The June 2025 330-column header, byte-for-byte as CMS writes it (without the newline)."""
    path = resources.files("stridewise.directory") / "data" / "nppes_header.csv"
    return path.read_text(encoding="latin-1").rstrip("\r\n")


def _zip_weights() -> tuple[list[dict[str, object]], list[float]]:
    area: dict[str, float] = {}
    gaz = resources.files("stridewise.directory") / "data" / "Gaz_zcta_national.txt.gz"
    with gzip.open(str(gaz), "rt", encoding="latin-1") as fh:
        next(fh)
        for line in fh:
            p = line.split("\t")
            if len(p) >= 7 and p[0].strip():
                area[p[0].strip()] = float(p[3])
    zips = [
        z
        for z in zip_records()
        if z["zip_code_type"] == "STANDARD" and z["active"] and z["lat"] and z["zip_code"] in area
    ]
    zips.sort(key=lambda z: str(z["zip_code"]))
    weights = [1.0 / (1.0 + area[str(z["zip_code"])]) ** 0.5 for z in zips]
    return zips, weights


class _Picker:
    """Weighted choice by bisection over cumulative weights (fast and deterministic)."""

    def __init__(self, items: list[tuple[str, float, str]]) -> None:
        self.items = items
        self.cum = list(accumulate(w for _, w, _ in items))

    def pick(self, rng: random.Random) -> tuple[str, float, str]:
        return self.items[bisect.bisect(self.cum, rng.random() * self.cum[-1])]


def generate_rows(
    rows: int,
    seed: int = 1,
    relevant_share: float = 0.15,
    deactivated_share: float = 0.03,
    exclude_npis: frozenset[str] = frozenset(),
    placements: Sequence[tuple[str, str]] = (),
) -> Iterator[str]:
    """Yield ``rows`` CSV lines (each ending in LF), header not included. The first rows get
    the (taxonomy code, ZIP) pairs of ``placements``, active (the demo places every provider
    type in every large metro this way)."""
    rng = random.Random(seed)
    zips, weights = _zip_weights()
    by_zip = {str(z["zip_code"]): z for z in zips}
    zcum = list(accumulate(weights))
    relevant, other = _Picker(RELEVANT_CODES), _Picker(OTHER_CODES)
    header = next(csv.reader([header_line()]))
    idx = {name: i for i, name in enumerate(header)}
    width = len(header)
    i_npi, i_ent, i_deact = idx[col.NPI], idx[col.ENTITY_TYPE], idx[col.DEACTIVATION_DATE]
    tax_i = [idx[col.taxonomy_code(k)] for k in range(1, 4)]
    sw_i = [idx[col.primary_switch(k)] for k in range(1, 4)]
    lic_i = [idx[f"Provider License Number_{k}"] for k in range(1, 4)]
    lst_i = [idx[f"Provider License Number State Code_{k}"] for k in range(1, 4)]
    addr = [idx[c] for c in (col.ADDRESS1, col.ADDRESS2, col.CITY, col.STATE, col.POSTAL)]
    mail = [
        idx[c]
        for c in (
            "Provider First Line Business Mailing Address",
            "Provider Second Line Business Mailing Address",
            "Provider Business Mailing Address City Name",
            "Provider Business Mailing Address State Name",
            "Provider Business Mailing Address Postal Code",
        )
    ]
    i_country = idx[col.COUNTRY]
    i_mcountry = idx["Provider Business Mailing Address Country Code (If outside U.S.)"]
    i_phone = idx[col.PHONE]
    i_enum, i_upd, i_sex = (
        idx["Provider Enumeration Date"],
        idx[col.LAST_UPDATE],
        idx[col.SEX],
    )
    i_org, i_last, i_first = idx[col.ORG_NAME], idx[col.LAST_NAME], idx[col.FIRST_NAME]
    i_cred = idx[col.CREDENTIAL]
    i_sole = idx["Is Sole Proprietor"]
    i_sub = idx["Is Organization Subpart"]
    empty = [""] * width
    # Real NPIs start with 1 or 2; keep bodies in 1xxxxxxxx so ours look the same.
    body = (seed % 50) * 1_000_000
    for n in range(rows):
        body += 1 + (n % 3)
        npi = luhn_npi(100_000_000 + body)
        if npi in exclude_npis:
            body += 1
            npi = luhn_npi(100_000_000 + body)
        f = empty.copy()
        f[i_npi] = npi
        placed = placements[n] if n < len(placements) else None
        if placed is None and rng.random() < deactivated_share:
            f[i_deact] = (
                f"{rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}/20{rng.randint(10, 24)}"
            )
            yield '"' + '","'.join(f) + '"\n'
            continue
        code, _, cred = (relevant if rng.random() < relevant_share else other).pick(rng)
        z = zips[bisect.bisect(zcum, rng.random() * zcum[-1])]
        if placed is not None:
            code, z = placed[0], by_zip.get(placed[1], z)
            cred = next((c for k, _, c in RELEVANT_CODES if k == code), "MD")
        is_org = code.startswith(("261Q", "282N", "3336", "332B", "251E", "335E"))
        zip9 = f"{z['zip_code']}{rng.randint(1000, 9999)}"
        street = f"{rng.randint(1, 9999)} SYNTHETIC {rng.choice(STREETS)} ST"
        suite = f"SUITE {rng.randint(100, 999)}" if rng.random() < 0.3 else ""
        city, state = str(z["city"]).upper(), str(z["state"])
        area_codes = z["area_codes"] or ["555"]
        phone = f"{rng.choice(area_codes)}{rng.randint(2000000, 9999999)}"  # type: ignore[arg-type]
        word = rng.choice(WORDS)
        f[i_ent] = "2" if is_org else "1"
        if is_org:
            f[i_org] = f"SYNTHETIC {word} {rng.choice(ORG_KINDS)}"
            if rng.random() < 0.02:  # exercise the quoting: embedded quotes and commas
                f[i_org] = f'SYNTHETIC ""{word}"" CARE, LLC'
            f[i_sub] = "N"
        else:
            f[i_last] = f"{word}-SYNTHETIC"
            f[i_first] = rng.choice(FIRST)
            f[i_cred] = cred
            f[i_sex] = rng.choice("MF")
            f[i_sole] = rng.choice("NNY")
        for k, v in enumerate((street, suite, city, state, zip9)):
            f[addr[k]] = v
            f[mail[k]] = v
        f[i_country] = f[i_mcountry] = "US"
        f[i_phone] = phone
        f[i_enum] = f"{rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}/20{rng.randint(5, 24):02d}"
        f[i_upd] = f"{rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}/2025"
        codes = [code]
        r = rng.random()
        if code in SPORTS_EXTRA and r < 0.12:
            codes.append(SPORTS_EXTRA[code])
        elif r < 0.25:
            codes.append((relevant if rng.random() < 0.5 else other).pick(rng)[0])
        primary = rng.randrange(len(codes)) if len(codes) > 1 and rng.random() < 0.3 else 0
        for k, c in enumerate(codes):
            f[tax_i[k]] = c
            f[sw_i[k]] = "Y" if k == primary else "N"
            if not is_org:
                f[lic_i[k]] = f"SYN{rng.randint(10000, 99999)}"
                f[lst_i[k]] = state
        yield '"' + '","'.join(f) + '"\n'


def write_file(
    path: Path,
    rows: int,
    seed: int = 1,
    relevant_share: float = 0.15,
    exclude_npis: frozenset[str] = frozenset(),
    placements: Sequence[tuple[str, str]] = (),
) -> int:
    """Write a full synthetic NPPES file (header + ``rows`` rows); return its size in bytes."""
    with path.open("w", encoding="latin-1", newline="") as out:
        return _write(out, rows, seed, relevant_share, exclude_npis, placements)


def _write(
    out: TextIO,
    rows: int,
    seed: int,
    relevant_share: float,
    exclude_npis: frozenset[str],
    placements: Sequence[tuple[str, str]] = (),
) -> int:
    out.write(header_line() + "\n")
    buf: list[str] = []
    for line in generate_rows(
        rows, seed, relevant_share, exclude_npis=exclude_npis, placements=placements
    ):
        buf.append(line)
        if len(buf) >= 5000:
            out.write("".join(buf))
            buf.clear()
    out.write("".join(buf))
    return out.tell()
