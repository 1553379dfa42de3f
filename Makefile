# Store assistant: `make run` (install, train if needed, start everything) and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements/lock.txt Makefile 2>/dev/null | sha1sum | cut -c1-12)
RASA_VERSION := 3.6.21
RASA_SDK_VERSION := 3.6.2

export PYTHONPATH := $(CURDIR)
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

.PHONY: install lock train db secrets run run-scaled nginx test test-fast test-e2e lint lint-scripts lint-security bench clean widget browser test-browser

install: $(STAMP)

$(STAMP): requirements/lock.txt
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check pip==24.2
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -r requirements/lock.txt
	$(BIN)/pip install -q --disable-pip-version-check --no-deps --ignore-requires-python \
		rasa==$(RASA_VERSION) rasa-sdk==$(RASA_SDK_VERSION)
	rm -f $(VENV)/.installed-*
	touch $@

# Re-resolve requirements/app.in into requirements/lock.txt (needs network).
lock:
	rm -rf /tmp/store-lock-venv && $(PY) -m venv /tmp/store-lock-venv
	/tmp/store-lock-venv/bin/pip install -q pip==24.2 && /tmp/store-lock-venv/bin/pip install -q -r requirements/app.in
	{ head -2 requirements/lock.txt; /tmp/store-lock-venv/bin/pip freeze --all --exclude pip; } > requirements/lock.new
	mv requirements/lock.new requirements/lock.txt

# Train only when the training data changed (models/<fingerprint>.tar.gz is the cache key).
train: install
	$(BIN)/python -m bot.ops.train

db: install
	$(BIN)/python -m bot.ops.setup_db

# Secrets unset in the environment are generated once into var/secrets.env (mode 600); the first manager's
# password is printed that one time.
secrets: install
	$(BIN)/python -m bot.security.secrets

run: secrets train db widget
	$(BIN)/honcho start -f Procfile

# Style and type checks on the product's code (config in pyproject.toml); `make test` runs them first.
lint: install
	$(BIN)/ruff check bot actions channels tests bench
	$(BIN)/mypy

# Static security checks: no finding of high severity in the project's code.
lint-security: install
	$(BIN)/bandit -q -r bot channels actions bench --severity-level high

lint-scripts: install
	$(BIN)/python -m bot.scripts.lint
	$(BIN)/python -m bot.training --check

test: lint train db widget browser nginx lint-security
	$(BIN)/python -m bot.ops.validate
	$(BIN)/python -m bot.scripts.lint
	$(BIN)/python -m bot.training --check
	$(BIN)/python -m pytest -q -m "not e2e"
	$(BIN)/python -m pytest -q -m e2e
	$(BIN)/python -m bot.ops.rasa_test

test-fast: install
	$(BIN)/python -m pytest -q -m "not e2e"

bench: train db
	$(BIN)/python -m bench.run

# nginx from Debian's packages, only when missing (the scale-out balancer and its tests).
nginx:
	@command -v nginx >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx; }

# 2 Rasa + 2 action servers + 2 web apps + 2 reminder schedulers behind nginx, PostgreSQL + Redis (honcho).
run-scaled: train nginx widget
	$(BIN)/python -m bot.ops.scaled

# --- chat widget assets and Debian Chromium for the browser tests ---
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
VENDOR_JS := bot/web/static/vendor/socket.io.min.js

widget: $(VENDOR_JS)

# socket.io-client is pinned in package.json / package-lock.json; npm ci installs exactly the locked version.
$(VENDOR_JS): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	mkdir -p $(@D)
	cp node_modules/socket.io-client/dist/socket.io.min.js $@

# Debian's Chromium plus CJK and emoji fonts (screenshots show Chinese text), installed only when missing.
browser:
	@command -v chromium >/dev/null && fc-list :lang=zh | grep -q . || \
		{ apt-get update && apt-get install -y --no-install-recommends chromium fonts-noto-cjk fonts-noto-color-emoji; }

test-browser: train db widget browser
	$(BIN)/python -m pytest -q -m browser tests/browser

clean:
	rm -rf models var results .pytest_cache
