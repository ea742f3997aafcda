# Two commands set everything up on a fresh machine: `make demo` and `make test`.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test venv messages lint serve bench stack-up stack-down clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $$(scripts/find-python) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	@touch $(STAMP)

venv: $(STAMP)

messages: $(STAMP)
	@scripts/system-deps gettext
	@$(PY) manage.py compilemessages -v0 --ignore '.venv/*'

demo: venv messages
	@mkdir -p var
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py load_reference
	$(PY) manage.py load_demo
	@echo "Serving on http://$(HOST):$(PORT)/ (staff back office: http://$(HOST):$(PORT)/staff/), with a background worker"
	@$(PY) manage.py worker & worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	  $(PY) manage.py runserver $(HOST):$(PORT)

lint: venv
	$(VENV)/bin/ruff check .

test: venv messages
	@scripts/system-deps chromium fonts r-surveillance
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest $(PYTEST_ARGS)

bench: venv
	$(PY) -m pip install -q -e '.[test,bench]'
	@scripts/system-deps wrk redis
	@for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

# The production stack on loopback (PostgreSQL, Redis, 2 gunicorn behind nginx, a worker): see scripts/stack.
stack-up: venv messages
	scripts/stack up

stack-down:
	scripts/stack down

clean:
	rm -rf $(VENV) var
