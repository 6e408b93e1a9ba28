"""Kernel managers for grading: every learner notebook's kernel in a bubblewrap sandbox.

nbgrader runs notebooks through nbclient, whose ``kernel_manager_class`` is a setting:

    c.Execute.kernel_manager_class = "tools.sandbox.kernel.SandboxKernelManager"

``tools.grading`` sets it for ``make autograde`` (and the hub's grader service sets it in
its nbgrader config), so learners' own kernels and *Validate* are untouched. The limits
are settings of the same class, e.g. in nbgrader_config.py:

    c.SandboxKernelManager.memory_limit = "3GiB"
"""
import asyncio
import contextlib
import functools
import hashlib
import json
import os
import signal
import shutil
import subprocess
import tempfile
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import Bool, Int, List, Unicode

from nncourse.manifest import PACKAGES

from . import policy
from .cgroups import SandboxGroup

# Variables that are, or carry, a secret of the grader's: never handed to a kernel.
SECRET_WORDS = ("PASSWORD", "SECRET", "TOKEN", "DB_URL", "API_KEY", "CREDENTIAL", "PRIVATE")


def scrubbed(env):
    return {k: v for k, v in env.items() if not any(word in k.upper() for word in SECRET_WORDS)}


class ScrubbedKernelManager(AsyncKernelManager):
    """Grading without a sandbox (--no-sandbox): at least no secrets in the kernel's environment."""

    async def _async_pre_start_kernel(self, **kw):
        kernel_cmd, kw = await super()._async_pre_start_kernel(**kw)
        kw["env"] = scrubbed(kw.get("env") or os.environ)
        return kernel_cmd, kw


def _short_tempdir():
    """A private folder with a short path: a Unix socket's path may not pass 107 bytes."""
    base = tempfile.gettempdir()
    if len(base) > 60:
        base = "/tmp"
    return Path(tempfile.mkdtemp(prefix="nnfs-kernel-", dir=base))


def _font_cache(python):
    """matplotlib's font list, built once per interpreter: a fresh sandbox HOME would
    otherwise rebuild it for every notebook (seconds each)."""
    key = hashlib.sha256(os.path.realpath(python).encode()).hexdigest()[:12]
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "nnfs-sandbox" / key
    found = sorted(base.glob("fontlist-*.json"))
    if not found:
        base.mkdir(parents=True, exist_ok=True)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "MPLCONFIGDIR": str(base),
               "HOME": str(base)}
        subprocess.run([python, "-c", "import matplotlib.font_manager"], env=env, cwd=str(base),
                       capture_output=True, timeout=300)
        found = sorted(base.glob("fontlist-*.json"))
    return found[-1] if found else None


@functools.cache
def _sandbox_starts():
    """policy.preflight() once per process; a failure is not cached, so it is retried.

    Without it, a machine whose bwrap cannot create namespaces shows only "Kernel died
    before replying to kernel_info" where the grading is started (the formgrader's
    Autograde, for one); the preflight's error says why and what to do.
    """
    policy.preflight()
    return True


async def _wait_gone(pid, timeout=10.0):
    """Wait until process `pid` has ended (it is not our child, so poll /proc)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while os.path.exists(f"/proc/{pid}") and loop.time() < deadline:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                if fh.read().rsplit(")", 1)[1].split()[0] == "Z":
                    return  # ended; only its exit status waits for its parent
        except (OSError, IndexError):
            return
        await asyncio.sleep(0.02)


class SandboxKernelManager(AsyncKernelManager):
    """Starts the kernel inside bubblewrap, reached over ipc sockets in a shared folder."""

    memory_limit = Unicode("2GiB", help="Memory of each process and of the whole sandbox.").tag(config=True)
    process_limit = Int(128, help="Processes and threads of the sandbox.").tag(config=True)
    file_size_limit = Unicode("256MiB", help="Largest file a notebook may write.").tag(config=True)
    tmp_size = Unicode("256MiB", help="Size of the sandbox's private /tmp.").tag(config=True)
    folder_size = Unicode("512MiB", help="New files a notebook may write into its folder, "
                                         "all together (they are discarded after grading).").tag(config=True)
    packages = List(Unicode(), list(PACKAGES),
                    help="Packages the kernel may import from folders on sys.path outside "
                         "the Python installation (e.g. an editable install).").tag(config=True)
    use_cgroups = Bool(True, help="One memory/process budget for the whole sandbox where "
                                  "control groups can be created.").tag(config=True)

    _shared = None
    _group = None
    _launch_fds = ()
    _info_fd = None
    _workdir = None
    _brought = frozenset()

    def limits(self):
        return policy.Limits(memory=policy.parse_size(self.memory_limit), processes=self.process_limit,
                             file_size=policy.parse_size(self.file_size_limit),
                             tmp=policy.parse_size(self.tmp_size),
                             folder=policy.parse_size(self.folder_size))

    async def _async_pre_start_kernel(self, **kw):
        _sandbox_starts()
        self._shared = _short_tempdir()
        try:
            return await self._sandboxed_command(**kw)
        except BaseException:
            # No kernel started, so no cleanup_resources will come for these.
            for fd in [*self._launch_fds, self._info_fd]:
                if fd is not None:
                    with contextlib.suppress(OSError):
                        os.close(fd)
            self._launch_fds, self._info_fd = [], None
            if self._group is not None:
                self._group.remove()
                self._group = None
            shutil.rmtree(self._shared, ignore_errors=True)
            self._shared = None
            raise

    async def _sandboxed_command(self, **kw):
        # The grader reaches the kernel only through files in the shared folder: with TCP
        # the kernel would need a network, and with the connection file in the system's
        # /tmp the kernel (which has a /tmp of its own) would not find it.
        self.transport = "ipc"
        self.cache_ports = False
        self.ip = str(self._shared / "k")
        self.connection_file = str(self._shared / "kernel.json")
        kernel_cmd, kw = await super()._async_pre_start_kernel(**kw)
        # A signal would reach bubblewrap, not the kernel in its own session: interrupt
        # through the control channel, which ipykernel answers with SIGINT to itself.
        self.kernel_spec.interrupt_mode = "message"
        limits = self.limits()
        policy.write_identity(self._shared)
        fonts = _font_cache(kernel_cmd[0])
        extra = [(str(fonts), f"{policy.HOME_INSIDE}/.cache/matplotlib/{fonts.name}")] if fonts else []
        workdir = Path(kw.get("cwd") or os.getcwd()).resolve()
        cmd = policy.bwrap_command(kernel_cmd, workdir=workdir, shared=self._shared,
                                   env=kw.get("env") or os.environ, limits=limits,
                                   packages=self.packages, extra_ro=extra)
        # bubblewrap itself needs no more than PATH; --clearenv empties it for the kernel.
        kw["env"] = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        # The options go through a pipe (--args): bubblewrap's first process stays in
        # the sandbox as its pid 1, and its command line would show every bound path.
        # bubblewrap reports the pid of its first process on --info-fd: cleanup waits
        # for that process to end, which it does once every process of the sandbox has.
        split = cmd.index("--")
        info_read, info_write = os.pipe()
        os.set_blocking(info_read, False)
        read_end, write_end = os.pipe()
        options = [*cmd[1:split], "--info-fd", str(info_write)]
        os.write(write_end, b"".join(arg.encode() + b"\0" for arg in options))
        os.close(write_end)
        self._launch_fds = [read_end, info_write]
        self._info_fd = info_read
        self._workdir = workdir
        self._brought = policy.listing(workdir)
        kw["pass_fds"] = (read_end, info_write)
        cmd = [cmd[0], "--args", str(read_end), *cmd[split:]]
        if self.use_cgroups:
            self._group = SandboxGroup(limits.memory, limits.processes)
            if self._group.procs_files:
                kw["preexec_fn"] = self._group.join
        return cmd, kw

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        try:
            await super()._async_launch_kernel(kernel_cmd, **kw)
        finally:
            for fd in self._launch_fds:
                os.close(fd)
            self._launch_fds = []

    def _sandbox_pid(self):
        """The pid (in the grader's namespace) of the sandbox's first process, or None."""
        if self._info_fd is None:
            return None
        try:
            data = os.read(self._info_fd, 65536)
        except OSError:
            data = b""
        os.close(self._info_fd)
        self._info_fd = None
        try:
            return int(json.loads(data.decode() or "{}").get("child-pid"))
        except (ValueError, TypeError):
            return None

    async def _async_cleanup_resources(self, restart=False):
        await super()._async_cleanup_resources(restart=restart)
        pid = self._sandbox_pid()
        if pid:
            # Its first process is the sandbox's pid 1: when it is gone, so is every
            # process the notebook started, and nothing can change the folder any more.
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
            await _wait_gone(pid)
        if self._group is not None:
            self._group.remove()
            self._group = None
        if self._workdir is not None:
            policy.sweep(self._workdir, self._brought)
            self._workdir = None
        if self._shared is not None:
            shutil.rmtree(self._shared, ignore_errors=True)
            self._shared = None

    # AsyncKernelManager binds this name to KernelManager's own coroutine, which would skip
    # the override above; nbclient calls it when a kernel has died (a crash, a notebook
    # that kills its kernel), and the shared folder and control group would stay behind.
    cleanup_resources = _async_cleanup_resources
