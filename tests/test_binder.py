"""The Binder (repo2docker) configuration in binder/.

repo2docker installs ``binder/requirements.txt`` into a Python given by
``binder/runtime.txt`` and then runs ``binder/postBuild``. Without Docker we
can still do the same steps: a fresh virtual environment, the same pip
install, the same postBuild script, and then ask Jupyter itself which nbgrader
parts a learner gets.
"""
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BINDER = REPO / "binder"

# What a learner's JupyterLab keeps of nbgrader: the Validate button and its server side.
LAB_PLUGINS_ON = {"@jupyter/nbgrader:validate-assignment"}
LAB_PLUGINS_OFF = {
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:course-list",
    "@jupyter/nbgrader:assignment-list",
    "@jupyter/nbgrader:menu",
}
SERVER_EXTENSIONS_ON = {"nbgrader.server_extensions.validate_assignment"}
SERVER_EXTENSIONS_OFF = {
    "nbgrader.server_extensions.formgrader",
    "nbgrader.server_extensions.course_list",
    "nbgrader.server_extensions.assignment_list",
}

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _name(requirement):
    """Normalised project name of 'Foo_Bar==1.0' -> 'foo-bar' (PEP 503)."""
    return re.sub(r"[-_.]+", "-", re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0]).lower()


def read_requirements(path, _seen=None):
    """The requirement lines of a pip requirements file, following ``-r`` like pip does.

    A nested ``-r`` path is relative to the file that names it. Returns a dict
    normalised name -> requirement text (without spaces).
    """
    path = Path(path).resolve()
    _seen = _seen or set()
    assert path not in _seen, f"{path} includes itself"
    _seen.add(path)
    assert path.is_file(), f"missing requirements file {path}"
    found = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split(" #", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
        if not line:
            continue
        nested = re.match(r"^(?:-r|--requirement)(?:\s+|=)(\S+)$", line)
        if nested:
            found.update(read_requirements(path.parent / nested.group(1), _seen))
            continue
        assert not line.startswith("-"), f"{path.name}: unexpected pip option {line!r}"
        found[_name(line)] = line.replace(" ", "")
    return found


def _strip(text):
    return _ANSI.sub("", text)


# ============================================================================ static

def test_binder_files_reuse_the_root_pins():
    binder = read_requirements(BINDER / "requirements.txt")
    root = read_requirements(REPO / "requirements.txt")
    missing, extra = sorted(set(root) - set(binder)), sorted(set(binder) - set(root))
    changed = sorted(n for n in set(root) & set(binder) if root[n] != binder[n])
    assert not (missing or extra or changed), (
        f"binder/requirements.txt disagrees with requirements.txt: missing {missing}, "
        f"extra {extra}, different {[(binder[n], root[n]) for n in changed]}"
    )
    unpinned = [line for line in root.values() if "==" not in line]
    assert not unpinned, f"requirements.txt must pin exact versions: {unpinned}"
    # It refers to the root file instead of copying it, so the pins cannot drift apart.
    lines = [ln.strip() for ln in (BINDER / "requirements.txt").read_text().splitlines()
             if ln.strip() and not ln.strip().startswith("#")]
    assert lines == ["-r ../requirements.txt"], lines

    assert (BINDER / "runtime.txt").read_text().strip() == "python-3.11"

    post = BINDER / "postBuild"
    assert post.stat().st_mode & stat.S_IXUSR, "binder/postBuild must be executable"
    commands = [ln.strip() for ln in post.read_text().splitlines() if ln.strip() and not ln.startswith("#")]
    assert post.read_text().startswith("#!/bin/bash\n"), "postBuild needs a bash shebang"
    assert commands[0] == "set -e", f"postBuild must start with 'set -e', starts with {commands[0]!r}"


# ============================================================================== slow

@pytest.mark.slow
def test_binder_environment_has_exactly_the_learner_parts_of_nbgrader(tmp_path):
    """Fresh venv + binder/requirements.txt + binder/postBuild, then ask Jupyter."""
    # A scratch copy of what repo2docker's steps read, so nothing is written into the repo.
    repo = tmp_path / "repo"
    repo.mkdir()
    for name in ("requirements.txt", "pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, repo / name)
    for name in ("binder", "nnlib"):
        shutil.copytree(REPO / name, repo / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))

    home = tmp_path / "home"
    home.mkdir()
    venv = tmp_path / "venv"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("JUPYTER", "VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "CONDA"))}
    # pip keeps using the developer's download cache (HOME moves below, the cache must not).
    if "PIP_CACHE_DIR" not in env and "PIP_NO_CACHE_DIR" not in env:
        pip_cache = subprocess.run([sys.executable, "-m", "pip", "cache", "dir"],
                                   capture_output=True, text=True)
        if pip_cache.returncode == 0 and pip_cache.stdout.strip():
            env["PIP_CACHE_DIR"] = pip_cache.stdout.strip()
    env.update(
        HOME=str(home),
        JUPYTER_CONFIG_DIR=str(home / ".jupyter"),
        JUPYTER_DATA_DIR=str(home / ".local" / "share" / "jupyter"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        VIRTUAL_ENV=str(venv),
        PATH=os.pathsep.join([str(venv / "bin"), env.get("PATH", "")]),
        PYTHONDONTWRITEBYTECODE="1",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )

    def run(*cmd, cwd=repo, timeout=600):
        proc = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True,
                              timeout=timeout)
        output = _strip(proc.stdout + proc.stderr)
        assert proc.returncode == 0, f"$ {' '.join(map(str, cmd))}\nexit {proc.returncode}\n{output[-4000:]}"
        return output

    # 1. What repo2docker's Python build pack does: a Python, then pip install -r binder/requirements.txt.
    run(sys.executable, "-m", "venv", venv)
    run(venv / "bin" / "python", "-m", "pip", "install", "--quiet", "-r", "binder/requirements.txt")
    # 2. Its last step: binder/postBuild, run from the repository root as repo2docker does.
    run("bash", "binder/postBuild")

    # The environment is exactly the pins (nothing unpinned crept in) plus nnlib from the repo.
    frozen = run(venv / "bin" / "python", "-m", "pip", "freeze", "--exclude-editable")
    installed = {_name(ln): ln for ln in frozen.splitlines() if "==" in ln}
    pins = read_requirements(REPO / "requirements.txt")
    differ = sorted((installed[n], pins[n]) for n in set(pins) & set(installed)
                    if installed[n].lower() != pins[n].lower())
    assert set(installed) == set(pins) and not differ, (
        f"installed but not pinned: {sorted(set(installed) - set(pins))}; "
        f"pinned but not installed: {sorted(set(pins) - set(installed))}; other versions: {differ}"
    )
    where = run(venv / "bin" / "python", "-c", "import nnlib, nncourse.widgets; print(nnlib.__file__)", cwd=tmp_path)
    assert Path(where.strip().splitlines()[-1]).resolve() == (repo / "nnlib" / "__init__.py").resolve()

    # 3. JupyterLab: every nbgrader plugin the package ships is off, except Validate.
    site = Path(run(venv / "bin" / "python", "-c", "import nbgrader, os; print(os.path.dirname(nbgrader.__file__))",
                    cwd=tmp_path).strip().splitlines()[-1])
    shipped = set()
    for js in (venv / "share" / "jupyter" / "labextensions" / "@jupyter" / "nbgrader" / "static").glob("*.js"):
        shipped |= set(re.findall(r'"(@jupyter/nbgrader:[a-z-]+)"', js.read_text(encoding="utf-8")))
    assert shipped >= LAB_PLUGINS_ON | LAB_PLUGINS_OFF, f"nbgrader's lab plugins changed: {sorted(shipped)}"

    lab = run("jupyter", "labextension", "list")
    assert re.search(r"@jupyter/nbgrader v\S+ enabled OK", lab), lab
    assert "Disabled extensions:" in lab, f"no disabled extensions listed:\n{lab}"
    disabled = set(re.findall(r"^\s+(@\S+)\s*$", lab.split("Disabled extensions:", 1)[1], re.M))
    nbgrader_disabled = {p for p in disabled if p.startswith("@jupyter/nbgrader")}
    assert nbgrader_disabled == LAB_PLUGINS_OFF, f"disabled nbgrader lab plugins: {sorted(nbgrader_disabled)}\n{lab}"
    assert shipped - nbgrader_disabled == LAB_PLUGINS_ON, f"enabled: {sorted(shipped - nbgrader_disabled)}"
    # Locked too, so that the plugin manager in the learner's JupyterLab cannot switch them on.
    locked_note = re.search(r"@jupyter/nbgrader v\S+ enabled OK .*\(plugins: (.*) locked\)", lab)
    locked = set(re.split(r",\s*", locked_note.group(1))) if locked_note else set()
    assert locked == LAB_PLUGINS_OFF, f"locked nbgrader plugins: {sorted(locked)}\n{lab}"

    # 4. Jupyter Server: of nbgrader's server extensions only validate_assignment is enabled.
    shipped_ext = {f"nbgrader.server_extensions.{p.name}" for p in (site / "server_extensions").iterdir()
                   if (p / "__init__.py").is_file()}
    assert shipped_ext == SERVER_EXTENSIONS_ON | SERVER_EXTENSIONS_OFF, sorted(shipped_ext)
    server = run("jupyter", "server", "extension", "list")
    states = dict(re.findall(r"^\s*(nbgrader\.server_extensions\.\w+) (enabled|disabled)\s*$", server, re.M))
    on = {e for e, s in states.items() if s == "enabled"}
    assert on == SERVER_EXTENSIONS_ON, f"enabled nbgrader server extensions: {sorted(on)}\n{server}"
    assert set(states) == shipped_ext, f"listed: {sorted(states)}\n{server}"
    for ext in SERVER_EXTENSIONS_ON:
        assert re.search(rf"^\s*{re.escape(ext)}\s+OK\s*$", server, re.M), f"{ext} does not load:\n{server}"

