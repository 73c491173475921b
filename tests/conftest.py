"""Root test configuration. Shared fixtures live in tests/fixtures/, one module per concern."""

import os

# Tests run as development (placeholder secrets allowed), like `make run`; production is the
# default for everything else. Subprocesses inherit it.
os.environ["STRIDEWISE_ENV"] = "development"

pytest_plugins = [
    "fixtures.data_dir",
    "fixtures.engine",
    "fixtures.db",
    "fixtures.directory",
    "fixtures.smtp",
    "fixtures.browser",
]
