"""Importers of the four public CMS files (``stridewise directory import-cms KIND FILE``): one
module per file, sharing :mod:`.stream` (streamed reading by column name) and :mod:`.swap` (the
atomic switch and the refusal to replace a good table with an empty or truncated one)."""
