"""Throwaway services for tests/system/test_hub_e2e.py (imported by it; not a test module).

* ``PostgresCluster`` (from ``tools/postgres.py``): a private PostgreSQL cluster for the
  gradebook.
* ``Hub``: JupyterHub started from ``deploy/jupyterhub_config.py`` through a small site
  file written for the run (test authenticator and spawner, a token for the test
  driver), with configurable-http-proxy on 127.0.0.1.

Both remember every process id they start and stop them by id; nothing is killed by name.
"""
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil

from tools.notebooks import venv_bin
from tools.postgres import PostgresCluster, alive, free_port, postgres_bin, stop_pids  # noqa: F401

REPO = Path(__file__).resolve().parents[1]
DEPLOY = REPO / "deploy"
HUB_CONFIG = DEPLOY / "jupyterhub_config.py"
LOCAL_CHP = REPO / ".venv" / "chp" / "node_modules" / ".bin" / "configurable-http-proxy"


def on_ci():
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def port_in_use(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def proxy_command():
    """configurable-http-proxy: $NNFS_CHP, PATH, or the copy `make test` installs in .venv/chp."""
    explicit = os.environ.get("NNFS_CHP", "").strip()
    if explicit:
        return explicit if Path(explicit).exists() else None
    return shutil.which("configurable-http-proxy") or (str(LOCAL_CHP) if LOCAL_CHP.exists() else None)


def _missing_modules(pairs):
    missing = []
    for module, what in pairs:
        try:
            __import__(module)
        except ImportError:
            missing.append(f"Python package {what} (pip install -r requirements-hub.txt)")
    return missing


def missing_prerequisites():
    """What this machine lacks to run the hub end-to-end test ([] when nothing)."""
    missing = _missing_modules((("jupyterhub", "jupyterhub"),
                                ("jupyterhub_idle_culler", "jupyterhub-idle-culler"), ("requests", "requests")))
    if not proxy_command():
        missing.append("configurable-http-proxy (make chp: npm ci in .venv/chp from deploy/proxy/)")
    if not shutil.which("node"):
        missing.append("node (Debian package nodejs)")
    return missing + missing_postgres()


def missing_postgres():
    """What this machine lacks for a throwaway PostgreSQL gradebook ([] when nothing)."""
    missing = _missing_modules((("psycopg", "psycopg"),))
    for prog in ("initdb", "pg_ctl", "psql"):
        if not postgres_bin(prog):
            missing.append(f"PostgreSQL program {prog} (Debian package postgresql)")
    if os.geteuid() == 0:
        if not shutil.which("runuser"):
            missing.append("runuser (util-linux), to run PostgreSQL as the postgres user")
        try:
            import pwd
            pwd.getpwnam("postgres")
        except KeyError:
            missing.append("a 'postgres' system user (created by the Debian package postgresql)")
    return missing


def reset_sigint():
    """preexec_fn: a background shell may hand us SIGINT ignored; servers need the default,
    since JupyterHub stops them with SIGINT first."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def reap(proc, timeout):
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        pass


# -------------------------------------------------------------------- JupyterHub

SITE_FILE = '''\
"""Site file of the hub end-to-end test: deploy/jupyterhub_config.py plus test-only choices."""
import os

c = get_config()  # noqa: F821
load_subconfig({deploy!r})  # noqa: F821

# Test login: any listed user with the password generated for this run.
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = os.environ["E2E_HUB_PASSWORD"]
# Learners as local processes of the test's own user, each with a home in the test's temp dir.
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {homes!r} + "/{{username}}"
c.Spawner.args = {server_args!r}
for service in c.JupyterHub.services:
    if service["name"] == os.environ["NNFS_COURSE_ID"]:
        service["command"] = service["command"] + {server_args!r}
        service["environment"]["HOME"] = {grader_home!r}
# The test driver: creates tokens for the users and starts and stops their servers.
c.JupyterHub.services.append({{"name": "e2e-driver", "api_token": os.environ["E2E_DRIVER_TOKEN"]}})
c.JupyterHub.load_roles.append({{
    "name": "e2e-driver", "services": ["e2e-driver"],
    "scopes": ["list:users", "read:users", "admin:servers", "tokens"],
}})
'''


class Hub:
    """JupyterHub from deploy/jupyterhub_config.py, on loopback ports chosen for the run."""

    def __init__(self, root, gradebook_url, instructors, students, course_id="nn-from-scratch"):
        self.root = Path(root)
        self.course_id = course_id
        self.state = self.root / "hub-state"
        self.homes = self.root / "homes"
        self.grader_home = self.root / "grader-home"
        self.course_root = self.root / "course"
        self.exchange = self.root / "exchange"
        for d in (self.state, self.homes, self.grader_home, self.exchange):
            d.mkdir(parents=True, exist_ok=True)
        self.exchange.chmod(0o777)  # nbgrader wants a world-writable exchange root
        self.log_path = self.root / "jupyterhub.log"
        self.gradebook_url = gradebook_url
        self.instructors, self.students = list(instructors), list(students)
        self.port, self.api_port, self.proxy_api_port, self.grader_port = (free_port() for _ in range(4))
        self.password = secrets.token_urlsafe(16)
        self.driver_token = secrets.token_hex(32)
        self.proc = None
        self.pids = set()
        self._log = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def api(self):
        return f"{self.url}/hub/api"

    def driver_headers(self):
        return {"Authorization": f"token {self.driver_token}"}

    def environment(self):
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("JUPYTER", "JPY_", "CONFIGPROXY_", "NNFS_", "NBGRADER_", "E2E_"))
               and k not in ("IPYTHONDIR", "MPLBACKEND")}
        env.update({
            "HOME": str(self.state),
            "PATH": os.pathsep.join([str(venv_bin()), env.get("PATH", "")]),
            "PYTHONDONTWRITEBYTECODE": "1",
            "JPY_COOKIE_SECRET": secrets.token_hex(32),
            "CONFIGPROXY_AUTH_TOKEN": secrets.token_hex(32),
            "E2E_HUB_PASSWORD": self.password,
            "E2E_DRIVER_TOKEN": self.driver_token,
            "NBGRADER_DB_URL": self.gradebook_url,
            "NNFS_COURSE_ID": self.course_id,
            "NNFS_INSTRUCTORS": ",".join(self.instructors),
            "NNFS_STUDENTS": ",".join(self.students),
            "NNFS_HUB_IP": "127.0.0.1",
            "NNFS_HUB_PORT": str(self.port),
            "NNFS_HUB_API_PORT": str(self.api_port),
            "NNFS_PROXY_API_PORT": str(self.proxy_api_port),
            "NNFS_GRADER_PORT": str(self.grader_port),
            "NNFS_STATE_DIR": str(self.state),
            "NNFS_EXCHANGE_ROOT": str(self.exchange),
            "NNFS_COURSE_ROOT": str(self.course_root),
            "NNFS_GRADER_USER": "",  # the grader service runs as the test's own user
            "NNFS_CHP": proxy_command() or "",
        })
        return env

    def grader_environment(self):
        """The environment the grader service gets, for running the nbgrader CLI as it."""
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("JUPYTER", "JPY_", "CONFIGPROXY_", "NNFS_", "NBGRADER_", "E2E_"))
               and k not in ("IPYTHONDIR", "MPLBACKEND")}
        env.update({
            "HOME": str(self.grader_home),
            "PATH": os.pathsep.join([str(venv_bin()), env.get("PATH", "")]),
            "PYTHONDONTWRITEBYTECODE": "1",
            "JUPYTER_CONFIG_PATH": os.pathsep.join(
                [str(DEPLOY / "jupyter" / "grader"), str(DEPLOY / "jupyter" / "common")]),
            "NNFS_COURSE_ID": self.course_id,
            "NNFS_EXCHANGE_ROOT": str(self.exchange),
            "NBGRADER_DB_URL": self.gradebook_url,
        })
        return env

    def write_site_file(self):
        server_args = ["--ServerApp.allow_root=True"] if os.geteuid() == 0 else []
        path = self.root / "jupyterhub_site.py"
        path.write_text(SITE_FILE.format(deploy=str(HUB_CONFIG), homes=str(self.homes),
                                         server_args=server_args, grader_home=str(self.grader_home)))
        return path

    def start(self, timeout=120):
        site = self.write_site_file()
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            [str(venv_bin() / "jupyterhub"), "-f", str(site)],
            cwd=self.state, env=self.environment(), stdin=subprocess.DEVNULL,
            stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True,
            preexec_fn=reset_sigint)
        self.pids.add(self.proc.pid)
        self.wait_until(lambda: self._get(f"{self.api}/", headers=self.driver_headers()) == 200,
                        timeout, "the hub's API (through the proxy)")
        self.track()
        return self

    def _get(self, url, headers=None):
        import requests
        try:
            return requests.get(url, headers=headers, timeout=5, allow_redirects=False).status_code
        except requests.RequestException:
            return None

    def wait_until(self, check, timeout, what):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"JupyterHub exited (code {self.proc.returncode}) while waiting for "
                                   f"{what}:\n{self.log_tail()}")
            if check():
                return
            time.sleep(0.3)
        raise RuntimeError(f"timed out after {timeout} s waiting for {what}:\n{self.log_tail()}")

    def proxy_pid(self):
        try:
            return int((self.state / "jupyterhub-proxy.pid").read_text().strip())
        except (OSError, ValueError):
            return None

    def track(self):
        """Record the pids of every process below the hub (proxy, services, servers, kernels)."""
        if self.proc is not None and alive(self.proc.pid):
            try:
                for child in psutil.Process(self.proc.pid).children(recursive=True):
                    self.pids.add(child.pid)
            except psutil.NoSuchProcess:
                pass
        if self.proxy_pid():
            self.pids.add(self.proxy_pid())
        return self.pids

    def server_processes(self):
        """{user name: psutil.Process} of the learners' single-user servers."""
        found = {}
        for pid in sorted(self.track()):
            try:
                proc = psutil.Process(pid)
                env = proc.environ()
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
            if env.get("JUPYTERHUB_USER") and not env.get("JUPYTERHUB_SERVICE_NAME") \
                    and "jupyterhub-singleuser" in " ".join(proc.cmdline()):
                found[env["JUPYTERHUB_USER"]] = proc
        return found

    def service_process(self, name):
        """psutil.Process of the hub-managed service `name` (the course's grader), or None."""
        for pid in sorted(self.track()):
            try:
                proc = psutil.Process(pid)
                if proc.environ().get("JUPYTERHUB_SERVICE_NAME") == name \
                        and "jupyterhub-singleuser" in " ".join(proc.cmdline()):
                    return proc
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
        return None

    def log_tail(self, lines=40):
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self, grace=45):
        """SIGTERM the hub (it stops its servers, services and proxy), then stop any
        recorded pid still alive. Returns those that would not die ([] on success)."""
        if self.proc is None:
            return []
        self.track()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            reap(self.proc, grace)
        left = stop_pids(sorted(self.pids))
        reap(self.proc, 5)
        if self._log:
            self._log.close()
        return left


def json_or_text(response):
    try:
        return json.dumps(response.json())[:1500]
    except ValueError:
        return response.text[:1500]
