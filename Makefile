# Le Carburateur — the commands a developer and CI use.
# `make run` serves the demo site locally; `make test` runs lint and the test suite.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed-stamp

.PHONY: install run test lint format pytest browser makemessages compilemessages demo users clean bench-send

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

## browser: only the tests that drive Chromium (screenshots and axe report under var/screenshots/).
browser: install
	$(BIN)/pytest -m browser $(PYTEST_ARGS)

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## bench-send: time a newsletter send (real worker, Redis, PostgreSQL, SMTP sink); BENCH_SIZES to choose.
BENCH_SIZES ?= 10000 100000
bench-send: install
	$(PY) bench/send.py $(BENCH_SIZES)

makemessages: install
	cd site && ../$(PY) ../manage.py makemessages -l fr --ignore=.venv

clean:
	rm -rf var/db.sqlite3 var/media var/outbox var/broker var/celerybeat-schedule*
