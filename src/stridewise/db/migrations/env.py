"""Alembic environment: one metadata for every domain's tables.

Table registration lives here, with the migrations, not in ``stridewise.db``: the database layer
knows nothing of the domains, and each domain's table module is imported only where every table
must be known (autogenerate and the metadata migrations compare against)."""

from __future__ import annotations

from alembic import context

# Each domain with tables adds its table module here (importing it registers the tables).
import stridewise.connect.models
import stridewise.directory.models  # noqa: F401  directory: providers, locations, search
from stridewise.db.base import Base
from stridewise.db.engine import make_engine

config = context.config
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    url = config.get_main_option("sqlalchemy.url")
    assert url
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection, target_metadata=target_metadata, render_as_batch=True
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
