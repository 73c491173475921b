"""Reading the knowledge's YAML files quickly and safely.

PyYAML's pure-Python parser took most of the engine's cold start (about 70% of it) on the
knowledge base's 60-odd files. Its C parser (libyaml, shipped in PyYAML's wheels) reads the same
documents several times faster; both are *safe* loaders (plain data, no Python objects). Where a
PyYAML build lacks libyaml, the pure-Python safe loader is used.
"""

from __future__ import annotations

from typing import Any

import yaml

_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: What a malformed document raises (the same class from either parser).
YAMLError = yaml.YAMLError


def load_yaml(text: str) -> Any:
    """Parse one YAML document of plain data (mappings, sequences, scalars)."""
    return yaml.load(text, Loader=_SafeLoader)
