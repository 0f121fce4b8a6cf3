# Innkeep: `make run` serves the site with demo data, `make test` runs the checks and tests.
# With DATABASE_URL / REDIS_URL unset, devservices.py starts an embedded PostgreSQL and Redis
# under .data/; with them set, those servers are used.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
PORT ?= 8000
SITE_URL ?= http://127.0.0.1:$(PORT)
# pytest-xdist workers, each with its own test database; tests marked with one
# xdist_group (the 50-thread races) run on one worker so they never compete.
PYTEST_WORKERS ?= 2
PYTEST_ARGS ?=

VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
VENV_STAMP := $(VENV)/.requirements.stamp
SEED_STAMP := .data/seed_demo.stamp

# Every recipe finds the venv's tools (ruff, pytest, honcho, gunicorn, celery) first.
export PATH := $(BIN):$(PATH)
export VIRTUAL_ENV := $(CURDIR)/$(VENV)

.PHONY: help venv services run test lint fmt bench rush rush-tools down clean browser screenshots \
	messages

help:
	@echo "make run     serve http://127.0.0.1:$(PORT) with demo data (web, worker, beat);"
	@echo "             sent e-mails at http://127.0.0.1:$(PORT)/dev/inbox/"
	@echo "make test    lint, then run the test suite"
	@echo "make lint    ruff check, format check and the import layers;  make fmt  format and fix"
	@echo "make bench   run bench/hold_race.py"
	@echo "make rush    rush the production stack with wrk (bench/rush.py; RUSH_ARGS=--quick)"
	@echo "make venv | services | down | clean"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-installs only when requirements.txt changes.
$(VENV_STAMP): requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

venv: $(VENV_STAMP)

services: venv
	python devservices.py up

run: services
	python manage.py migrate --noinput
	@# Demo data once per database; seed_demo is idempotent, so a stale stamp only costs time.
	@db="$${DATABASE_URL:-embedded}"; \
	if [ "$$(cat $(SEED_STAMP) 2>/dev/null)" != "$$db" ]; then \
		echo "python manage.py seed_demo" && python manage.py seed_demo && echo "$$db" > $(SEED_STAMP); \
	fi
	python manage.py collectstatic --noinput --verbosity 0
	@# -e /dev/null: a .env beside docker-compose.yml is for containers, not for this.
	@# SITE_URL: links in e-mails point at this port (honcho gives each process its own
	@# PORT, so the worker cannot derive it); sent e-mails show at /dev/inbox/.
	@echo "sent e-mails: $(SITE_URL)/dev/inbox/"
	SITE_URL=$(SITE_URL) honcho start -e /dev/null -p $(PORT)

lint: venv
	ruff check .
	ruff format --check .
	lint-imports

fmt: venv
	ruff format .
	ruff check --fix .

# The browser tests (e2e/) drive Debian's Chromium; Playwright never downloads a browser.
# CJK fonts so Chinese and Korean pages render in screenshots.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
		echo "installing Debian's chromium for the browser tests"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium fonts-noto-cjk; \
	fi

test: lint services browser
	@# A model change without its migration fails here, not in production.
	python manage.py makemigrations --check --dry-run --verbosity 0
	pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

# Refresh docs/screenshots/ from the browser tests.
screenshots: services browser venv
	SCREENSHOT_DIR=docs/screenshots pytest e2e -p no:cacheprovider

# Recompile locale/*/LC_MESSAGES/django.mo after editing a .po (Babel; no GNU gettext).
messages: venv
	python manage.py compile_translations

# The guest e-mails (BOOKING_EVENT_HANDLERS) would queue a task per hold: off here.
bench: services
	BOOKING_EVENT_HANDLERS= python bench/hold_race.py

# bench/rush.py starts gunicorn (config/gunicorn.py), nginx and a Celery worker on a
# database of its own and rushes them with wrk; Debian's wrk and nginx, installed here.
RUSH_ARGS ?=
rush-tools:
	@if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; then \
		echo "installing Debian's wrk and nginx for bench/rush.py"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq wrk nginx-light; \
	fi

rush: services rush-tools
	python bench/rush.py $(RUSH_ARGS)

down:
	@if [ -x $(BIN)/python ]; then $(BIN)/python devservices.py down; \
	else $(PYTHON) devservices.py down; fi

clean: down
	rm -rf .data .pytest_cache .ruff_cache
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +
