# Open Maatwerk — the two commands are `make run` and `make test`; everything else serves them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help run test setup setup-dev assets lint check-deploy format migrate demo messages bench clean

help:
	@echo "make run    – set everything up and serve the demo on http://$(HOST):$(PORT) (SQLite)"
	@echo "make test   – set up with test tools and run the whole suite (DATABASE_URL for PostgreSQL)"
	@echo "make lint   – ruff check, ruff format --check, makemigrations --check"
	@echo "make bench  – HTTP and engine benchmarks on PostgreSQL (see bench/README.md)"

$(VENV)/.runtime: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
# deduce builds its lookup structures once per install (about 90 s); do it here, not in a request or a test.
# Through manage.py: deduce stamps its cache with the local time and rejects it when its source
# files look newer, so a cache stamped in UTC is rebuilt by every process in Django's time zone.
	$(MANAGE) shell -v 0 -c "import deduce; deduce.Deduce()"
	@touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Front-end files the pages serve, copied from the npm packages (nothing is downloaded at run time).
build/vendor/.copied: node_modules/.installed
	@mkdir -p build/vendor/utrecht build/vendor/htmx build/vendor/swagger-ui
	cp node_modules/@utrecht/component-library-css/dist/index.css build/vendor/utrecht/component-library.css
	cp node_modules/@utrecht/component-library-css/dist/html.css build/vendor/utrecht/html.css
	cp node_modules/@utrecht/design-tokens/dist/index.css build/vendor/utrecht/design-tokens.css
	cp node_modules/htmx.org/dist/htmx.min.js build/vendor/htmx/htmx.min.js
# The API documentation page (api/templates/api/swagger_ui.html), with its licence; the CSS
# names its source map, which collectstatic (production) must find.
	cp node_modules/swagger-ui-dist/{swagger-ui-bundle.js,swagger-ui.css,swagger-ui.css.map,favicon-32x32.png,LICENSE,NOTICE} build/vendor/swagger-ui/
	@touch $@

assets: build/vendor/.copied

setup: $(VENV)/.runtime assets
	@mkdir -p var build/staticfiles
	$(MANAGE) compile_translations

setup-dev: $(VENV)/.dev assets
	@mkdir -p var build/staticfiles
	$(MANAGE) compile_translations

migrate: setup
	$(MANAGE) migrate --noinput -v 0
	$(MANAGE) load_catalogue

demo: migrate
	$(MANAGE) load_demo

run: demo
	@$(MANAGE) demo_logins --url http://$(HOST):$(PORT)/
	$(MANAGE) runserver $(HOST):$(PORT)

test: setup-dev
	$(PY) -m pytest $(PYTEST_ARGS)

lint: setup-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run

# Django's deployment checks with production settings (throwaway values, never used to serve).
check-deploy: setup
	MAATWERK_ENV=production DEBUG=false ALLOWED_HOSTS=maatwerk.example.nl \
	SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))')" \
	MAATWERK_BSN_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(48))')" \
	DATABASE_URL="sqlite:///:memory:" $(MANAGE) check --deploy --fail-level WARNING

format: setup-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Regenerate the Dutch translations after changing interface text (needs GNU gettext).
messages: setup-dev
	cd src/maatwerk && ../../$(MANAGE) makemessages -l nl -l en --no-obsolete --no-location
	$(MANAGE) compile_translations

bench: setup-dev
	bash bench/run.sh

clean:
	rm -rf $(VENV) node_modules build var
