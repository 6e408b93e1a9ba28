"""The grading sandbox, tried for real: attacks from learners' answer cells, graded by `make autograde`.

A scratch course (a copy of 01_neurons' source, nbgrader_config.py, a throwaway HOME)
is released, and a class hands it in: an honest learner whose answers carry a secret
marker, a control learner who gets one exercise wrong, and attackers who hand in the
control's answers plus code, in the answer cell, that tries what a learner who wants a
better grade, or another learner's work, would try (ATTACKS below). The class is graded
by the real `make autograde`, twice: on a SQLite gradebook, and on a throwaway
PostgreSQL gradebook with JOBS=2 (tests/hubutil.py), then `make feedback`.

For every attack: it fails; the attacker scores exactly what the control scores; every
other learner's score is what their answers deserve; no file appears outside the
attacker's own folder (the course root, nnlib, other learners' folders, /tmp, HOME are
searched for its marker files, and nnlib's files are hashed); the listener on 127.0.0.1
gets no connection; and no secret (the gradebook password, an instructor's variable,
the honest learner's code) appears in the attacker's graded notebook or feedback.

Further tests: the six solutions get full marks in the sandbox with FIGURES=1; a
notebook that hits each limit fails with a sentence naming the limit; autograde refuses
to run without bwrap and says how to fix it; --no-sandbox grades and says UNSANDBOXED on
every summary line; `make sandbox-check` reports every item contained.
"""
import hashlib
import json
import os
import secrets
import shutil
import sys
from pathlib import Path

import nbformat
import pytest

import hubutil
import nbutil
from tools.sandbox.probe import Listener
from submissions import answer_cells, edit_answer, grade_id, honest, is_test, target_exercise

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
AID = "01_neurons"
MARK = "PWNED"           # every file an attack writes has this in its name

# Code appended to the answer cell of the control's wrong exercise. {port}, {mark} and
# {db_port} are filled in. Each attack catches its own errors, so that the answers
# stay defined whether or not the attack gets anywhere.
ATTACKS = {
    # Find the gradebook by walking up from the working folder, and the PostgreSQL URL
    # in every environment and command line in /proc; then give everyone full marks
    # and the honest learner zero.
    "gradebook": r'''
import glob, os, re, sqlite3
from pathlib import Path
found = []
for parent in [Path.cwd(), *Path.cwd().parents]:
    for db in parent.glob("*.db"):
        try:
            con = sqlite3.connect(str(db), timeout=30)
            con.execute("update grade set manual_score = (select max_score from grade_cell where grade_cell.id = grade.cell_id)")
            con.execute("update grade set manual_score = 0 where notebook_id in (select sn.id from submitted_notebook sn join submitted_assignment sa on sn.assignment_id = sa.id where sa.student_id = 'honest')")
            con.commit()
            found.append(str(db))
        except Exception as exc:
            print("sqlite", db, exc)
urls = set(re.findall(r"postgresql[+a-z]*://[^\s\x00'\"]+", " ".join(os.environ.values())))
for path in glob.glob("/proc/*/environ") + glob.glob("/proc/*/cmdline"):
    try:
        urls |= set(re.findall(r"postgresql[+a-z]*://[^\s\x00'\"]+", open(path, errors="replace").read()))
    except OSError:
        pass
for url in urls:
    try:
        import sqlalchemy
        engine = sqlalchemy.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
        with engine.begin() as con:
            con.execute(sqlalchemy.text("update grade set manual_score = (select max_score from grade_cell where grade_cell.id = grade.cell_id)"))
        found.append("postgresql")
    except Exception as exc:
        print("postgresql", type(exc).__name__)
print("gradebooks changed:", found, "urls seen:", len(urls))
''',
    # Read every other learner's submitted and graded notebooks, and the hidden tests.
    "reader": r'''
from pathlib import Path
stolen = []
for parent in Path.cwd().parents:
    for nb in list(parent.glob("*/*/*.ipynb")) + list(parent.glob("solutions/*/*.ipynb")):
        if Path.cwd() in nb.parents:
            continue  # its own notebook
        try:
            stolen.append(nb.read_text()[:20000])
        except OSError:
            pass
print("read", len(stolen), "notebooks")
print("\n".join(stolen))
''',
    # Write files everywhere a later kernel, the instructor or another learner would meet them.
    "writer": r'''
import os, site, sys
from pathlib import Path
import nnlib
targets = [*Path.cwd().parents, Path(nnlib.__file__).parent, *map(Path, site.getsitepackages()),
           Path("/tmp"), Path.home(), Path("/root"), *Path("/home").glob("*")]
targets += [p for p in Path.cwd().parent.parent.glob("*/*") if p != Path.cwd()]
written = []
for folder in targets:
    try:
        (folder / "{mark}-writer.txt").write_text("was here")
        written.append(str(folder))
    except OSError:
        pass
try:
    with open(nnlib.__file__, "a") as fh:
        fh.write("\n# {mark}\n")
    written.append(nnlib.__file__)
except OSError:
    pass
print("wrote into", written)
''',
    # Look for secrets: its own environment, and every process's environment and command line.
    "secrets": r'''
import glob, os
print(dict(os.environ))
for path in sorted(glob.glob("/proc/*/environ") + glob.glob("/proc/*/cmdline")):
    try:
        print(path, open(path, errors="replace").read().replace("\0", " ")[:3000])
    except OSError:
        pass
''',
    # Reach the grader's machine over the network: a listener of the test, the gradebook's port.
    "network": r'''
import socket
for port in ({port}, {db_port}):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=3).sendall(b"{mark}")
        print("connected to", port)
    except OSError as exc:
        print("no connection to", port, exc)
''',
    # Use up the machine: 6 GB of memory, 200 processes, a 1 GiB file.
    "hog": r'''
import os, time
try:
    block = bytearray(6 << 30)
    print("allocated 6 GB")
except MemoryError as exc:
    print("MemoryError", exc)
kids = []
try:
    for _ in range(200):
        pid = os.fork()
        if pid == 0:
            time.sleep(3)
            os._exit(0)
        kids.append(pid)
except OSError as exc:
    print("fork stopped after", len(kids), exc)
for pid in kids:
    os.waitpid(pid, 0)
try:
    with open("{mark}-big.bin", "wb") as fh:
        for _ in range(1024):
            fh.write(b"\0" * (1 << 20))
    print("wrote 1 GiB")
except OSError as exc:
    print("write stopped", exc)
''',
    # Memory spread over several processes, each under the per-process limit.
    "spread": r'''
import os
kids = []
for _ in range(4):
    pid = os.fork()
    if pid == 0:
        try:
            block = bytearray(b"x") * (800 << 20)
            import time
            time.sleep(4)
        finally:
            os._exit(0)
    kids.append(pid)
print("children ended with", [os.waitpid(pid, 0)[1] for pid in kids])
''',
    # Leave symbolic links where nbgrader writes the graded notebook and reads it back for
    # feedback: to the honest learner's graded notebook and to nnlib, which nbgrader, running
    # as the grader, would overwrite; and a background process that keeps planting them.
    "linker": r'''
import os, time
from pathlib import Path
import nnlib
here = Path.cwd()
victims = [here.parent.parent / "honest" / here.name / (here.name + ".ipynb"), Path(nnlib.__file__)]
def plant():
    for name, target in ((here.name + ".ipynb", victims[0]), ("{mark}-link", victims[1])):
        try:
            if os.path.lexists(name):
                os.remove(name)
            os.symlink(target, name)
        except OSError as exc:
            print("link", exc)
plant()
if os.fork() == 0:
    os.setsid()
    for _ in range(600):
        plant()
        time.sleep(0.05)
    os._exit(0)
print("links planted")
''',
    # Stop the other grading processes it can see (the other job's kernel and nbgrader,
    # the database), sparing its own ancestors. Limited to grading processes so that a
    # broken sandbox fails this test without stopping the rest of the machine.
    "killer": r'''
import os, signal
mine = set()
pid = os.getpid()
while pid > 1:
    mine.add(pid)
    try:
        pid = int(open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        break
hit = []
for name in os.listdir("/proc"):
    if not name.isdigit() or int(name) in mine or int(name) == 1:
        continue
    try:
        cmd = open(f"/proc/{name}/cmdline", "rb").read()
    except OSError:
        continue
    if any(word in cmd for word in (b"nbgrader", b"ipykernel", b"boot.py", b"postgres")):
        try:
            os.kill(int(name), signal.SIGSTOP)
            hit.append(name)
        except OSError:
            pass
print("stopped", hit)
''',
}


# ----------------------------------------------------------------------- the class

def digest(folder):
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(Path(folder).rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


def marker_files(*folders, depth=4):
    found = []
    for folder in folders:
        folder = Path(folder)
        if not folder.is_dir():
            continue
        for level in range(depth):
            found += [str(p) for p in folder.glob("/".join(["*"] * level + [f"*{MARK}*"]))]
    return sorted(set(found))


def make(target, root, env, timeout=900, **variables):
    cmd = ["make", "-C", REPO, target, *[f"{k}={v}" for k, v in variables.items()]]
    return nbutil.run(cmd, cwd=REPO, env=dict(env, COURSE_ROOT=str(root)), timeout=timeout)


def build_class(root, listener_port, db_port, honest_marker):
    release = nbutil.read_notebook(nbutil.release_path(AID, root))
    solution = nbutil.read_notebook(nbutil.source_path(AID))
    target = target_exercise(AID, solution)
    good = honest(release, solution)
    marked = edit_answer(good, next(grade_id(c) for c in answer_cells(good)),
                         lambda s: s + f"\n# {honest_marker}")
    # The control answers every exercise but `target` rightly; `target` returns 0.0.
    control = edit_answer(good, target, lambda s: s + f"\n\ndef {target}(*args, **kwargs):\n    return 0.0\n")
    learners = {"honest": marked, "control": control}
    for name, code in ATTACKS.items():
        code = code.replace("{port}", str(listener_port)).replace("{db_port}", str(db_port)) \
            .replace("{mark}", f"{MARK}-{name}")
        learners[f"attack_{name}"] = edit_answer(control, target, lambda s, code=code: s + "\n" + code)
    for name, nb in learners.items():
        folder = root / "submitted" / name / AID
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{AID}.ipynb")
    full = sum(float(c.metadata.nbgrader["points"]) for c in solution.cells if is_test(c))
    return learners, full


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def graded_class(request, tmp_path_factory):
    backend = request.param
    root = tmp_path_factory.mktemp(f"sandbox-{backend}")
    home = tmp_path_factory.mktemp(f"sandbox-home-{backend}")
    env = nbutil.isolated_env(home)
    instructor_secret = secrets.token_hex(16)
    env["INSTRUCTOR_SECRET"] = instructor_secret
    shutil.copy2(nbutil.NBGRADER_CONFIG, root / "nbgrader_config.py")
    nbutil.copy_assignment(nbutil.source_path(AID).parent, root / nbutil.SOURCE_DIR / AID)
    cluster = None
    if backend == "postgresql":
        missing = hubutil.missing_postgres()
        if missing:
            if hubutil.on_ci():
                pytest.fail(f"no PostgreSQL: {'; '.join(missing)} (CI=true: .ci/run installs it)")
            pytest.skip(f"no PostgreSQL here: {'; '.join(missing)}")
        cluster = hubutil.PostgresCluster()
        cluster.start()
        url, jobs, db_port, password = cluster.url, 2, cluster.port, cluster.password
    else:
        url, jobs, db_port, password = f"sqlite:///{root / 'gradebook.db'}", 1, 5432, None
    listener = Listener()
    tmp_before = set(os.listdir(tempfile_dir()))
    nnlib_before = digest(REPO / "nnlib")
    honest_marker = f"honest-marker-{secrets.token_hex(8)}"
    try:
        proc = make("release", root, env, DB_URL=url)
        assert proc.returncode == 0, nbutil.format_run(proc)
        learners, full = build_class(root, listener.port, db_port, honest_marker)
        variables = dict(DB_URL=url, TIMEOUT=30)
        if jobs > 1:
            variables["JOBS"] = jobs
        autograde = make("autograde", root, env, timeout=1200, **variables)
        # make passes no --json: read the summary that the tool always writes.
        summary_data = json.loads((root / "autograded" / ".logs" / "summary.json").read_text())
        feedback = make("feedback", root, env, DB_URL=url)
        from nbgrader.api import Gradebook
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("PATH", env["PATH"])
            with Gradebook(url, "nn-from-scratch") as gb:
                scores = {s: gb.find_submission(AID, s).score for s in learners}
                manual_scores = {s: [g.manual_score for nb in gb.find_submission(AID, s).notebooks
                                     for g in nb.grades if g.manual_score is not None] for s in learners}
        # What the control's answers deserve, graded without any attack next to them.
        partial = scores["control"]
        yield dict(root=root, env=env, backend=backend, jobs=jobs, autograde=autograde, summary=summary_data,
                   feedback=feedback, scores=scores, full=full, partial=partial, listener=listener,
                   secrets=[s for s in (password, instructor_secret, honest_marker) if s],
                   tmp_new=set(os.listdir(tempfile_dir())) - tmp_before, nnlib_before=nnlib_before,
                   home=home, learners=learners, manual_scores=manual_scores)
    finally:
        listener.close()
        if cluster is not None:
            cluster.stop()


def tempfile_dir():
    import tempfile
    return tempfile.gettempdir()


ATTACKERS = [f"attack_{name}" for name in ATTACKS]


def test_the_class_was_graded_in_the_sandbox(graded_class):
    proc = graded_class["autograde"]
    # Exit 0: every submission, the attackers' too, was graded (their flags do not fail it).
    assert proc.returncode == 0, nbutil.format_run(proc, tail=80)
    assert "each kernel in the sandbox" in proc.stdout and "; sandboxed;" in proc.stdout, proc.stdout[-3000:]
    assert graded_class["summary"]["sandbox"] is True
    if graded_class["jobs"] > 1:
        assert "on 2 workers" in proc.stdout, proc.stdout[:2000]
    assert graded_class["feedback"].returncode == 0, nbutil.format_run(graded_class["feedback"])


def test_honest_and_control_learners_get_what_their_answers_deserve(graded_class):
    scores = graded_class["scores"]
    assert scores["honest"] == graded_class["full"], scores
    # The control's one wrong exercise costs points, and the rest earn them.
    assert 0 < scores["control"] < graded_class["full"], scores


@pytest.mark.parametrize("attacker", ATTACKERS)
def test_an_attack_scores_what_the_same_answers_score_without_it(graded_class, attacker):
    scores = graded_class["scores"]
    assert scores[attacker] == scores["control"] == graded_class["partial"], (
        f"{attacker} scored {scores[attacker]}, the same answers without the attack "
        f"{graded_class['partial']}: {scores}")


def test_no_grade_in_the_gradebook_was_written_by_a_learner(graded_class):
    """Autograde never sets a manual score: one that is set came from a learner's code."""
    manual = {name: score for name, score in graded_class["manual_scores"].items() if score}
    assert not manual, f"manual scores in the gradebook: {manual}"
    outcomes = {o["student"]: o for o in graded_class["summary"]["outcomes"]}
    assert all(outcomes[name]["status"] == "graded" for name in graded_class["learners"]), outcomes


def test_nothing_outside_the_attackers_folders_changed(graded_class):
    root = graded_class["root"]
    own = [root / "autograded" / name / AID for name in ATTACKERS]
    found = [f for f in marker_files(root, depth=5) if not any(f.startswith(str(o)) for o in own)]
    found += marker_files(REPO / "nnlib", Path(sys.prefix), graded_class["home"], Path("/root"),
                          tempfile_dir(), depth=3)
    assert not found, f"files written by an attack outside its folder: {found}"
    assert digest(REPO / "nnlib") == graded_class["nnlib_before"], "nnlib's files changed during grading"
    marks = [n for n in graded_class["tmp_new"] if MARK in n]
    assert not marks, f"new files in the grader's /tmp: {marks}"


def test_planted_links_wrote_nothing_through(graded_class):
    root = graded_class["root"]
    honest_nb = (root / "autograded" / "honest" / AID / f"{AID}.ipynb").read_text()
    assert graded_class["secrets"][-1] in honest_nb, "the honest learner's graded notebook was replaced"
    folder = root / "autograded" / "attack_linker" / AID
    links = [p for p in folder.rglob("*") if p.is_symlink()]
    assert not links, f"links left in the graded folder: {links}"
    assert (folder / f"{AID}.ipynb").is_file() and not (folder / f"{AID}.ipynb").is_symlink()


# What the tamper scan must say about each attack (it reads the submissions, statically).
SCAN_KINDS = {"gradebook": {"database", "system"}, "reader": {"path"}, "writer": {"path"},
              "secrets": {"system"}, "network": {"network"}, "hog": {"shell"}, "spread": {"shell"},
              "linker": {"path"}, "killer": {"exit", "system"}}


@pytest.mark.parametrize("name", list(ATTACKS))
def test_the_scan_flags_each_attack(graded_class, name):
    kinds = {f["kind"] for f in graded_class["summary"]["flags"] if f["student"] == f"attack_{name}"}
    assert SCAN_KINDS[name] <= kinds, f"attack_{name}: flags {sorted(kinds)}, expected {sorted(SCAN_KINDS[name])}"
    for clean in ("honest", "control"):
        assert not [f for f in graded_class["summary"]["flags"] if f["student"] == clean]


def test_no_connection_reached_the_grader(graded_class):
    assert graded_class["listener"].connections == 0


def test_no_secret_reaches_an_attackers_notebook_or_feedback(graded_class):
    root = graded_class["root"]
    for name in ATTACKERS:
        texts = {
            "graded notebook": (root / "autograded" / name / AID / f"{AID}.ipynb").read_text(errors="replace"),
            "feedback": (root / "feedback" / name / AID / f"{AID}.html").read_text(errors="replace"),
        }
        for where, text in texts.items():
            for secret in graded_class["secrets"]:
                assert secret not in text, f"{name}'s {where} holds a secret ({secret[:6]}...)"


def test_the_attacks_met_the_walls_they_were_meant_to_meet(graded_class):
    """What each attack printed: proof that it ran, and that the sandbox stopped it."""
    root = graded_class["root"]

    def printed(name):
        nb = nbutil.read_notebook(root / "autograded" / name / AID / f"{AID}.ipynb")
        return "".join(str(o.get("text", "")) for c in nb.cells for o in c.get("outputs", [])
                       if o.get("output_type") == "stream")

    assert "gradebooks changed: [] urls seen: 0" in printed("attack_gradebook")
    assert "read 0 notebooks" in printed("attack_reader")
    hog = printed("attack_hog")
    assert "MemoryError" in hog and "fork stopped after" in hog and "write stopped" in hog, hog
    assert "[Errno 27] File too large" in hog, hog  # caught by the attack, so in its own words
    assert printed("attack_network").count("no connection to") == 2
    assert "stopped []" in printed("attack_killer")
    from tools.sandbox import cgroups
    if "memory" in cgroups.homes():
        # The whole sandbox has one memory budget: some child was killed (SIGKILL = 9).
        out = printed("attack_spread")
        assert "children ended with" in out and "9" in out.split("children ended with")[1], out


# ------------------------------------------------------------------- honest notebooks

@pytest.fixture(scope="module")
def course_with_solutions(tmp_path_factory):
    root = tmp_path_factory.mktemp("sandbox-solutions")
    env = nbutil.isolated_env(tmp_path_factory.mktemp("sandbox-solutions-home"))
    env["NBGRADER_DB_URL"] = f"sqlite:///{root / 'gradebook.db'}"
    shutil.copy2(nbutil.NBGRADER_CONFIG, root / "nbgrader_config.py")
    for aid in nbutil.ASSIGNMENTS:
        nbutil.copy_assignment(nbutil.source_path(aid).parent, root / nbutil.SOURCE_DIR / aid)
    tool = [sys.executable, "-m", "tools.grading", "--root", root]
    proc = nbutil.run([*tool, "release"], cwd=REPO, env=env, timeout=900)
    assert proc.returncode == 0, nbutil.format_run(proc)
    return root, env, tool


def test_every_solution_gets_full_marks_in_the_sandbox_with_figures(course_with_solutions):
    root, env, tool = course_with_solutions
    for aid in nbutil.ASSIGNMENTS:
        release = nbutil.read_notebook(nbutil.release_path(aid, root))
        solution = nbutil.read_notebook(nbutil.source_path(aid))
        folder = root / "submitted" / "ada" / aid
        folder.mkdir(parents=True)
        nbformat.write(honest(release, solution), folder / f"{aid}.ipynb")
    summary = root / "ada.json"
    proc = nbutil.run([*tool, "autograde", "--figures", "--json", summary], cwd=REPO, env=env, timeout=1800)
    assert proc.returncode == 0, nbutil.format_run(proc, tail=60)
    outcomes = {o["assignment"]: o for o in json.loads(summary.read_text())["outcomes"]}
    for aid in nbutil.ASSIGNMENTS:
        o = outcomes[aid]
        assert o["status"] == "graded" and o["score"] == o["max_score"] > 0, o
        graded = nbutil.read_notebook(root / "autograded" / "ada" / aid / f"{aid}.ipynb")
        stderr = [o.get("text", "") for c in graded.cells for o in c.get("outputs", [])
                  if o.get("output_type") == "stream" and o.get("name") == "stderr"]
        assert not stderr, f"{aid}: stderr in the sandbox: {stderr[:3]}"
    # With --figures, the plots are drawn and kept.
    nb = nbutil.read_notebook(root / "autograded" / "ada" / "03_activations" / "03_activations.ipynb")
    assert any("image/png" in o.get("data", {}) for c in nb.cells for o in c.get("outputs", [])), \
        "no figure in the graded 03_activations"


LIMIT_CELLS = {
    "memory": ("import numpy as _np\n_big = _np.ones((1 << 31,), dtype=_np.float64)",
               "MemoryError", "while graded, a notebook may use at most 2 GiB of memory"),  # numpy: _ArrayMemoryError
    "processes": ("import threading, time\n_threads = []\nfor _ in range(500):\n"
                  "    _t = threading.Thread(target=time.sleep, args=(5,), daemon=True)\n"
                  "    _t.start()\n    _threads.append(_t)",
                  "RuntimeError", "while graded, a notebook may run at most 128 processes and threads"),
    "file_size": ("with open('big.bin', 'wb') as _fh:\n    for _ in range(300):\n"
                  "        _fh.write(b'\\0' * (1 << 20))",
                  "OSError", "while graded, a notebook may write files of at most 256 MiB"),
}


def test_a_notebook_that_hits_a_limit_is_told_which(course_with_solutions):
    root, env, tool = course_with_solutions
    release = nbutil.read_notebook(nbutil.release_path(AID, root))
    solution = nbutil.read_notebook(nbutil.source_path(AID))
    good = honest(release, solution)
    first = grade_id(answer_cells(good)[0])
    for limit, (code, _, _) in LIMIT_CELLS.items():
        folder = root / "submitted" / f"limit_{limit}" / AID
        folder.mkdir(parents=True)
        nbformat.write(edit_answer(good, first, lambda s, code=code: s + "\n" + code), folder / f"{AID}.ipynb")
    students = [a for limit in LIMIT_CELLS for a in ("-s", f"limit_{limit}")]
    summary = root / "limits.json"
    proc = nbutil.run([*tool, "autograde", "-a", AID, *students, "--json", summary], cwd=REPO, env=env,
                      timeout=900)
    assert proc.returncode == 0, nbutil.format_run(proc, tail=60)
    outcomes = {o["student"]: o for o in json.loads(summary.read_text())["outcomes"]}
    for limit, (_, ename, sentence) in LIMIT_CELLS.items():
        student = f"limit_{limit}"
        assert outcomes[student]["status"] == "graded", outcomes[student]  # the batch went on
        nb = nbutil.read_notebook(root / "autograded" / student / AID / f"{AID}.ipynb")
        errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
        assert errors, f"{limit}: no error in the graded notebook"
        first_error = errors[0]
        assert ename in first_error["ename"] or first_error["ename"] == "BlockingIOError", first_error["ename"]
        assert sentence in first_error["evalue"], first_error["evalue"]


# ----------------------------------------------------------------- refusal and opt-out

def _tiny_course(tmp_path, env):
    root = tmp_path / "course"
    root.mkdir()
    shutil.copy2(nbutil.NBGRADER_CONFIG, root / "nbgrader_config.py")
    nbutil.copy_assignment(nbutil.source_path(AID).parent, root / nbutil.SOURCE_DIR / AID)
    tool = [sys.executable, "-m", "tools.grading", "--root", root]
    proc = nbutil.run([*tool, "release"], cwd=REPO, env=env, timeout=600)
    assert proc.returncode == 0, nbutil.format_run(proc)
    folder = root / "submitted" / "ada" / AID
    folder.mkdir(parents=True)
    release = nbutil.read_notebook(nbutil.release_path(AID, root))
    nbformat.write(honest(release, nbutil.read_notebook(nbutil.source_path(AID))), folder / f"{AID}.ipynb")
    return root, tool


def test_autograde_refuses_to_grade_without_bubblewrap(tmp_path, nb_env):
    env = dict(nb_env, NBGRADER_DB_URL=f"sqlite:///{tmp_path / 'gradebook.db'}")
    root, tool = _tiny_course(tmp_path, env)
    # A PATH with the venv only: no bwrap on it.
    no_bwrap = dict(env, PATH=str(nbutil.venv_bin()))
    proc = nbutil.run([*tool, "autograde"], cwd=REPO, env=no_bwrap, timeout=300)
    assert proc.returncode == 2, nbutil.format_run(proc)  # a configuration error: nothing was graded
    assert "stopped before grading anything" in proc.stdout and "bwrap" in proc.stdout, proc.stdout
    assert "apt-get install bubblewrap" in proc.stdout and "--no-sandbox" in proc.stdout, proc.stdout
    assert not (root / "autograded" / "ada").exists()


def test_the_explicit_opt_out_grades_and_says_so(tmp_path, nb_env):
    env = dict(nb_env, NBGRADER_DB_URL=f"sqlite:///{tmp_path / 'gradebook.db'}")
    root, tool = _tiny_course(tmp_path, env)
    no_bwrap = dict(env, PATH=str(nbutil.venv_bin()))
    summary = tmp_path / "summary.json"
    proc = nbutil.run([*tool, "--no-sandbox", "autograde", "--json", summary], cwd=REPO, env=no_bwrap,
                      timeout=600)
    assert proc.returncode == 0, nbutil.format_run(proc)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith(("autograde:", "autograde summary:"))]
    assert len(lines) == 2 and all("UNSANDBOXED" in ln for ln in lines), proc.stdout
    data = json.loads(summary.read_text())
    assert data["sandbox"] is False and data["outcomes"][0]["score"] == data["outcomes"][0]["max_score"]


def test_make_passes_the_gradebook_url_in_the_environment_only(tmp_path, nb_env):
    """make's recipe line, which `ps` shows, carries no URL; the tool still finds it."""
    url = f"sqlite:///{tmp_path / 'secret-name-gradebook.db'}"
    proc = nbutil.run(["make", "-n", "-C", REPO, "autograde", f"DB_URL={url}"], cwd=REPO, env=nb_env)
    assert proc.returncode == 0, nbutil.format_run(proc)
    assert "secret-name-gradebook" not in proc.stdout, proc.stdout
    from tools import grading
    course = grading.Course.open(tmp_path, None, 1)
    env = course.nbgrader_env()
    cmd = course.nbgrader_cmd("autograde", AID)
    assert not any("db_url" in part.lower() for part in cmd), cmd
    assert env["NBGRADER_DB_URL"] == course.db_url


def test_the_gradebook_url_can_come_from_a_private_file(tmp_path):
    from tools import grading
    url_file = tmp_path / "db-url"
    url_file.write_text("postgresql://grader:hunter2@127.0.0.1:5/gb\n")
    url_file.chmod(0o600)
    course = grading.Course.open(tmp_path, None, 1, db_url_file=url_file)
    assert course.db_url == "postgresql://grader:hunter2@127.0.0.1:5/gb"


def test_sandbox_check_reports_every_item_contained(nb_env):
    proc = nbutil.run(["make", "-C", REPO, "sandbox-check"], cwd=REPO, env=nb_env, timeout=600)
    assert proc.returncode == 0, nbutil.format_run(proc, tail=60)
    lines = [ln.strip() for ln in proc.stdout.splitlines() if ln.strip().startswith(("contained", "REACHED"))]
    from tools.sandbox import probe
    assert len(lines) == probe.EXPECTED_ITEMS and all(ln.startswith("contained") for ln in lines), proc.stdout
    assert "the probe scored 1" in proc.stdout


def test_sandbox_check_sees_what_an_unsandboxed_kernel_reaches(nb_env):
    """The probe is no stub: without the sandbox it reaches the files, network and processes."""
    proc = nbutil.run([sys.executable, "-m", "tools.grading", "--no-sandbox", "sandbox-check"], cwd=REPO,
                      env=nb_env, timeout=600)
    assert proc.returncode == 1, nbutil.format_run(proc, tail=60)
    reached = {ln.split("REACHED", 1)[1].strip().split("  ")[0] for ln in proc.stdout.splitlines()
               if ln.strip().startswith("REACHED")}
    for item in ("files: the course root", "files: the gradebook", "files: another learner's submission",
                 "network: TCP to 127.0.0.1", "processes: the grader", "files: writing outside its folder"):
        assert item in reached, proc.stdout


def test_autograde_refuses_where_bubblewrap_cannot_make_a_sandbox(tmp_path, nb_env):
    """As in a container that forbids user namespaces: bwrap is there, and fails."""
    env = dict(nb_env, NBGRADER_DB_URL=f"sqlite:///{tmp_path / 'gradebook.db'}")
    root, tool = _tiny_course(tmp_path, env)
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "bwrap").write_text("#!/bin/sh\necho 'bwrap: No permissions to creating new namespace' >&2\nexit 1\n")
    (fake / "bwrap").chmod(0o755)
    proc = nbutil.run([*tool, "autograde"], cwd=REPO, env=dict(env, PATH=f"{fake}:{env['PATH']}"), timeout=300)
    assert proc.returncode == 2, nbutil.format_run(proc)
    assert "bubblewrap cannot create a sandbox here: bwrap: No permissions" in proc.stdout, proc.stdout
    assert "user namespaces" in proc.stdout and "--no-sandbox" in proc.stdout, proc.stdout
    assert not (root / "autograded" / "ada").exists()
