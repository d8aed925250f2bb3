# Two entry points (see README): `make app` and `make test`; `make test-fast` is the inner loop.
# Each creates .venv on first use and reinstalls only when pyproject.toml changes.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
SCENARIO ?= national-2026-baseline
PORT   ?= 8501
SOURCES := fiscal fiscal_app tests benchmarks docs/screenshots
# the packaging tests build one wheel per module: --dist loadgroup keeps them on one worker
PYTEST := $(BIN)/python -m pytest -n 2 --dist loadgroup -q

.PHONY: app test test-fast lint typecheck bench clean

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
	$(BIN)/ruff check $(SOURCES)
	$(BIN)/ruff format --check $(SOURCES)
	$(MAKE) --no-print-directory typecheck
	$(PYTEST)

# no browser, no slow tests (pip install into a fresh venv, the app sweep, process pools),
# a quarter of the property-based examples (hypothesis profile "dev")
test-fast: $(VENV)/.installed-dev
	$(BIN)/ruff check $(SOURCES)
	FISCAL_HYPOTHESIS_PROFILE=dev $(PYTEST) -m "not browser and not slow"

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check $(SOURCES)
	$(BIN)/ruff format --check $(SOURCES)

bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/bench.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
