# The two commands of the README: `make run` and `make test`. Everything else is a step of those.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3
DEMO_POLICY := recognizers/packs/demo/policy.yaml
# Debian packages the test suite drives (browsers and the font they lay text out with, package tools).
# Installed only when one is missing.
APT_TEST_PACKAGES := chromium fonts-liberation firefox-esr dpkg-dev lintian systemd msitools strace binutils patchelf wixl openssl rsyslog iproute2

.PHONY: run test install test-tools lint test-py test-ext

$(BIN)/discreet: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

install: $(BIN)/discreet

run: install
	$(BIN)/discreet serve --policy $(DEMO_POLICY)

test-tools: install
	@missing=""; for p in $(APT_TEST_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	cd extension && npm ci --no-audit --no-fund --loglevel=error

lint: install
	$(BIN)/ruff check service recognizers tests bench
	$(BIN)/ruff format --check service recognizers tests bench

test-py: install
	$(BIN)/pytest -q tests

test-ext: test-tools
	cd extension && npm test

test: test-tools lint test-py test-ext
