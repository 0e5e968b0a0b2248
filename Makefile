# Two commands do all set-up on a fresh clone (Python >= 3.11 and pip only):
#   make extract   - install gongkai (runtime dependencies only) into .venv, run it on the bundled
#                    samples in data/raw/ -> data/out/
#   make test      - install the test extras too, run ruff, mypy --strict and pytest
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
RUNTIME = $(VENV)/.installed-runtime
TESTENV = $(VENV)/.installed-test
# mypy sees the package `gongkai` through this link tree (pyproject maps it from three folders)
TYPECHECK = build/typecheck/gongkai

.PHONY: extract test lint typecheck-tree clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(RUNTIME): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $(RUNTIME)

$(TESTENV): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(RUNTIME) $(TESTENV)

extract: $(RUNTIME)
	$(BIN)/gongkai extract data/raw --out data/out || [ $$? -eq 99 ]  # 99: nothing new since the last run

typecheck-tree:
	rm -rf $(TYPECHECK) && mkdir -p $(TYPECHECK)
	for f in pipeline/*; do ln -s ../../../$$f $(TYPECHECK)/$${f#pipeline/}; done
	ln -s ../../../extractors $(TYPECHECK)/extractors
	ln -s ../../../schemas $(TYPECHECK)/schemas

lint: $(TESTENV) typecheck-tree
	$(BIN)/ruff check pipeline extractors schemas tests benchmarks
	$(BIN)/mypy $(TYPECHECK)

test: lint
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) build data/out/*
