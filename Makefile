# Two commands on a fresh machine: `make run` (demo on SQLite) and `make test` (the whole suite).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
PG_URL ?= postgresql://postgres@127.0.0.1:5432/test
CHROMIUM ?= /usr/bin/chromium

export FLASK_APP := wsgi
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test setup venv translations db content demo bench messages check-content chromium clean

$(BIN)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

venv: $(BIN)/.installed

translations: venv
	$(BIN)/pybabel compile --statistics -d lms/translations 2>&1 | tail -n 2

# The demo database lives in instance/; running this again keeps the data and creates nothing twice.
setup: venv translations
	LMS_CONFIG=development $(BIN)/flask db upgrade
	LMS_CONFIG=development $(BIN)/flask content import
	LMS_CONFIG=development $(BIN)/flask demo seed

# The web server and, beside it, the job worker (imports, document ZIPs, e-mail, reminders) and a local mail
# sink that keeps every e-mail as a file in instance/mail/; Ctrl+C stops all three.
run: setup
	@echo ""
	@echo "  Serving on http://$(HOST):$(PORT)  (Ctrl+C to stop)"
	@echo "  Demo sign-ins (password demo1234): admin (administrator), giangvien (instructor), hocvien (learner)"
	@echo "  E-mail goes to the local sink: instance/mail/*.eml"
	@echo ""
	@LMS_CONFIG=development $(BIN)/flask mail sink & sink=$$!; \
	LMS_CONFIG=development $(BIN)/flask jobs worker & worker=$$!; \
	trap 'kill $$worker $$sink 2>/dev/null; wait $$worker $$sink 2>/dev/null' EXIT INT TERM; \
	LMS_CONFIG=development $(BIN)/flask run --host $(HOST) --port $(PORT)

# Browser tests drive Debian's Chromium; install it when missing and we may (CI runs as root).
chromium:
	@test -x $(CHROMIUM) || { [ "$$(id -u)" = 0 ] && apt-get install -y -q chromium >/dev/null; } || \
	  { echo "Chromium is missing: apt-get install -y chromium"; exit 1; }

# PostgreSQL joins the run whenever it answers; .ci/run makes sure it does. The tests run in TEST_WORKERS
# processes (pytest-xdist), each with a PostgreSQL database of its own (test_gw0, ...); TEST_WORKERS=0 runs serially.
TEST_WORKERS ?= 2

test: venv translations chromium
	$(BIN)/ruff check lms bench scripts tests
	$(BIN)/lint-imports --no-cache
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
	  echo "PostgreSQL answers: every database test runs on SQLite and PostgreSQL"; \
	  TEST_DATABASE_URL=$(PG_URL) CHROMIUM_PATH=$(CHROMIUM) $(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS); \
	else \
	  echo "PostgreSQL is not reachable at $(PG_URL): running on SQLite only"; \
	  CHROMIUM_PATH=$(CHROMIUM) $(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS); \
	fi

bench: setup
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y wrk >/dev/null; } || echo "wrk not installed: page figures will be skipped"
	$(BIN)/python -m bench

# Needs no database and no secrets: the validator reads the files only.
check-content: venv
	$(BIN)/python -m lms.content.check content/modules

# Developers: refresh the message catalogs after changing user-visible strings.
messages: venv
	$(BIN)/pybabel extract -F babel.cfg -k _l -k N_ -k lazy_pgettext:1c,2 --sort-output -o lms/translations/messages.pot .
	$(BIN)/pybabel update -i lms/translations/messages.pot -d lms/translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts
