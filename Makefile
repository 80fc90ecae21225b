# The office's everyday commands. `make run` and `make test` are the README's quick start.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/bureau
REDIS_URL ?= redis://127.0.0.1:6379/0
# The suite runs in this many processes (pytest-xdist), one per core; `--dist load` keeps
# pytest-django's order (plain tests, then transactional ones, then the seeded demo office).
TEST_PROCESSES ?= 2

.PHONY: setup run test bench lint messages clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements.txt
	touch $@

## setup: what run and test share: the virtualenv with every requirement, compiled translations.
setup: $(VENV)/.installed
	@if command -v msgfmt >/dev/null; then $(PY) manage.py compilemessages --ignore=.venv -v 0; \
	 else echo "msgfmt not found (Debian: apt-get install gettext); using the committed catalogues"; fi

## run: the demo office on the embedded default (SQLite, filesystem broker) with worker and beat.
run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(VENV)/bin/honcho start -f Procfile

## test: the lint checks (ruff check, ruff format --check, mypy, djLint, the migrations check), then
## the whole suite against PostgreSQL and Redis.
test: lint
	DATABASE_URL=$(DATABASE_URL) REDIS_URL=$(REDIS_URL) CELERY_BROKER_URL=$(REDIS_URL) \
		$(VENV)/bin/pytest -n $(TEST_PROCESSES) --dist load

## bench: the benchmarks (outside the suite); writes var/bench/results.json.
bench: setup
	DATABASE_URL=$(DATABASE_URL) REDIS_URL=$(REDIS_URL) CELERY_BROKER_URL=$(REDIS_URL) \
		$(PY) tests/benchmarks/run.py

## lint: ruff check, ruff format --check, mypy over the services and selectors (files listed in
## pyproject.toml), djLint's linter over the templates, and the check that migrations match the
## models. pre-commit runs the same.
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/djlint templates --lint
	DATABASE_URL=$(DATABASE_URL) $(PY) manage.py makemigrations --check --dry-run

## messages: refresh the translation catalogue after changing user-facing text.
messages: setup
	$(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=var --ignore=tests

clean:
	rm -rf var/office.sqlite3 var/broker
