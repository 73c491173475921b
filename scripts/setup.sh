#!/usr/bin/env bash
# Idempotent set-up: a virtualenv with Stridewise and its dev tools installed, and a wheelhouse
# of the runtime dependencies (.wheelhouse/) so tests/test_packaging.py can install the built
# wheel into a clean virtualenv offline.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
stamp=.venv/.stridewise-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/pip install -q -e '.[dev]'
  touch "$stamp"
fi
wheels=.wheelhouse/.complete
if [ ! -f "$wheels" ] || [ pyproject.toml -nt "$wheels" ]; then
  # The runtime requirements (no extras), as the installed metadata states them, plus what
  # building the wheel needs.
  .venv/bin/python -c "import importlib.metadata as m; print('\n'.join(r for r in m.requires('stridewise') or [] if 'extra ==' not in r))" > .venv/runtime-requirements.txt
  .venv/bin/pip download -q -d .wheelhouse --only-binary=:all: -r .venv/runtime-requirements.txt 'setuptools>=69' wheel
  touch "$wheels"
fi
