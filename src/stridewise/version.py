"""The one place the package version is written. ``pyproject.toml`` reads it from here
(``[tool.setuptools.dynamic]``); ``stridewise.__version__``, the API and the results report it."""

__version__ = "0.1.0"
