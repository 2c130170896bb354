# OCOP Market: `make run` to try it, `make test` to prove it. See README.md.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
STAMP  := $(VENV)/.installed

# Development defaults; any of them can be overridden from the environment.
export DEBUG ?= 1
export PYTHONDONTWRITEBYTECODE = 1

.PHONY: run test crawl bench loadtest venv migrate demo messages i18n-gaps lint clean

$(STAMP): requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null || { echo "ERROR: $(PYTHON) not found; install Python 3.11 or run: make PYTHON=/path/to/python3.11 …"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $(STAMP)

venv: $(STAMP)

migrate: $(STAMP)
	@$(PY) manage.py preflight
	$(PY) manage.py migrate --noinput -v 0

demo: migrate
	$(PY) manage.py load_demo

run: demo
	@echo ""
	@echo "OCOP Market is starting on http://127.0.0.1:$(PORT)/  (dashboard: /dashboard/, stop with Ctrl+C)"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Two to four pytest-xdist workers, one per core: each gets a test database (test_<name>_gwN), a Redis
# database and fault-test ports of its own (tests/envdefaults.py, tests/own_redis.py); a file's tests
# stay on one worker, so a module's server or browser starts once, and files keep the suite's order
# (--no-loadscope-reorder): the browser tests come last (tests/e2e/conftest.py says why).
# TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); [ $$n -lt 2 ] && n=2; [ $$n -gt 4 ] && n=4; echo $$n)

test: $(STAMP)
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder -m "not loadrun"

# The bad-input crawl of every URL as every role (tests/shop/test_bad_input_crawl.py). `make test`
# runs it bounded (about 3 minutes); this sends every bad value and query string everywhere.
crawl: $(STAMP)
	OCOP_CRAWL=full $(PY) -m pytest tests/shop/test_bad_input_crawl.py tests/shop/test_bad_input_crawl_superuser.py

bench: $(STAMP)
	$(PY) bench/run.py

# Load run + data checks against gunicorn, PostgreSQL, Redis and a worker (bench/loadtest.py; needs
# DATABASE_URL=postgres://… and REDIS_URL). LOADTEST_SECONDS (60) and LOADTEST_USERS (20).
loadtest: $(STAMP)
	$(PY) -m pytest -p no:cacheprovider -m loadrun tests/bench/test_loadtest.py
	$(PY) bench/loadtest.py

# Rebuild the compiled translations after editing locale/*/LC_MESSAGES/django.po.
# The .po files are touched first: compilemessages skips a .mo newer than its .po, and after a git
# merge or checkout the times say nothing (tests/test_compiled_catalogues.py checks the result).
messages: $(STAMP)
	find . -name '*.po' -not -path './.venv/*' -not -path './node_modules/*' -exec touch {} +
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules

# List strings still lacking a Vietnamese translation (each app keeps its own locale/vi .po).
i18n-gaps: $(STAMP)
	$(PY) -m tests.translation_gaps

lint: $(STAMP)
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) var/*.sqlite3* media staticfiles .pytest_cache
