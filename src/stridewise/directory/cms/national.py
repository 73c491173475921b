"""National-size synthetic CMS files, for measuring the importers at the size of the real ones.

:mod:`.generator` writes files consistent with a synthetic directory (a few thousand NPIs, one
Python row at a time). This module writes the Doctors and Clinicians file (about 2.6 million
rows, 650 MB) and the Medicare by-provider-and-service file (about 9.8 million rows, 3.3 GB) at
their real size and shape in a minute or two: columns are built a block at a time with numpy
and Arrow and written by Arrow's CSV writer, quoting only where needed as CMS does.

What makes them realistic for an importer: every real column (29 for services, 31 for DAC),
about the real bytes per row (about 340 and 250), several rows per NPI in NPI order, long text
fields with commas (quoted), counts with decimals, and our procedure codes on about one row in
twenty, mostly for the clinician types who bill them. The descriptions are our own words (CPT
descriptions are copyrighted).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from stridewise.directory.cms.generator import DAC_HEADER
from stridewise.directory.cms.procedures import procedure_groups
from stridewise.directory.generator import luhn_npi

SERVICES_HEADER = [
    "Rndrng_NPI", "Rndrng_Prvdr_Last_Org_Name", "Rndrng_Prvdr_First_Name", "Rndrng_Prvdr_MI",
    "Rndrng_Prvdr_Crdntls", "Rndrng_Prvdr_Gndr", "Rndrng_Prvdr_Ent_Cd", "Rndrng_Prvdr_St1",
    "Rndrng_Prvdr_St2", "Rndrng_Prvdr_City", "Rndrng_Prvdr_State_Abrvtn",
    "Rndrng_Prvdr_State_FIPS", "Rndrng_Prvdr_Zip5", "Rndrng_Prvdr_RUCA",
    "Rndrng_Prvdr_RUCA_Desc", "Rndrng_Prvdr_Cntry", "Rndrng_Prvdr_Type",
    "Rndrng_Prvdr_Mdcr_Prtcptg_Ind", "HCPCS_Cd", "HCPCS_Desc", "HCPCS_Drug_Ind", "Place_Of_Srvc",
    "Tot_Benes", "Tot_Srvcs", "Tot_Bene_Day_Srvcs", "Avg_Sbmtd_Chrg", "Avg_Mdcr_Alowd_Amt",
    "Avg_Mdcr_Pymt_Amt", "Avg_Mdcr_Stdzd_Amt",
]  # fmt: skip
_LAST = ["SMITH", "JOHNSON", "WILLIAMS", "GARCIA", "NGUYEN", "O'BRIEN", "KOWALSKI",
         "VAN DER BERG", "PATEL", "MARTINEZ-LOPEZ", "OKAFOR", "JOHANSSON"]  # fmt: skip
_FIRST = ["ALEX", "JORDAN", "MARIA", "WEI", "PRIYA", "SAMUEL", "FATIMA", "KEVIN", "ANNA"]
_STREETS = ["MAIN ST", "OAK AVENUE", "N LAKESHORE DRIVE", "MEDICAL CENTER BLVD",
            "W 3RD STREET", "PARK PLACE, BUILDING 2", "UNIVERSITY AVE"]  # fmt: skip
_SUITES = ["", "", "SUITE 200", "STE 1450", "FLOOR 3", "BLDG C, SUITE 12"]
_PLACES = [("PORTLAND", "OR", "41", "97201"), ("CHICAGO", "IL", "17", "60611"),
           ("BOZEMAN", "MT", "30", "59715"), ("HOUSTON", "TX", "48", "77030"),
           ("BOSTON", "MA", "25", "02115"), ("DENVER", "CO", "08", "80218"),
           ("ATLANTA", "GA", "13", "30309"), ("SEATTLE", "WA", "53", "98104")]  # fmt: skip
_RUCA = [("1", "Metropolitan area core: primary flow within an urbanized area of 50,000 and "
          "greater"), ("4", "Micropolitan area core: primary flow within an urban cluster of "
          "10,000 to 49,999 (large UC)"), ("10", "Rural areas: primary flow to a tract outside "
          "a UA or UC")]  # fmt: skip
#: (provider type, credentials, share of its rows on our codes, the codes' group ids).
_TYPES = [
    ("Podiatry", "D.P.M.", 0.35, ["plantar_fascia", "foot_care", "orthotic_fitting",
                                  "joint_tendon_injection", "foot_ankle_fracture"]),
    ("Orthopedic Surgery", "M.D.", 0.15, ["achilles_repair", "ankle_ligament_repair",
                                          "ankle_arthroscopy", "joint_tendon_injection"]),
    ("Physical Therapist in Private Practice", "PT, DPT", 0.5,
     ["therapeutic_exercise", "gait_running_analysis"]),
    ("Family Practice", "M.D.", 0.01, ["joint_tendon_injection"]),
    ("Internal Medicine", "M.D.", 0.0, []),
    ("Diagnostic Radiology", "M.D.", 0.0, []),
    ("Nurse Practitioner", "N.P.", 0.0, []),
    ("Cardiology", "D.O.", 0.0, []),
]  # fmt: skip
_TYPE_WEIGHTS = [0.03, 0.03, 0.06, 0.15, 0.2, 0.1, 0.23, 0.2]
_OTHER_CODES = ["99213", "99214", "99203", "99204", "99232", "73630", "73610", "36415", "93000",
                "71046", "80053", "85025", "G0283", "J1100", "A9270"]  # fmt: skip
BLOCK = 200_000


def _row_blocks(per_npi: np.ndarray, rows: int) -> Iterator[np.ndarray]:
    """Row indexes into the NPI list, in blocks of about ``BLOCK`` rows: NPI ``i`` repeated
    ``per_npi[i]`` times (a block may run past ``BLOCK`` to finish an NPI), until ``rows``."""
    written, i = 0, 0
    while written < rows and i < len(per_npi):
        idx: list[int] = []
        while len(idx) < BLOCK and i < len(per_npi) and written + len(idx) < rows:
            idx.extend([i] * int(per_npi[i]))
            i += 1
        written += len(idx)
        yield np.asarray(idx)


def _npis(count: int, seed: int) -> list[str]:
    return [luhn_npi(100_000_000 + seed * 7 + i * 37) for i in range(count)]


def _pick(rng: np.random.Generator, vocab: list[str], n: int) -> pa.Array:
    return pa.array(vocab, pa.string()).take(pa.array(rng.integers(0, len(vocab), n)))


def _money(rng: np.random.Generator, n: int, scale: float) -> pa.Array:
    # CMS prints averages with up to ten decimals (e.g. 89.130434783; here six).
    return pc.cast(pa.array(np.round(rng.gamma(2.0, scale, n), 6)), pa.string())


def _write(path: Path, header: list[str], blocks: object) -> int:
    options = pacsv.WriteOptions(include_header=False, quoting_style="needed", delimiter=",")
    with path.open("wb") as fh:
        fh.write((",".join(header) + "\n").encode())
        rows = 0
        for columns in blocks:  # type: ignore[attr-defined]
            table = pa.table(dict(zip(header, columns, strict=True)))
            pacsv.write_csv(table, fh, options)
            rows += table.num_rows
    return rows


def write_services_national(path: Path, rows: int = 9_800_000, seed: int = 1) -> int:
    """Write a by-provider-and-service file of about ``rows`` rows (9 per NPI, in NPI order);
    returns the row count written."""
    rng = np.random.default_rng(seed)
    groups = procedure_groups().by_id
    npis = _npis(max(1, rows // 9), seed)
    type_of = rng.choice(len(_TYPES), size=len(npis), p=_TYPE_WEIGHTS)
    per_npi = rng.integers(1, 18, len(npis))  # 1..17 rows, about 9 on average
    ours = {t: [c for g in spec[3] for c in groups[g].codes] for t, spec in enumerate(_TYPES)}
    own_desc = {c: f"Synthetic: {g.label}, code {c}" for g in groups.values() for c in g.codes}

    def blocks() -> object:
        for who in _row_blocks(per_npi, rows):
            n = len(who)
            kind = type_of[who]
            codes = rng.choice(_OTHER_CODES, size=n).astype(object)
            share = np.array([_TYPES[k][2] for k in kind])
            mine = rng.random(n) < share
            for t in set(kind[mine].tolist()):
                sel = mine & (kind == t)
                codes[sel] = rng.choice(ours[t], size=int(sel.sum()))
            desc = [own_desc.get(c, f"Synthetic service {c}, office or outpatient") for c in codes]
            place = rng.integers(0, len(_PLACES), n)
            ruca = rng.integers(0, len(_RUCA), n)
            benes = rng.integers(11, 400, n)
            services = benes * rng.integers(1, 6, n) + np.where(rng.random(n) < 0.1, 0.5, 0.0)
            take = pa.array(who)
            yield [
                pa.array(npis, pa.string()).take(take),
                _pick(rng, _LAST, n),
                _pick(rng, _FIRST, n),
                _pick(rng, ["", "A", "J", "M"], n),
                pa.array([_TYPES[k][1] for k in kind], pa.string()),
                _pick(rng, ["M", "F"], n),
                pa.array(["I"] * n, pa.string()),
                pc.binary_join_element_wise(
                    pc.cast(pa.array(rng.integers(1, 9999, n)), pa.string()),
                    _pick(rng, _STREETS, n),
                    " ",
                ),
                _pick(rng, _SUITES, n),
                pa.array([_PLACES[p][0] for p in place], pa.string()),
                pa.array([_PLACES[p][1] for p in place], pa.string()),
                pa.array([_PLACES[p][2] for p in place], pa.string()),
                pa.array([_PLACES[p][3] for p in place], pa.string()),
                pa.array([_RUCA[r][0] for r in ruca], pa.string()),
                pa.array([_RUCA[r][1] for r in ruca], pa.string()),
                pa.array(["US"] * n, pa.string()),
                pa.array([_TYPES[k][0] for k in kind], pa.string()),
                pa.array(["Y"] * n, pa.string()),
                pa.array(codes.tolist(), pa.string()),
                pa.array(desc, pa.string()),
                pa.array(["N"] * n, pa.string()),
                _pick(rng, ["O", "O", "F"], n),
                pc.cast(pa.array(benes), pa.string()),
                pc.cast(pa.array(services), pa.string()),
                pc.cast(pa.array(benes + rng.integers(0, 30, n)), pa.string()),
                _money(rng, n, 80.0),
                _money(rng, n, 40.0),
                _money(rng, n, 30.0),
                _money(rng, n, 31.0),
            ]

    return _write(path, SERVICES_HEADER, blocks())


_SPECS = ["PODIATRY", "ORTHOPEDIC SURGERY", "PHYSICAL THERAPY", "FAMILY PRACTICE",
          "INTERNAL MEDICINE", "NURSE PRACTITIONER", "DIAGNOSTIC RADIOLOGY",
          "CARDIOLOGY"]  # fmt: skip
_GROUPS = ["", "CEDAR VALLEY ORTHOPAEDICS, P.C.", "SYNTHETIC HEALTH SYSTEM MEDICAL GROUP",
           "ALDER FOOT & ANKLE LLC", "MAPLE PHYSICAL THERAPY AND SPORTS REHAB, INC",
           "UNIVERSITY PHYSICIANS ASSOCIATES"]  # fmt: skip


def write_dac_national(path: Path, rows: int = 2_600_000, seed: int = 1) -> int:
    """Write a Doctors and Clinicians file of about ``rows`` rows (1 to 4 per NPI, about 2.2 on
    average, in NPI order, each NPI's rows at up to three addresses); returns the row count."""
    rng = np.random.default_rng(seed)
    npis = _npis(max(1, int(rows / 2.2)), seed + 1)
    per_npi = rng.choice([1, 1, 2, 2, 3, 4, 4], size=len(npis))

    def blocks() -> object:
        for who in _row_blocks(per_npi, rows):
            n = len(who)
            take = pa.array(who)
            place = (who + rng.integers(0, 2, n)) % len(_PLACES)  # an NPI in one or two cities
            spec = who % len(_SPECS)
            sports = np.where((who % 11) == 0, "SPORTS MEDICINE", "")
            pac = pc.cast(pa.array(4_000_000_000 + who * 13), pa.string())
            street = pc.binary_join_element_wise(
                pc.cast(pa.array((who * 31 + rng.integers(0, 3, n)) % 9999 + 1), pa.string()),
                _pick(rng, _STREETS, n),
                " ",
            )
            zips = pc.binary_join_element_wise(
                pa.array([_PLACES[p][3] for p in place], pa.string()),
                pc.cast(pa.array(rng.integers(1000, 9999, n)), pa.string()),
                "",
            )
            yield [
                pa.array(npis, pa.string()).take(take),
                pac,
                pc.binary_join_element_wise(pa.array(["I"] * n), pac, "20"),
                _pick(rng, _LAST, n),
                _pick(rng, _FIRST, n),
                _pick(rng, ["", "", "J"], n),
                _pick(rng, ["", "", "JR."], n),
                _pick(rng, ["M", "F"], n),
                _pick(rng, ["MD", "DPM", "DO", "PT", "NP", ""], n),
                _pick(
                    rng,
                    [
                        "OTHER",
                        "SYNTHETIC UNIVERSITY SCHOOL OF MEDICINE",
                        "NEW YORK COLLEGE OF PODIATRIC MEDICINE",
                    ],
                    n,
                ),
                pc.cast(pa.array(1970 + who % 50), pa.string()),
                pa.array([_SPECS[s] for s in spec], pa.string()),
                pa.array(sports.tolist(), pa.string()),
                pa.array([""] * n, pa.string()),
                pa.array([""] * n, pa.string()),
                pa.array([""] * n, pa.string()),
                pa.array(sports.tolist(), pa.string()),
                _pick(rng, ["", "Y"], n),
                _pick(rng, _GROUPS, n),
                pc.cast(pa.array(rng.integers(10**9, 10**10 - 1, n)), pa.string()),
                pc.cast(pa.array(rng.integers(1, 900, n)), pa.string()),
                street,
                _pick(rng, _SUITES, n),
                _pick(rng, ["", "Y"], n),
                pa.array([_PLACES[p][0] for p in place], pa.string()),
                pa.array([_PLACES[p][1] for p in place], pa.string()),
                zips,
                pc.cast(pa.array(rng.integers(2_000_000_000, 9_999_999_999, n)), pa.string()),
                _pick(rng, ["Y", "Y", "M"], n),
                _pick(rng, ["Y", "M"], n),
                pc.binary_join_element_wise(
                    pa.array(["A"] * n),
                    pc.cast(pa.array(rng.integers(10**8, 10**9, n)), pa.string()),
                    "",
                ),
            ]

    return _write(path, DAC_HEADER, blocks())
