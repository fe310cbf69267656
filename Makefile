# Dengar: `make run` and `make test` work on a fresh clone with only Python 3.11 and make.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-quick bench lint install demo-data clean messages

# The translations (locale/*/LC_MESSAGES/django.po) are compiled here: .mo files are not committed.
# GNU gettext's msgfmt when the machine has it, Babel (a dev dependency, pure Python) otherwise.
$(STAMP): pyproject.toml $(wildcard locale/*/LC_MESSAGES/*.po)
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Dengar needs Python 3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	if command -v msgfmt >/dev/null; then DENGAR_ENV=development $(BIN)/python manage.py compilemessages --ignore=$(VENV) --ignore=var; \
	else $(BIN)/pybabel compile --domain=django --directory=locale; fi
	touch $(STAMP)

install: $(STAMP)

# `make run` and `make bench` run on this machine in development mode; production is the default.
DEV := DENGAR_ENV=development

demo-data: $(STAMP)
	$(DEV) $(BIN)/python manage.py migrate --noinput
	$(DEV) $(BIN)/python manage.py seed_demo

## The real thing on this machine: web server, Celery worker and beat, demo data.
run: demo-data
	$(DEV) $(BIN)/python manage.py rundemo

## Lint, type checks and the whole test suite, on one process per core (pytest-xdist, a test
## database each; the e2e tests one after another on one of them). Uses DATABASE_URL / REDIS_URL when set.
## TEST_PROCESSES=0 runs it in this process alone.
TEST_PROCESSES ?= auto
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -n $(TEST_PROCESSES) --dist loadgroup

## The quick loop while developing: mypy, then every test but the e2e ones (real workers, the browser) and
## the tests marked slow (the API fuzz, the volume detector's statistics, weeks of mock mentions),
## on the embedded SQLite database, one process per core.
test-quick: $(STAMP)
	$(BIN)/mypy
	env -u DATABASE_URL -u REDIS_URL $(BIN)/python -m pytest -m "not e2e and not slow" -n auto -q

## Benchmarks print figures; they run on this machine's PostgreSQL and Redis.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/dengar_bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/14
bench: $(STAMP)
	@dropdb -h 127.0.0.1 -U postgres --if-exists dengar_bench
	@createdb -h 127.0.0.1 -U postgres dengar_bench
	$(DEV) DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) $(BIN)/python manage.py bench

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

## Collects the marked strings into locale/id/LC_MESSAGES/django.po (then fill the new msgstr).
messages: $(STAMP)
	DENGAR_ENV=development $(BIN)/python manage.py makemessages -l id --no-obsolete \
		--ignore=$(VENV) --ignore=var --ignore=tests --ignore=build --ignore='*.egg-info'

clean:
	rm -rf var
