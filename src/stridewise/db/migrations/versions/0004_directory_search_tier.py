"""Directory search index keyed by score tier: (generation, key, tier, cell, lat, lon, npi, loc).

``tier = fit + static``, the import-time part of the ranking score. With it in the key, a
search reads the best tiers first and stops when no lower tier can reach the requested page.
The ``all`` key is dropped: untyped and taxonomy searches read the union of the type keys, and
providers with no provider type move to the new ``other`` key. The table is rebuilt, keeping
its rows.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_COLUMNS = "generation, key, cell, lat, lon, npi, loc, fit, static"


def _create(name: str, with_tier: bool) -> None:
    cols: list[Any] = [
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(48), nullable=False),
        *([sa.Column("tier", sa.Float(), nullable=False)] if with_tier else []),
        sa.Column("cell", sa.Integer(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("npi", sa.String(10), nullable=False),
        sa.Column("loc", sa.SmallInteger(), nullable=False),
        sa.Column("fit", sa.Float(), nullable=False),
        sa.Column("static", sa.Float(), nullable=False),
    ]
    pk = ["generation", "key", *(["tier"] if with_tier else []), "cell", "lat", "lon", "npi", "loc"]
    op.create_table(
        name,
        *cols,
        sa.PrimaryKeyConstraint(*pk, name=op.f(f"pk_{name}")),
        sqlite_with_rowid=False,
    )


def _rename_old(suffix: str) -> str:
    old = f"directory_search_{suffix}"
    op.rename_table("directory_search", old)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER INDEX pk_directory_search RENAME TO pk_{old}")
    return old


def upgrade() -> None:
    old = _rename_old("old")
    _create("directory_search", with_tier=True)
    # Providers with no type row keep their 'all' rows, as 'other'; every other 'all' row goes.
    op.execute(
        f"INSERT INTO directory_search (tier, {_COLUMNS})"
        " SELECT o.fit + o.static, o.generation, CASE WHEN o.key = 'all' THEN 'other'"
        " ELSE o.key END, o.cell, o.lat, o.lon, o.npi, o.loc, o.fit, o.static"
        f" FROM {old} o WHERE o.key <> 'all' OR o.npi NOT IN"
        f" (SELECT t.npi FROM {old} t WHERE t.key LIKE 'type:%')"
        " ORDER BY 2, 3, 1, 4, 5, 6, 7, 8"
    )
    op.drop_table(old)


def downgrade() -> None:
    new = _rename_old("new")
    _create("directory_search", with_tier=False)
    # Type rows come back as they were; 'all' rows are rebuilt, one per location, at FIT_ANY.
    op.execute(
        f"INSERT INTO directory_search ({_COLUMNS}) SELECT {_COLUMNS} FROM {new}"
        " WHERE key <> 'other'"
    )
    op.execute(
        f"INSERT INTO directory_search ({_COLUMNS}) SELECT generation, 'all', cell, lat, lon,"
        f" npi, loc, 20.0, MAX(static) FROM {new}"
        " GROUP BY generation, cell, lat, lon, npi, loc"
    )
    op.drop_table(new)
