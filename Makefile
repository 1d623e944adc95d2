# Run `make help` for the list. Needs Python 3.12+ (3.13 preferred) on PATH.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= $(shell for p in python3.13 python3.12 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; \
	then echo $$p; break; fi; done)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help run test lint format check-deploy demo-data migrate worker scheduler browser-test bench bench-reliability clean lock upgrade

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

$(BIN)/.installed: requirements.txt requirements-dev.txt
	@if [ -z "$(PYTHON)" ]; then echo "Python 3.12 or newer is needed (python3.13 or python3.12 on PATH)."; exit 1; fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@

run: $(BIN)/.installed ## Install, migrate, load demo content and accounts, serve on http://127.0.0.1:8000 (SQLite unless DATABASE_URL is set)
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo
	$(MANAGE) runserver $(HOST):$(PORT)

migrate: $(BIN)/.installed ## Apply database migrations
	$(MANAGE) migrate --no-input

demo-data: $(BIN)/.installed ## Load (or refresh) demo content and demo accounts; keeps existing content
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo

test: $(BIN)/.installed lint ## Lint, system checks, migrations check and the whole test suite (not the browser tests)
	DJANGO_SETTINGS_MODULE=cms.settings.test $(MANAGE) check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=cms.settings.test $(MANAGE) makemigrations --check --dry-run
	$(BIN)/pytest -q -m "not browser"

browser-test: $(BIN)/.installed ## Real-browser tests (Debian's chromium), screenshots in artifacts/
	$(BIN)/pytest -q -m browser

check-deploy: $(BIN)/.installed ## Django's deployment checks with production settings (export SECRET_KEY, ALLOWED_HOSTS first)
	DJANGO_SETTINGS_MODULE=cms.settings.production $(MANAGE) check --deploy --fail-level WARNING

lint: $(BIN)/.installed ## ruff check and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(BIN)/.installed ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

worker: $(BIN)/.installed ## Run the background task worker (database queue)
	$(MANAGE) db_worker

scheduler: $(BIN)/.installed ## Run the every-minute jobs (scheduled publishing, consent enforcement)
	$(MANAGE) run_scheduler

bench: $(BIN)/.installed ## Benchmark public pages: gunicorn, production settings, PostgreSQL (bench/README.md)
	$(BIN)/python bench/run.py

PIP_COMPILE := $(BIN)/pip-compile -q --strip-extras --no-emit-index-url --no-emit-find-links --annotation-style=line

lock: $(BIN)/.installed ## Pin requirements*.txt from requirements*.in after editing the .in files
	$(PIP_COMPILE) -o requirements.txt requirements.in
	$(PIP_COMPILE) -o requirements-dev.txt requirements-dev.in

upgrade: $(BIN)/.installed ## Upgrade every pinned package to its newest allowed version
	$(PIP_COMPILE) --upgrade -o requirements.txt requirements.in
	$(PIP_COMPILE) --upgrade -o requirements-dev.txt requirements-dev.in

bench-reliability: $(BIN)/.installed ## Load and faults on its own PostgreSQL and Redis: DB restart, Redis down, worker killed
	$(BIN)/python bench/reliability.py

clean: ## Remove the virtualenv and local data (var/)
	rm -rf $(VENV) var artifacts
