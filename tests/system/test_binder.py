"""The Binder (repo2docker) configuration in binder/.

repo2docker installs ``binder/requirements.txt`` into a Python given by
``binder/runtime.txt`` and then runs ``binder/postBuild``. Without Docker we
can still do the same steps: a fresh virtual environment, the same pip
install, the same postBuild script, and then ask Jupyter itself which nbgrader
parts a learner gets.

``make lab`` gives a learner the same view from the shared ``.venv`` through the
configuration folder ``deploy/jupyter/local-learner`` (the lists postBuild reads), and
``make formgrader`` the instructor's view through ``deploy/jupyter/local-instructor``;
the last tests run both targets and ask the servers what they serve.
"""
import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import browser_util as bu

REPO = Path(__file__).resolve().parents[2]
BINDER = REPO / "binder"
LEARNER_CONFIG = REPO / "deploy" / "jupyter" / "local-learner"
INSTRUCTOR_CONFIG = REPO / "deploy" / "jupyter" / "local-instructor"

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
# The "Would you like to receive official Jupyter news?" prompt (and the update check).
NEWS_PLUGIN = "@jupyterlab/apputils-extension:announcements"

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


def _packages():
    """The top-level [tool.setuptools] packages of pyproject.toml (no tomllib: Python 3.10 has none)."""
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    section = re.search(r"^\[tool\.setuptools\]\s*$(.*?)(?=^\[|\Z)", text, re.M | re.S).group(1)
    listed = re.search(r"^packages\s*=\s*\[(.*?)\]", section, re.M | re.S).group(1)
    return list(dict.fromkeys(name.split(".")[0] for name in re.findall(r'"([^"]+)"', listed)))


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


def _json(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _set_to(mapping, value):
    return {name for name, setting in mapping.items() if setting is value}


def test_learner_and_instructor_configuration_folders():
    page = _json(LEARNER_CONFIG / "labconfig" / "page_config.json")
    assert _set_to(page["disabledExtensions"], True) == LAB_PLUGINS_OFF | {NEWS_PLUGIN}, page
    assert _set_to(page["lockedExtensions"], True) == LAB_PLUGINS_OFF, page
    server = _json(LEARNER_CONFIG / "jupyter_server_config.json")
    extensions = server["ServerApp"]["jpserver_extensions"]
    assert _set_to(extensions, True) == SERVER_EXTENSIONS_ON and _set_to(extensions, False) == SERVER_EXTENSIONS_OFF
    assert server["LabApp"]["news_url"] is None

    page = _json(INSTRUCTOR_CONFIG / "labconfig" / "page_config.json")
    assert _set_to(page["disabledExtensions"], True) == {NEWS_PLUGIN}, page
    assert _set_to(page["disabledExtensions"], False) == LAB_PLUGINS_ON | LAB_PLUGINS_OFF, page
    extensions = _json(INSTRUCTOR_CONFIG / "jupyter_server_config.json")["ServerApp"]["jpserver_extensions"]
    assert _set_to(extensions, True) == SERVER_EXTENSIONS_ON | SERVER_EXTENSIONS_OFF, extensions

    # Binder reads the learner's lists instead of keeping its own, so the two cannot drift apart.
    post = (BINDER / "postBuild").read_text(encoding="utf-8")
    assert "learner=deploy/jupyter/local-learner" in post
    named = sorted(n for n in LAB_PLUGINS_OFF | SERVER_EXTENSIONS_OFF | {NEWS_PLUGIN} if n in post)
    assert not named, f"binder/postBuild names plugins itself instead of reading {LEARNER_CONFIG}: {named}"
    # The repository is installed in setuptools' default editable mode, not the deprecated one.
    assert "editable_mode" not in post
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "editable_mode" not in makefile and "pip install --quiet --no-deps -e ." in makefile


# ============================================================================== slow

@pytest.mark.slow
def test_binder_environment_has_exactly_the_learner_parts_of_nbgrader(tmp_path):
    """Fresh venv + binder/requirements.txt + binder/postBuild, then ask Jupyter."""
    # A scratch copy of what repo2docker's steps read, so nothing is written into the repo.
    repo = tmp_path / "repo"
    repo.mkdir()
    for name in ("requirements.txt", "pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, repo / name)
    packages = _packages()
    for name in ("binder", *packages, "deploy/jupyter/local-learner"):
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
    post_output = run("bash", "binder/postBuild")
    # ... quietly: no setuptools warning (the 'compat' editable mode printed a banner).
    for warning in ("Warning", "WARNING", "deprecated", "transitional"):
        lines = [ln for ln in post_output.splitlines() if warning in ln
                 and "/opt/pypi" not in ln]  # this machine's pip configuration, not the repository
        assert not lines, f"binder/postBuild printed {warning!r}:\n" + "\n".join(lines)

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
    # A module added to the repository is importable without reinstalling: the environment
    # imports the packages from the repository itself (a .pth naming its root) ...
    (repo / "nnlib" / "_added_later.py").write_text("ANSWER = 42\n")
    added = run(venv / "bin" / "python", "-c", "import nnlib._added_later as m; print(m.ANSWER)", cwd=tmp_path)
    assert added.strip().splitlines()[-1] == "42"
    # ... and so the grading sandbox, which binds the package folders it finds on sys.path
    # (an import hook in site-packages, setuptools' other editable mode, would not be seen).
    sys.path.insert(0, str(REPO))
    try:
        from tools.sandbox import policy
    finally:
        sys.path.remove(str(REPO))
    binds = policy.python_binds(str(venv / "bin" / "python"), packages)
    for name in packages:
        assert str(repo / name) in binds, f"the sandbox would not bind {repo / name}: {binds}"

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
    assert NEWS_PLUGIN in disabled, f"the Jupyter news prompt is on:\n{lab}"
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



# ===================================================== make lab and make formgrader

@pytest.fixture(scope="module")
def make_course(tmp_path_factory):
    """A scratch copy of what the two targets read; their servers write nothing into the repo."""
    if not shutil.which("make"):
        pytest.fail("make is missing (the course's two commands are make targets)", pytrace=False)
    base = tmp_path_factory.mktemp("make-lab")
    return bu.scratch_course_for_make(REPO, base / "course"), base


def _listing(folder):
    return {str(p.relative_to(folder)) for p in Path(folder).rglob("*")}


class Served:
    """`make <target>` running in the scratch course; stopped (by PID) on leaving."""

    def __init__(self, make_course, target, variables=()):
        course, base = make_course
        self.course = course
        self.before = _listing(course)
        self.server = bu.MakeServer(course, target, bu.clean_server_env(base / f"home-{target}"),
                                    base / f"make-{target}.log", variables=variables)

    def __enter__(self):
        self.server.start()
        return self.server

    def __exit__(self, exc_type, exc, tb):
        import psutil

        pids = self.server.stop()
        left = [p for p in pids if psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE]
        if exc_type is not None:
            print(f"make {self.server.target} log (tail):\n{self.server.log_tail(20)}")
        else:
            assert not left, f"processes still running after stopping make {self.server.target}: {left}"
        return False


def _server_checks(server, root):
    """Token auth, 127.0.0.1 only, the token not on a command line, rooted at `root`, no news."""
    import psutil
    import urllib.error
    import urllib.request

    try:
        urllib.request.urlopen(server.url + "/api/contents", timeout=10)
        pytest.fail("the server answered /api/contents without the token")
    except urllib.error.HTTPError as exc:
        assert exc.code == 403, exc.code
    jupyter = psutil.Process(server.proc.pid).children()
    assert len(jupyter) == 1, jupyter
    listening = {c.laddr.ip for c in jupyter[0].net_connections(kind="inet") if c.status == psutil.CONN_LISTEN}
    assert listening == {"127.0.0.1"}, listening
    assert server.token not in " ".join(jupyter[0].cmdline())
    assert jupyter[0].environ().get("JUPYTER_TOKEN") == server.token
    config = server.page_config()
    assert Path(config["serverRoot"]).resolve() == Path(root).resolve(), config["serverRoot"]
    assert config["news"] == {"disabled": True}, config["news"]
    assert NEWS_PLUGIN in config["disabledExtensions"], config["disabledExtensions"]
    return config


@pytest.mark.slow
def test_make_lab_serves_the_learners_view(make_course):
    course = make_course[0]
    served = Served(make_course, "lab")
    with served as server:
        config = _server_checks(server, course / "notebooks")
        # JupyterLab: nbgrader's instructor plugins are off and locked; Validate is on.
        disabled, locked = set(config["disabledExtensions"]), set(config["lockedExtensions"])
        assert disabled >= LAB_PLUGINS_OFF, sorted(disabled)
        assert not disabled & LAB_PLUGINS_ON, sorted(disabled)
        assert locked >= LAB_PLUGINS_OFF, sorted(locked)
        # Jupyter Server: no formgrader, course list or assignment list; Validate's handler is there.
        for path in ("/formgrader", "/formgraders", "/assignments"):
            assert server.get(path)[0] == 404, f"{path} answers in the learner's view"
        assert server.get("/assignments/validate")[0] == 405  # it takes POST only: loaded
        log = server.log_path.read_text(errors="replace")
        assert "nbgrader.server_extensions.validate_assignment | extension was successfully loaded" in log
        assert "formgrader | extension was successfully loaded" not in log
    assert _listing(course) == served.before, "make lab left files in the course"


@pytest.mark.slow
def test_make_formgrader_serves_the_instructors_view(make_course):
    course, base = make_course
    # The gradebook named the way the grading targets take it (DB_URL_FILE, in the environment).
    gradebook = base / "formgrader-gradebook.db"
    url_file = base / "gradebook-url"
    url_file.write_text(f"sqlite:///{gradebook}\n")
    url_file.chmod(0o600)
    served = Served(make_course, "formgrader", variables=[f"DB_URL_FILE={url_file}"])
    with served as server:
        config = _server_checks(server, course)
        disabled = set(config["disabledExtensions"])
        assert not disabled & (LAB_PLUGINS_ON | LAB_PLUGINS_OFF), sorted(disabled)
        assert not set(config.get("lockedExtensions", [])) & LAB_PLUGINS_OFF, config.get("lockedExtensions")
        # The formgrader answers, and finds the course (nbgrader_config.py: solutions/ is the source).
        status, _ = server.get("/formgrader")
        assert status in (200, 302), status
        status, body = server.get("/formgrader/api/assignments")
        assert status == 200, (status, body[:500])
        names = {a["name"] for a in json.loads(body)}
        expected = {p.name for p in (course / "solutions").iterdir() if p.is_dir()}
        assert expected and names >= expected, (sorted(names), sorted(expected))
        assert server.get("/formgraders")[0] == 200
        assert server.get("/assignments/validate")[0] == 405
        assert server.token not in url_file.read_text()
    assert gradebook.is_file(), "the formgrader did not use the gradebook given in DB_URL_FILE"
    assert _listing(course) == served.before, "make formgrader left files in the course"
