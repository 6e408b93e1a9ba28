"""Helpers for the browser tests (imported by test_browser.py; not a test module).

`LabServer` runs JupyterLab on 127.0.0.1 with a generated token in a scratch
directory and stops it, with every kernel it started, by PID. `Browser` is
Playwright driving Debian's ``/usr/bin/chromium`` headless with a new, empty
profile. `Notebook` is one open notebook in JupyterLab: it runs cells, reads
the notebook model back and presses buttons the way a learner would.

JupyterLab is started with ``LabApp.expose_app_in_browser`` so that the tests
can read the notebook model (outputs, metadata) exactly instead of scraping
rendered HTML; everything a learner does (opening, running, Validate, moving a
slider, clicking Step) still goes through the running JupyterLab.
"""
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ScreenshotDir:
    """A temporary folder for failure screenshots, created on first use."""

    def __init__(self):
        self.path = None

    def save(self, page, name):
        if self.path is None:
            self.path = Path(tempfile.mkdtemp(prefix="nn-browser-shots-"))
        target = self.path / f"{name}.png"
        try:
            page.screenshot(path=str(target), full_page=False, timeout=15_000)
        except Exception as exc:  # a crashed page: say so instead of hiding the real failure
            return f"(no screenshot: {type(exc).__name__}: {exc})"
        print(f"screenshot saved: {target}")
        return str(target)


# ============================================================================ server

class LabServer:
    """JupyterLab on 127.0.0.1:<free port> with a random token, rooted at `root`."""

    def __init__(self, root, env, log_path):
        self.root = Path(root)
        self.env = env
        self.log_path = Path(log_path)
        self.token = secrets.token_hex(24)
        self.port = None
        self.proc = None
        self._log = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout=90):
        jupyter = Path(sys.executable).absolute().parent / "jupyter"
        for attempt in range(3):  # the port is free when picked; retry if someone takes it first
            self.port = free_port()
            self._log = open(self.log_path, "ab")
            self.proc = subprocess.Popen(
                [str(jupyter), "lab", "--no-browser",
                 "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
                 f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}",
                 "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=None",
                 "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
                 "--ServerApp.shutdown_no_activity_timeout=0",
                 *(["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else [])],
                cwd=str(self.root), env=self.env, stdout=self._log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    break
                try:
                    self.api("GET", "/api/status", timeout=2)
                    return self
                except (urllib.error.URLError, ConnectionError, OSError):
                    time.sleep(0.3)
            if self.proc.poll() is None:
                self.stop()
                raise RuntimeError(f"JupyterLab did not answer within {timeout} s:\n{self.log_tail()}")
            self._log.close()
        raise RuntimeError(f"JupyterLab exited at start (exit {self.proc.returncode}):\n{self.log_tail()}")

    def api(self, method, path, timeout=10):
        req = urllib.request.Request(self.url + path, method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            body = resp.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self):
        """Shut down every running kernel (between notebooks), through the REST API."""
        for kernel in self.api("GET", "/api/kernels"):
            try:
                self.api("DELETE", f"/api/kernels/{kernel['id']}", timeout=30)
            except urllib.error.HTTPError:
                pass

    def lab_url(self, path, reset=True):
        query = "?reset&" if reset else "?"
        return f"{self.url}/lab/tree/{path}{query}token={self.token}"

    def log_tail(self, lines=40):
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self):
        """Stop the server and every process it started (kernels), by PID."""
        if self.proc is None:
            return []
        import psutil

        pids = []
        try:
            server = psutil.Process(self.proc.pid)
            children = server.children(recursive=True)
        except psutil.NoSuchProcess:
            server, children = None, []
        pids = [self.proc.pid] + [c.pid for c in children]
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # jupyter shuts its kernels down on SIGTERM
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        gone, alive = psutil.wait_procs(children, timeout=10)
        for child in alive:
            try:
                child.kill()
            except psutil.NoSuchProcess:
                pass
        psutil.wait_procs(alive, timeout=10)
        if self._log and not self._log.closed:
            self._log.close()
        self.proc = None
        return pids


# =========================================================================== browser

class Browser:
    """Playwright + headless Debian Chromium with a fresh profile directory."""

    def __init__(self, profile_dir):
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        try:
            self.context = self._pw.chromium.launch_persistent_context(
                str(profile_dir), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
                viewport={"width": 1400, "height": 1000},
            )
        except Exception:
            self._pw.stop()
            raise
        self.context.set_default_timeout(30_000)

    def new_page(self):
        page = self.context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())  # "leave page?" on navigation
        return page

    def close(self):
        try:
            self.context.close()
        finally:
            self._pw.stop()


# ====================================================================== in the page

_FIND_PANEL = """
    const findPanel = (path) => {
        const app = window.jupyterapp;
        if (!app) return null;
        for (const w of app.shell.widgets('main')) {
            if (w.context && w.context.path === path) return w;
        }
        return null;
    };
"""

_READY = _FIND_PANEL + """
    (path) => {
        const panel = findPanel(path);
        if (!panel || !panel.context.isReady) return false;
        const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
        return !!kernel && kernel.connectionStatus === 'connected' && kernel.status === 'idle'
               && panel.content.widgets.length > 0;
    }
"""

# Run All; when a cell raises, JupyterLab stops there (as for a learner): carry on with
# "Run Selected Cell and All Below" from the next cell, until the end of the notebook.
# Right after an error the kernel still aborts requests for a moment (ipykernel's
# stop-on-error): a round that was aborted before running anything is tried again.
_RUN_ALL = _FIND_PANEL + """
    async ([path, timeoutMs]) => {
        const app = window.jupyterapp;
        const panel = findPanel(path);
        app.shell.activateById(panel.id);
        const nb = panel.content;
        const deadline = Date.now() + timeoutMs;
        const sleep = (ms) => new Promise(resolve => setTimeout(resolve, ms));
        const withTimeout = (promise) => Promise.race([
            promise,
            new Promise((_, reject) => setTimeout(() => reject(new Error('timed out running cells')),
                                                  Math.max(1, deadline - Date.now())))]);
        const hasError = (cell) => cell.model.type === 'code' &&
            cell.model.outputs.toJSON().some(o => o.output_type === 'error');
        let rounds = 1, retries = 0, start = 0;
        let ok = await withTimeout(app.commands.execute('notebook:run-all-cells'));
        while (!ok) {
            let stop = -1;
            for (let i = start; i < nb.widgets.length; i++) {
                if (hasError(nb.widgets[i])) { stop = i; break; }
            }
            if (stop < 0) {
                if (++retries > 10) throw new Error(`cells from ${start} on were aborted repeatedly`);
            } else {
                if (stop + 1 >= nb.widgets.length) break;
                start = stop + 1;
                retries = 0;
            }
            await sleep(150 * (retries + 1));
            nb.deselectAll();
            nb.activeCellIndex = start;
            rounds += 1;
            ok = await withTimeout(app.commands.execute('notebook:run-all-below'));
        }
        return rounds;
    }
"""

_MODEL = _FIND_PANEL + """
    (path) => JSON.stringify(findPanel(path).content.model.toJSON())
"""


class Notebook:
    """A notebook opened in JupyterLab in its own page (closed again by `close`)."""

    def __init__(self, browser, server, path, timeout=120):
        self.path = path
        self.page = browser.new_page()
        self.page.goto(server.lab_url(path), wait_until="domcontentloaded", timeout=timeout * 1000)
        self.page.wait_for_function(_READY, arg=path, timeout=timeout * 1000, polling=250)

    def run_all(self, timeout=300):
        """Run every cell, continuing after cells that raise; returns the number of rounds."""
        return self.page.evaluate(_RUN_ALL, [self.path, timeout * 1000])

    def model(self):
        """The notebook as nbformat JSON, with the outputs shown in the browser."""
        return json.loads(self.page.evaluate(_MODEL, self.path))

    def panel(self):
        """Locator of this notebook's panel (the visible one)."""
        return self.page.locator(".jp-NotebookPanel:visible").first

    def validate(self, timeout=240):
        """Press nbgrader's Validate button; returns (dialog text, passed?)."""
        self.panel().locator(".validate-button").first.click()
        dialog = self.page.locator(".jp-Dialog")
        dialog.wait_for(state="visible", timeout=timeout * 1000)
        dialog.get_by_text("Validation Results").or_(dialog.get_by_text("Validation failed")).or_(
            dialog.get_by_text("Version Mismatch")).first.wait_for(timeout=timeout * 1000)
        text = dialog.inner_text()
        passed = dialog.locator(".validation-success").count() > 0
        if passed:  # a failed validation stays on screen for the failure screenshot
            dialog.locator(".jp-mod-accept").first.click()
            dialog.wait_for(state="hidden", timeout=30_000)
        return text, passed

    def close(self):
        try:
            self.page.close()
        except Exception:
            pass


def _throwaway_env(home, drop_prefixes=(), drop=()):
    """os.environ without Jupyter's, IPython's and matplotlib's settings (and ``drop``),
    with a throwaway HOME and every Jupyter and IPython folder inside it."""
    home = Path(home)
    home.mkdir(parents=True, exist_ok=True)
    prefixes = ("JUPYTER", "IPYTHON", "MPLBACKEND", "PYTHONPATH", *drop_prefixes)
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes) and k not in drop}
    env.update(
        HOME=str(home),
        JUPYTER_CONFIG_DIR=str(home / ".jupyter"),
        JUPYTER_DATA_DIR=str(home / ".local" / "share" / "jupyter"),
        JUPYTER_RUNTIME_DIR=str(home / ".local" / "share" / "jupyter" / "runtime"),
        IPYTHONDIR=str(home / ".ipython"),
        MPLCONFIGDIR=str(home / ".config" / "matplotlib"),
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def isolated_server_env(home):
    """Environment for the server and its kernels: a throwaway HOME and Jupyter dirs in it."""
    env = _throwaway_env(home)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).absolute().parent), os.environ.get("PATH", "")])
    # No "get notified about Jupyter news?" toast over the page (it would also go online).
    settings = Path(home) / ".jupyter" / "lab" / "user-settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))
    return env


def copy_course(src, dest, parts=("notebooks", "solutions", "nbgrader_config.py")):
    """Scratch copy of the course folders a learner and the Validate button need."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    for part in parts:
        source = Path(src) / part
        if source.is_dir():
            shutil.copytree(source, dest / part, ignore=shutil.ignore_patterns(
                ".ipynb_checkpoints", "__pycache__", "*.pyc"))
        elif source.is_file():
            shutil.copy2(source, dest / part)
    return dest


# ======================================================== make lab / make formgrader

def scratch_course_for_make(src, dest):
    """What `make lab` and `make formgrader` read, copied to `dest`: the Makefile, the
    Jupyter configuration folders, the course (notebooks/, solutions/, nbgrader_config.py).
    The servers then write nothing into the repository (a gradebook, checkpoints)."""
    dest = copy_course(src, dest)
    shutil.copy2(Path(src) / "Makefile", dest / "Makefile")
    shutil.copytree(Path(src) / "deploy" / "jupyter", dest / "deploy" / "jupyter",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return dest


def clean_server_env(home):
    """A throwaway HOME and Jupyter dirs, and nothing else decided for the server: no
    JUPYTER_CONFIG_PATH and no user settings (unlike isolated_server_env, which turns the
    news prompt off itself), so that what the page shows comes from the make target alone."""
    env = _throwaway_env(home, drop_prefixes=("NBGRADER", "MAKE"),
                         drop=("MFLAGS", "DB_URL", "DB_URL_FILE", "LAB_PORT", "FORMGRADER_PORT"))
    env["BROWSER"] = "true"  # jupyter lab opens a browser: let it "open" nothing
    return env


class MakeServer(LabServer):
    """`make lab` or `make formgrader` itself, run in a scratch course with this venv.

    The target's own free-port search starts at `first_port`; the port and the token are
    read from the URL the target prints, as a learner would copy it. `.venv/.runtime` is
    taken as up to date (``make -o``) and BIN points at the running venv, so make builds
    nothing. stop() ends jupyter (make's child), then make, by PID.
    """

    URL = re.compile(r"http://127\.0\.0\.1:(\d+)/lab\?token=(\S+)")

    def __init__(self, course, target, env, log_path, first_port=8950, variables=()):
        super().__init__(course, env, log_path)
        self.target = target
        self.first_port = first_port
        self.variables = list(variables)
        self.token = None

    def start(self, timeout=90):
        port_var = "LAB_PORT" if self.target == "lab" else "FORMGRADER_PORT"
        bin_dir = Path(sys.executable).absolute().parent
        cmd = ["make", "--no-print-directory", "-C", str(self.root), "-o", ".venv/.runtime", self.target,
               f"BIN={bin_dir}", f"{port_var}={self.first_port}", *self.variables]
        self._log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(cmd, cwd=str(self.root), env=self.env, stdout=self._log,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"make {self.target} exited at start (exit {self.proc.returncode}):\n"
                                   f"{self.log_tail()}")
            if self.port is None:
                found = self.URL.search(self.log_path.read_text(errors="replace"))
                if found:
                    self.port, self.token = int(found.group(1)), found.group(2)
            if self.port is not None:
                try:
                    self.api("GET", "/api/status", timeout=2)
                    return self
                except (urllib.error.URLError, ConnectionError, OSError):
                    pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"make {self.target} did not answer within {timeout} s:\n{self.log_tail()}")

    def get(self, path, timeout=10):
        """(status, body text) of GET path with the token; redirects are not followed."""
        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        opener = urllib.request.build_opener(NoRedirect)
        req = urllib.request.Request(self.url + path, headers={"Authorization": f"token {self.token}"})
        try:
            with opener.open(req, timeout=timeout) as resp:
                return resp.status, resp.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace")

    def page_config(self):
        """The page configuration JupyterLab's /lab page hands to the browser."""
        status, html = self.get(f"/lab?token={self.token}")
        assert status == 200, f"/lab answered {status}"
        found = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', html, re.S)
        assert found, "no jupyter-config-data in /lab"
        return json.loads(found.group(1))

    def stop(self):
        if self.proc is None:
            return []
        import psutil

        try:
            make = psutil.Process(self.proc.pid)
            jupyter, children = make.children(), make.children(recursive=True)
        except psutil.NoSuchProcess:
            jupyter, children = [], []
        pids = [self.proc.pid] + [c.pid for c in children]
        # jupyter (exec'd by make's shell) shuts its kernels down on SIGTERM; make then exits.
        for child in jupyter:
            try:
                child.terminate()
            except psutil.NoSuchProcess:
                pass
        gone, alive = psutil.wait_procs(children, timeout=20)
        for child in alive:
            try:
                child.kill()
            except psutil.NoSuchProcess:
                pass
        psutil.wait_procs(alive, timeout=10)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        if self._log and not self._log.closed:
            self._log.close()
        self.proc = None
        return pids
