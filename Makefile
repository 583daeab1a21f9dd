# The commands a newcomer and CI run. `make serve` sets up and serves the site on SQLite with the
# fixtures loaded; `make test` runs the whole test suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# pytest-xdist processes; two halve the suite's time on a 2-core machine (docs/testing.md).
TEST_WORKERS ?= 2

.PHONY: install serve test lint

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12) and "Python 3.12 or newer is needed")'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

serve: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_atlas
	$(BIN)/python manage.py runserver

test: install
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
