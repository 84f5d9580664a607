# The two commands: `make run` and `make test`. Everything else is a helper for them.
PYTHON ?= $(shell command -v python3.13 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install migrate translations messages demo lint format worker clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 13) else "Python 3.13 or newer is needed (found " + sys.version.split()[0] + ")")'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	$(PY) manage.py build_search_lexicon
	@touch $@

install: $(VENV)/.installed

translations: install
	$(PY) manage.py build_translations

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_reference_data
	$(PY) manage.py seed_demo

# The web server and a worker beside it (with beat), stopped together: background work (reports,
# imports, e-mails) runs in the background as on a city's server, through the broker of the
# configuration (a folder without REDIS_URL).
# Links in e-mails (sent by the worker too) point at the address this server answers on (unless SITE_URL is set already).
run: export SITE_URL ?= http://$(HOST):$(PORT)
# The demo's staff accounts open the staff panel without a second factor (README); production never.
run: export STAFF_MFA_REQUIRED ?= false
run: translations demo
	@$(VENV)/bin/celery -A lublin2030 worker --beat --loglevel=warning --concurrency=2 \
		--schedule=$(VENV)/celerybeat-schedule & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: translations
	$(VENV)/bin/pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

APPS := accounts stages participation workgroups recommendations reports strategy consultation implementation

# Extract translatable strings of every app into its own locale/, project-wide ones into locale/.
# Without DJANGO_SETTINGS_MODULE, makemessages writes to the locale/ of the folder it runs in.
messages: install
	for app in $(APPS); do (cd $$app && mkdir -p locale && DJANGO_SETTINGS_MODULE= ../$(VENV)/bin/django-admin makemessages -l pl --no-obsolete --no-location) || exit 1; done
	DJANGO_SETTINGS_MODULE= $(VENV)/bin/django-admin makemessages -l pl --no-obsolete --no-location $(foreach app,$(APPS),--ignore=$(app)/*) --ignore=.venv/* --ignore=node_modules/* --ignore=tests/* --ignore=bench/* --ignore=staticfiles/*

worker: install
	$(VENV)/bin/celery -A lublin2030 worker --loglevel=info --concurrency=2 --beat --schedule=$(VENV)/celerybeat-schedule

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
