# Two commands do everything on a fresh machine: `make run` and `make test` (`make lint` checks).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
DEMO   ?= demo

.PHONY: install run test reliability bench lint docs clean

LOCK   := requirements-dev.lock

# The exact versions CI tests (requirements-dev.lock), then the package itself on top.
$(STAMP): pyproject.toml $(LOCK)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

install: $(STAMP)

# After changing a dependency in pyproject.toml: pin the newest versions its ranges allow.
.PHONY: lock
lock: $(STAMP)
	$(VENV)/bin/pip-compile --quiet --upgrade --extra dev --strip-extras --no-emit-index-url \
		--no-emit-find-links --output-file $(LOCK) pyproject.toml

# A demo project made once from project_template/, then the TUI opened on it.
run: $(STAMP)
	@test -d $(DEMO) || $(VENV)/bin/writers-factory new $(DEMO) --title "Demo Novel" --sample
	$(VENV)/bin/writers-factory $(DEMO)

test: $(STAMP)
	$(PY) -m pytest -q -n 2 --dist loadfile -p no:cacheprovider

# The proof anyone can run: the reliability set at full size (500 kills of a writing process,
# 20 kills of the TUI in tmux, faults, hostile files, the lock race), then one table of
# tried / failed / lost counts; fails on any failure or loss (tests/reliability/report.py).
reliability: $(STAMP)
	$(PY) -m tests.reliability.report

# Every bench on War and Peace in 365 chapters (../shared/corpus/): one table (measure,
# baseline, candidate, ratio, target, PASS/FAIL) and bench/results.json. Targets not met yet
# are FAIL marks in the table, not a failed make: it exits non-zero only when the corpus is
# missing or a bench crashes. BENCH_RUNS=N alternated runs a side (default and minimum 5);
# BENCH_ONLY=startup,typing runs some (then results.json is left as it was).
bench: $(STAMP)
	$(PY) -m bench.run

# Style, types, and the layer rules of docs/architecture.md (import-linter contracts in
# pyproject.toml: which package may import which, no cycles inside tui/).
lint: $(STAMP)
	$(VENV)/bin/ruff check writers_factory tests bench examples docs/*.py
	$(VENV)/bin/ruff format --check writers_factory tests bench examples docs/*.py
	$(VENV)/bin/mypy
	$(VENV)/bin/mypy examples docs/*.py
	$(VENV)/bin/mypy --platform win32 writers_factory/store/base/oslock.py writers_factory/store/base/places.py
	$(VENV)/bin/lint-imports --no-logo

# The documentation site in site/: the screenshots taken afresh from the app, then a strict
# build (a broken link, a missing page or a reference that does not resolve fails it).
# Builds offline: no web fonts, nothing fetched.
docs: $(STAMP)
	$(PY) docs/screenshots.py
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .import_linter_cache .grimp_cache site
