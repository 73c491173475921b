#!/usr/bin/env bash
# Everything CI checks: lint, types, the test suite (SQLite, PostgreSQL, real Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's chromium for the browser tests"
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi

# PostgreSQL tests run against the local server; say so plainly when it is missing.
export STRIDEWISE_TEST_POSTGRES_URL="${STRIDEWISE_TEST_POSTGRES_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test}"

.venv/bin/ruff check src tests benchmarks
.venv/bin/ruff format --check src tests benchmarks
.venv/bin/mypy
.venv/bin/pytest -n 2 --dist loadgroup "$@"
