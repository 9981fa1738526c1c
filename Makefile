# The two commands: `make run` (set up, index, serve) and `make test` (set up, lint, test).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum < requirements.txt | cut -d' ' -f1)
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False

.PHONY: run test install index check lint pytest eval bench browser-deps server-deps clean

run: $(STAMP)
	$(BIN)/python -m ingest
	$(BIN)/python app.py

test: $(STAMP) browser-deps server-deps lint pytest

install: $(STAMP)

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

index: $(STAMP)
	$(BIN)/python -m ingest

check: $(STAMP)
	$(BIN)/python -m ingest --check

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/python -m pytest

eval: $(STAMP)
	$(BIN)/python -m ingest --quiet
	$(BIN)/python -m assistant.evaluate
	$(BIN)/python -m assistant.evaluate --crisis
	$(BIN)/python -m assistant.evaluate --language

bench: $(STAMP)
	$(BIN)/python -m ingest --quiet
	$(BIN)/python -m bench.answer
	$(BIN)/python -m bench.scale
	$(BIN)/python -m bench.page

# Debian's Chromium for the browser test (never a browser download); needs root or sudo.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  elif command -v sudo >/dev/null 2>&1; then sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium not installed and no root: the browser test will be skipped"; fi; }

# Debian's PostgreSQL for the replica test (a real server started by the test); needs root or sudo.
server-deps:
	@command -v postgres >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq postgresql >/dev/null; \
	  elif command -v sudo >/dev/null 2>&1; then sudo apt-get update -qq && sudo apt-get install -y -qq postgresql >/dev/null; \
	  else echo "postgresql not installed and no root: the replica test will fail"; fi; }

clean:
	rm -rf data .cache reports/*.md reports/*.json test-output .pytest_cache .mypy_cache .ruff_cache
