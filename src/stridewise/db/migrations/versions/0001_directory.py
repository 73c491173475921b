"""Provider directory: providers, practice locations, search index, taxonomy labels, state,
and the profile-boost ranking input.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "directory_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("active_generation", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.String(40), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directory_state")),
    )
    op.create_table(
        "directory_providers",
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("npi", sa.String(10), nullable=False),
        sa.Column("entity_type", sa.SmallInteger(), nullable=False),
        sa.Column("name", sa.String(400), nullable=False),
        sa.Column("credentials", sa.String(200), nullable=False),
        sa.Column("address1", sa.String(200), nullable=False),
        sa.Column("address2", sa.String(200), nullable=False),
        sa.Column("city", sa.String(100), nullable=False),
        sa.Column("state", sa.String(40), nullable=False),
        sa.Column("postal_code", sa.String(20), nullable=False),
        sa.Column("phone", sa.String(30), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("primary_taxonomy", sa.String(10), nullable=False),
        sa.Column("taxonomies", sa.String(200), nullable=False),
        sa.Column("type_ids", sa.String(400), nullable=False),
        sa.Column("sports", sa.Boolean(), nullable=False),
        sa.Column("completeness", sa.Float(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("last_update", sa.String(10), nullable=False),
        sa.PrimaryKeyConstraint("generation", "npi", name=op.f("pk_directory_providers")),
    )
    op.create_table(
        "directory_locations",
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("npi", sa.String(10), nullable=False),
        sa.Column("seq", sa.SmallInteger(), nullable=False),
        sa.Column("address1", sa.String(200), nullable=False),
        sa.Column("address2", sa.String(200), nullable=False),
        sa.Column("city", sa.String(100), nullable=False),
        sa.Column("state", sa.String(40), nullable=False),
        sa.Column("postal_code", sa.String(20), nullable=False),
        sa.Column("phone", sa.String(30), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("generation", "npi", "seq", name=op.f("pk_directory_locations")),
    )
    op.create_table(
        "directory_search",
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(48), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("npi", sa.String(10), nullable=False),
        sa.Column("loc", sa.SmallInteger(), nullable=False),
        sa.Column("fit", sa.Float(), nullable=False),
        sa.Column("static", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint(
            "generation", "key", "lat", "lon", "npi", "loc", name=op.f("pk_directory_search")
        ),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "directory_taxonomy",
        sa.Column("code", sa.String(10), nullable=False),
        sa.Column("display_name", sa.String(300), nullable=False),
        sa.Column("classification", sa.String(200), nullable=False),
        sa.Column("specialization", sa.String(200), nullable=False),
        sa.Column("sports", sa.Boolean(), nullable=False),
        sa.Column("relevant", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_directory_taxonomy")),
    )
    op.create_table(
        "directory_profile_boosts",
        sa.Column("npi", sa.String(10), nullable=False),
        sa.Column("boost", sa.Float(), nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("npi", name=op.f("pk_directory_profile_boosts")),
    )


def downgrade() -> None:
    for table in (
        "directory_profile_boosts",
        "directory_taxonomy",
        "directory_search",
        "directory_locations",
        "directory_providers",
        "directory_state",
    ):
        op.drop_table(table)
