# Occlusa — everyday commands. `make run` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: install test-install dev-install translations assets db demo run test test-fast lint lock worker sweep check smoke extract clean

install: $(VENV)/.installed translations assets

# Three pinned sets generated from pyproject.toml (`make lock`): requirements.txt is what runs
# in production, requirements-test.txt adds the suite's tools, requirements-dev.txt adds ruff.
# `make run` installs the first only; `make test` the second.
$(VENV)/.installed: requirements.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements-test.txt $(VENV)/.installed
	$(VENV)/bin/pip install --quiet -r requirements-test.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed-test
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $@

test-install: install $(VENV)/.installed-test
dev-install: install $(VENV)/.installed-dev

# Regenerate the pinned sets after changing pyproject.toml (keeps current pins where they fit).
lock: $(VENV)/.installed-dev
	$(VENV)/bin/uv pip compile -q --python-version 3.11 pyproject.toml -o requirements.txt
	$(VENV)/bin/uv pip compile -q --python-version 3.11 pyproject.toml --extra test -o requirements-test.txt
	$(VENV)/bin/uv pip compile -q --python-version 3.11 pyproject.toml --extra dev -o requirements-dev.txt

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Compile every translation catalogue (one folder per area under translations/).
translations: $(VENV)/.installed
	@for dir in translations/*/; do $(VENV)/bin/pybabel compile --statistics -d $$dir || exit 1; done

# Front-end libraries come from the npm registry and are served by the app (no CDN).
# three.js for the 3D viewer: the build and the examples it needs, in static/vendor/three/.
# The examples import the bare name 'three', which browsers resolve only through an import
# map; the CSP allows no inline script, so the name is rewritten to a relative path instead.
THREE := node_modules/three
THREE_ADDONS := controls/OrbitControls loaders/STLLoader loaders/PLYLoader loaders/OBJLoader
assets:
	@if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then \
	  npm ci --no-audit --no-fund --silent && touch node_modules; fi
	@mkdir -p static/vendor/three
	@cp $(THREE)/build/three.module.js $(THREE)/build/three.core.js $(THREE)/LICENSE static/vendor/three/
	@for addon in $(THREE_ADDONS); do \
	  sed "s#from 'three'#from './three.module.js'#" $(THREE)/examples/jsm/$$addon.js \
	    > static/vendor/three/$$(basename $$addon).js || exit 1; \
	done

db: install
	$(FLASK) db upgrade

demo: db
	$(FLASK) seed-demo

run: demo
	SWEEP_EVERY_SECONDS=$${SWEEP_EVERY_SECONDS:-60} $(FLASK) run --host $(HOST) --port $(PORT)

# The whole suite; TEST_DATABASE_URL=postgresql://… runs it on PostgreSQL.
test: test-install
	$(VENV)/bin/pytest -q

test-fast: test-install
	$(VENV)/bin/pytest -q -m "not e2e"

worker: install
	@test -n "$$REDIS_URL" || (echo "Set REDIS_URL to run a worker (without it jobs run inline)."; exit 1)
	$(VENV)/bin/rq worker --with-scheduler --url "$$REDIS_URL" -w worker.AppWorker sweeps default

sweep: install
	$(FLASK) sweep

# Every part of this deployment: database, migrations, storage, Redis, worker, scheduler, ledger.
check: install
	$(FLASK) check

# The production layout of deploy/ on this machine, and a case walked through it (.ci/smoke).
smoke: test-install
	.ci/smoke

# Refresh the catalogues after changing user-facing text.
extract: $(VENV)/.installed
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -o translations/messages.pot .

clean:
	rm -rf $(VENV) node_modules static/vendor
