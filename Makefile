# zhijia — make targets. See README.md.
#
#   make install   create .venv (python3.11) and install zhijia with its dev tools; starts nothing
#   make demo      install, migrate the SQLite database under $(ZHIJIA_DATA_DIR), seed the demo
#                  union, print the demo accounts and serve http://127.0.0.1:8000
#   make test      install (and the Debian packages the tests need), lint, type-check, project
#                  rules, then the whole test suite on SQLite and again on a private PostgreSQL
#   make lint      ruff, mypy, import contracts, migrations check and the project rules only
#   make messages  refresh the English catalogue (zhijia/locale/en) from the source strings
#   make screenshots  rewrite docs/screenshots/*.png from the end-to-end tests

SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
export ZHIJIA_DATA_DIR ?= $(CURDIR)/var
DEMO_MEMBERS ?= 2000
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install demo test lint messages screenshots clean

install:
	@PYTHON=$(PYTHON) VENV=$(VENV) scripts/install.sh

demo: install
	$(BIN)/zhijia manage migrate --noinput
	$(BIN)/zhijia seed-demo --members $(DEMO_MEMBERS)
	$(BIN)/zhijia serve --host $(HOST) --port $(PORT)

test: install
	@scripts/test.sh

lint: install
	@ZHIJIA_TEST_ONLY=lint scripts/test.sh

messages: install
	@scripts/messages.sh

screenshots: install
	@scripts/system-deps.sh
	@scripts/js-deps.sh
	ZHIJIA_SCREENSHOTS_DIR=$(CURDIR)/docs/screenshots $(BIN)/pytest -q \
		tests/e2e/test_phone.py tests/e2e/test_persona_journeys.py tests/e2e/test_member_list.py \
		tests/e2e/test_dashboard.py

clean:
	rm -rf $(VENV) test-artifacts
