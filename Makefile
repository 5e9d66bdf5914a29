PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

# What has been installed into $(VENV): the package alone (demo), or with the
# test, lint and benchmark tools (dev, which includes the package). Each is
# redone when pyproject.toml changes; deleting $(VENV) starts over.
DEMO_STAMP := $(VENV)/.installed-demo
DEV_STAMP  := $(VENV)/.installed-dev

.PHONY: install install-demo demo test lint bench bench-full clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(DEMO_STAMP): pyproject.toml | $(BIN)/python
	@echo "Installing detector and its runtime dependencies into $(VENV) (no extras)..."
	$(BIN)/python -m pip install -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	@echo "Installing detector with its test, lint and benchmark tools into $(VENV) (about 1 GB)..."
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $@ $(DEMO_STAMP)

## Install the package with the test, lint and benchmark tools.
install: $(DEV_STAMP)

## Install the package alone: what the demo needs.
install-demo: $(DEMO_STAMP)

## Install the package alone, then scan the bundled demo corpus of five speeches.
demo: install-demo
	$(BIN)/detector scan data/speeches

## Install, then run the test suite.
test: install
	$(BIN)/python -m pytest -q

## Install, then lint, check formatting and type-check.
lint: install
	$(BIN)/ruff check detector tests benchmarks
	$(BIN)/ruff format --check detector tests benchmarks
	$(BIN)/mypy detector tests

## Run the benchmarks at a size that takes a few minutes (figures in benchmarks/RESULTS.md).
bench: install
	$(BIN)/python -m benchmarks.quality
	$(BIN)/python -m benchmarks.speed
	$(BIN)/python -m benchmarks.peers --documents 2000
	$(BIN)/python -m benchmarks.separation
	$(BIN)/python -m benchmarks.reuse_quality
	$(BIN)/python -m benchmarks.align_speed
	$(BIN)/python -m benchmarks.disguise

## Full-size runs (up to 100,000 documents, about two hours); updates benchmarks/RESULTS.md.
bench-full: install
	$(BIN)/python -m benchmarks.speed --full --write
	$(BIN)/python -m benchmarks.peers --documents 20000 100000 --write
	$(BIN)/python -m benchmarks.quality --full --write
	$(BIN)/python -m benchmarks.index_scale --documents 100000
	$(BIN)/python -m benchmarks.disguise --write
	$(BIN)/python -m benchmarks.spark_scale --write

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
