"""Directory search index keyed by longitude cell: (generation, key, cell, lat, lon, npi, loc).

``cell = floor(lon * 4)`` (quarter-degree bands of longitude). A radius query reads one short
(cell, lat) range per band that its bounding box touches, instead of the whole latitude band
across the country. The table is rebuilt, keeping its rows.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_COLUMNS = "generation, key, lat, lon, npi, loc, fit, static"


def _create(name: str, with_cell: bool) -> None:
    cols: list[Any] = [
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(48), nullable=False),
        *([sa.Column("cell", sa.Integer(), nullable=False)] if with_cell else []),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("npi", sa.String(10), nullable=False),
        sa.Column("loc", sa.SmallInteger(), nullable=False),
        sa.Column("fit", sa.Float(), nullable=False),
        sa.Column("static", sa.Float(), nullable=False),
    ]
    pk = ["generation", "key", *(["cell"] if with_cell else []), "lat", "lon", "npi", "loc"]
    op.create_table(
        name,
        *cols,
        sa.PrimaryKeyConstraint(*pk, name=op.f(f"pk_{name}")),
        sqlite_with_rowid=False,
    )


def upgrade() -> None:
    op.rename_table("directory_search", "directory_search_old")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER INDEX pk_directory_search RENAME TO pk_directory_search_old")
    _create("directory_search", with_cell=True)
    op.execute(
        f"INSERT INTO directory_search (cell, {_COLUMNS}) SELECT CAST(floor(lon * 4) AS INTEGER),"
        f" {_COLUMNS} FROM directory_search_old ORDER BY generation, key,"
        " CAST(floor(lon * 4) AS INTEGER), lat, lon, npi, loc"
    )
    op.drop_table("directory_search_old")


def downgrade() -> None:
    op.rename_table("directory_search", "directory_search_new")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER INDEX pk_directory_search RENAME TO pk_directory_search_new")
    _create("directory_search", with_cell=False)
    op.execute(
        f"INSERT INTO directory_search ({_COLUMNS}) SELECT {_COLUMNS} FROM directory_search_new"
    )
    op.drop_table("directory_search_new")
