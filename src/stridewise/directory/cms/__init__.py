"""Public CMS (Medicare) data about clinicians, keyed by NPI: what the ranking's evidence parts
read. Tables in :mod:`.models`, the points in :mod:`.evidence`, the procedure codes in
:mod:`.procedures`; the importers live in :mod:`stridewise.directory.importing.cms`."""
