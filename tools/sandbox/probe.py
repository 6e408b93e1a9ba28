"""`make sandbox-check`: grade a probe submission for real and say what it could reach.

A throwaway course (in a temporary folder, with the course's own nbgrader_config.py, so
its sandbox settings apply) gets one assignment, a bystander's submission with a secret
in it, a canary file in the course root and in your HOME, and a secret in nbgrader's
environment. The probe's answer cell then tries, as a learner could, to read, write,
connect, look around and use up resources. It is autograded by the same code path as
`make autograde`, and each item is judged from both sides: what the probe reported, and
what the grader finds afterwards (files that appeared, a connection that arrived).
"""
import contextlib
import io
import json
import os
import secrets
import shutil
import socket
import tempfile
import threading
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from nncourse.manifest import PACKAGES, REPO

from . import policy

AID = "sandbox_check"
MARK = "NNFS-PROBE "

# Runs inside the grading kernel. It prints one MARK line per item: {"item", "reached", "detail"}.
PROBE = r'''
import errno, json, os, socket

P = json.loads(PARAMS)

def report(item, reached, detail):
    print("NNFS-PROBE " + json.dumps({"item": item, "reached": bool(reached), "detail": str(detail)[:300]}))

def try_read(path):
    try:
        with open(path, "rb") as fh:
            return fh.read(200)
    except OSError as exc:
        return exc

def readable(paths):
    got = {p: try_read(p) for p in paths}
    hits = [p for p, v in got.items() if isinstance(v, bytes)]
    return hits, "; ".join(f"{p}: {'READ' if isinstance(v, bytes) else v.strerror}" for p, v in got.items())

hits, detail = readable([P["canary"], P["config"]])
report("files: the course root", hits, detail)
hits, detail = readable([P["gradebook"]])
try:
    import sqlite3
    con = sqlite3.connect("file:" + P["gradebook"] + "?mode=ro", uri=True)
    con.execute("select count(*) from grade").fetchone()
    hits.append("sqlite")
    detail += "; sqlite3 opened it"
except Exception as exc:
    detail += f"; sqlite3: {exc}"
report("files: the gradebook", hits, detail)
report("files: solutions/ (hidden tests)", *readable([P["source"]]))
report("files: another learner's submission", *readable([P["bystander"]]))
report("files: your HOME", *readable([P["home_canary"]]))
written = []
for folder in P["write_targets"]:
    try:
        with open(os.path.join(folder, P["write_name"]), "w") as fh:
            fh.write("probe")
        written.append(folder)
    except OSError as exc:
        pass
report("files: writing outside its folder", written, "wrote into " + (", ".join(written) or "none of "
       + ", ".join(P["write_targets"])))
try:
    s = socket.create_connection(("127.0.0.1", P["port"]), timeout=3)
    s.sendall(b"probe")
    s.close()
    report("network: TCP to 127.0.0.1", True, f"connected to port {P['port']}")
except OSError as exc:
    report("network: TCP to 127.0.0.1", False, exc)
seen = []
for pid in [d for d in os.listdir("/proc") if d.isdigit()]:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            cmd = fh.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        continue
    if "nbgrader" in cmd or "tools.grading" in cmd:
        seen.append(pid)
report("processes: the grader", seen, f"{len(os.listdir('/proc'))} /proc entries; grader seen as pid "
       + (", ".join(seen) or "none"))
leaked = [k for k, v in os.environ.items() if P["secret"] in v or "NBGRADER_DB_URL" in k]
report("environment: the grader's variables", leaked, "kernel has " + ", ".join(sorted(os.environ)))
with open("/proc/self/status") as fh:
    status = dict(line.rstrip("\n").split(":\t", 1) for line in fh if ":\t" in line)
root = os.getuid() == 0 or os.geteuid() == 0
caps = int(status.get("CapEff", "0"), 16)
nnp = status.get("NoNewPrivs", "0").strip() == "1"
report("privileges: root or capabilities", root or caps or not nnp,
       f"uid {os.getuid()}, CapEff {status.get('CapEff')}, NoNewPrivs {int(nnp)}")
try:
    block = bytearray(P["memory"] + (256 << 20))
    report("limits: memory", True, f"allocated {len(block) >> 20} MiB")
    del block
except MemoryError as exc:
    report("limits: memory", False, f"MemoryError for {(P['memory'] >> 20) + 256} MiB")
children, stopped = [], ""
try:
    for _ in range(P["processes"] + 50):
        pid = os.fork()
        if pid == 0:
            import time
            time.sleep(2)
            os._exit(0)
        children.append(pid)
except OSError as exc:
    stopped = exc
for pid in children:
    os.waitpid(pid, 0)
report("limits: processes", not stopped, f"forked {len(children)} processes" + (f", then: {stopped}" if stopped else ""))
try:
    with open("probe-big-file", "wb") as fh:
        chunk = b"\0" * (1 << 20)
        for _ in range((P["file_size"] >> 20) + 16):
            fh.write(chunk)
    report("limits: file size", True, f"wrote {(P['file_size'] >> 20) + 16} MiB")
except OSError as exc:
    report("limits: file size", False, exc)
finally:
    if os.path.exists("probe-big-file"):
        os.remove("probe-big-file")
'''


def _source_notebook():
    meta = {"nbgrader": {"schema_version": 3, "solution": True, "grade": False, "locked": False,
                         "task": False, "grade_id": "probe"}}
    test = {"nbgrader": {"schema_version": 3, "solution": False, "grade": True, "locked": True,
                         "task": False, "grade_id": "test_probe", "points": 1}}
    nb = new_notebook(cells=[
        new_code_cell("### BEGIN SOLUTION\nanswer = 42\n### END SOLUTION", id="probe", metadata=meta),
        new_code_cell("assert answer == 42", id="test-probe", metadata=test),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def _submission(release, code):
    nb = nbformat.read(release, as_version=4)
    nb.cells[0].source = code
    return nb


class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections it gets."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
                self.connections += 1
                conn.close()
            except OSError:
                continue

    def close(self):
        self.stop.set()
        self.thread.join()
        self.sock.close()


def run_probe(course_cls, sandboxed, config_source, limits):
    """Grade the probe in a throwaway course; returns ({item: (reached, detail)}, score, log)."""
    from tools import grading

    work = Path(tempfile.mkdtemp(prefix="nnfs-sandbox-check-"))
    home_canary = Path.home() / f".nnfs-sandbox-check-{secrets.token_hex(4)}"
    host_tmp = Path(tempfile.gettempdir())
    name = f"PROBE-{secrets.token_hex(4)}"
    listener = Listener()
    params = {"write_targets": []}
    try:
        root = work / "course"
        (root / "solutions" / AID).mkdir(parents=True)
        if config_source and Path(config_source).is_file():
            shutil.copy2(config_source, root / "nbgrader_config.py")
        else:
            (root / "nbgrader_config.py").write_text("c = get_config()\nc.CourseDirectory.source_directory"
                                                     " = 'solutions'\nc.CourseDirectory.release_directory"
                                                     " = 'notebooks'\n")
        nbformat.write(_source_notebook(), root / "solutions" / AID / f"{AID}.ipynb")
        canary = root / "SECRET-canary.txt"
        canary.write_text("course secret")
        home_canary.write_text("instructor secret")
        secret = secrets.token_hex(16)
        course = course_cls.open(root, f"sqlite:///{root / 'gradebook.db'}", 1, sandboxed=sandboxed)
        course.env["NNFS_CHECK_SECRET"] = secret
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = grading.cmd_release(course, _Args(assignment=None))
        if code != 0:
            raise RuntimeError("could not release the probe assignment:\n" + out.getvalue())
        release = course.release / AID / f"{AID}.ipynb"
        bystander = course.submitted / "bystander" / AID
        bystander.mkdir(parents=True)
        nbformat.write(_submission(release, f"answer = 42  # bystander {secret}"), bystander / f"{AID}.ipynb")
        params = {
            "canary": str(canary), "config": str(root / "nbgrader_config.py"),
            "gradebook": str(root / "gradebook.db"), "source": str(root / "solutions" / AID / f"{AID}.ipynb"),
            "bystander": str(bystander / f"{AID}.ipynb"), "home_canary": str(home_canary),
            "write_targets": [str(root), *(str(REPO / package) for package in PACKAGES),
                              str(Path.home()), str(host_tmp), str(course.autograded / "bystander" / AID)],
            "write_name": name, "port": listener.port, "secret": secret,
            "memory": limits.memory, "processes": limits.processes, "file_size": limits.file_size,
        }
        probe_dir = course.submitted / "probe" / AID
        probe_dir.mkdir(parents=True)
        code_text = f"answer = 42\nPARAMS = {json.dumps(json.dumps(params))}\n{PROBE}"
        nbformat.write(_submission(release, code_text), probe_dir / f"{AID}.ipynb")
        with contextlib.redirect_stdout(out):
            grading.cmd_autograde(course, _Args(assignment=None, student=None, new_only=False,
                                                figures=False, json=None))
        graded = course.autograded / "probe" / AID / f"{AID}.ipynb"
        items = {}
        if graded.is_file():
            nb = nbformat.read(graded, as_version=4)
            for cell in nb.cells:
                for o in cell.get("outputs", []):
                    for line in str(o.get("text", "")).splitlines():
                        if line.startswith(MARK):
                            entry = json.loads(line[len(MARK):])
                            items[entry["item"]] = (entry["reached"], entry["detail"])
        # What the grader sees afterwards overrides what the probe said about itself.
        appeared = [t for t in params["write_targets"] if (Path(t) / name).exists()]
        if appeared or "files: writing outside its folder" in items:
            items["files: writing outside its folder"] = (
                bool(appeared), "files appeared in " + ", ".join(appeared) if appeared
                else "nothing appeared in " + ", ".join(params["write_targets"])
                + " (what the probe wrote stayed in the sandbox's throwaway folders)")
        if listener.connections:
            items["network: TCP to 127.0.0.1"] = (True, f"{listener.connections} connections arrived")
        score = None
        with course.gradebook() as gb:
            try:
                score = gb.find_submission(AID, "probe").score
            except Exception:
                pass
        return items, score, out.getvalue()
    finally:
        listener.close()
        # Without the sandbox (--no-sandbox), the probe's files did land: take them away.
        for target in params["write_targets"]:
            with contextlib.suppress(OSError):
                (Path(target) / name).unlink()
        for target in [str(Path.home()), str(host_tmp)]:
            with contextlib.suppress(OSError):
                (Path(target) / name).unlink()
        with contextlib.suppress(OSError):
            home_canary.unlink()
        shutil.rmtree(work, ignore_errors=True)


class _Args:
    def __init__(self, **kw):
        self.__dict__.update(kw)


EXPECTED_ITEMS = 13


def sandbox_check(course):
    """Print, item by item, what the probe reached; 0 when everything was contained."""
    from tools import grading
    from .kernel import SandboxKernelManager

    if course.sandboxed:
        try:
            policy.preflight()
        except policy.SandboxUnavailable as exc:
            print(f"sandbox-check: no sandbox can start here: {exc}")
            return 1
    from traitlets.config import Config
    from .cgroups import homes

    limits = SandboxKernelManager(config=course.config or Config()).limits()
    groups = sorted(homes())
    who = "root" if os.geteuid() == 0 else f"uid {os.geteuid()}"
    print(f"sandbox-check: {'bubblewrap ' + _bwrap_version() if course.sandboxed else grading.UNSANDBOXED}; "
          f"grading as {who}; limits: {limits.describe()}; whole-sandbox budget (control groups): "
          f"{', '.join(groups) or 'none, per-process limits only'}")
    items, score, log = run_probe(type(course), course.sandboxed, course.root / "nbgrader_config.py", limits)
    if not items:
        print("sandbox-check: the probe reported nothing; the autograde output was:\n" + log)
        return 1
    reached = [k for k, (r, _) in items.items() if r]
    for item, (r, detail) in items.items():
        print(f"  {'REACHED  ' if r else 'contained'}  {item:40s} {detail}")
    missing = EXPECTED_ITEMS - len(items)
    if missing:
        print(f"  {missing} items did not report (the probe stopped early); the autograde output was:\n{log}")
    print(f"sandbox-check: {len(items) - len(reached)} of {len(items)} contained"
          + (f"; REACHED: {', '.join(reached)}" if reached else "")
          + f"; the probe scored {score if score is not None else '?'} of 1 for its honest answer")
    return 1 if reached or missing or score != 1 else 0


def _bwrap_version():
    import subprocess
    try:
        return subprocess.run([policy.bwrap_path(), "--version"], capture_output=True, text=True,
                              timeout=10).stdout.split()[-1]
    except (OSError, IndexError, subprocess.SubprocessError):
        return "?"
