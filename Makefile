# Two commands do all set-up on a fresh clone (Python >= 3.11 and pip only):
#   make extract   - install into .venv, run gongkai on the bundled samples in data/raw/ -> data/out/
#   make test      - install into .venv (with test extras), run ruff, mypy and pytest
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: extract test lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

extract: $(STAMP)
	$(BIN)/gongkai extract data/raw --out data/out || [ $$? -eq 99 ]  # 99: nothing new since the last run

lint: $(STAMP)
	$(BIN)/ruff check pipeline extractors schemas tests benchmarks
	$(BIN)/mypy pipeline extractors schemas

test: lint
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) data/out/*
