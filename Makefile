# The two commands a learner or instructor needs: `make lab` and `make test`.
# Both create .venv from the pinned requirements when it is missing or stale.

PYTHON ?= python3
VENV   := .venv
BIN    := $(CURDIR)/$(VENV)/bin
# nbgrader starts alembic and jupyter as subprocesses: the venv's bin/ must come first.
export PATH := $(BIN):$(PATH)

LAB_PORT ?= 8888
FORMGRADER_PORT ?= 8889
PYTEST_ARGS ?=

.PHONY: help lab formgrader check test venv dev chp clean

help:
	@echo "make lab         set up .venv and open the course in JupyterLab, as a learner sees it (localhost, token auth)"
	@echo "make check       about a minute: library and course-package unit tests"
	@echo "make test        set up .venv with the test tools (and configurable-http-proxy) and run every test"
	@echo "make formgrader  instructors: JupyterLab at the course root with nbgrader's formgrader"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# One stamp per requirement set, so editing a pin reinstalls exactly once.
$(VENV)/.runtime: $(BIN)/python requirements.txt pyproject.toml
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

# Test tools, plus the JupyterHub pieces that the shared-server test needs (requirements-hub.txt).
$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt requirements-hub.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt -r requirements-hub.txt
	@touch $@

# configurable-http-proxy for the JupyterHub end-to-end test (tests/hubutil.py finds it in
# .venv/chp/node_modules/.bin), at the version and dependency tree locked in deploy/proxy/.
# Reinstalled when the lock file changes. Without npm the hub test is skipped (it says why).
$(VENV)/chp/.installed: deploy/proxy/package.json deploy/proxy/package-lock.json | $(BIN)/python
	@if ! command -v npm >/dev/null; then \
	  echo "make: npm not found, so configurable-http-proxy is not installed and the JupyterHub test will be skipped (apt-get install npm)"; \
	else \
	  rm -rf $(VENV)/chp && mkdir -p $(VENV)/chp && \
	  cp deploy/proxy/package.json deploy/proxy/package-lock.json $(VENV)/chp/ && \
	  npm ci --prefix $(VENV)/chp --omit=dev --no-audit --no-fund --loglevel=error >/dev/null && \
	  test -x $(VENV)/chp/node_modules/.bin/configurable-http-proxy && touch $@ \
	  || { echo "make: npm ci of configurable-http-proxy (deploy/proxy/package-lock.json) failed"; exit 1; }; \
	fi

venv: $(VENV)/.runtime
dev: $(VENV)/.dev
chp: $(VENV)/chp/.installed

# `make lab` and `make formgrader`: JupyterLab on 127.0.0.1 only, with a fresh random token
# each run, handed over in the environment (JUPYTER_TOKEN) so that it does not show in `ps`.
# The port is the first free one from LAB_PORT (FORMGRADER_PORT) on, so a second server
# gets its own, and the URL printed is the one that works.
# Which parts of nbgrader and JupyterLab show comes from a configuration folder in the
# repository put first on JUPYTER_CONFIG_PATH, never from switches in the shared .venv:
#   make lab         deploy/jupyter/local-learner: what a learner sees, the same as on Binder
#                    (Validate; no formgrader, Create Assignment, course or assignment lists,
#                    Nbgrader menu), rooted at notebooks/
#   make formgrader  deploy/jupyter/local-instructor: every nbgrader tool, rooted at the
#                    repository (the nbgrader course root, where nbgrader_config.py is)
# Both: no "receive official Jupyter news?" prompt, no update check.
define FREE_PORT_PY
import socket, sys
start, target, variable = int(sys.argv[1]), sys.argv[2], sys.argv[3]
for port in range(start, start + 100):
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            continue
    print(port)
    break
else:
    sys.exit(f"make {target}: no free port in {start}..{start + 99}; try {variable}=<port> make {target}")
endef
export FREE_PORT_PY

# $(call serve_lab,<first port>,<its variable>,<root folder>,<configuration folder>)
define serve_lab
	@[ -f "$(4)/jupyter_server_config.json" ] || { echo "make $@: $(4) is missing:" \
	  "it says which parts of nbgrader and JupyterLab this server shows"; exit 1; }; \
	port=$$($(BIN)/python -c "$$FREE_PORT_PY" $(1) $@ $(2)) || exit 1; \
	token=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(32))') || exit 1; \
	root_flag=; if [ "$$(id -u)" = 0 ]; then root_flag=--allow-root; fi; \
	echo ""; \
	echo "  $(LAB_WHAT) opens in JupyterLab at this address (it answers once the log below says"; \
	echo "  'Jupyter Server ... is running'; $(LAB_FIRST)):"; \
	echo ""; \
	echo "      http://127.0.0.1:$$port/lab?token=$$token"; \
	echo ""; \
	echo "  Stop it with Ctrl+C (twice) in this terminal."; \
	echo ""; \
	JUPYTER_CONFIG_PATH="$(4)$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}" \
	JUPYTER_TOKEN=$$token exec $(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.port=$$port \
	  --ServerApp.port_retries=0 --ServerApp.root_dir="$(3)" $$root_flag
endef

lab: LAB_WHAT = The course
lab: LAB_FIRST = start with 01_neurons/01_neurons.ipynb
lab: $(VENV)/.runtime
	$(call serve_lab,$(LAB_PORT),LAB_PORT,$(CURDIR)/notebooks,$(CURDIR)/deploy/jupyter/local-learner)

# The gradebook: DB_URL or DB_URL_FILE as for the grading targets below (in the environment).
formgrader: LAB_WHAT = The formgrader
formgrader: LAB_FIRST = then choose Nbgrader > Formgrader
formgrader: export NBGRADER_DB_URL_FILE := $(or $(DB_URL_FILE),$(NBGRADER_DB_URL_FILE))
formgrader: $(VENV)/.runtime
	$(call serve_lab,$(FORMGRADER_PORT),FORMGRADER_PORT,$(CURDIR),$(CURDIR)/deploy/jupyter/local-instructor)

# SCIPY_ARRAY_API lets scikit-learn run its array-API estimator check instead of skipping it.
test: $(VENV)/.dev $(VENV)/chp/.installed
	SCIPY_ARRAY_API=1 $(BIN)/python -m pytest $(PYTEST_ARGS)

# The fast tier: library and course-package unit tests, about a minute.
check: $(VENV)/.dev
	SCIPY_ARRAY_API=1 $(BIN)/python -m pytest tests/unit -n 2 $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache

# ---- Grading (instructors) ------------------------------------------------------------
# Thin targets over the nbgrader CLI, through tools/grading/; docs/instructor.md has the
# whole workflow. Each prints a summary (students graded, failures, flagged submissions)
# and fails (make: exit 2) when the command exits non-zero: 1 when some of the work
# failed (e.g. a submission that could not be graded; the rest are graded), 2 on a
# usage or configuration error (python -m tools.grading --help has the rule).
#   make release                      nbgrader generate_assignment --force, all assignments
#   make collect [LMS=canvas|moodle]  nbgrader zip_collect from downloaded/<id>/archive
#   make autograde [JOBS=2]           autograde everything in submitted/, then the scan
#                                     (parallel JOBS need a PostgreSQL DB_URL; SQLite: one job)
#   make feedback                     nbgrader generate_feedback for what was autograded
#   make grades [GRADES=grades.csv]   nbgrader export, plus one row per student for an LMS
#   make scan                         tamper scan of submitted/ (never changes grades)
#   make sandbox-check                grade a probe in the grading sandbox, print what it reached
# autograde runs every kernel in a bubblewrap sandbox and stops where none can start;
# SANDBOX=off grades without one (learner code then runs as you, with your files).
# Optional: ASSIGNMENTS="01_neurons 02_linear_layer", STUDENTS="alice bob",
# DB_URL_FILE=<file holding the gradebook URL> (or NBGRADER_DB_URL in the environment;
# DB_URL=<url> works too, handed over in the environment, never on a command line),
# TIMEOUT=<seconds per cell>, FIGURES=1 (autograde draws the notebooks' plots, slower),
# ZIP_REGEXP=<regex>.
JOBS        ?=
LMS         ?= plain
GRADES      ?=
DB_URL      ?=
DB_URL_FILE ?=
SANDBOX     ?=
TIMEOUT     ?=
FIGURES     ?=
ZIP_REGEXP  ?=
ASSIGNMENTS ?=
STUDENTS    ?=
GRADING      = $(BIN)/python -m tools.grading $(if $(DB_URL_FILE),--db-url-file '$(DB_URL_FILE)') \
               $(if $(JOBS),--jobs $(JOBS)) $(if $(filter off no 0 false,$(SANDBOX)),--no-sandbox)
GRADING_SEL  = $(foreach a,$(ASSIGNMENTS),-a $(a))
GRADING_WHO  = $(GRADING_SEL) $(foreach s,$(STUDENTS),-s $(s))

.PHONY: release collect autograde feedback grades scan sandbox-check

# The gradebook URL goes to the grading tool in its environment: a command line is
# readable by every process on the machine, and a PostgreSQL URL holds a password.
ifneq ($(DB_URL),)
formgrader release collect autograde feedback grades scan sandbox-check: export NBGRADER_DB_URL = $(DB_URL)
endif

release: $(VENV)/.runtime
	$(GRADING) release $(GRADING_SEL)

collect: $(VENV)/.runtime
	$(GRADING) collect $(GRADING_SEL) --lms $(LMS) $(if $(ZIP_REGEXP),--regexp '$(ZIP_REGEXP)')

autograde: $(VENV)/.runtime
	$(GRADING) autograde $(GRADING_WHO) $(if $(TIMEOUT),--timeout $(TIMEOUT)) $(if $(FIGURES),--figures)

feedback: $(VENV)/.runtime
	$(GRADING) feedback $(GRADING_WHO)

grades: $(VENV)/.runtime
	$(GRADING) grades $(if $(GRADES),--output '$(GRADES)')

scan: $(VENV)/.runtime
	$(GRADING) scan $(GRADING_WHO)

sandbox-check: $(VENV)/.runtime
	$(GRADING) sandbox-check
# ---- end of grading -------------------------------------------------------------------
