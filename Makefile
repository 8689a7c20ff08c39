# Rollout: `make run` sets up and starts everything; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
FLASK := $(VENV)/bin/flask
PORT ?= 5000
export FLASK_APP := app:create_app
# `make run` is for development; production sets ROLLOUT_ENV=production and a secret key.
export ROLLOUT_ENV ?= development

.PHONY: run install install-dev db demo test lint format bench bench-families chromium pdf-libraries clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip==25.3
	$(PIP) install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed pdf-libraries

# WeasyPrint (the SEP's PDFs) needs Pango and a font from the system, installed only when missing.
pdf-libraries:
	@{ ldconfig -p | grep -q libpango-1.0 && ldconfig -p | grep -q libpangoft2-1.0 \
	  && dpkg -s fonts-dejavu-core >/dev/null 2>&1; } || { \
	  echo "Installing Pango and the DejaVu fonts for the PDF documents"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null) \
	  || (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null); }

db: install
	mkdir -p instance
	$(FLASK) db-upgrade

demo: db
	$(FLASK) demo load --if-empty

run: demo
	@ROLLOUT_ENV=development PORT=$(PORT) ./scripts/run.sh

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null); }

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: install chromium lint
	./scripts/test.sh

bench: install
	$(PY) -m benchmarks

# The quality table on the eight other district shapes of benchmarks/_districts.py (about 40 min).
bench-families: install
	$(PY) -m benchmarks.scheduler_quality --family all

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
