"""Path parameters shared by the API and the pages, bounded at the edge."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

#: Largest id a database row can have (PostgreSQL INTEGER; SQLite ids are within it too).
MAX_ROW_ID = 2**31 - 1

#: A row id in a path: beyond the database's integer range it is a 422, not a database error.
RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID, description="A numeric id.")]
