# Le Carburateur — the commands a developer and CI use.
# `make run` serves the demo site locally; `make test` runs lint and the test suite.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed-stamp

.PHONY: install run test lint format pytest makemessages compilemessages demo users clean bench-pages

$(STAMP): requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $(STAMP)

install: $(STAMP)

## run: install, migrate, load the demo, create local users, then serve with a worker and beat.
run: install
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py create_local_users
	$(BIN)/honcho --procfile Procfile.dev start

## test: lint, then the whole test suite (DATABASE_URL picks the database; SQLite by default).
test: install lint pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

pytest: install
	$(BIN)/pytest $(PYTEST_ARGS)

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## bench-pages: public pages under load (gunicorn, PostgreSQL, Redis, wrk), against a bare
## Django view; prints the table. BENCH_DATABASE, BENCH_PG, BENCH_REDIS, BENCH_DURATION tune it.
bench-pages: install
	command -v wrk >/dev/null || apt-get install -y wrk
	$(PY) -m bench.pages

makemessages: install
	cd site && ../$(PY) ../manage.py makemessages -l fr --ignore=.venv

clean:
	rm -rf var/db.sqlite3 var/media var/outbox var/broker var/celerybeat-schedule*
