"""Imports every module that defines tables, so Alembic and create_all see them all."""

from __future__ import annotations

# Each domain adds its table module here.
import stridewise.connect.models  # connect: accounts, claims, requests, outbox
import stridewise.directory.cms.models  # directory: CMS data and evidence points
import stridewise.directory.models  # noqa: F401
