"""What a grading sandbox may see and use, and the bubblewrap command that enforces it.

A kernel that runs a learner's notebook for grading gets, inside bubblewrap:

- files: the Python runtime and its packages read-only (the interpreter's prefixes,
  and only the allowed packages of any other folder on ``sys.path``, so an editable
  install of nnlib does not expose the course root), the submission's own folder
  read-write, a private /tmp and HOME in a size-limited tmpfs. Nothing else: no course
  root, gradebook, solutions, other learners' folders, exchange or instructor home;
- network: none (its own, empty network namespace); the grader talks to it through
  ZeroMQ ipc sockets in a folder shared with the sandbox;
- processes: its own PID namespace and session; it sees only itself;
- environment: cleared, then PATH, HOME, LANG, MPLBACKEND and thread counts only;
- privileges: uid 65534 inside, no capabilities, no new privileges, no nested user
  namespaces;
- limits: memory, processes and threads, size of a written file, open files (per
  process, set by boot.py) and, where the grader may create control groups, memory and
  processes of the whole sandbox (cgroups.py).
"""
import contextlib
import json
import os
import re
import stat
import shutil
import subprocess
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from nncourse.manifest import PACKAGES

HERE = Path(__file__).resolve().parent
BOOT = HERE / "boot.py"
BOOT_INSIDE = "/run/nnfs-sandbox/boot.py"   # where boot.py appears in the sandbox
HOME_INSIDE = "/tmp/home"
UID = 65534                                 # "nobody" inside the sandbox

# Variables a grading kernel keeps from the grader's environment: what numpy and
# matplotlib need to behave as they do for the learner, nothing that names a secret.
# OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are set on machines whose CPU older OpenBLAS
# builds misdetect; without them numpy may compute wrong results or crash there.
KEPT_VARIABLES = ("MPLBACKEND", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                  "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "LANG", "LC_ALL", "TZ")
# Threads a BLAS library starts when nothing says otherwise: one per core, which on a
# 64-core grading server would be 64 threads per kernel against the process limit.
MAX_DEFAULT_THREADS = 4

# Top-level folders that hold nothing secret and that programs expect to find.
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
SYSTEM_FILES = ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime",
                "/etc/alternatives")

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(i?B?)\s*$", re.IGNORECASE)


def parse_size(text):
    """"2GiB", "512 MiB", "1.5G", "1000000" -> bytes."""
    if isinstance(text, int):
        return text
    m = _SIZE.match(str(text))
    if not m:
        raise ValueError(f"not a size: {text!r} (write it like 2GiB, 512MiB or 1000000)")
    number, unit = float(m.group(1)), m.group(2).upper()
    return int(number * (1024 ** " KMGT".index(unit or " ")))


def format_size(n):
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size:
            return f"{n / size:g} {unit}"
    return f"{n} bytes"


@dataclass
class Limits:
    """Per-kernel limits. The defaults are several times what an honest notebook uses."""
    memory: int = 2 << 30        # address space of each process, and the whole sandbox
    processes: int = 128         # processes and threads of the sandbox
    file_size: int = 256 << 20   # largest file a notebook may write
    tmp: int = 256 << 20         # size of the private /tmp (HOME lives there too)
    folder: int = 512 << 20      # new files in the submission's folder, all together
    open_files: int = 1024

    def for_boot(self):
        """The NNFS_SANDBOX_LIMITS value boot.py reads."""
        return ",".join(f"{k}={v}" for k, v in self.__dict__.items())

    def describe(self):
        return (f"memory {format_size(self.memory)}, {self.processes} processes and threads, "
                f"files up to {format_size(self.file_size)}, /tmp {format_size(self.tmp)}, "
                f"new files in its folder {format_size(self.folder)}")


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or cannot create its namespaces here; the text says what to do."""


def bwrap_path():
    return shutil.which("bwrap")


@lru_cache(maxsize=None)
def interpreter_layout(executable):
    """(prefixes, sys.path) of a Python interpreter, asked once per interpreter."""
    code = "import json, sys; print(json.dumps([sys.prefix, sys.base_prefix, sys.exec_prefix, sys.path]))"
    out = subprocess.run([executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd="/", env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")})
    prefix, base, exec_prefix, path = json.loads(out.stdout)
    return tuple(dict.fromkeys([prefix, base, exec_prefix])), tuple(p for p in path if p)


def _under(path, folders):
    return any(path == f or path.startswith(f.rstrip("/") + "/") for f in folders)


def python_binds(executable, packages):
    """Read-only folders the interpreter needs: its prefixes (real paths too), and from
    every other folder on sys.path only the allowed top-level packages."""
    prefixes, path = interpreter_layout(executable)
    binds = set()
    for folder in prefixes:
        binds.add(folder)
        binds.add(os.path.realpath(folder))
    # A venv's python may be a symlink into another install (pyenv, a system python).
    real_exe = os.path.realpath(executable)
    binds.add(os.path.dirname(real_exe))
    outside = [p for p in path if os.path.isdir(p) and not _under(p, list(binds))]
    for folder in outside:
        for name in packages:
            candidate = Path(folder) / name
            if candidate.is_dir() and (candidate / "__init__.py").is_file():
                binds.add(str(candidate))
    return sorted(b for b in binds if os.path.exists(b))


def sandbox_env(env, limits):
    """The whole environment of the kernel: nothing of the grader's but KEPT_VARIABLES."""
    inside = {k: env[k] for k in KEPT_VARIABLES if env.get(k)}
    threads = str(min(os.cpu_count() or 1, MAX_DEFAULT_THREADS))
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        inside.setdefault(name, threads)
    inside.setdefault("LANG", "C.UTF-8")
    # JPY_PARENT_PID=1: ipykernel neither watches its parent (inside the PID namespace the
    # parent is pid 1 anyway; --die-with-parent does that job) nor prints its console banner.
    inside.update(PATH="/usr/local/bin:/usr/bin:/bin", HOME=HOME_INSIDE, JPY_PARENT_PID="1",
                  PYTHONDONTWRITEBYTECODE="1", NNFS_SANDBOX_LIMITS=limits.for_boot())
    return inside


def _ro(path):
    return ["--ro-bind", path, path]


def system_args():
    args = []
    for d in SYSTEM_DIRS:
        if os.path.islink(d):
            args += ["--symlink", os.readlink(d), d]
        elif os.path.isdir(d):
            args += _ro(d)
    for f in SYSTEM_FILES:
        if os.path.exists(f):
            args += _ro(f)
    return args


def bwrap_command(kernel_cmd, *, workdir, shared, env, limits, packages=PACKAGES, extra_ro=()):
    """The bubblewrap command line that runs `kernel_cmd` (an ipykernel command) sandboxed.

    kernel_cmd: [python, "-m", "ipykernel_launcher", "-f", <connection file>, ...];
    workdir: the submission's folder (read-write, the working directory);
    shared: the folder of the connection file and ipc sockets (read-write);
    extra_ro: more (source, destination) read-only binds, e.g. a font cache.
    """
    bwrap = bwrap_path()
    if not bwrap:
        raise SandboxUnavailable(missing_bwrap_message())
    python = kernel_cmd[0]
    if len(kernel_cmd) < 3 or kernel_cmd[1:3] != ["-m", "ipykernel_launcher"]:
        raise SandboxUnavailable(f"the grading kernel is not an IPython kernel: {kernel_cmd[:3]}")
    inner = [python, BOOT_INSIDE, *kernel_cmd[3:]]
    args = [bwrap, "--unshare-all", "--unshare-user", "--disable-userns",
            "--uid", str(UID), "--gid", str(UID), "--hostname", "grading",
            "--die-with-parent", "--new-session", "--cap-drop", "ALL", "--clearenv"]
    for key, value in sorted(sandbox_env(env, limits).items()):
        args += ["--setenv", key, value]
    args += system_args()
    args += ["--proc", "/proc", "--dev", "/dev",
             "--size", str(limits.tmp), "--tmpfs", "/tmp",
             "--size", str(min(limits.tmp, 64 << 20)), "--tmpfs", "/dev/shm",
             "--dir", HOME_INSIDE]
    # The passwd entry of the sandbox's user: getpass/pwd lookups answer "learner".
    args += ["--ro-bind", str(Path(shared) / "passwd"), "/etc/passwd",
             "--ro-bind", str(Path(shared) / "group"), "/etc/group"]
    ro = python_binds(python, packages)
    mounts = [(p, ["--ro-bind", p, p]) for p in ro]
    mounts += [(dest, ["--ro-bind", src, dest]) for src, dest in extra_ro]
    mounts += [(BOOT_INSIDE, ["--ro-bind", str(BOOT), BOOT_INSIDE])]
    mounts += [(str(shared), ["--bind", str(shared), str(shared)])]
    mounts += workdir_mounts(workdir, limits)
    # Parents before children, so that a read-write folder inside a read-only one works
    # (a stable sort: the submission's folder comes before the files bound into it).
    for _, argv in sorted(mounts, key=lambda m: m[0].count("/")):
        args += argv
    args += ["--chdir", str(workdir), "--", *inner]
    return args


def listing(folder):
    """Relative paths of everything in `folder`: what the submission brought."""
    found = set()
    for here, dirs, files in os.walk(folder, followlinks=False):
        found.update(os.path.relpath(os.path.join(here, name), folder) for name in dirs + files)
    return found


def sweep(folder, keep):
    """Leave the folder as the submission brought it, before nbgrader writes into it again.

    nbgrader, running as the grader, writes the graded notebook into this folder after the
    kernel is gone, reads it back for feedback and copies the folder's files to the
    learner's feedback: a symbolic link planted there would make it write or read another
    file (another learner's notebook, nnlib), and files the notebook wrote (a 256 MiB
    scratch file) would travel on. So links, fifos, sockets and devices go, and so does
    whatever is not in `keep` (the listing() from before the kernel started); folders get
    their owner's permissions back.
    """
    for here, dirs, files in os.walk(folder, topdown=True, followlinks=False):
        with contextlib.suppress(OSError):
            os.chmod(here, os.stat(here).st_mode | 0o700)
        for name in list(dirs) + files:
            path = os.path.join(here, name)
            try:
                mode = os.lstat(path).st_mode
            except OSError:
                continue
            new = os.path.relpath(path, folder) not in keep
            if stat.S_ISDIR(mode) and new:
                shutil.rmtree(path, ignore_errors=True)
            elif stat.S_ISLNK(mode) or not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)) or new:
                with contextlib.suppress(OSError):
                    os.unlink(path)
        dirs[:] = [d for d in dirs if os.path.isdir(os.path.join(here, d))
                   and not os.path.islink(os.path.join(here, d))]


MAX_SUBMISSION_ENTRIES = 1000


def workdir_mounts(workdir, limits):
    """The submission's folder: a size-limited tmpfs, with what the submission brought bound in.

    The notebook can read and write the files it was handed in with and create new ones,
    as in the learner's own folder. New files live in memory (the tmpfs, within the
    sandbox's memory budget) and vanish with the sandbox, so a notebook cannot fill the
    grader's disk, nor leave a link or a file behind for nbgrader to trip over; the files
    it brought keep the per-file size limit.
    """
    workdir = str(workdir)
    entries = sorted(listing(workdir))
    if len(entries) > MAX_SUBMISSION_ENTRIES:
        raise SandboxUnavailable(f"the submission's folder holds {len(entries)} files and folders; "
                                 f"a graded folder may hold at most {MAX_SUBMISSION_ENTRIES}")
    mounts = [(workdir, ["--perms", "0755", "--size", str(limits.folder), "--tmpfs", workdir])]
    for rel in entries:
        path = os.path.join(workdir, rel)
        mode = os.lstat(path).st_mode
        if stat.S_ISDIR(mode):
            mounts.append((workdir, ["--dir", path]))
        elif stat.S_ISREG(mode):
            mounts.append((workdir, ["--bind", path, path]))
    return mounts


def write_identity(shared):
    """passwd and group files for the sandbox's only user."""
    shared = Path(shared)
    (shared / "passwd").write_text(f"learner:x:{UID}:{UID}:learner:{HOME_INSIDE}:/bin/false\n")
    (shared / "group").write_text(f"learner:x:{UID}:\n")


def missing_bwrap_message():
    if sys.platform == "darwin":
        return ("autograde runs every learner's notebook in a bubblewrap sandbox, which needs "
                "Linux: on macOS, grade in a Linux VM or container (docs/deploy.md, 'Grading "
                "sandbox'), or pass --no-sandbox (SANDBOX=off) to grade without one, at your risk")
    return ("autograde runs every learner's notebook in a bubblewrap sandbox, and `bwrap` is not "
            "installed: install it (Debian/Ubuntu: sudo apt-get install bubblewrap; Fedora: "
            "sudo dnf install bubblewrap), then check with `make sandbox-check`. To grade "
            "without a sandbox, at your risk, pass --no-sandbox (make autograde SANDBOX=off)")


def preflight(timeout=20):
    """Start one trivial sandbox; raise SandboxUnavailable with a fix when that fails."""
    bwrap = bwrap_path()
    if not bwrap:
        raise SandboxUnavailable(missing_bwrap_message())
    cmd = [bwrap, "--unshare-all", "--unshare-user", "--disable-userns", "--uid", str(UID),
           "--gid", str(UID), "--die-with-parent", "--new-session", "--clearenv",
           *system_args(), "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
           "--", "/bin/sh", "-c", "test \"$(id -u)\" = 65534"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SandboxUnavailable(f"bubblewrap ({bwrap}) could not be started: {exc}") from exc
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["(no message)"]
        raise SandboxUnavailable(
            f"bubblewrap cannot create a sandbox here: {detail[0]}. It needs unprivileged user "
            "namespaces (sysctl kernel.unprivileged_userns_clone=1 on Debian, "
            "kernel.apparmor_restrict_unprivileged_userns=0 on Ubuntu 24.04+, or an AppArmor "
            "profile for bwrap); in a container, run it with a seccomp profile that allows "
            "user namespaces, or make the container itself the isolation unit "
            "(docs/deploy.md, 'Grading sandbox'). To grade without a sandbox, at your risk: "
            "--no-sandbox (make autograde SANDBOX=off)")
