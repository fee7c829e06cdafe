# The two commands of the quick start: `make serve` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install install-test build serve test clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

build: install
	$(VENV)/bin/archivekg build

serve: build
	$(VENV)/bin/archivekg serve --host $(HOST) --port $(PORT)

test: install-test
	$(PY) -m pytest -q

clean:
	rm -rf build .pytest_cache
