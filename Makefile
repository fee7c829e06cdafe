# The two commands of the quick start: `make serve` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
HOST   ?= 127.0.0.1
PORT   ?= 8000

VENDOR  = archivekg/site/static/vendor

.PHONY: install install-test assets build serve test clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

# The pages' browser assets (Leaflet, Cytoscape.js, CodeMirror) and the Natural Earth basemap:
# installed from the npm registry as pinned by package-lock.json, copied and bundled into
# $(VENDOR)/ (served by us; not in git).
$(VENDOR)/.built: package.json package-lock.json assets/build.mjs assets/editor.js
	@command -v npm >/dev/null || { echo "the page assets need Node.js and npm: apt-get install -y nodejs npm" >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	node assets/build.mjs
	touch $@

assets: $(VENDOR)/.built
install: $(VENV)/.installed $(VENDOR)/.built
install-test: $(VENV)/.installed-test $(VENDOR)/.built

build: install
	$(VENV)/bin/archivekg build

serve: build
	$(VENV)/bin/archivekg serve --host $(HOST) --port $(PORT)

test: install-test
	$(PY) -m pytest -q

clean:
	rm -rf build .pytest_cache $(VENDOR) node_modules
