"""CMS data keyed by NPI (Doctors and Clinicians, facility affiliations, MIPS, Medicare services
by procedure group), the evidence points per directory generation, and the profile facts the
search filters on (running focus, accepting new patients, languages).

Revision ID: 0006_cms
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_cms"
down_revision = "0005_server_state"
branch_labels = None
depends_on = None


def _gen_npi() -> list[sa.Column[object]]:
    return [
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("npi", sa.String(10), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "cms_state",
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("active_generation", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.String(40), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("kind", name=op.f("pk_cms_state")),
    )
    op.create_table(
        "cms_clinicians",
        *_gen_npi(),
        sa.Column("specialties", sa.String(400), nullable=False),
        sa.Column("sports_specialty", sa.Boolean(), nullable=False),
        sa.Column("telehealth", sa.Boolean(), nullable=False),
        sa.Column("assignment", sa.Boolean(), nullable=False),
        sa.Column("groups", sa.Text(), nullable=False),
        sa.Column("med_school", sa.String(200), nullable=False),
        sa.Column("grad_year", sa.SmallInteger(), nullable=False),
        sa.PrimaryKeyConstraint("generation", "npi", name=op.f("pk_cms_clinicians")),
    )
    op.create_table(
        "cms_locations",
        *_gen_npi(),
        sa.Column("seq", sa.SmallInteger(), nullable=False),
        sa.Column("group_name", sa.String(200), nullable=False),
        sa.Column("address1", sa.String(200), nullable=False),
        sa.Column("address2", sa.String(200), nullable=False),
        sa.Column("city", sa.String(100), nullable=False),
        sa.Column("state", sa.String(40), nullable=False),
        sa.Column("postal_code", sa.String(20), nullable=False),
        sa.Column("phone", sa.String(30), nullable=False),
        sa.PrimaryKeyConstraint("generation", "npi", "seq", name=op.f("pk_cms_locations")),
    )
    op.create_table(
        "cms_affiliations",
        *_gen_npi(),
        sa.Column("ccn", sa.String(10), nullable=False),
        sa.Column("facility_type", sa.String(60), nullable=False),
        sa.PrimaryKeyConstraint("generation", "npi", "ccn", name=op.f("pk_cms_affiliations")),
    )
    op.create_table(
        "cms_mips",
        *_gen_npi(),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.PrimaryKeyConstraint("generation", "npi", name=op.f("pk_cms_mips")),
    )
    op.create_table(
        "cms_procedures",
        *_gen_npi(),
        sa.Column("group_id", sa.String(40), nullable=False),
        sa.Column("services", sa.Float(), nullable=False),
        sa.Column("beneficiaries", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("generation", "npi", "group_id", name=op.f("pk_cms_procedures")),
    )
    op.create_table(
        "directory_evidence",
        *_gen_npi(),
        sa.Column("points", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("generation", "npi", name=op.f("pk_directory_evidence")),
    )
    with op.batch_alter_table("directory_profile_boosts") as batch:
        batch.add_column(
            sa.Column("running_focus", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(
            sa.Column("accepting", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(
            sa.Column("telehealth", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("languages", sa.String(400), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("directory_profile_boosts") as batch:
        batch.drop_column("languages")
        batch.drop_column("telehealth")
        batch.drop_column("accepting")
        batch.drop_column("running_focus")
    for table in (
        "directory_evidence",
        "cms_procedures",
        "cms_mips",
        "cms_affiliations",
        "cms_locations",
        "cms_clinicians",
        "cms_state",
    ):
        op.drop_table(table)
