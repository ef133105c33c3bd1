# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test bench install clean

$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install -q --upgrade "pip>=24"
	@$(PY) -m pip install -q -c constraints.txt -e '.[dev,llm]'
	@# resemblyzer's voice encoder weights only: its declared dependencies would pull in torch.
	@$(PY) -m pip install -q --no-deps "resemblyzer==0.1.4"
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	@$(VENV)/bin/sessionlens demo

test: $(STAMP)
	@bash scripts/ensure-system.sh
	@$(PY) -m pytest -q

BENCH_STAMP := $(VENV)/.installed-bench-stamp

$(BENCH_STAMP): $(STAMP)
	@$(PY) -m pip install -q -c constraints.txt -e '.[dev,llm,bench]'
	@touch $(BENCH_STAMP)

# `make bench` runs every benchmark; `make bench BENCH=name[,name]` runs some.
bench: $(BENCH_STAMP)
	@BENCH=$(BENCH) $(PY) -m benchmarks.run

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache
