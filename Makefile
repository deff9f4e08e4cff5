# Trigger Point Guide — every command installs what it needs first.
#   make serve   live preview on http://127.0.0.1:8000
#   make test    strict build + the whole test suite (unit, build, browser)
#   make build   strict build into site/

SHELL := /bin/bash
.DEFAULT_GOAL := help
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true
export UV_LINK_MODE := copy

PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo "$(PYTHON) -m uv")
RUN := $(UV) run --frozen --no-sync
STAMP := .venv/.installed-$(shell cat uv.lock pyproject.toml 2>/dev/null | cksum | cut -d' ' -f1)
CHROMIUM ?= /usr/bin/chromium
HOST ?= 127.0.0.1
PORT ?= 8000
# The engine that builds the site (tpguide.engines): properdocs (default, the maintained fork of
# MkDocs 1.6), mkdocs (1.6.1, the last 1.x release) or zensical (0.0.73: prepare, build, finish;
# tpguide.zensical). `make build ENGINE=zensical`.
ENGINE ?= properdocs
export TPG_ENGINE := $(ENGINE)
ENGINE_CMD := $(if $(filter zensical,$(ENGINE)),python -m tpguide.zensical,$(ENGINE))
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: help install chromium engine engine-for-tests serve build test test-fast bench clean urls

help:
	@echo "make serve   live preview on http://$(HOST):$(PORT) (ENGINE=zensical: faster, see README)"
	@echo "make test    strict build + whole test suite (installs Python deps and Chromium)"
	@echo "make build   strict build into site/ (ENGINE=properdocs|mkdocs|zensical; default properdocs)"
	@echo "make bench   build time and page weight figures"

# Python dependencies from uv.lock (uv itself is bootstrapped from PyPI when missing), compiled to
# bytecode once: where Python may not write .pyc files itself (PYTHONDONTWRITEBYTECODE, as on
# this project's CI machine) every build would otherwise compile each module again, ~0.5 s.
install: $(STAMP)
$(STAMP): uv.lock pyproject.toml
	@command -v uv >/dev/null 2>&1 || $(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	$(UV) sync --frozen --compile-bytecode
	@$(RUN) python -m compileall -q src hooks
	@rm -f .venv/.installed-* && touch $@

# System Chromium for the browser tests (Debian package; browsers cannot be downloaded here).
chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  echo "Installing Chromium from Debian packages..."; \
	  $(SUDO) apt-get update && $(SUDO) apt-get install -y chromium; \
	fi

# An unknown ENGINE stops here, with the engines there are.
engine: install
	@$(RUN) python -m tpguide.engines >/dev/null

engine-for-tests: engine
	@if [ "$(ENGINE)" = zensical ]; then \
	  echo "make: ENGINE=zensical is for make build; make test builds on Zensical itself and compares -> run make test (ProperDocs) or ENGINE=mkdocs" >&2; exit 2; \
	fi

serve: install engine
	$(RUN) $(ENGINE_CMD) serve --strict -f mkdocs.yml -a $(HOST):$(PORT)

# A failed build leaves no site/ (hooks/deploy.py removes it once the hooks are loaded; this
# also covers a mkdocs.yml that cannot be loaded).
build: install engine
	$(RUN) $(ENGINE_CMD) build --strict -f mkdocs.yml || { rm -rf site; exit 1; }

# The tests check the site as ProperDocs or MkDocs build it, and build it on Zensical themselves
# (tests/build/test_engines_build.py).
test: install engine-for-tests chromium build
	$(RUN) pytest

# Unit and build tests only (no browser).
test-fast: install
	$(RUN) pytest -m "not e2e"

bench: install engine-for-tests
	$(RUN) python -m tpguide.bench

clean:
	rm -rf site .pytest_cache build/zensical

# Further targets (deploy preview, audit, charts bundle) live in mk/*.mk.
-include mk/*.mk

# Add newly built pages to published-urls.txt and their section anchors to published-anchors.txt
# (never removes a line).
urls: build
	$(RUN) python -m tpguide.share published-urls.txt site published-anchors.txt
