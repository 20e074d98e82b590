# Le Carburateur — the commands a developer and CI use.
# `make run` serves the demo site locally; `make test` runs lint and the test suite;
# `make serve` runs the production stack (see README, "Production").

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed-stamp

.PHONY: install run serve bench-load bench-send bench-pages test lint format pytest browser browser-deps check-html lighthouse screenshots makemessages compilemessages demo users clean

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

## serve: the production stack on this machine: gunicorn, a Celery worker and Celery beat under
## honcho (Procfile), with config.settings.production. The variables come from the environment
## or .env; preflight refuses to start, in French, when one is missing or a service is down.
PORT ?= 8000
PROD := DJANGO_SETTINGS_MODULE=config.settings.production
serve: install
	mkdir -p var
	$(PROD) $(PY) manage.py preflight
	$(PROD) $(PY) manage.py migrate --noinput
	$(PROD) $(PY) manage.py collectstatic --noinput --verbosity 0
	PATH="$(abspath $(BIN)):$$PATH" $(PROD) $(BIN)/honcho --procfile Procfile start --port $(PORT)

## bench-load: 64 connections for 30 s each on the home page, the residents' directory and the
## newsletter sign-up POST, against `make serve` started for the bench (bench/load.py); then waits
## for the outbox to drain and checks one confirmation per sign-up address at its SMTP sink
## (Postfix's smtp-sink, installed when missing, as for bench-send).
bench-load: install
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	test -x /usr/sbin/smtp-sink || (apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postfix)
	$(PY) bench/load.py

## test: lint, then every test lane once (DATABASE_URL picks the database; SQLite by default).
test: install lint pytest

## lint: ruff, then the app graph: an import cycle between apps fails (tests/check_app_graph.py).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PY) tests/check_app_graph.py
	$(BIN)/mypy

## pytest: the lanes in turn, each timed (tests/lanes.py): unit (in parallel), slow, services,
## browser; TEST_LANES picks some (TEST_LANES=unit). With PYTEST_ARGS, just `pytest $(PYTEST_ARGS)`.
TEST_LANES ?=
BROWSER_LANE := $(if $(strip $(PYTEST_ARGS)),,$(if $(strip $(TEST_LANES)),$(filter browser,$(TEST_LANES)),browser))
pytest: install $(if $(BROWSER_LANE),browser-deps)
ifneq ($(strip $(PYTEST_ARGS)),)
	$(BIN)/pytest $(PYTEST_ARGS)
else
	TEST_LANES="$(TEST_LANES)" $(PY) tests/lanes.py
endif

## browser: only the tests that drive Chromium (screenshots and axe report under var/screenshots/).
browser: install browser-deps
	$(BIN)/pytest -m browser $(PYTEST_ARGS)

## browser-deps: Debian's Chromium (never a browser downloaded by Playwright), npm, which fetches
## axe-core, and Java for the Nu Html Checker; each installed only when missing (Node's own
## package may already bring npm). Then `npm ci`: vnu-jar and Lighthouse, pinned and checked
## against package-lock.json's integrity hashes, into node_modules/ (again when the lock changed).
browser-deps:
	@missing="$$(test -x /usr/bin/chromium || echo chromium) $$(command -v npm >/dev/null || echo npm) $$(command -v java >/dev/null || echo openjdk-17-jre-headless)"; \
	if [ -n "$$(echo $$missing)" ]; then \
	  echo "== installation de $$missing =="; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq >/dev/null && apt-get install -y -qq $$missing >/dev/null; \
	fi
	@test node_modules/.package-lock.json -nt package-lock.json || \
	  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

## check-html: the Nu Html Checker (npm vnu-jar) on one page of every public page type of the
## demo, served as in the browser tests; fails listing each error (tests/browser/test_html_validity.py).
check-html: install browser-deps
	$(BIN)/pytest -m browser -p no:cacheprovider tests/browser/test_html_validity.py $(PYTEST_ARGS)

## lighthouse: Lighthouse 12 on every indexable page type, against the production stack with the
## demo (bench/lighthouse.py); prints the table, keeps the reports in var/lighthouse/, fails on
## a missed goal. LIGHTHOUSE_FORM_FACTOR=mobile measures as a phone.
LIGHTHOUSE_FORM_FACTOR ?= desktop
lighthouse: install browser-deps
	LIGHTHOUSE_FORM_FACTOR=$(LIGHTHOUSE_FORM_FACTOR) $(PY) -m bench.lighthouse

## screenshots: every page type, full page, phone (390 x 844) and desktop (1280 x 800), against
## the same stack, into var/screenshots/pages/ (bench/screenshots.py).
screenshots: install browser-deps
	$(PY) -m bench.screenshots

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## bench-send: time a newsletter send (real worker, Redis, PostgreSQL, Postfix's smtp-sink, installed
## when missing) against a bare loop with as many processes as the worker, in the same run.
## BENCH_SIZES to choose; BENCH_DATABASE, BENCH_CEILING_SAMPLE, BENCH_SCREENSHOT=path.png tune it.
BENCH_SIZES ?= 10000 100000
bench-send: install
	test -x /usr/sbin/smtp-sink || (apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postfix)
	$(PY) bench/send.py $(BENCH_SIZES)

## bench-pages: public pages under load (gunicorn, PostgreSQL, Redis, wrk), against a bare
## Django view; prints the table. BENCH_DATABASE, BENCH_PG, BENCH_REDIS, BENCH_DURATION tune it.
bench-pages: install
	command -v wrk >/dev/null || apt-get install -y wrk
	$(PY) -m bench.pages

makemessages: install
	cd site && ../$(PY) ../manage.py makemessages -l fr --ignore=.venv

## compilemessages: build the .mo files of site/locale and site/wagtail_locale (GNU gettext's
## msgfmt). The .mo are committed, so a fresh clone runs without gettext installed.
compilemessages: install
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf var/db.sqlite3 var/media var/outbox var/broker var/celerybeat-schedule*
