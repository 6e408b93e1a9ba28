"""Control groups: one memory and process budget for a whole grading sandbox.

Resource limits (setrlimit) hold per process: a notebook that forks 50 children could
use 50 times the memory limit. A control group holds all of the sandbox's processes,
its /tmp included (tmpfs pages are charged to the group that wrote them), to one
budget. Creating one needs write access to the cgroup file system, which root has;
an unprivileged grader gets the per-process limits only (``make sandbox-check`` says
which are in force).

Both cgroup versions are handled: v1 (one hierarchy per controller, as on this
course's test machines) and v2 (one unified hierarchy, as on current distributions).
"""
import os
import time
import uuid
from pathlib import Path

CONTROLLERS = ("memory", "pids")
PARENT = "nnfs-sandbox"   # the v2 folder that holds one group per running sandbox


def _mounts():
    """[(mount point, fstype, super options)] of the cgroup file systems."""
    found = []
    try:
        lines = Path("/proc/self/mountinfo").read_text().splitlines()
    except OSError:
        return found
    for line in lines:
        left, _, right = line.partition(" - ")
        fields, tail = left.split(), right.split()
        if len(fields) >= 5 and tail and tail[0] in ("cgroup", "cgroup2"):
            found.append((fields[4], fields[3], tail[0], set(tail[-1].split(","))))
    return found


def _own_paths():
    """{controller or "": this process's cgroup path} from /proc/self/cgroup."""
    paths = {}
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return paths
    for line in lines:
        _, controllers, path = line.split(":", 2)
        for name in controllers.split(",") if controllers else [""]:
            paths[name] = path
    return paths


def _inside(mount, mount_root, path):
    """The folder of cgroup `path` on a mount whose root is `mount_root`."""
    if mount_root != "/" and path.startswith(mount_root):
        path = path[len(mount_root):]
    return Path(mount) / path.lstrip("/")


def _writable(folder):
    return folder.is_dir() and os.access(folder, os.W_OK)


def homes():
    """{controller: (version, folder under which a sandbox's group is made)}, where writable."""
    own = _own_paths()
    homes = {}
    for mount, mount_root, fstype, options in _mounts():
        if fstype == "cgroup":
            for name in CONTROLLERS:
                if name in options and name in own and name not in homes:
                    folder = _inside(mount, mount_root, own[name])
                    if _writable(folder):
                        homes[name] = ("v1", folder)
        else:
            try:
                available = set((Path(mount) / "cgroup.controllers").read_text().split())
            except OSError:
                continue
            # v2 forbids processes in a group whose controllers are handed down, so the
            # sandboxes' groups live under a folder of their own at the top.
            for name in CONTROLLERS:
                if name in available and name not in homes and _writable(Path(mount)):
                    homes[name] = ("v2", Path(mount))
    return homes


class SandboxGroup:
    """The control groups of one sandbox; `procs_files` are what its first process joins."""

    def __init__(self, memory_bytes, max_pids):
        self.folders = []
        self.procs_files = []
        self.enforced = set()
        name = f"nnfs-{uuid.uuid4().hex[:12]}"
        made = {}
        for controller, (version, home) in homes().items():
            try:
                if version == "v1":
                    folder = home / name
                    if folder not in made:
                        folder.mkdir()
                        self.folders.append(folder)
                        made[folder] = True
                        self.procs_files.append(folder / "cgroup.procs")
                else:
                    folder = self._v2_folder(home, name)
                    if folder not in made:
                        made[folder] = True
                        self.folders.append(folder)
                        self.procs_files.append(folder / "cgroup.procs")
                self._limit(version, controller, folder, memory_bytes, max_pids)
                self.enforced.add(controller)
            except OSError:
                continue  # that controller is not ours to use: per-process limits only

    @staticmethod
    def _v2_folder(mount, name):
        parent = mount / PARENT
        want = " ".join(f"+{c}" for c in CONTROLLERS
                        if c in (mount / "cgroup.controllers").read_text().split())
        (mount / "cgroup.subtree_control").write_text(want)
        parent.mkdir(exist_ok=True)
        (parent / "cgroup.subtree_control").write_text(want)
        folder = parent / name
        folder.mkdir(exist_ok=True)
        return folder

    @staticmethod
    def _limit(version, controller, folder, memory_bytes, max_pids):
        if controller == "memory":
            if version == "v1":
                (folder / "memory.limit_in_bytes").write_text(str(memory_bytes))
                swap = folder / "memory.memsw.limit_in_bytes"
                if swap.exists():  # no swapping past the limit either
                    swap.write_text(str(memory_bytes))
            else:
                (folder / "memory.max").write_text(str(memory_bytes))
                (folder / "memory.swap.max").write_text("0")
        else:
            (folder / "pids.max").write_text(str(max_pids))

    def join(self):
        """Move the calling process into the groups (run in the child before exec)."""
        for path in self.procs_files:
            with open(path, "w") as fh:
                fh.write("0")

    def remove(self, wait=5.0):
        """Delete the groups once their processes have gone (they go when the kernel dies)."""
        deadline = time.monotonic() + wait
        for folder in self.folders:
            while True:
                try:
                    folder.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        break
                    time.sleep(0.05)
