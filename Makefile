# cpomdocs — `make help` liste les cibles.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
JOBS ?=

.DEFAULT_GOAL := help
.PHONY: help install build validate test lint format schema golden bench clean publish e2e fuzz

help: ## Lister les cibles
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-19s %s\n", $$1, $$2}'

# Debian packages the documents want: the Liberation fonts that print.css and the DOCX name, and
# HarfBuzz's subsetter (WeasyPrint is 0.24 s faster per PDF with it). Without them the build
# still works, with DejaVu fonts and fontTools; set SYSTEM_PACKAGES= to skip this step.
SYSTEM_PACKAGES ?= fonts-liberation2 libharfbuzz-subset0
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Wait (up to 5 minutes) for another apt-get to finish instead of failing on its lock.
APT := $(SUDO) apt-get -o DPkg::Lock::Timeout=300

$(STAMP): pyproject.toml
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ] && command -v apt-get >/dev/null; then \
	  echo "apt-get install" $$missing; \
	  { $(APT) update -q >/dev/null && DEBIAN_FRONTEND=noninteractive \
	    $(APT) install -y -q --no-install-recommends $$missing >/dev/null; } || \
	  echo "avertissement : paquets système non installés ($$missing), polices DejaVu utilisées"; \
	fi
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP) ## Créer .venv et y installer cpomdocs et ses dépendances

build: $(STAMP) ## Valider et produire chaque contrat de contracts/ dans build/
	$(BIN)/cpomdocs build contracts

validate: $(STAMP) ## Valider chaque contrat de contracts/
	$(BIN)/cpomdocs validate contracts

# The tests open DOCX and XLSX files with LibreOffice, as a user would, and read PDF text and
# fonts with poppler (pdftotext -bbox, pdffonts): apt-get installs what is missing (set
# TEST_PACKAGES= to skip; the LibreOffice tests then say they were skipped).
TEST_PACKAGES ?= libreoffice-writer-nogui libreoffice-calc-nogui hyphen-fr poppler-utils
# pytest-xdist runs the tests in one process per core (TEST_WORKERS=0: in this process only);
# --dist loadfile: each file on one worker (its module fixtures made once), and the files that
# use the built examples all on one (built once): EXAMPLE_FILES in tests/conftest.py.
TEST_WORKERS ?= auto

test: $(STAMP) ## Vérifier le code, lancer tous les tests, puis la page du portefeuille dans Chromium
	@missing=$$(for p in $(TEST_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ] && command -v apt-get >/dev/null; then \
	  echo "apt-get install" $$missing; \
	  $(APT) update -q >/dev/null && DEBIAN_FRONTEND=noninteractive \
	    $(APT) install -y -q --no-install-recommends $$missing >/dev/null; \
	fi
	$(MAKE) --no-print-directory lint
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile
	$(MAKE) --no-print-directory e2e

lint: $(STAMP) ## ruff check, ruff format --check et les couches d'import (lint-imports)
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts
	$(BIN)/lint-imports

format: $(STAMP) ## Reformater le code avec ruff
	$(BIN)/ruff format src tests scripts
	$(BIN)/ruff check --fix src tests scripts

FUZZ_EXAMPLES ?= 300
fuzz: $(STAMP) ## Tests de propriétés, longs : 1 000 fichiers générés par type, 30 contrats construits, 300 fichiers abîmés par commande
	CPOMDOCS_FUZZ_VALIDATE=1000 CPOMDOCS_FUZZ_BUILD=30 CPOMDOCS_FUZZ17=$(FUZZ_EXAMPLES) \
	  $(BIN)/python -m pytest tests/test_property.py tests/test_fuzz17.py tests/test_fuzz18.py \
	  -n $(TEST_WORKERS) --dist loadfile -p no:randomly --hypothesis-show-statistics

schema: $(STAMP) ## Régénérer les schémas JSON de schema/ depuis les modèles
	$(BIN)/cpomdocs schema -o schema

golden: $(STAMP) ## Régénérer exprès les fichiers de référence de tests/golden
	CPOMDOCS_REGEN_GOLDEN=1 $(BIN)/python -m pytest tests -k golden

BEFORE ?=
PASSES ?= 3
bench: $(STAMP) ## Mesurer : chaque type de document face à WeasyPrint seul, reconstructions, passage à l'échelle (BEFORE=src/ d'une autre version : côte à côte)
	$(BIN)/python scripts/bench.py --passes $(PASSES) $(if $(BEFORE),--before $(BEFORE))

TEST_CERT := build/test-cert

publish: $(STAMP) ## Signer et publier les documents signés dans build/publish (clé de test sauf CPOMDOCS_P12)
	$(BIN)/cpomdocs build contracts
	@if [ -n "$$CPOMDOCS_P12" ]; then \
	  $(BIN)/cpomdocs publish contracts -o build/publish $${CPOMDOCS_TRUST:+--trust "$$CPOMDOCS_TRUST"}; \
	else \
	  test -f $(TEST_CERT)/signer.p12 || $(BIN)/python scripts/make_test_cert.py $(TEST_CERT); \
	  CPOMDOCS_P12=$(TEST_CERT)/signer.p12 CPOMDOCS_P12_PASSWORD=$${CPOMDOCS_P12_PASSWORD:-cpomdocs-test} \
	    $(BIN)/cpomdocs publish contracts -o build/publish --trust $(TEST_CERT)/ca.pem; \
	fi

e2e: $(STAMP) ## Ouvrir la page du portefeuille dans Chromium sans écran (apt-get l'installe s'il manque)
	@command -v chromium >/dev/null || { $(APT) update -q && \
	  DEBIAN_FRONTEND=noninteractive $(APT) install -y -q chromium chromium-driver; }
	$(BIN)/cpomdocs build contracts
	CPOMDOCS_E2E=1 CPOMDOCS_E2E_PAGE=build/index.html CPOMDOCS_E2E_SCREENSHOT=build/e2e/portfolio.png \
	  $(BIN)/python -m pytest tests/test_portfolio.py -k chromium

clean: ## Supprimer build/ (garder .venv)
	rm -rf build

.PHONY: bench-instructions
KIND ?= avenant
bench-instructions: $(STAMP) ## Compter les instructions (callgrind) d'un type de document face à WeasyPrint seul (KIND=avenant, « version annotée »…)
	$(BIN)/python scripts/bench_instructions.py "$(KIND)"

.PHONY: bench-validate
bench-validate: $(STAMP) ## Chronométrer chaque étape de validation (lecture, schéma, modèle, règles) sur contracts/
	$(BIN)/python scripts/bench_validate.py contracts
