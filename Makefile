# cpomdocs — `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
JOBS ?=

.DEFAULT_GOAL := help
.PHONY: help install build validate test lint format schema golden bench clean publish e2e

help: ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# Debian packages the documents want: the Liberation fonts that print.css and the DOCX name, and
# HarfBuzz's subsetter (WeasyPrint is 0.24 s faster per PDF with it). Without them the build
# still works, with DejaVu fonts and fontTools; set SYSTEM_PACKAGES= to skip this step.
SYSTEM_PACKAGES ?= fonts-liberation2 libharfbuzz-subset0
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

$(STAMP): pyproject.toml
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ] && command -v apt-get >/dev/null; then \
	  echo "apt-get install $$missing"; \
	  { $(SUDO) apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive \
	    $(SUDO) apt-get install -y -q --no-install-recommends $$missing >/dev/null; } || \
	  echo "avertissement : paquets système non installés ($$missing), polices DejaVu utilisées"; \
	fi
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP) ## Create .venv and install cpomdocs with its dependencies

build: $(STAMP) ## Validate and render every contract of contracts/ into build/
	$(BIN)/cpomdocs build contracts

validate: $(STAMP) ## Validate every contract of contracts/
	$(BIN)/cpomdocs validate contracts

test: $(STAMP) ## Lint, run the whole test suite, then the portfolio page in headless Chromium
	$(MAKE) --no-print-directory lint
	$(BIN)/python -m pytest
	$(MAKE) --no-print-directory e2e

lint: $(STAMP) ## ruff check, ruff format --check, and the import layers (lint-imports)
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts
	$(BIN)/lint-imports

format: $(STAMP) ## Reformat the code with ruff
	$(BIN)/ruff format src tests scripts
	$(BIN)/ruff check --fix src tests scripts

schema: $(STAMP) ## Regenerate the JSON Schemas of schema/ from the models
	$(BIN)/cpomdocs schema -o schema

golden: $(STAMP) ## Regenerate the golden files of tests/golden on purpose
	CPOMDOCS_REGEN_GOLDEN=1 $(BIN)/python -m pytest tests -k golden

bench: $(STAMP) ## Benchmark the build on a synthetic portfolio
	$(BIN)/python scripts/bench.py

TEST_CERT := build/test-cert

publish: $(STAMP) ## Sign and publish the signed documents into build/publish (test key unless CPOMDOCS_P12)
	$(BIN)/cpomdocs build contracts
	@if [ -n "$$CPOMDOCS_P12" ]; then \
	  $(BIN)/cpomdocs publish contracts -o build/publish $${CPOMDOCS_TRUST:+--trust "$$CPOMDOCS_TRUST"}; \
	else \
	  test -f $(TEST_CERT)/signer.p12 || $(BIN)/python scripts/make_test_cert.py $(TEST_CERT); \
	  CPOMDOCS_P12=$(TEST_CERT)/signer.p12 CPOMDOCS_P12_PASSWORD=$${CPOMDOCS_P12_PASSWORD:-cpomdocs-test} \
	    $(BIN)/cpomdocs publish contracts -o build/publish --trust $(TEST_CERT)/ca.pem; \
	fi

e2e: $(STAMP) ## Open the portfolio page in headless Chromium (apt-get installs chromium if missing)
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q chromium chromium-driver; }
	$(BIN)/cpomdocs build contracts
	CPOMDOCS_E2E=1 CPOMDOCS_E2E_PAGE=build/index.html CPOMDOCS_E2E_SCREENSHOT=build/e2e/portfolio.png \
	  $(BIN)/python -m pytest tests/test_portfolio.py -k chromium

clean: ## Remove build/ (keep .venv)
	rm -rf build

.PHONY: bench-validate
bench-validate: $(STAMP) ## Time each validation stage (read, schema, model, rules) on contracts/
	$(BIN)/python scripts/bench_validate.py contracts
