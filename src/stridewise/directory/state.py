"""Which directory generation searches read. Imports write a new generation and flip this; see
:mod:`stridewise.directory.importing.store`."""

from __future__ import annotations

from sqlalchemy import Connection, text


def active_generation(conn: Connection) -> int:
    """The generation searches read (0 when nothing was ever imported)."""
    value = conn.execute(text("SELECT active_generation FROM directory_state WHERE id = 1"))
    return int(value.scalar() or 0)
