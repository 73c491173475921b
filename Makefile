# The two commands a newcomer needs: `make run` and `make test`.
PY := .venv/bin/python
SW := .venv/bin/stridewise

.PHONY: run test setup lint bench

setup:
	@bash scripts/setup.sh

run: setup
	$(SW) demo ensure
	STRIDEWISE_ENV=development $(SW) serve --dev --host 127.0.0.1 --port 8000

test: setup
	@bash scripts/test.sh

lint: setup
	.venv/bin/ruff check src tests benchmarks
	.venv/bin/ruff format --check src tests benchmarks
	.venv/bin/mypy

bench: setup
	@for b in benchmarks/*.py; do echo "== $$b"; $(PY) $$b; done
