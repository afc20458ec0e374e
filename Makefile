# Weft: `make run` starts the app at http://127.0.0.1:8000, `make serve` serves it with several processes
# (REDIS_URL needed), `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2

# Debian packages: what the app runs with, and what the tests prove the generated configs with.
DEBS_RUN := python3-venv graphviz frr frr-pythontools ifupdown2 wireguard-tools iproute2
# openssh-server: push's scenarios run one sshd per node namespace; no sshd of the host's own is started.
DEBS_TEST := $(DEBS_RUN) bind9-utils shellcheck wireguard-go poppler-utils fail2ban python3-systemd python3-yaml isc-dhcp-client dnsmasq-base postgresql redis-server iputils-ping nftables chromium openssh-server

.PHONY: run serve test lint bench fuzz golden clean debs-run debs-test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# The project itself is installed editable (its dependencies are the pinned requirements), so
# $(BIN)/weft runs this checkout's code, as `manage.py fabric` does.
$(VENV)/.run-installed: requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.test-installed: requirements.txt requirements-test.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-test.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@ $(VENV)/.run-installed

debs-run:
	@scripts/apt-install $(DEBS_RUN)

debs-test:
	@scripts/apt-install $(DEBS_TEST)

run: debs-run $(VENV)/.run-installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py demo --url http://$(HOST):$(PORT)/
	@# The Celery worker (with its beat: the periodic drift check) runs beside the ASGI server and stops with it.
	$(BIN)/celery -A weft worker --pool=solo --loglevel=INFO --beat --schedule var/celerybeat-schedule & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Production: WORKERS uvicorn processes (one per core is a good start), handed connections in turn, sharing
# websockets and sign-in counts through Redis, with a Celery worker beside them; put a TLS proxy in front.
serve: export WEB_CONCURRENCY = $(WORKERS)
serve: debs-run $(VENV)/.run-installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/celery -A weft worker --pool=solo --loglevel=INFO & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	$(BIN)/python -m weft.serve --host $(HOST) --port $(PORT) --workers $(WORKERS)

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .

test: debs-test lint
	scripts/check-frontend
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest
	@# The web suite again on a PostgreSQL and a Redis of its own, with a real worker on Redis.
	$(BIN)/python -m tests.web.servers -- $(BIN)/pytest tests/web

# The peers (Arista pyavd, netlab) get a virtualenv of their own: the benchmark runs them as their users do.
PEERS := var/bench-peers

$(PEERS)/.installed: benchmarks/requirements-peers.txt
	$(PYTHON) -m venv $(PEERS)
	$(PEERS)/bin/pip install --quiet --upgrade pip
	$(PEERS)/bin/pip install --quiet -r benchmarks/requirements-peers.txt
	touch $@

bench: $(VENV)/.test-installed $(PEERS)/.installed
	$(BIN)/python benchmarks/run.py
	$(MAKE) --no-print-directory fuzz

# schemathesis, every operation and every check, against the app served as in production: at least 10,000
# generated requests on SQLite and as many on PostgreSQL; no server error and no answer outside the schema.
fuzz: debs-test $(VENV)/.test-installed
	$(BIN)/python -m tests.web.fuzz --cases 10000

golden: $(VENV)/.test-installed
	WEFT_REGENERATE_GOLDEN=1 $(BIN)/pytest tests/golden -q

clean:
	rm -rf $(VENV) var .pytest_cache
