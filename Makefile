# The two commands a learner or instructor needs: `make lab` and `make test`.
# Both create .venv from the pinned requirements when it is missing or stale.

PYTHON ?= python3
VENV   := .venv
BIN    := $(CURDIR)/$(VENV)/bin
# nbgrader starts alembic and jupyter as subprocesses: the venv's bin/ must come first.
export PATH := $(BIN):$(PATH)

LAB_PORT ?= 8888
PYTEST_ARGS ?=

.PHONY: help lab test venv dev clean

help:
	@echo "make lab    set up .venv and open the course in JupyterLab (localhost, token auth)"
	@echo "make test   set up .venv with the test tools and run every test"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# One stamp per requirement set, so editing a pin reinstalls exactly once.
$(VENV)/.runtime: $(BIN)/python requirements.txt pyproject.toml
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --config-settings editable_mode=compat -e .
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $@

venv: $(VENV)/.runtime
dev: $(VENV)/.dev

lab: $(VENV)/.runtime
	@echo "Starting JupyterLab on http://127.0.0.1:$(LAB_PORT) (token auth; open the URL printed below)."
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.port=$(LAB_PORT) \
	  --ServerApp.root_dir=$(CURDIR)/notebooks --ServerApp.port_retries=50

test: $(VENV)/.dev
	# SCIPY_ARRAY_API lets scikit-learn run its array-API estimator check instead of skipping it.
	SCIPY_ARRAY_API=1 $(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache
