# Breakeven — `make run` serves a demo, `make test` runs the whole suite. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: help install run test lint check-python clean-var

help:
	@echo "make run    install, start (embedded) services, migrate, seed a demo, serve web + worker"
	@echo "make test   lint, Django checks and the whole test-suite"
	@echo "make lint   ruff"

check-python:
	@scripts/find-python.sh >/dev/null

$(STAMP): pyproject.toml requirements.lock | check-python
	@test -x $(PY) || $$(scripts/find-python.sh) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e '.[dev,embedded]'
	@touch $(STAMP)

install: $(STAMP)

lint: $(STAMP)
	$(VENV)/bin/ruff check .

run: $(STAMP)
	$(PY) scripts/run.py

test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(PY) scripts/with_services.py $(PY) -m pytest $(PYTEST_ARGS)

clean-var:
	-$(PY) scripts/embedded.py stop
	rm -rf var
