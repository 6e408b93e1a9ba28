"""JupyterHub configuration for a class taking "Neural Networks from Scratch".

Start it with ``jupyterhub -f deploy/jupyterhub_config.py`` (docs/deploy.md has the
whole recipe). Everything that differs between machines or must stay secret is read
from the environment; nothing secret is written in this file.

What it sets up
---------------
* Learners (students and instructors alike) get their own single-user JupyterLab
  with nbgrader's *Assignments* panel: fetch, validate, submit, fetch feedback.
  The instructor-only nbgrader extensions (formgrader, create assignment, course
  list) are switched off in these servers (``deploy/jupyter/learner``).
* The formgrader runs once per course as a hub-managed service named after the
  course id, in the course directory (a clone of this repository), under a shared
  grader account. Hub group ``formgrade-<course id>`` (the instructors) may open it
  at ``/services/<course id>/``; students may not. Several instructors therefore
  grade in one course directory against one gradebook.
* The gradebook is a PostgreSQL database: its URL (``NBGRADER_DB_URL``, with the
  password) is handed to the grader service only, never to a learner's server.
* All servers exchange files through nbgrader's exchange directory
  (``NNFS_EXCHANGE_ROOT``), which must be on a filesystem every server sees.
* Idle learner servers are stopped by jupyterhub-idle-culler.

Environment variables (defaults in brackets)
--------------------------------------------
NBGRADER_DB_URL          gradebook URL, e.g. postgresql://nbgrader:PASSWORD@127.0.0.1:5432/gradebook
                         (required; an sqlite:// URL is accepted for a small trial class)
NNFS_COURSE_ID           nbgrader course id [nn-from-scratch]
NNFS_INSTRUCTORS         hub user names of the instructors, comma or space separated
NNFS_STUDENTS            hub user names of the students, comma or space separated
NNFS_STUDENTS_FILE       file with more students: one name a line, or a CSV with an ``id``
                         column (the roster ``nbgrader db student import`` reads)
NNFS_ADMINS              hub administrators [none]
NNFS_HUB_IP, NNFS_HUB_PORT   public address of the proxy [127.0.0.1, 8000]
NNFS_TLS_CERT, NNFS_TLS_KEY  serve HTTPS from the proxy itself [unset: plain HTTP,
                         for a TLS-terminating reverse proxy in front]
NNFS_HUB_API_PORT        hub's internal API port on 127.0.0.1 [8081]
NNFS_PROXY_API_PORT      proxy's REST API port on 127.0.0.1 [8001]
NNFS_GRADER_PORT         formgrader service port on 127.0.0.1 [8090]
NNFS_STATE_DIR           hub database, cookie secret and proxy pid file [/srv/jupyterhub]
NNFS_HUB_DB_URL          the hub's own database [sqlite in NNFS_STATE_DIR]
NNFS_EXCHANGE_ROOT       nbgrader exchange [/srv/nbgrader/exchange]
NNFS_COURSE_ROOT         course directory of the grader service [/srv/nbgrader/<course id>]
NNFS_GRADER_USER         system account of the grader service [grader-<course id>];
                         empty: run it as the hub's own user
NNFS_IDLE_TIMEOUT        seconds before an idle learner server is stopped; 0 disables [3600]
NNFS_ACTIVE_SERVER_LIMIT most learner servers running at once; 0 means no limit [0]
NNFS_CHP                 configurable-http-proxy executable [found on PATH, else the copy
                         that `.ci/run` installs under .venv/chp]
JPY_COOKIE_SECRET, CONFIGPROXY_AUTH_TOKEN   read by JupyterHub itself when set; otherwise
                         it keeps a cookie secret file in NNFS_STATE_DIR and makes a
                         fresh proxy token at every start.

Login and spawning are JupyterHub's defaults: PAM, and one process per learner under
their own Unix account (``LocalProcessSpawner``), with accounts created for roster
members who have none. To change them, start the hub with a site file that loads this
one and then sets what differs::

    c = get_config()
    load_subconfig("/srv/nbgrader/nn-from-scratch/deploy/jupyterhub_config.py")
    c.JupyterHub.authenticator_class = "generic-oauth"
    ...

docs/deploy.md has such files for OAuth (GitHub, a university's OpenID Connect),
LTI 1.3 from an LMS, and containers; tests/test_hub_e2e.py uses one too.
"""
import csv
import os
import re
import shutil
import sys
from pathlib import Path

c = get_config()  # noqa: F821  (provided by traitlets when JupyterHub loads this file)

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
JUPYTER_CONFIG = HERE / "jupyter"


def _env(name, default=""):
    return os.environ.get(name, default).strip()


def _port(name, default):
    value = _env(name, str(default))
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise SystemExit(f"{name} must be a TCP port number, got {value!r}")
    return int(value)


def _count(name, default):
    value = _env(name, str(default))
    if not value.isdigit():
        raise SystemExit(f"{name} must be a whole number, got {value!r}")
    return int(value)


_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._@-]*$")


def _names(text, where):
    """Hub user names from a comma/space separated list; JupyterHub lower-cases names."""
    names = [n.lower() for n in re.split(r"[\s,]+", text) if n]
    bad = [n for n in names if not _NAME_RE.match(n)]
    if bad:
        raise SystemExit(f"{where}: not valid user names: {', '.join(bad)}")
    return names


def _roster_file(path):
    """Student names from a plain list (one a line, '#' comments) or a CSV with an id column."""
    p = Path(path)
    if not p.is_file():
        raise SystemExit(f"NNFS_STUDENTS_FILE: no such file: {p}")
    text = p.read_text(encoding="utf-8")
    first = next((ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")), "")
    if "," in first:
        rows = list(csv.DictReader(ln for ln in text.splitlines() if not ln.lstrip().startswith("#")))
        if not rows or "id" not in rows[0]:
            raise SystemExit(f"NNFS_STUDENTS_FILE: {p} looks like a CSV but has no 'id' column")
        return _names(" ".join(r["id"] or "" for r in rows), str(p))
    lines = [ln.split("#", 1)[0] for ln in text.splitlines()]
    return _names(" ".join(lines), str(p))


# --------------------------------------------------------------------- the course

COURSE_ID = _env("NNFS_COURSE_ID", "nn-from-scratch")
if not re.match(r"^[A-Za-z0-9][A-Za-z0-9_-]*$", COURSE_ID):
    raise SystemExit(f"NNFS_COURSE_ID must be letters, digits, '-' or '_', got {COURSE_ID!r}")
INSTRUCTOR_GROUP = f"formgrade-{COURSE_ID}"  # the group names nbgrader's hub integration uses
STUDENT_GROUP = f"nbgrader-{COURSE_ID}"

STATE_DIR = Path(_env("NNFS_STATE_DIR", "/srv/jupyterhub"))
EXCHANGE_ROOT = _env("NNFS_EXCHANGE_ROOT", "/srv/nbgrader/exchange")
COURSE_ROOT = _env("NNFS_COURSE_ROOT", f"/srv/nbgrader/{COURSE_ID}")
GRADER_USER = os.environ.get("NNFS_GRADER_USER", f"grader-{COURSE_ID}").strip()
GRADER_PORT = _port("NNFS_GRADER_PORT", 8090)

GRADEBOOK_URL = _env("NBGRADER_DB_URL")
if not GRADEBOOK_URL:
    raise SystemExit(
        "NBGRADER_DB_URL is not set. The grader service needs the gradebook's URL, e.g. "
        "postgresql://nbgrader:PASSWORD@127.0.0.1:5432/gradebook (see docs/deploy.md).")
if not GRADEBOOK_URL.startswith(("postgresql://", "postgresql+", "sqlite://")):
    raise SystemExit("NBGRADER_DB_URL must be a postgresql:// (or, for a trial, sqlite://) URL")

instructors = _names(_env("NNFS_INSTRUCTORS"), "NNFS_INSTRUCTORS")
students = _names(_env("NNFS_STUDENTS"), "NNFS_STUDENTS")
if _env("NNFS_STUDENTS_FILE"):
    students += _roster_file(_env("NNFS_STUDENTS_FILE"))
students = sorted(set(students))
instructors = sorted(set(instructors))
admins = sorted(set(_names(_env("NNFS_ADMINS"), "NNFS_ADMINS")))
both = sorted(set(students) & set(instructors))
if both:
    raise SystemExit(f"listed both as instructor and as student: {', '.join(both)}")

# ------------------------------------------------------------ network and state

HUB_IP = _env("NNFS_HUB_IP", "127.0.0.1")
HUB_PORT = _port("NNFS_HUB_PORT", 8000)
TLS_CERT, TLS_KEY = _env("NNFS_TLS_CERT"), _env("NNFS_TLS_KEY")
if bool(TLS_CERT) != bool(TLS_KEY):
    raise SystemExit("set both NNFS_TLS_CERT and NNFS_TLS_KEY, or neither")

scheme = "https" if TLS_CERT else "http"
c.JupyterHub.bind_url = f"{scheme}://{HUB_IP}:{HUB_PORT}/"
if TLS_CERT:
    c.JupyterHub.ssl_cert = TLS_CERT
    c.JupyterHub.ssl_key = TLS_KEY
# The hub's own API and the proxy's API listen on loopback only.
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{_port('NNFS_HUB_API_PORT', 8081)}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{_port('NNFS_PROXY_API_PORT', 8001)}"

c.JupyterHub.db_url = _env("NNFS_HUB_DB_URL", f"sqlite:///{STATE_DIR / 'jupyterhub.sqlite'}")
c.JupyterHub.cookie_secret_file = str(STATE_DIR / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(STATE_DIR / "jupyterhub-proxy.pid")


def _find_proxy():
    explicit = _env("NNFS_CHP")
    if explicit:
        return explicit
    on_path = shutil.which("configurable-http-proxy")
    if on_path:
        return on_path
    local = REPO / ".venv" / "chp" / "node_modules" / ".bin" / "configurable-http-proxy"
    return str(local) if local.exists() else "configurable-http-proxy"


c.ConfigurableHTTPProxy.command = [_find_proxy()]

# ------------------------------------------------------------- who may do what

c.Authenticator.allowed_users = set(students) | set(instructors) | set(admins)
c.Authenticator.admin_users = set(admins)
# With local accounts (PAM + LocalProcessSpawner), roster members get one on first use.
c.LocalAuthenticator.create_system_users = True

c.JupyterHub.load_groups = {
    INSTRUCTOR_GROUP: {"users": instructors, "properties": {"course": COURSE_ID, "role": "instructor"}},
    STUDENT_GROUP: {"users": students, "properties": {"course": COURSE_ID, "role": "student"}},
}

c.JupyterHub.load_roles = [
    {
        "name": f"instructor-{COURSE_ID}",
        "description": f"Grade {COURSE_ID} in the shared formgrader and see who is working",
        "groups": [INSTRUCTOR_GROUP],
        "scopes": [
            f"access:services!service={COURSE_ID}",
            f"read:users:activity!group={STUDENT_GROUP}",
            f"read:servers!group={STUDENT_GROUP}",
        ],
    },
]

# ------------------------------------------------------------ learner servers

# Instructors get the same personal server as students: they grade in the service.
c.Spawner.default_url = "/lab"
c.Spawner.ip = "127.0.0.1"
c.Spawner.environment = {
    # Course settings for nbgrader, and the instructor-only extensions switched off.
    "JUPYTER_CONFIG_PATH": os.pathsep.join(
        [str(JUPYTER_CONFIG / "learner"), str(JUPYTER_CONFIG / "common")]),
    "NNFS_COURSE_ID": COURSE_ID,
    "NNFS_EXCHANGE_ROOT": EXCHANGE_ROOT,
}
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 60
# Spawns in flight at once, and (optionally) servers running at once: with a class
# of hundreds arriving at the start of a session, this keeps the machine responsive.
c.JupyterHub.concurrent_spawn_limit = 20
c.JupyterHub.active_server_limit = _count("NNFS_ACTIVE_SERVER_LIMIT", 0)

# ------------------------------------------------------------------- services

grader_service = {
    "name": COURSE_ID,
    "display": True,
    "oauth_no_confirm": True,
    "url": f"http://127.0.0.1:{GRADER_PORT}",
    "cwd": COURSE_ROOT,
    # The formgrader needs the course directory to be the server's root (or under it).
    "command": ["jupyterhub-singleuser", f"--ServerApp.root_dir={COURSE_ROOT}"],
    "environment": {
        "JUPYTER_CONFIG_PATH": os.pathsep.join(
            [str(JUPYTER_CONFIG / "grader"), str(JUPYTER_CONFIG / "common")]),
        "JUPYTERHUB_DEFAULT_URL": "/lab",
        "NNFS_COURSE_ID": COURSE_ID,
        "NNFS_EXCHANGE_ROOT": EXCHANGE_ROOT,
        "NBGRADER_DB_URL": GRADEBOOK_URL,
    },
}
if GRADER_USER:
    grader_service["user"] = GRADER_USER
c.JupyterHub.services = [grader_service]

IDLE_TIMEOUT = _count("NNFS_IDLE_TIMEOUT", 3600)  # seconds
if IDLE_TIMEOUT:
    c.JupyterHub.services.append({
        "name": "idle-culler",
        "command": [sys.executable, "-m", "jupyterhub_idle_culler",
                    f"--timeout={IDLE_TIMEOUT}", f"--cull-every={max(60, IDLE_TIMEOUT // 6)}"],
    })
    c.JupyterHub.load_roles.append({
        "name": "idle-culler",
        "description": "Stop learner servers nobody has used for a while",
        "services": ["idle-culler"],
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    })
