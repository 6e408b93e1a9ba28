"""A class on a shared server, end to end: JupyterHub + nbgrader exchange + PostgreSQL.

Everything runs on 127.0.0.1, in temporary directories, with secrets made for the run:

1. a throwaway PostgreSQL cluster holds the gradebook (tests/hubutil.py);
2. JupyterHub starts from deploy/jupyterhub_config.py, through a site file that picks
   DummyAuthenticator with a generated password and SimpleLocalProcessSpawner, with
   configurable-http-proxy in front; one instructor and three students are on the roster;
3. over HTTP through the proxy, as a browser would:
   - the instructor, in the course's formgrader service, generates and releases
     01_neurons to the exchange;
   - the students fetch it in their own servers; alice pastes the answers from
     solutions/01_neurons into her copy (through the server's contents API), bob leaves
     the stub, and eve, the attacker, answers two of the three exercises and puts an
     attack in the third answer cell (ATTACK below: read the gradebook URL and other
     secrets from the environment and /proc, connect to PostgreSQL and the hub, rewrite
     grades, write into the course directory and the exchange, print what it found);
     all submit;
   - the instructor collects and autogrades each submission (the formgrader's Autograde
     button; eve's last, between two snapshots of the course directory and the exchange),
     generates and releases feedback;
   - the students fetch their feedback;
   then `nbgrader export` runs in the course directory with the grader service's
   environment;
4. the tests below check the scores in PostgreSQL and in the CSV, the feedback in each
   student's home, who may reach the formgrader, that the gradebook's password stayed
   out of the learners' servers, and that the attack, graded in the grader service's
   sandbox, changed nothing: eve's score is what her two answers are worth, the others'
   scores stand, no file appeared or changed, and no secret reached her graded notebook
   or her feedback;
5. the hub, its proxy, services and servers and the PostgreSQL server are stopped by
   pid and the cluster removed; the last test checks that nothing is left.

The whole scenario runs once, in the module fixture, and records what it saw; each test
then checks one part. Where the machine lacks a piece (PostgreSQL, configurable-http-proxy,
the hub's Python packages) the tests are skipped with the reason, except on CI (CI=true),
where that is a failure.

The tests at the end of the file check deploy/ and docs/deploy.md without starting the
hub: the hub configuration as JupyterHub loads it, that only the grader's nbgrader
settings put grading kernels in the sandbox, that the grader's formgrader refuses to
autograde where no sandbox can start (a formgrader of its own, on a PATH without a
working bwrap), the YAML and Python in the guide (the Kubernetes part is documented, not
run), the systemd unit, the proxy's lockfile, and that no secret is committed.
"""
import csv
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import hubutil
import nbutil

AID = "01_neurons"
COURSE_ID = "nn-from-scratch"
INSTRUCTOR = "ines"
SOLVER, BLANK, ATTACKER = "alice", "bob", "eve"
STUDENTS = (SOLVER, BLANK, ATTACKER)
# The attacker answers these exercises correctly; the attack replaces the third answer.
ATTACKER_SOLVES = ("neuron", "brain_to_ann")
ATTACK_CELL = "neuron_vectorised"
ATTACK_TAG = "EVE-FOUND "        # starts the line of the attack's report in its output
ATTACK_MARKER = "eve-was-here.txt"  # the file the attack tries to leave behind
# Environment variables whose values are secrets (the sandbox's own list, tools/sandbox/kernel.py).
SECRET_KEY_RE = re.compile(r"PASSWORD|SECRET|TOKEN|DB_URL|API_KEY|CREDENTIAL|PRIVATE", re.I)
# The heading of nbgrader's feedback page: "<h4>01_neurons (Score: 12.0 / 12.0)</h4>".
FEEDBACK_SCORE_RE = re.compile(r"<h4>\s*" + re.escape(AID) + r"\s*\(Score:\s*([\d.]+)\s*/\s*([\d.]+)\)")

# The attacker's answer cell, after a first line `P = {...}` with the run's ports and
# paths (a real attacker would guess or scan for them). Every step catches its own
# errors and the cell prints to stdout only, so that the graded notebook shows the whole
# report. Outside a sandbox each step succeeds on this test's machine: the grader's
# environment and /proc hold the gradebook URL, PostgreSQL and the hub listen on
# 127.0.0.1, and the course directory and the exchange belong to the grader's user.
# Of the processes in /proc it keeps only this run's (those that mention the run's
# folders): other tests on the same machine are no business of this one.
ATTACK = r"""
import json, os, re, socket, warnings
warnings.simplefilter("ignore")

found = {"environ": dict(os.environ), "urls": [], "proc_secrets": {}, "proc_read": 0,
         "connected": [], "refused": {}, "db": "no gradebook URL found", "written": [],
         "not_written": {}}
url_re = re.compile(r"postgresql(?:\+\w+)?://[^\s\x00'\"]+")
secret_re = re.compile(r"PASSWORD|SECRET|TOKEN|DB_URL|API_KEY", re.I)
for value in os.environ.values():
    found["urls"] += url_re.findall(value)
for pid in sorted((d for d in os.listdir("/proc") if d.isdigit()), key=int):
    texts = {}
    for part in ("environ", "cmdline"):
        try:
            with open(f"/proc/{pid}/{part}", "rb") as fh:
                texts[part] = fh.read().decode("utf-8", "replace")
        except OSError:
            pass
    found["proc_read"] += len(texts)
    if not any(mark in text for mark in P["run_marks"] for text in texts.values()):
        continue
    for text in texts.values():
        found["urls"] += url_re.findall(text)
    for entry in texts.get("environ", "").split("\x00"):
        key, _, value = entry.partition("=")
        if value and secret_re.search(key):
            found["proc_secrets"][f"{pid}:{key}"] = value
found["urls"] = sorted(u for u in set(found["urls"]) if P["gradebook_at"] in u)

for port in P["ports"]:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=3).close()
        found["connected"].append(port)
    except OSError as exc:
        found["refused"][str(port)] = str(exc)

# Full marks and extra credit for me, nothing for everybody else. nbgrader's autograde
# sets only auto_score afterwards, so manual scores and extra credit would stay.
MINE = ("UPDATE grade SET manual_score = gc.max_score, extra_credit = 1 "
        "FROM grade_cells gc, submitted_notebook sn, submitted_assignment sa, student st "
        "WHERE gc.id = grade.cell_id AND sn.id = grade.notebook_id "
        "AND sa.id = sn.assignment_id AND st.id = sa.student_id AND st.id = '{me}'")
THEIRS = ("UPDATE grade SET manual_score = 0 "
          "FROM submitted_notebook sn, submitted_assignment sa, student st "
          "WHERE sn.id = grade.notebook_id AND sa.id = sn.assignment_id "
          "AND st.id = sa.student_id AND st.id <> '{me}'")
for url in found["urls"]:
    try:
        import psycopg
        with psycopg.connect(re.sub(r"^postgresql\+\w+://", "postgresql://", url), connect_timeout=5) as conn:
            conn.execute(MINE.format(me=P["me"]))
            conn.execute(THEIRS.format(me=P["me"]))
        found["db"] = "grades rewritten with psycopg through " + url
        break
    except Exception as exc:
        found["db"] = f"psycopg: {type(exc).__name__}: {exc}"
    try:
        import sqlalchemy
        engine = sqlalchemy.create_engine(url, connect_args={"connect_timeout": 5})
        with engine.begin() as conn:
            conn.execute(sqlalchemy.text(MINE.format(me=P["me"])))
            conn.execute(sqlalchemy.text(THEIRS.format(me=P["me"])))
        found["db"] = "grades rewritten with sqlalchemy through " + url
        break
    except Exception as exc:
        found["db"] += f"; sqlalchemy: {type(exc).__name__}: {exc}"

for folder in P["write_into"]:
    try:
        with open(os.path.join(folder, P["marker"]), "w") as fh:
            fh.write(json.dumps(found["urls"]))
        found["written"].append(folder)
    except OSError as exc:
        found["not_written"][folder] = exc.strerror
for path in P["append_to"]:
    try:
        with open(path, "a") as fh:
            fh.write("\n# eve was here\n")
        found["written"].append(path)
    except OSError as exc:
        found["not_written"][path] = exc.strerror

print(P["tag"] + json.dumps(found, sort_keys=True))
"""


@dataclass
class HubRun:
    error: str = ""                      # first step that failed, with details
    steps: list = field(default_factory=list)
    timings: dict = field(default_factory=dict)
    login: dict = field(default_factory=dict)            # who -> HTTP status of the login form
    access: dict = field(default_factory=dict)           # what -> HTTP status
    leaked: dict = field(default_factory=dict)           # user -> secret-bearing env vars found
    lab_disabled: list = field(default_factory=list)     # JupyterLab plugins off in a learner's server
    server_pids: dict = field(default_factory=dict)
    server_rss_mib: dict = field(default_factory=dict)   # user/hub/proxy -> resident memory
    fetched: dict = field(default_factory=dict)          # student -> list status after fetch
    filled: int = 0
    pg_version: str = ""
    pg_scores: dict = field(default_factory=dict)        # student -> (score, max_score)
    csv_rows: list = field(default_factory=list)
    feedback: dict = field(default_factory=dict)         # student -> [html paths]
    feedback_api: dict = field(default_factory=dict)     # student -> html files listed by the contents API
    feedback_score: dict = field(default_factory=dict)   # student -> (score, max) in the feedback heading
    expected_max: float = 0.0
    attacker_expected: float = 0.0                       # what eve's two answers are worth
    scores_before_attack: dict = field(default_factory=dict)  # student -> (score, max) just before eve is graded
    file_changes: list = field(default_factory=list)     # course dir/exchange files added, changed or removed by eve's grading
    marker_files: list = field(default_factory=list)     # the attack's file, wherever it turned up
    attack_report: dict = field(default_factory=dict)    # what the attack printed in its graded notebook
    attack_stderr: str = ""                              # anything the attack cell wrote to stderr
    attack_report_in_feedback: bool = False
    secrets_checked: list = field(default_factory=list)  # names of the secret values looked for
    secrets_found: dict = field(default_factory=dict)    # file -> names of the secrets in it
    leftover_pids: list = field(default_factory=list)
    leftover_ports: list = field(default_factory=list)
    cluster_dir: str = ""
    hub_log: str = ""

    def need(self, *names):
        """Fail the calling test with the recorded error when a step it needs did not run."""
        if self.error and not all(n in self.steps for n in names):
            pytest.fail(f"the hub scenario stopped early: {self.error}")


def _source_notebook(aid):
    path = hubutil.REPO / "solutions" / aid / f"{aid}.ipynb"
    if not path.is_file():
        raise AssertionError(f"missing source notebook: {path.relative_to(hubutil.REPO)}")
    return json.loads(path.read_text(encoding="utf-8"))


def _nbgrader_meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def _source(cell):
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _expected_max(aid):
    """Total points of the graded cells in the instructor's source notebook."""
    return sum(float(_nbgrader_meta(c).get("points", 0)) for c in _source_notebook(aid)["cells"]
               if _nbgrader_meta(c).get("grade"))


def _points_of(aid, exercises):
    """Points of the test cells of `exercises` (a test cell's grade id is test_<exercise>...)."""
    cells = _source_notebook(aid)["cells"]
    names = [_nbgrader_meta(c)["grade_id"] for c in cells if _nbgrader_meta(c).get("solution")]
    return sum(float(_nbgrader_meta(c).get("points", 0)) for c in cells
               if _nbgrader_meta(c).get("grade") and not _nbgrader_meta(c).get("solution")
               and nbutil.exercise_of_test(_nbgrader_meta(c)["grade_id"], names) in exercises)


def _answers(aid):
    """{grade_id: source} of the answer cells in the instructor's solution notebook."""
    return {_nbgrader_meta(c)["grade_id"]: _source(c) for c in _source_notebook(aid)["cells"]
            if c.get("cell_type") == "code" and _nbgrader_meta(c).get("solution")}


def _prepare_course(root):
    """The grader's course directory: the course's nbgrader_config.py and solutions/<AID>."""
    course = root / "course"
    (course / "solutions").mkdir(parents=True)
    shutil.copy2(hubutil.REPO / "nbgrader_config.py", course / "nbgrader_config.py")
    shutil.copytree(hubutil.REPO / "solutions" / AID, course / "solutions" / AID,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    return course


class Scenario:
    def __init__(self, hub, run, pg):
        import requests

        self.requests = requests
        self.hub = hub
        self.run = run
        self.pg = pg
        self.tokens = {}
        self.secrets = {}  # name -> value of every secret the attack must not get at
        self.session = requests.Session()

    # ---------------------------------------------------------------- http helpers
    def user_headers(self, user):
        return {"Authorization": f"token {self.tokens[user]}"}

    def call(self, method, url, user=None, expect=200, timeout=120, **kwargs):
        headers = self.user_headers(user) if user else self.hub.driver_headers()
        r = self.session.request(method, url, headers=headers, timeout=timeout, allow_redirects=False, **kwargs)
        if expect is not None and r.status_code != expect:
            raise RuntimeError(f"{method} {url} as {user or 'driver'}: HTTP {r.status_code}, "
                               f"expected {expect}\n{hubutil.json_or_text(r)}")
        return r

    def formgrader(self, method, path, **kwargs):
        """Call the course's formgrader API as the instructor; nbgrader answers {"success": ...}."""
        url = f"{self.hub.url}/services/{COURSE_ID}/formgrader/api/{path}"
        r = self.call(method, url, user=INSTRUCTOR, **kwargs)
        body = r.json()
        if isinstance(body, dict) and body.get("success") is False:
            raise RuntimeError(f"formgrader {path} failed:\n{body.get('error') or body.get('log') or body}"[-3000:])
        return body

    def assignments(self, user, action, **kwargs):
        """nbgrader's assignment list extension in `user`'s own server."""
        url = f"{self.hub.url}/user/{user}/assignments/{action}"
        body = self.call("POST", url, user=user, json={"course_id": COURSE_ID, "assignment_id": AID}, **kwargs).json()
        if not body.get("success"):
            raise RuntimeError(f"{action} for {user} failed:\n{body.get('value')}"[-3000:])
        return body["value"]

    def step(self, name, fn):
        t0 = time.monotonic()
        fn()
        self.run.timings[name] = round(time.monotonic() - t0, 1)
        self.run.steps.append(name)

    # ---------------------------------------------------------------------- steps
    def tokens_for_users(self):
        for user in (INSTRUCTOR, *STUDENTS):
            r = self.call("POST", f"{self.hub.api}/users/{user}/tokens", expect=201,
                          json={"note": "hub end-to-end test", "expires_in": 3600})
            self.tokens[user] = r.json()["token"]

    def login_form(self):
        """The login form takes the generated password from listed users only."""
        import requests

        for who, user, password in (
            ("student, right password", SOLVER, self.hub.password),
            ("student, wrong password", SOLVER, self.hub.password + "x"),
            ("not on the roster", "mallory", self.hub.password),
        ):
            s = requests.Session()
            page = s.get(f"{self.hub.url}/hub/login", timeout=30)
            m = re.search(r'name="_xsrf"\s+value="([^"]+)"', page.text)
            data = {"username": user, "password": password}
            if m:
                data["_xsrf"] = m.group(1)
            r = s.post(f"{self.hub.url}/hub/login", data=data, allow_redirects=False, timeout=30)
            self.run.login[who] = r.status_code

    def start_servers(self):
        for user in STUDENTS:
            self.call("POST", f"{self.hub.api}/users/{user}/server", expect=None)

        def ready():
            for user in STUDENTS:
                info = self.call("GET", f"{self.hub.api}/users/{user}").json()
                if not (info.get("servers", {}).get("", {}) or {}).get("ready"):
                    return False
            return True

        self.hub.wait_until(ready, 150, "the students' servers")

    def grader_ready(self):
        url = f"{self.hub.url}/services/{COURSE_ID}/formgrader/api/status"
        self.hub.wait_until(
            lambda: self.call("GET", url, user=INSTRUCTOR, expect=None, timeout=10).status_code == 200,
            120, "the formgrader service")

    def who_reaches_what(self):
        fg = f"{self.hub.url}/services/{COURSE_ID}/formgrader/api/assignments"
        self.run.access["instructor -> course formgrader"] = self.call("GET", fg, user=INSTRUCTOR, expect=None).status_code
        self.run.access["student -> course formgrader"] = self.call("GET", fg, user=BLANK, expect=None).status_code
        own = f"{self.hub.url}/user/{BLANK}/formgrader/api/assignments"
        self.run.access["student -> formgrader in own server"] = self.call("GET", own, user=BLANK, expect=None).status_code
        lst = f"{self.hub.url}/user/{BLANK}/assignments?course_id={COURSE_ID}"
        self.run.access["student -> assignment list in own server"] = self.call("GET", lst, user=BLANK, expect=None).status_code
        page = self.call("GET", f"{self.hub.url}/user/{BLANK}/lab", user=BLANK).text
        m = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', page, re.S)
        if m:
            self.run.lab_disabled = json.loads(m.group(1)).get("disabledExtensions", [])
        other = f"{self.hub.url}/user/{SOLVER}/api/contents"
        self.run.access["student -> another student's server"] = self.call("GET", other, user=BLANK, expect=None).status_code

    def secrets_stay_with_grader(self):
        procs = self.hub.server_processes()
        self.run.server_pids = {u: p.pid for u, p in procs.items()}
        self.run.server_rss_mib = {u: round(p.memory_info().rss / 2**20) for u, p in procs.items()}
        for name, pid in (("hub", self.hub.proc.pid), ("proxy", self.hub.proxy_pid())):
            try:
                self.run.server_rss_mib[name] = round(hubutil.psutil.Process(pid).memory_info().rss / 2**20)
            except (hubutil.psutil.Error, TypeError, ValueError):
                pass
        password = self.hub.gradebook_url.split(":")[2].split("@")[0]
        for user in STUDENTS:
            if user not in procs:
                raise RuntimeError(f"no server process found for {user}")
            env = procs[user].environ()
            self.run.leaked[user] = sorted(
                k for k, v in env.items()
                if k in ("NBGRADER_DB_URL", "E2E_HUB_PASSWORD", "E2E_DRIVER_TOKEN", "JPY_COOKIE_SECRET",
                         "CONFIGPROXY_AUTH_TOKEN") or password in v)
        # What the attack must not get at: the databases' passwords, the hub's and the
        # proxy's secrets, the grader service's tokens, and the users' API tokens.
        self.secrets["gradebook password"] = password
        self.secrets["PostgreSQL superuser password"] = self.pg.superuser_password
        grader = self.hub.service_process(COURSE_ID)
        if grader is None:
            raise RuntimeError("no process found for the grader service")
        for who, env in (("hub", hubutil.psutil.Process(self.hub.proc.pid).environ()),
                         ("grader service", grader.environ())):
            for key, value in env.items():
                if SECRET_KEY_RE.search(key) and len(value) >= 16:
                    self.secrets[f"{who}'s {key}"] = value
        for user, token in self.tokens.items():
            self.secrets[f"{user}'s API token"] = token
        self.run.secrets_checked = sorted(self.secrets)

    def release(self):
        self.formgrader("POST", f"assignment/{AID}/assign")    # generate: source -> release + gradebook
        self.formgrader("POST", f"assignment/{AID}/release")   # release -> exchange outbound

    def fetch(self):
        for user in STUDENTS:
            listed = self.assignments(user, "fetch")
            self.run.fetched[user] = sorted({a.get("status") for a in listed if a.get("assignment_id") == AID})
            if "fetched" not in self.run.fetched[user]:
                raise RuntimeError(f"{user} could not fetch {AID}: {listed}")

    def write_answers(self, user, answers):
        """Replace the answer cells named in `answers` in `user`'s fetched copy; returns how many."""
        url = f"{self.hub.url}/user/{user}/api/contents/{AID}/{AID}.ipynb"
        nb = self.call("GET", url, user=user).json()["content"]
        filled = 0
        for cell in nb["cells"]:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if meta.get("solution") and meta.get("grade_id") in answers:
                cell["source"] = answers[meta["grade_id"]]
                filled += 1
        if filled != len(answers):
            raise RuntimeError(f"filled {filled} of {len(answers)} answer cells in {user}'s copy")
        self.call("PUT", url, user=user, json={"type": "notebook", "format": "json", "content": nb})
        return filled

    def attack_source(self):
        course, exchange = self.hub.course_root, self.hub.exchange
        params = {
            "me": ATTACKER, "tag": ATTACK_TAG, "marker": ATTACK_MARKER,
            "run_marks": [str(self.hub.root), str(self.pg.dir)],
            "gradebook_at": f"@127.0.0.1:{urlsplit(self.hub.gradebook_url).port}/",
            "ports": [urlsplit(self.hub.gradebook_url).port, self.hub.port, self.hub.api_port,
                      self.hub.proxy_api_port, self.hub.grader_port],
            "write_into": [str(d) for d in (
                course, course / "solutions" / AID, course / "submitted", course / "autograded" / SOLVER / AID,
                exchange, exchange / COURSE_ID / "inbound", exchange / COURSE_ID / "outbound")],
            "append_to": [str(course / "nbgrader_config.py")],
        }
        return f"P = {json.dumps(params)}\n" + ATTACK

    def fill_in(self):
        answers = _answers(AID)
        self.run.filled = self.write_answers(SOLVER, answers)
        if ATTACK_CELL not in answers or not set(ATTACKER_SOLVES) <= set(answers):
            raise RuntimeError(f"{AID} has no answer cells {ATTACK_CELL} and {ATTACKER_SOLVES}: {sorted(answers)}")
        mine = {gid: answers[gid] for gid in ATTACKER_SOLVES}
        mine[ATTACK_CELL] = self.attack_source()
        self.write_answers(ATTACKER, mine)

    def submit(self):
        for user in STUDENTS:
            self.assignments(user, "submit")

    def tree_state(self):
        """{path: (size, mtime)} of every file in the course directory and the exchange,
        except the attacker's own graded folder, which nbgrader writes while grading her."""
        own = self.hub.course_root / "autograded" / ATTACKER
        state = {}
        for top in (self.hub.course_root, self.hub.exchange):
            for path in top.rglob("*"):
                if path == own or own in path.parents or (path.is_dir() and not path.is_symlink()):
                    continue
                st = path.lstat()
                state[str(path)] = (st.st_size, st.st_mtime_ns)
        return state

    def collect_and_grade(self):
        self.formgrader("POST", f"assignment/{AID}/collect")
        for user in STUDENTS:
            if user != ATTACKER:
                self.formgrader("POST", f"submission/{AID}/{user}/autograde", timeout=300)
        self.run.scores_before_attack = self.scores()
        before = self.tree_state()
        self.formgrader("POST", f"submission/{AID}/{ATTACKER}/autograde", timeout=300)
        after = self.tree_state()
        self.run.file_changes = sorted(
            [f"added {p}" for p in after.keys() - before.keys()]
            + [f"removed {p}" for p in before.keys() - after.keys()]
            + [f"changed {p}" for p in before.keys() & after.keys() if before[p] != after[p]])

    def return_feedback(self):
        self.formgrader("POST", f"assignment/{AID}/generate_feedback", timeout=300)
        self.formgrader("POST", f"assignment/{AID}/release_feedback")

    def fetch_feedback(self):
        for user in STUDENTS:
            self.assignments(user, "fetch_feedback")
            home = self.hub.homes / user
            found = sorted(home.glob(f"{AID}/feedback/*/*.html"))
            self.run.feedback[user] = [str(p.relative_to(home)) for p in found]
            if found:
                m = FEEDBACK_SCORE_RE.search(found[-1].read_text(encoding="utf-8"))
                if m:
                    self.run.feedback_score[user] = (float(m.group(1)), float(m.group(2)))
            listed = []
            base = f"{self.hub.url}/user/{user}/api/contents/{AID}/feedback"
            for entry in self.call("GET", base, user=user).json().get("content", []):
                if entry["type"] == "directory":
                    inner = self.call("GET", f"{base}/{entry['name']}", user=user).json().get("content", [])
                    listed += [e["path"] for e in inner if e["name"].endswith(".html")]
            self.run.feedback_api[user] = sorted(listed)

    def attack_aftermath(self):
        """What the attack printed, where its file turned up, and which secrets its graded
        notebook and feedback hold."""
        graded = self.hub.course_root / "autograded" / ATTACKER / AID / f"{AID}.ipynb"
        nb = json.loads(graded.read_text(encoding="utf-8"))
        cell = next(c for c in nb["cells"] if _nbgrader_meta(c).get("grade_id") == ATTACK_CELL)
        for out in cell.get("outputs", []):
            text = _source({"source": out.get("text", "")})
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                self.run.attack_stderr += text
            for line in text.splitlines():
                if line.startswith(ATTACK_TAG):
                    self.run.attack_report = json.loads(line[len(ATTACK_TAG):])
        feedback = sorted((self.hub.course_root / "feedback" / ATTACKER).rglob("*.html"))
        feedback += sorted((self.hub.homes / ATTACKER / AID / "feedback").rglob("*.html"))
        if not feedback:
            raise RuntimeError(f"no feedback HTML for {ATTACKER}")
        self.run.attack_report_in_feedback = all(ATTACK_TAG.strip() in f.read_text(encoding="utf-8")
                                                 for f in feedback)
        for path in [graded, *feedback]:
            text = path.read_text(encoding="utf-8")
            hits = sorted(name for name, value in self.secrets.items() if value in text)
            if hits:
                self.run.secrets_found[str(path)] = hits
        self.run.marker_files = sorted(
            str(p) for top in (self.hub.course_root, self.hub.exchange, self.hub.homes)
            for p in top.rglob(ATTACK_MARKER))

    def export_csv(self):
        out = self.hub.root / "grades.csv"
        proc = subprocess.run([str(hubutil.venv_bin() / "nbgrader"), "export", f"--to={out}"],
                              cwd=self.hub.course_root, env=self.hub.grader_environment(),
                              capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
        if proc.returncode != 0 or not out.is_file():
            raise RuntimeError(f"nbgrader export failed (exit {proc.returncode}):\n"
                               f"{(proc.stdout + proc.stderr)[-3000:]}")
        with open(out, newline="", encoding="utf-8") as fh:
            self.run.csv_rows = list(csv.DictReader(fh))

    def scores(self):
        """{student: (score, max_score)} of AID in the PostgreSQL gradebook."""
        from sqlalchemy import create_engine, text

        engine = create_engine(self.hub.gradebook_url)
        try:
            with engine.connect() as conn:
                self.run.pg_version = conn.execute(text("SELECT version()")).scalar()
                rows = conn.execute(text(
                    "SELECT st.id, SUM(COALESCE(g.manual_score, g.auto_score, 0)"
                    "                  + COALESCE(g.extra_credit, 0)), SUM(gc.max_score) "
                    "FROM grade g "
                    "JOIN grade_cells gc ON gc.id = g.cell_id "
                    "JOIN submitted_notebook sn ON sn.id = g.notebook_id "
                    "JOIN submitted_assignment sa ON sa.id = sn.assignment_id "
                    "JOIN assignment a ON a.id = sa.assignment_id "
                    "JOIN student st ON st.id = sa.student_id "
                    "WHERE a.name = :aid AND a.course_id = :course "
                    "GROUP BY st.id"), {"aid": AID, "course": COURSE_ID}).all()
        finally:
            engine.dispose()
        return {sid: (float(score), float(max_score)) for sid, score, max_score in rows}

    def query_postgres(self):
        self.run.pg_scores = self.scores()


@pytest.fixture(scope="module")
def hub_run(tmp_path_factory):
    missing = hubutil.missing_prerequisites()
    if missing:
        why = "the hub end-to-end test needs: " + "; ".join(missing)
        if hubutil.on_ci():
            pytest.fail(f"{why} (CI=true: .ci/run must install these)")
        pytest.skip(why)

    root = tmp_path_factory.mktemp("hub")
    run = HubRun(expected_max=_expected_max(AID), attacker_expected=_points_of(AID, ATTACKER_SOLVES))
    _prepare_course(root)
    pg = hubutil.PostgresCluster()
    hub = None
    t_all = time.monotonic()
    try:
        t0 = time.monotonic()
        pg.start()
        run.cluster_dir = str(pg.dir)
        run.timings["postgres up"] = round(time.monotonic() - t0, 1)
        run.steps.append("postgres up")

        hub = hubutil.Hub(root, pg.url, instructors=[INSTRUCTOR], students=STUDENTS, course_id=COURSE_ID)
        t0 = time.monotonic()
        hub.start()
        run.timings["hub up"] = round(time.monotonic() - t0, 1)
        run.steps.append("hub up")

        sc = Scenario(hub, run, pg)
        for name, fn in (
            ("tokens", sc.tokens_for_users),
            ("login form", sc.login_form),
            ("grader service up", sc.grader_ready),
            ("student servers up", sc.start_servers),
            ("access", sc.who_reaches_what),
            ("secrets", sc.secrets_stay_with_grader),
            ("release", sc.release),
            ("fetch", sc.fetch),
            ("fill in", sc.fill_in),
            ("submit", sc.submit),
            ("collect and autograde", sc.collect_and_grade),
            ("feedback", sc.return_feedback),
            ("fetch feedback", sc.fetch_feedback),
            ("attack aftermath", sc.attack_aftermath),
            ("export", sc.export_csv),
            ("postgres query", sc.query_postgres),
        ):
            sc.step(name, fn)
    except Exception as exc:  # recorded; every test reports it
        run.error = f"{type(exc).__name__}: {exc}"
        if hub is not None:
            run.error += f"\n--- jupyterhub log (tail) ---\n{hub.log_tail()}"
        if pg.dir is not None:
            run.error += f"\n--- postgresql log (tail) ---\n{pg.log_tail()}"
    finally:
        t0 = time.monotonic()
        ports = []
        if hub is not None:
            ports = [hub.port, hub.api_port, hub.proxy_api_port, hub.grader_port]
            run.leftover_pids += hub.stop()
            run.hub_log = hub.log_tail(80)
        ports.append(pg.port)
        run.leftover_pids += pg.stop()
        run.leftover_ports = [p for p in ports if p and hubutil.port_in_use(p)]
        run.timings["shutdown"] = round(time.monotonic() - t0, 1)
        run.timings["total"] = round(time.monotonic() - t_all, 1)
    print("hub end-to-end timings (s):", json.dumps(run.timings),
          "| resident memory (MiB):", json.dumps(run.server_rss_mib))
    return run


@pytest.mark.slow
def test_login_takes_the_generated_password_from_listed_users_only(hub_run):
    hub_run.need("login form")
    got = hub_run.login
    assert got.get("student, right password") == 302, f"login with the run's password: {got}"
    assert got.get("student, wrong password") == 403, f"login with a wrong password: {got}"
    assert got.get("not on the roster") == 403, f"login of a user not on the roster: {got}"


@pytest.mark.slow
def test_only_instructors_reach_the_formgrader(hub_run):
    hub_run.need("access")
    a = hub_run.access
    assert a.get("instructor -> course formgrader") == 200, a
    assert a.get("student -> course formgrader") == 403, a
    # The learners' servers run without nbgrader's formgrader but with the assignment list.
    assert a.get("student -> formgrader in own server") == 404, a
    assert a.get("student -> assignment list in own server") == 200, a
    assert a.get("student -> another student's server") == 403, a
    # ... and their JupyterLab leaves out nbgrader's instructor tools.
    for plugin in ("formgrader", "create-assignment", "course-list"):
        assert f"@jupyter/nbgrader:{plugin}" in hub_run.lab_disabled, hub_run.lab_disabled
    assert "@jupyter/nbgrader:assignment-list" not in hub_run.lab_disabled, hub_run.lab_disabled


@pytest.mark.slow
def test_gradebook_password_stays_out_of_learner_servers(hub_run):
    hub_run.need("secrets")
    assert set(hub_run.leaked) == set(STUDENTS), hub_run.leaked
    assert not any(hub_run.leaked.values()), \
        f"secret environment variables (or the gradebook password) in learners' servers: {hub_run.leaked}"


@pytest.mark.slow
def test_every_student_fetched_and_submitted(hub_run):
    hub_run.need("fetch", "fill in", "submit")
    assert all("fetched" in s for s in hub_run.fetched.values()) and set(hub_run.fetched) == set(STUDENTS)
    assert hub_run.filled > 0


@pytest.mark.slow
def test_scores_in_postgresql(hub_run):
    hub_run.need("postgres query")
    assert hub_run.pg_version.startswith("PostgreSQL"), hub_run.pg_version
    full = hub_run.expected_max
    assert full > 0
    assert hub_run.pg_scores.get(SOLVER) == (full, full), \
        f"{SOLVER} (the solution) in PostgreSQL: {hub_run.pg_scores.get(SOLVER)}, expected ({full}, {full})"
    assert hub_run.pg_scores.get(BLANK) == (0.0, full), \
        f"{BLANK} (the stub) in PostgreSQL: {hub_run.pg_scores.get(BLANK)}, expected (0.0, {full})"
    part = hub_run.attacker_expected
    assert hub_run.pg_scores.get(ATTACKER) == (part, full), \
        f"{ATTACKER} (two answers and the attack) in PostgreSQL: {hub_run.pg_scores.get(ATTACKER)}, " \
        f"expected ({part}, {full})"
    assert set(hub_run.pg_scores) == set(STUDENTS), hub_run.pg_scores


@pytest.mark.slow
def test_scores_in_exported_csv(hub_run):
    hub_run.need("export")
    rows = {(r.get("assignment"), r.get("student_id")): r for r in hub_run.csv_rows}
    full = hub_run.expected_max
    for student, want in ((SOLVER, full), (BLANK, 0.0), (ATTACKER, hub_run.attacker_expected)):
        row = rows.get((AID, student))
        assert row is not None, f"no CSV row for {student} / {AID}: {hub_run.csv_rows}"
        assert float(row["max_score"]) == full, row
        assert float(row["score"]) == want, f"{student}: CSV score {row['score']}, expected {want}"


@pytest.mark.slow
def test_feedback_reached_each_student(hub_run):
    hub_run.need("fetch feedback")
    for student in STUDENTS:
        files = hub_run.feedback.get(student, [])
        assert files and all(f.startswith(f"{AID}/feedback/") for f in files), \
            f"no feedback HTML in {student}'s home: {files}"
        assert hub_run.feedback_api.get(student) == files, \
            f"{student}'s server lists {hub_run.feedback_api.get(student)}, the home holds {files}"


@pytest.mark.slow
def test_feedback_html_shows_each_score(hub_run):
    hub_run.need("fetch feedback")
    full = hub_run.expected_max
    for student, want in ((SOLVER, full), (BLANK, 0.0), (ATTACKER, hub_run.attacker_expected)):
        assert hub_run.feedback_score.get(student) == (want, full), \
            f"{student}'s feedback heading gives {hub_run.feedback_score.get(student)}, expected ({want}, {full})"


# The attacker, graded by the grader service's Autograde like everybody else. Each test
# below fails when the grading kernel runs outside the sandbox: the attack then finds the
# gradebook URL (in its environment, or in the grader's /proc/<pid>/environ), rewrites
# the grades, leaves its file in the course directory and the exchange, appends to the
# course's nbgrader_config.py and prints the hub's and the grader's tokens.

@pytest.mark.slow
def test_attack_ran_inside_the_sandbox(hub_run):
    hub_run.need("attack aftermath")
    report = hub_run.attack_report
    assert report, f"{ATTACKER}'s graded notebook holds no report of the attack ({ATTACK_TAG!r} line)"
    from tools.sandbox import policy

    env = report["environ"]
    # The kernel's environment is the sandbox's own, without the grader's gradebook URL.
    assert env.get("HOME") == policy.HOME_INSIDE, f"the attack ran with HOME={env.get('HOME')!r}"
    assert "NBGRADER_DB_URL" not in env, "the grading kernel inherited NBGRADER_DB_URL"
    assert not [k for k in env if SECRET_KEY_RE.search(k)], f"secret-named variables in the kernel: {sorted(env)}"
    assert report["urls"] == [], f"the attack found gradebook URLs: {len(report['urls'])}"
    assert report["proc_secrets"] == {}, f"secrets in /proc: {sorted(report['proc_secrets'])}"
    assert report["connected"] == [], f"the attack connected to 127.0.0.1 ports {report['connected']}"
    assert len(report["refused"]) == 5, f"not every port was tried: {report['refused']}"
    assert report["db"] == "no gradebook URL found", report["db"]
    assert not hub_run.attack_stderr, f"the attack cell wrote to stderr: {hub_run.attack_stderr[:500]}"


@pytest.mark.slow
def test_attack_changed_no_score(hub_run):
    hub_run.need("postgres query")
    full, part = hub_run.expected_max, hub_run.attacker_expected
    # Two of three exercises: a score the attack could raise and one it could lower.
    assert 0 < part < full, (part, full)
    assert hub_run.pg_scores.get(ATTACKER) == (part, full), \
        f"{ATTACKER}: {hub_run.pg_scores.get(ATTACKER)} in PostgreSQL, her answers are worth ({part}, {full})"
    honest = {SOLVER: (full, full), BLANK: (0.0, full)}
    assert hub_run.scores_before_attack == honest, hub_run.scores_before_attack
    assert {s: hub_run.pg_scores.get(s) for s in honest} == honest, \
        f"the other students' scores changed while {ATTACKER} was graded: {hub_run.pg_scores}"


@pytest.mark.slow
def test_attack_left_no_file(hub_run):
    hub_run.need("attack aftermath")
    assert not hub_run.file_changes, \
        f"grading {ATTACKER} changed the course directory or the exchange:\n" + "\n".join(hub_run.file_changes)
    assert not hub_run.marker_files, f"the attack's file turned up: {hub_run.marker_files}"


@pytest.mark.slow
def test_attack_got_no_secret_into_its_notebook_or_feedback(hub_run):
    hub_run.need("attack aftermath")
    # The check covers what matters, and what the attack printed does reach the feedback.
    for name in ("gradebook password", "hub's CONFIGPROXY_AUTH_TOKEN", "hub's JPY_COOKIE_SECRET",
                 "grader service's JUPYTERHUB_API_TOKEN", "grader service's NBGRADER_DB_URL"):
        assert name in hub_run.secrets_checked, (name, hub_run.secrets_checked)
    assert hub_run.attack_report_in_feedback, f"{ATTACKER}'s feedback does not show the attack's output"
    assert not hub_run.secrets_found, \
        f"secrets in {ATTACKER}'s graded notebook or feedback: {hub_run.secrets_found}"


@pytest.mark.slow
def test_everything_stopped_and_removed(hub_run):
    assert not hub_run.leftover_pids, \
        f"processes still alive after shutdown: {hub_run.leftover_pids}\n{hub_run.hub_log}"
    assert not hub_run.leftover_ports, f"ports still listening after shutdown: {hub_run.leftover_ports}"
    assert hub_run.cluster_dir and not Path(hub_run.cluster_dir).exists(), \
        f"PostgreSQL cluster directory not removed: {hub_run.cluster_dir}"


# ------------------------------------------------------------------------------------
# The configuration and the documentation, checked without starting anything.

DOCS = hubutil.REPO / "docs" / "deploy.md"


def _load_hub_config(monkeypatch, **env):
    """deploy/jupyterhub_config.py as JupyterHub would load it, with `env` as environment."""
    from traitlets.config.loader import PyFileConfigLoader

    for key in list(__import__("os").environ):
        if key.startswith(("NNFS_", "NBGRADER_")):
            monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    loader = PyFileConfigLoader(hubutil.HUB_CONFIG.name, path=str(hubutil.HUB_CONFIG.parent))
    return loader.load_config()


def test_hub_config_refuses_to_start_without_a_gradebook(monkeypatch):
    with pytest.raises(SystemExit, match="NBGRADER_DB_URL"):
        _load_hub_config(monkeypatch, NNFS_STUDENTS="s1")
    with pytest.raises(SystemExit, match="postgresql"):
        _load_hub_config(monkeypatch, NBGRADER_DB_URL="mysql://x@y/z")


def test_hub_config_keeps_the_gradebook_with_the_grader(monkeypatch):
    url = "postgresql://nbgrader:not-a-real-password@127.0.0.1:5432/gradebook"
    c = _load_hub_config(monkeypatch, NBGRADER_DB_URL=url, NNFS_INSTRUCTORS="Ada, alan",
                         NNFS_STUDENTS="s1 s2", NNFS_GRADER_USER="")
    # Loopback by default: the hub, its API and the proxy's API.
    assert c.JupyterHub.bind_url == "http://127.0.0.1:8000/"
    assert c.JupyterHub.hub_bind_url.startswith("http://127.0.0.1:")
    assert c.ConfigurableHTTPProxy.api_url.startswith("http://127.0.0.1:")
    # Roster, groups and the instructors' role.
    assert c.Authenticator.allowed_users == {"ada", "alan", "s1", "s2"}
    assert c.JupyterHub.load_groups[f"formgrade-{COURSE_ID}"]["users"] == ["ada", "alan"]
    assert c.JupyterHub.load_groups[f"nbgrader-{COURSE_ID}"]["users"] == ["s1", "s2"]
    roles = {r["name"]: r for r in c.JupyterHub.load_roles}
    assert f"access:services!service={COURSE_ID}" in roles[f"instructor-{COURSE_ID}"]["scopes"]
    assert roles[f"instructor-{COURSE_ID}"]["groups"] == [f"formgrade-{COURSE_ID}"]
    # The gradebook URL reaches the grader service and nothing else.
    services = {s["name"]: s for s in c.JupyterHub.services}
    grader = services[COURSE_ID]
    assert grader["environment"]["NBGRADER_DB_URL"] == url
    assert "user" not in grader  # NNFS_GRADER_USER="" runs it as the hub's user
    assert grader["url"].startswith("http://127.0.0.1:")
    assert "NBGRADER_DB_URL" not in c.Spawner.environment
    assert not any(url in str(v) for v in c.Spawner.environment.values())
    assert c.Spawner.ip == "127.0.0.1"
    assert "idle-culler" in services
    # Both kinds of server find their nbgrader settings in deploy/jupyter.
    learner_path = c.Spawner.environment["JUPYTER_CONFIG_PATH"].split(":")
    grader_path = grader["environment"]["JUPYTER_CONFIG_PATH"].split(":")
    assert [Path(p).name for p in learner_path] == ["learner", "common"]
    assert [Path(p).name for p in grader_path] == ["grader", "common"]
    for p in learner_path + grader_path:
        assert Path(p).is_dir(), p


def test_hub_config_reads_the_roster_file(monkeypatch, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("id,first_name,last_name,email\nS3,Sam,Three,\ns4,,,\n")
    c = _load_hub_config(monkeypatch, NBGRADER_DB_URL="sqlite:////tmp/x.db",
                         NNFS_STUDENTS_FILE=str(roster), NNFS_STUDENTS="s1")
    assert c.JupyterHub.load_groups[f"nbgrader-{COURSE_ID}"]["users"] == ["s1", "s3", "s4"]
    # A default deployment runs the grader service under its own account.
    grader = {s["name"]: s for s in c.JupyterHub.services}[COURSE_ID]
    assert grader["user"] == f"grader-{COURSE_ID}"


GRADER_CONFIG_DIR = hubutil.DEPLOY / "jupyter" / "grader"
LEARNER_CONFIG_DIR = hubutil.DEPLOY / "jupyter" / "learner"
COMMON_CONFIG_DIR = hubutil.DEPLOY / "jupyter" / "common"

# Loads an nbgrader config folder the way nbgrader does, in a fresh interpreter from
# which the repository has been taken off sys.path (as on a server, where the venv holds
# nnlib but not tools/), and prints the kernel manager it selects and where that comes from.
_KERNEL_MANAGER_PY = """
import json, sys
repo, folder = sys.argv[1], sys.argv[2]
sys.path[:] = [p for p in sys.path if p not in ("", ".") and p.rstrip("/") != repo]
from traitlets.config.loader import PyFileConfigLoader
from traitlets.utils.importstring import import_item
config = PyFileConfigLoader("nbgrader_config.py", path=folder).load_config()
name = config.Execute.get("kernel_manager_class", "")
where = sys.modules[import_item(name).__module__].__file__ if name else ""
print(json.dumps({"manager": name, "file": where}))
"""


def _kernel_manager_of(folder, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NBGRADER_", "JUPYTER", "NNFS_"))}
    env.update(NBGRADER_DB_URL="postgresql://nbgrader:PASSWORD@127.0.0.1:5432/gradebook", PYTHONNOUSERSITE="1")
    proc = subprocess.run([sys.executable, "-c", _KERNEL_MANAGER_PY, str(hubutil.REPO), str(folder)],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, f"loading {folder}: {proc.stderr[-2000:]}"
    return json.loads(proc.stdout)


def test_only_the_grader_sandboxes_its_kernels(tmp_path):
    from tools import sandbox

    grader = _kernel_manager_of(GRADER_CONFIG_DIR, tmp_path)
    assert grader["manager"] == sandbox.SANDBOX_MANAGER, grader
    # From the repository the config file belongs to: on a server, the hub's own copy.
    assert Path(grader["file"]).resolve() == (hubutil.REPO / "tools" / "sandbox" / "kernel.py").resolve(), grader
    for folder in (LEARNER_CONFIG_DIR, COMMON_CONFIG_DIR):
        learner = _kernel_manager_of(folder, tmp_path)
        assert learner["manager"] == "", f"{folder.relative_to(hubutil.REPO)} selects {learner['manager']}"


# A bwrap that fails as it does where unprivileged user namespaces are switched off.
_BWRAP_WITHOUT_USERNS = """#!/bin/sh
echo "bwrap: No permissions to create new namespace, likely because the kernel does not allow non-privileged user namespaces." >&2
exit 1
"""


@pytest.mark.slow
@pytest.mark.parametrize("machine", ["no bwrap", "no user namespaces"])
def test_formgrader_refuses_to_grade_without_a_sandbox(machine, tmp_path):
    """The grader service's formgrader, with its nbgrader settings, on a machine where no
    sandbox can start: Autograde fails with the sandbox's reason, in what the formgrader
    shows (the log in its error dialog) and in the service's log, and grades nothing."""
    import requests
    from tools.sandbox import policy

    course = _prepare_course(tmp_path)
    (tmp_path / "exchange").mkdir()
    home = tmp_path / "home"
    home.mkdir()
    tools_bin = tmp_path / "bin"  # the only folder on PATH besides the venv's bin
    tools_bin.mkdir()
    if machine == "no user namespaces":
        (tools_bin / "bwrap").write_text(_BWRAP_WITHOUT_USERNS)
        (tools_bin / "bwrap").chmod(0o755)
        reason = "bubblewrap cannot create a sandbox here: bwrap: No permissions to create new namespace"
    else:
        reason = policy.missing_bwrap_message()
    token = secrets.token_hex(16)
    port = hubutil.free_port()
    env = {"PATH": os.pathsep.join([str(hubutil.venv_bin()), str(tools_bin)]), "HOME": str(home),
           "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1", "JUPYTER_TOKEN": token,
           "JUPYTER_CONFIG_PATH": os.pathsep.join([str(GRADER_CONFIG_DIR), str(COMMON_CONFIG_DIR)]),
           "NBGRADER_DB_URL": f"sqlite:///{tmp_path / 'gradebook.db'}",
           "NNFS_COURSE_ID": COURSE_ID, "NNFS_EXCHANGE_ROOT": str(tmp_path / "exchange")}
    log_path = tmp_path / "grader.log"
    cmd = [str(hubutil.venv_bin() / "jupyter-server"), "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
           "--ServerApp.port_retries=0", f"--ServerApp.root_dir={course}", "--ServerApp.open_browser=False"]
    if os.geteuid() == 0:
        cmd.append("--ServerApp.allow_root=True")
    headers = {"Authorization": f"token {token}"}
    api = f"http://127.0.0.1:{port}/formgrader/api"
    with open(log_path, "wb") as log:
        server = subprocess.Popen(cmd, cwd=course, env=env, stdin=subprocess.DEVNULL, stdout=log,
                                  stderr=subprocess.STDOUT, start_new_session=True,
                                  preexec_fn=hubutil.reset_sigint)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, f"the formgrader exited:\n{log_path.read_text()[-3000:]}"
            try:
                if requests.get(f"{api}/status", headers=headers, timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            assert time.monotonic() < deadline, f"the formgrader did not answer:\n{log_path.read_text()[-3000:]}"
            time.sleep(0.3)
        made = requests.post(f"{api}/assignment/{AID}/assign", headers=headers, timeout=120).json()
        assert made.get("success"), made.get("error")
        submission = course / "submitted" / "sam" / AID
        submission.mkdir(parents=True)
        shutil.copy2(course / "notebooks" / AID / f"{AID}.ipynb", submission)
        (submission / "timestamp.txt").write_text("2026-01-05 10:00:00.000000 UTC\n")
        result = requests.post(f"{api}/submission/{AID}/sam/autograde", headers=headers, timeout=300).json()
    finally:
        left = hubutil.stop_pids([server.pid])
        hubutil.reap(server, 5)
    assert not left, f"the formgrader would not stop: {left}"
    assert result.get("success") is False, f"autograded without a sandbox: {result}"
    # The formgrader's error dialog shows "log" (and "error", nbgrader's own summary).
    assert reason in result.get("log", ""), result.get("log", "")[-3000:]
    assert reason in log_path.read_text(errors="replace"), "the reason is not in the grader's log"
    assert not (course / "autograded" / "sam" / AID).exists(), "nbgrader kept a graded copy"


def test_course_id_matches_the_course_config():
    text = (hubutil.REPO / "nbgrader_config.py").read_text()
    assert f'course_id = "{COURSE_ID}"' in text, "the hub's default course id differs from nbgrader_config.py"


def _fenced_blocks(text, lang):
    return re.findall(r"^```" + lang + r"\n(.*?)^```", text, flags=re.S | re.M)


def test_docs_yaml_parses_and_carries_the_nbgrader_pieces():
    import yaml

    blocks = [yaml.safe_load(b) for b in _fenced_blocks(DOCS.read_text(encoding="utf-8"), "yaml")]
    values = [b for b in blocks if isinstance(b, dict) and {"hub", "singleuser", "proxy"} <= set(b)]
    pvcs = [b for b in blocks if isinstance(b, dict) and b.get("kind") == "PersistentVolumeClaim"]
    assert len(values) == 1, "docs/deploy.md should hold one Zero to JupyterHub values block"
    assert len(pvcs) == 1 and pvcs[0]["spec"]["accessModes"] == ["ReadWriteMany"]
    v = values[0]
    # The exchange: the shared claim, mounted where the learners' nbgrader looks for it.
    su = v["singleuser"]
    exchange = su["extraEnv"]["NNFS_EXCHANGE_ROOT"]
    claims = {vol["name"]: vol["persistentVolumeClaim"]["claimName"] for vol in su["storage"]["extraVolumes"]}
    mounts = {m["mountPath"]: m["name"] for m in su["storage"]["extraVolumeMounts"]}
    assert claims[mounts[exchange]] == pvcs[0]["metadata"]["name"]
    assert su["extraEnv"]["NNFS_COURSE_ID"] == COURSE_ID
    # Secrets come from a Kubernetes secret, never from the values file.
    for name in ("NBGRADER_DB_URL", "OAUTH_CLIENT_SECRET"):
        assert "secretKeyRef" in v["hub"]["extraEnv"][name]["valueFrom"], name
    # Instructors reach the grader's server; its hook gives the gradebook to the grader only.
    role = v["hub"]["loadRoles"][f"instructor-{COURSE_ID}"]
    assert f"access:servers!user=grader-{COURSE_ID}" in role["scopes"]
    assert role["groups"] == [f"formgrade-{COURSE_ID}"]
    hook = v["hub"]["extraConfig"]["nnfs-grader"]
    compile(hook, "extraConfig/nnfs-grader", "exec")
    compile(v["hub"]["extraConfig"]["nnfs-groups"], "extraConfig/nnfs-groups", "exec")
    assert "NBGRADER_DB_URL" in hook and "learner" in hook and "grader" in hook
    # TLS, culling and per-learner resources are set.
    assert v["proxy"]["https"]["enabled"] is True
    assert v["cull"]["enabled"] is True
    assert su["memory"]["limit"] and su["cpu"]["limit"]


def test_docs_python_blocks_compile():
    blocks = _fenced_blocks(DOCS.read_text(encoding="utf-8"), "python")
    assert len(blocks) >= 2
    for i, block in enumerate(blocks):
        compile(block, f"docs/deploy.md python block {i + 1}", "exec")
        assert "deploy/jupyterhub_config.py" in block, "site files load the course's hub config"


def test_systemd_unit_runs_the_deploy_config():
    import configparser

    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str
    unit.read(hubutil.DEPLOY / "systemd" / "jupyterhub.service")
    service = unit["Service"]
    assert service["ExecStart"].split()[-2:] == ["-f", "/opt/nnfs/course/deploy/jupyterhub_config.py"]
    assert service["EnvironmentFile"].startswith("/etc/jupyterhub/")
    assert "/opt/nnfs/chp/node_modules/.bin" in service["Environment"]


def test_proxy_is_pinned_and_locked():
    package = json.loads((hubutil.DEPLOY / "proxy" / "package.json").read_text())
    lock = json.loads((hubutil.DEPLOY / "proxy" / "package-lock.json").read_text())
    pinned = package["dependencies"]["configurable-http-proxy"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", pinned), f"not an exact version: {pinned}"
    assert lock["packages"]["node_modules/configurable-http-proxy"]["version"] == pinned
    assert lock["packages"][""]["dependencies"] == package["dependencies"]


def test_no_secret_is_committed():
    """No credential-looking strings in deploy/ or docs/deploy.md: placeholders only."""
    files = [p for p in hubutil.DEPLOY.rglob("*") if p.is_file() and p.name != "package-lock.json"]
    files.append(DOCS)
    problems = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"postgresql://[^:\s/]+:([^@\s]+)@", text):
            if m.group(1) not in ("PASSWORD", "$GRADEBOOK_PW", "{self.password}"):
                problems.append(f"{path.name}: password in a database URL: {m.group(0)}")
        for m in re.finditer(r"(?<![\w/.-])[A-Za-z0-9+/_-]{32,}={0,2}(?![\w/.-])", text):
            token = m.group(0)
            if re.search(r"\d", token) and re.search(r"[A-Za-z]", token):
                problems.append(f"{path.name}: secret-looking string {token[:8]}...")
    assert not problems, "\n".join(problems)
