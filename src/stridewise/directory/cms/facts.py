"""Everything the CMS files say about one NPI, for the provider page and its JSON twin."""

from __future__ import annotations

from sqlalchemy import Connection, text

from stridewise.directory.cms import evidence
from stridewise.directory.cms.facts_models import MedicareFacts, MedicareLocation, ProcedureCount
from stridewise.directory.cms.procedures import procedure_groups


def medicare_facts(conn: Connection, npi: str) -> MedicareFacts:
    """The CMS facts of ``npi`` from the active generation of each kind."""
    gens = evidence.active_generations(conn)
    out = MedicareFacts()
    p = {"n": npi}
    if gens.get("dac"):
        row = conn.execute(
            text(
                "SELECT specialties, groups, telehealth, assignment FROM cms_clinicians"
                " WHERE generation = :g AND npi = :n"
            ),
            {**p, "g": gens["dac"]},
        ).first()
        if row is not None:
            out.listed = True
            out.specialties = [s.title() for s in str(row[0]).split(" | ") if s]
            out.groups = [g for g in str(row[1]).split(" | ") if g]
            out.telehealth, out.assignment = bool(row[2]), bool(row[3])
            out.locations = [
                MedicareLocation(**dict(r))
                for r in conn.execute(
                    text(
                        "SELECT group_name, address1 AS line1, address2 AS line2, city, state,"
                        " postal_code, phone FROM cms_locations WHERE generation = :g"
                        " AND npi = :n ORDER BY seq"
                    ),
                    {**p, "g": gens["dac"]},
                ).mappings()
            ]
    if gens.get("affiliations"):
        out.hospitals = int(
            conn.execute(
                text("SELECT COUNT(*) FROM cms_affiliations WHERE generation = :g AND npi = :n"),
                {**p, "g": gens["affiliations"]},
            ).scalar()
            or 0
        )
    if gens.get("mips"):
        row = conn.execute(
            text("SELECT score, source FROM cms_mips WHERE generation = :g AND npi = :n"),
            {**p, "g": gens["mips"]},
        ).first()
        if row is not None:
            out.mips_score, out.mips_source = float(row[0]), str(row[1])
    if gens.get("services"):
        labels = procedure_groups().by_id
        out.services_year = int(
            conn.execute(text("SELECT year FROM cms_state WHERE kind = 'services'")).scalar() or 0
        )
        out.procedures = [
            ProcedureCount(
                group=g,
                label=labels[g].label if g in labels else g,
                services=float(s),
                beneficiaries=int(b),
            )
            for g, s, b in conn.execute(
                text(
                    "SELECT group_id, services, beneficiaries FROM cms_procedures"
                    " WHERE generation = :g AND npi = :n ORDER BY services DESC"
                ),
                {**p, "g": gens["services"]},
            )
        ]
    return out
