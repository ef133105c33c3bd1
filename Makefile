# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
#   make demo   the runtime only (CLI, web app, transcription): quick on a fresh machine
#   make test   the runtime, the test tools and the optional local-LLM writer (its tests must run)
#   make llm    the optional local-LLM note writer alone (a portable llama.cpp build, once per machine)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
RUNTIME := $(VENV)/.runtime-stamp
LLM := $(VENV)/.llm-stamp
DEV := $(VENV)/.dev-stamp
BENCH_STAMP := $(VENV)/.bench-stamp

.PHONY: demo test typecheck lint llm bench install clean

$(PY):
	@$(PYTHON) -m venv $(VENV)
	@$(PIP) install -q --upgrade "pip>=24"

$(RUNTIME): pyproject.toml constraints.txt | $(PY)
	@$(PIP) install -q -c constraints.txt -e .
	@# resemblyzer's voice encoder weights only: its declared dependencies would pull in torch.
	@$(PIP) install -q --no-deps "resemblyzer==0.1.4"
	@touch $@

$(LLM): $(RUNTIME) scripts/install-llm.sh
	@bash scripts/install-llm.sh $(PY)
	@touch $@

$(DEV): $(RUNTIME) $(LLM)
	@$(PIP) install -q -c constraints.txt -e '.[dev,llm]'
	@touch $@

install: $(RUNTIME)

llm: $(LLM)

demo: $(RUNTIME)
	@$(VENV)/bin/sessionlens demo

# ruff and mypy first (settings in pyproject.toml): a lint or type error fails the run before the tests.
test: $(DEV)
	@bash scripts/ensure-system.sh
	@$(PY) -m ruff check src tests
	@$(PY) -m mypy
	@$(PY) -m pytest -q

# mypy (strict on domain.py, services/, vault/; settings in pyproject.toml) and ruff over src and tests.
typecheck: $(DEV)
	@$(PY) -m mypy

lint: $(DEV)
	@$(PY) -m ruff check src tests

$(BENCH_STAMP): $(DEV)
	@$(PIP) install -q -c constraints.txt -e '.[dev,llm,bench]'
	@touch $@

# `make bench` runs every benchmark; `make bench BENCH=name[,name]` runs some.
bench: $(BENCH_STAMP)
	@BENCH=$(BENCH) $(PY) -m benchmarks.run

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache
