# cpomdocs — `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
JOBS ?=

.DEFAULT_GOAL := help
.PHONY: help install build validate test lint format schema golden bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP) ## Create .venv and install cpomdocs with its dependencies

build: $(STAMP) ## Validate and render every contract of contracts/ into build/
	$(BIN)/cpomdocs build contracts

validate: $(STAMP) ## Validate every contract of contracts/
	$(BIN)/cpomdocs validate contracts

test: $(STAMP) ## Lint, then run the whole test suite
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts
	$(BIN)/python -m pytest

lint: $(STAMP) ## ruff check and ruff format --check
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts

format: $(STAMP) ## Reformat the code with ruff
	$(BIN)/ruff format src tests scripts
	$(BIN)/ruff check --fix src tests scripts

schema: $(STAMP) ## Regenerate the JSON Schemas of schema/ from the models
	$(BIN)/cpomdocs schema -o schema

golden: $(STAMP) ## Regenerate the golden files of tests/golden on purpose
	CPOMDOCS_REGEN_GOLDEN=1 $(BIN)/python -m pytest tests -k golden

bench: $(STAMP) ## Benchmark the build on a synthetic portfolio
	$(BIN)/python scripts/bench.py

clean: ## Remove build/ (keep .venv)
	rm -rf build

.PHONY: bench-validate
bench-validate: $(STAMP) ## Time each validation stage (read, schema, model, rules) on contracts/
	$(BIN)/python scripts/bench_validate.py contracts
