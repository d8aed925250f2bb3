# Two entry points (see README): `make app` and `make test`.
# Both create .venv on first use and reinstall only when pyproject.toml changes.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
SCENARIO ?= national-2026-baseline
PORT   ?= 8501

.PHONY: app test lint bench clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "fiscal needs Python 3.11 or newer"' \
	  || { echo "fiscal needs Python >= 3.11 (found $(PYTHON))"; exit 1; }
	@$(PYTHON) -m venv $(VENV) || { echo "Could not create $(VENV). On Debian run: apt-get install python3-venv"; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-app: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $@ $(VENV)/.installed-app

app: $(VENV)/.installed-app
	$(BIN)/fiscal app --port $(PORT) --scenario $(SCENARIO)

test: $(VENV)/.installed-dev
	$(BIN)/ruff check fiscal fiscal_app tests benchmarks docs/screenshots
	$(BIN)/python -m pytest -n 2 -q

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check fiscal fiscal_app tests benchmarks docs/screenshots
	$(BIN)/ruff format --check fiscal fiscal_app tests benchmarks || true

bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/bench.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
