# The front door. Quick start: `make run`, then `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
export PYTHONPATH := $(CURDIR)/site:$(CURDIR)
STAMP := $(VENV)/.installed

.PHONY: run install test lint format messages benchmark clean worker backup restore

# Reinstall only when the dependencies change, so a second `make run` is fast.
$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements.lock -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo_data
	$(BIN)/python -m solidarity.devserver

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Interface strings: edit locale/*/LC_MESSAGES/django.po, then compile.
messages: install
	$(PY) manage.py makemessages --locale uk --locale ru --locale be --locale crh --ignore ".venv/*" --ignore "staticfiles/*" --no-obsolete
	$(PY) manage.py compilemessages --ignore ".venv/*"

benchmark: install
	@ls benchmarks/*.py >/dev/null 2>&1 && for b in benchmarks/bench_*.py; do $(PY) $$b; done || echo "No benchmarks yet."

worker: install
	$(BIN)/celery -A solidarity worker --beat --loglevel INFO

# Backups (docs/operations/backups.md): the database, media and private files of
# the configured DATABASE_URL and MEDIA_ROOT, one new directory per run.
BACKUP_DIR ?= backups
backup: install
	$(PY) manage.py backup --to $(BACKUP_DIR)/$$(date -u +%Y%m%dT%H%M%SZ)

restore: install
	@test -n "$(FROM)" || { echo "Usage: make restore FROM=$(BACKUP_DIR)/<date> [FORCE=1]"; exit 2; }
	$(PY) manage.py restore --from $(FROM) $(if $(FORCE),--force)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
