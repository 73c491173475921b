"""NPPES import: chunked parallel parsing, reference and vectorised row builders, bulk writes
and the atomic generation swap. :func:`.importer.import_nppes` is the entry point."""
