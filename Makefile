PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: install demo test lint bench bench-full clean

$(BIN)/detector: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $@

install: $(BIN)/detector

## Install, then scan the bundled demo corpus of five speeches.
demo: install
	$(BIN)/detector scan data/speeches

## Install, then run the test suite.
test: install
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check detector tests benchmarks
	$(BIN)/ruff format --check detector tests benchmarks
	$(BIN)/mypy detector

## Run the benchmarks at a size that takes a few minutes (figures in benchmarks/RESULTS.md).
bench: install
	$(BIN)/python benchmarks/quality.py
	$(BIN)/python benchmarks/speed.py
	$(BIN)/python benchmarks/separation.py
	$(BIN)/python benchmarks/reuse_quality.py
	$(BIN)/python benchmarks/align_speed.py
	$(BIN)/python benchmarks/disguise.py

## Full-size runs (up to 100,000 documents, about an hour); updates benchmarks/RESULTS.md.
bench-full: install
	$(BIN)/python benchmarks/speed.py --full --write
	$(BIN)/python benchmarks/quality.py --full --write
	$(BIN)/python benchmarks/index_scale.py --documents 100000
	$(BIN)/python benchmarks/disguise.py --write
	$(BIN)/python benchmarks/spark_scale.py --write

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
