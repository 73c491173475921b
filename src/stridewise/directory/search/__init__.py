"""Provider search: what the CLI, the JSON API and the pages call.

:mod:`.query` is the entry point; :mod:`.candidates` counts and ranks inside the database;
:mod:`.area` cuts the search circle along the index's longitude bands.
"""

from stridewise.directory.search.query import (
    UnknownProviderType,
    directory_stats,
    get_provider,
    search_providers,
)

__all__ = ["UnknownProviderType", "directory_stats", "get_provider", "search_providers"]
