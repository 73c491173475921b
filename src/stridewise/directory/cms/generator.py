"""Deterministic synthetic versions of the four CMS files, consistent with a directory: the
NPIs, names and addresses come from the directory's active providers (synthetic NPPES rows),
so every feature that joins by NPI has data. Only individuals appear (CMS lists clinicians).

Shares are rough but realistic: about 70% of individuals are in the DAC file (1-3 rows each),
half have a hospital affiliation, 60% a MIPS score (individual or group), and two thirds of
the physicians, podiatrists and therapists billed some of our procedure codes, among codes
we do not count."""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, text

from stridewise.directory.cms.procedures import procedure_groups
from stridewise.directory.state import active_generation

DAC_HEADER = [
    "NPI", "Ind_PAC_ID", "Ind_enrl_ID", "Provider Last Name", "Provider First Name",
    "Provider Middle Name", "suff", "gndr", "Cred", "Med_sch", "Grd_yr", "pri_spec",
    "sec_spec_1", "sec_spec_2", "sec_spec_3", "sec_spec_4", "sec_spec_all", "Telehlth",
    "Facility Name", "org_pac_id", "num_org_mem", "adr_ln_1", "adr_ln_2", "ln_2_sprs",
    "City/Town", "State", "ZIP Code", "Telephone Number", "ind_assgn", "grp_assgn", "adrs_id",
]  # fmt: skip
AFFILIATION_HEADER = [
    "NPI", "Ind_PAC_ID", "Provider Last Name", "Provider First Name", "Provider Middle Name",
    "suff", "facility_type", "Facility Affiliations Certification Number",
    "Facility Type Certification Number",
]  # fmt: skip
MIPS_HEADER = [
    "NPI", "Org_PAC_ID", "lst_nm", "frst_nm", "source", "Quality_category_score",
    "PI_category_score", "IA_category_score", "Cost_category_score", "final_MIPS_score",
]  # fmt: skip
SERVICES_HEADER = [
    "Rndrng_NPI", "Rndrng_Prvdr_Last_Org_Name", "Rndrng_Prvdr_First_Name", "Rndrng_Prvdr_Crdntls",
    "Rndrng_Prvdr_State_Abrvtn", "Rndrng_Prvdr_Zip5", "Rndrng_Prvdr_Type", "HCPCS_Cd",
    "HCPCS_Desc", "HCPCS_Drug_Ind", "Place_Of_Srvc", "Tot_Benes", "Tot_Srvcs",
    "Tot_Bene_Day_Srvcs", "Avg_Sbmtd_Chrg", "Avg_Mdcr_Alowd_Amt", "Avg_Mdcr_Pymt_Amt",
]  # fmt: skip
#: Taxonomy prefix -> (DAC specialty, service groups they bill).
_INJ = "joint_tendon_injection"
SPECIALTY = {
    "213E": ("PODIATRY", ["plantar_fascia", "foot_care", "orthotic_fitting", _INJ]),
    "207X": (
        "ORTHOPEDIC SURGERY",
        ["achilles_repair", "ankle_ligament_repair", "ankle_arthroscopy", "foot_ankle_fracture"],
    ),
    "2251": ("PHYSICAL THERAPY", ["therapeutic_exercise", "gait_running_analysis"]),
    "207Q": ("FAMILY PRACTICE", ["joint_tendon_injection"]),
    "207R": ("INTERNAL MEDICINE", ["joint_tendon_injection"]),
    "111N": ("CHIROPRACTIC", ["therapeutic_exercise"]),
    "208100000X": ("PHYSICAL MEDICINE AND REHABILITATION", ["therapeutic_exercise", _INJ]),
}  # fmt: skip
SPORTS_CODES = {"207QS0010X", "207XX0005X", "2081S0010X", "207RS0010X", "2251S0007X"}
OTHER_CODES = ["99213", "99214", "99203", "73630", "73610", "G0283"]
FILES = {
    "dac": "DAC_NationalDownloadableFile.csv",
    "affiliations": "Facility_Affiliation.csv",
    "mips": "ec_score_file.csv",
    "services": "MUP_PHY_R25_P05_V10_D24_Prov_Svc_2024.csv",
}


@dataclass(frozen=True)
class Clinician:
    npi: str
    name: str
    credentials: str
    taxonomy: str
    address1: str
    city: str
    state: str
    postal_code: str
    phone: str


def clinicians(engine: Engine) -> list[Clinician]:
    """The active directory's individual providers, by NPI."""
    with engine.connect() as conn:
        g = active_generation(conn)
        rows = conn.execute(
            text(
                "SELECT npi, name, credentials, primary_taxonomy, address1, city, state,"
                " postal_code, phone FROM directory_providers"
                " WHERE generation = :g AND entity_type = 1 ORDER BY npi"
            ),
            {"g": g},
        ).all()
    return [Clinician(*(str(v or "") for v in r)) for r in rows]


def _specialty(c: Clinician) -> tuple[str, list[str]]:
    for prefix, spec in SPECIALTY.items():
        if c.taxonomy.startswith(prefix):
            return spec
    return ("NURSE PRACTITIONER", [])


def write_cms_files(people: list[Clinician], out: Path, seed: int = 1) -> dict[str, Path]:
    """Write the four files into ``out``; returns kind -> path."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    paths = {k: out / name for k, name in FILES.items()}
    groups = procedure_groups().by_id
    handles = {k: p.open("w", encoding="utf-8", newline="") for k, p in paths.items()}
    try:
        w = {
            k: csv.writer(h, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
            for k, h in handles.items()
        }
        w["dac"].writerow(DAC_HEADER)
        w["affiliations"].writerow(AFFILIATION_HEADER)
        w["mips"].writerow(MIPS_HEADER)
        w["services"].writerow(SERVICES_HEADER)
        by_state: dict[str, list[Clinician]] = {}
        for c in people:
            by_state.setdefault(c.state, []).append(c)
        for c in people:
            last, first = c.name.split()[-1], c.name.split()[0] if " " in c.name else ""
            spec, billed = _specialty(c)
            zip5 = c.postal_code[:5]
            if rng.random() < 0.7:
                secondary = "SPORTS MEDICINE" if c.taxonomy in SPORTS_CODES else ""
                pac = f"{rng.randint(10**9, 10**10 - 1)}"
                for k in range(rng.choice((1, 1, 2, 3))):
                    group = f"SYNTHETIC {rng.choice(['ALDER', 'CEDAR', 'MAPLE'])} GROUP {k}"
                    addr = c.address1 if k == 0 else f"{rng.randint(1, 9999)} SYNTHETIC PARK AVE"
                    # A second site is often elsewhere in the state (another clinician's ZIP).
                    site = rng.choice(by_state[c.state]) if k else c
                    site_zip = site.postal_code[:5]
                    w["dac"].writerow([
                        c.npi, pac, f"I{pac}", last, first, "", "", rng.choice("MF"),
                        c.credentials.split(",")[0], "SYNTHETIC SCHOOL OF MEDICINE",
                        rng.randint(1980, 2020), spec, secondary, "", "", "", secondary,
                        "Y" if rng.random() < 0.35 else "", group, pac[::-1], rng.randint(1, 80),
                        addr, "", "N", site.city, c.state, f"{site_zip}{rng.randint(1000, 9999)}",
                        c.phone.replace("-", ""), "Y" if rng.random() < 0.9 else "M",
                        "Y", f"A{rng.randint(10**6, 10**7)}",
                    ])  # fmt: skip
            if rng.random() < 0.5:
                for _ in range(rng.choice((1, 1, 2))):
                    ccn = f"{rng.randint(1, 99):02d}{rng.randint(1, 9999):04d}"
                    w["affiliations"].writerow(
                        [c.npi, "", last, first, "", "", "Hospital", ccn, ""]
                    )
            roll = rng.random()
            if roll < 0.6:
                sources = (
                    ["individual"] if roll < 0.3 else ["group", "APM Entity"][: rng.randint(1, 2)]
                )
                for src in sources:
                    score = round(rng.uniform(40, 100), 2)
                    w["mips"].writerow([c.npi, "", last, first, src, "", "", "", "", score])
            if billed and rng.random() < 0.67:
                for gid in rng.sample(billed, k=min(len(billed), rng.randint(1, 3))):
                    for code in rng.sample(groups[gid].codes, k=1):
                        benes = rng.randint(11, 120)
                        w["services"].writerow([
                            c.npi, last, first, c.credentials, c.state, zip5, spec, code,
                            "", "N", rng.choice("OF"), benes, benes * rng.randint(1, 12),
                            benes, "120.00", "80.00", "64.00",
                        ])  # fmt: skip
                for code in rng.sample(OTHER_CODES, k=2):
                    benes = rng.randint(11, 300)
                    w["services"].writerow([
                        c.npi, last, first, c.credentials, c.state, zip5, spec, code, "", "N",
                        "O", benes, benes * 2, benes, "150.00", "90.00", "70.00",
                    ])  # fmt: skip
    finally:
        for h in handles.values():
            h.close()
    return paths
