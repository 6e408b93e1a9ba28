"""A throwaway PostgreSQL cluster for a gradebook, and the process helpers it needs.

The tests of parallel grading and of the shared server, and the grading benchmark,
need a real PostgreSQL gradebook that leaves nothing behind: a private cluster in a
temporary directory, made with Debian's ``initdb``/``pg_ctl`` (run as the ``postgres``
user when the caller is root, since the server refuses root), listening on 127.0.0.1
on a free port, with its socket in the same directory and passwords generated for
the run. Processes are stopped by the ids they were started with, never by name.
"""
import glob
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psutil

__all__ = ["PostgresCluster", "postgres_bin", "free_port", "alive", "stop_pids"]


def postgres_bin(name):
    """Path of a PostgreSQL server program: on PATH, else Debian's versioned directory."""
    found = shutil.which(name)
    if found:
        return found
    candidates = glob.glob(f"/usr/lib/postgresql/*/bin/{name}")

    def version(path):
        return [int(x) for x in re.findall(r"\d+", Path(path).parts[-3])]

    return max(candidates, key=version) if candidates else None


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def alive(pid):
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def stop_pids(pids, grace=10.0):
    """SIGTERM each live pid, wait up to `grace` s, then SIGKILL. Returns pids still alive."""
    pids = [p for p in dict.fromkeys(pids) if p and alive(p)]
    for pid in pids:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(alive(p) for p in pids):
        time.sleep(0.2)
    for pid in pids:
        if alive(pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(alive(p) for p in pids):
        time.sleep(0.1)
    return [p for p in pids if alive(p)]


class PostgresCluster:
    """A throwaway PostgreSQL cluster with one database and role for the gradebook."""

    database = "gradebook"
    role = "nbgrader"

    def __init__(self):
        self.dir = None
        self.port = None
        self.pid = None
        self.superuser_password = secrets.token_urlsafe(18)
        self.password = secrets.token_urlsafe(18)
        self.as_root = os.geteuid() == 0

    @property
    def url(self):
        return f"postgresql://{self.role}:{self.password}@127.0.0.1:{self.port}/{self.database}"

    def _cmd(self, *cmd):
        cmd = [str(c) for c in cmd]
        return ["runuser", "-u", "postgres", "--", *cmd] if self.as_root else cmd

    def _run(self, *cmd, timeout=120):
        env = dict(os.environ, PGPASSWORD=self.superuser_password, LC_ALL="C.UTF-8", LANG="C.UTF-8")
        proc = subprocess.run(self._cmd(*cmd), capture_output=True, text=True, timeout=timeout,
                              env=env, stdin=subprocess.DEVNULL, cwd=self.dir)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(proc.args)} failed (exit {proc.returncode}):\n"
                               f"{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
        return proc

    def start(self):
        # Under /tmp itself: pytest's own temp tree is private to root, and the
        # server runs as postgres.
        self.dir = Path(tempfile.mkdtemp(prefix="nnfs-pg-"))
        if self.as_root:
            shutil.chown(self.dir, "postgres", "postgres")
        pwfile = self.dir / "superuser.pw"
        pwfile.write_text(self.superuser_password + "\n")
        pwfile.chmod(0o600)
        if self.as_root:
            shutil.chown(pwfile, "postgres", "postgres")
        data, sock = self.dir / "data", self.dir / "socket"
        sock.mkdir()
        if self.as_root:
            shutil.chown(sock, "postgres", "postgres")
        self._run(postgres_bin("initdb"), "-D", data, "-U", "postgres", f"--pwfile={pwfile}",
                  "--auth-local=scram-sha-256", "--auth-host=scram-sha-256",
                  "-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions")
        pwfile.unlink()
        self.port = free_port()
        options = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {sock} "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        self._run(postgres_bin("pg_ctl"), "-D", data, "-l", self.dir / "server.log", "-w", "-t", "60",
                  "-o", options, "start")
        self.pid = int((data / "postmaster.pid").read_text().split()[0])
        psql = [postgres_bin("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", sock, "-p", self.port,
                "-U", "postgres", "-d", "postgres"]
        # The role's password goes in as a psql variable, quoted by psql itself (:'pw'),
        # on standard input: it never appears on a command line.
        proc = subprocess.run(
            self._cmd(*psql),
            input=(f"\\set pw {self.password}\n"
                   f"CREATE ROLE {self.role} LOGIN PASSWORD :'pw';\n"
                   f"CREATE DATABASE {self.database} OWNER {self.role};\n"),
            capture_output=True, text=True, timeout=60, cwd=self.dir,
            env=dict(os.environ, PGPASSWORD=self.superuser_password))
        if proc.returncode != 0:
            raise RuntimeError(f"creating the gradebook database failed:\n{proc.stderr[-2000:]}")
        return self

    def log_tail(self, lines=30):
        try:
            text = (self.dir / "server.log").read_text(errors="replace")
        except (OSError, TypeError):
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self):
        """Stop the server (pg_ctl, then the postmaster's pid if need be) and remove the
        cluster. Returns the pids still alive ([] on success)."""
        if self.dir is None:
            return []
        data = self.dir / "data"
        if self.pid and alive(self.pid):
            try:
                self._run(postgres_bin("pg_ctl"), "-D", data, "-m", "fast", "-w", "-t", "30", "stop", timeout=60)
            except (RuntimeError, subprocess.TimeoutExpired):
                pass
        left = stop_pids([self.pid]) if self.pid else []
        shutil.rmtree(self.dir, ignore_errors=True)
        return left
