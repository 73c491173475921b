"""Root test configuration. Shared fixtures live in tests/fixtures/, one module per concern."""

pytest_plugins = [
    "fixtures.engine",
    "fixtures.db",
    "fixtures.directory",
    "fixtures.smtp",
    "fixtures.browser",
]
