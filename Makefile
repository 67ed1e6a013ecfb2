# Kvalitet: developer entry points. The README's quick start is `make run` and `make test`.
#
# Both work with no PostgreSQL or Redis: the settings default to SQLite and, with no
# CELERY_BROKER_URL, Celery runs tasks eagerly in-process. Export DATABASE_URL (and
# TEST_REDIS_URL for the Redis tests) to run against real servers instead.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV  := .venv
BIN   := $(VENV)/bin
STAMP := $(VENV)/.installed

# The first of these that is Python 3.11 or newer creates the virtualenv; override with
# `make PYTHON=/path/to/python3.x run`.
PYTHON ?= $(shell for p in python3 python3.13 python3.12 python3.11; do \
	if command -v $$p >/dev/null 2>&1 && \
	   $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then \
		echo $$p; break; fi; done)

PYTEST_ARGS ?=
BENCH_ARGS  ?=

.PHONY: help install run test lint format bench clean distclean

help:
	@echo "make run      serve http://127.0.0.1:8000 with demo data (DEBUG, SQLite unless DATABASE_URL)"
	@echo "make test     run the test suite (PYTEST_ARGS='-k foo -x' to pass options to pytest)"
	@echo "make lint     ruff check, ruff format --check and the import contracts"
	@echo "make format   apply ruff's fixes and formatting"
	@echo "make bench    run the benchmarks (bench/run.sh)"
	@echo "make clean    remove caches and build output; distclean also removes .venv, db.sqlite3, media/"

$(BIN)/python:
	@if [ -z "$(PYTHON)" ]; then \
		echo "Python 3.11 or newer is required (tried python3, python3.13, python3.12, python3.11)." >&2; \
		exit 1; fi
	$(PYTHON) -m venv $(VENV)

# Re-install only when pyproject.toml has changed since the last install.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check -e '.[dev]'
	@touch $@

install: $(STAMP)

run: export DEBUG := true
run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# pytest-env (pyproject.toml) sets DEBUG=true, a test SECRET_KEY and no Celery broker.
test: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: export PATH := $(CURDIR)/$(BIN):$(PATH)
bench: $(STAMP)
	bash bench/run.sh $(BENCH_ARGS)

clean:
	rm -rf .pytest_cache .ruff_cache staticfiles test-artifacts build dist *.egg-info
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) db.sqlite3 db.sqlite3-journal db.sqlite3-wal db.sqlite3-shm media
