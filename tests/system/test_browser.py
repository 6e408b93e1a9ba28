"""The course in a real browser: JupyterLab driven by Playwright and headless Chromium.

One JupyterLab server (127.0.0.1, generated token, throwaway HOME) serves a
scratch copy of the course for the whole session, and one browser is reused.
What a learner or instructor does, the tests do:

- every released notebook: open it (``?reset``), run all cells; only exercise
  cells may fail, and only because the exercise is not done: an answer cell
  with the stub's NotImplementedError, a graded test with NotImplementedError,
  an AssertionError saying the answer still raises NotImplementedError, or a
  NameError for an answer value not defined yet. Every other cell runs cleanly;
- every solution notebook: run all cells without a single error, press
  nbgrader's Validate button and see "passes all tests";
- the activation explorer renders and moving a slider changes the picture;
- the live-training widget renders and Step (and ▶) update the loss.

On failure a screenshot is saved in a temporary folder and its path printed.
Afterwards the server and all its kernels are stopped by PID, and the browser
is closed. Debian's chromium must be installed (``.ci/run`` installs it).
"""
import re
import time
from pathlib import Path

import nbformat
import pytest

import browser_util as bu
import nbutil
from nbutil import ASSIGNMENTS, RELEASE_DIR, SOURCE_DIR

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WIDGET_NOTEBOOK = "widgets_check.ipynb"


class Session:
    """The shared server and browser, or the reason they could not start."""

    def __init__(self):
        self.server = None
        self.browser = None
        self.error = None
        self.shots = bu.ScreenshotDir()
        self.root = None

    def ready(self):
        if self.error:
            pytest.fail(self.error, pytrace=False)
        return self


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    session = Session()
    if not Path(bu.CHROMIUM).is_file():
        session.error = (f"{bu.CHROMIUM} is missing: the browser tests need Debian's chromium package "
                         "(apt-get install chromium; .ci/run installs it)")
        yield session
        return
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        session.error = f"the Python package playwright is missing ({exc}); run `make test` (requirements-dev.txt)"
        yield session
        return

    base = tmp_path_factory.mktemp("browser")
    session.root = bu.copy_course(nbutil.REPO, base / "course")
    _write_widget_notebook(session.root / WIDGET_NOTEBOOK)
    env = bu.isolated_server_env(base / "home")
    session.server = bu.LabServer(session.root, env, base / "jupyterlab.log")
    try:
        session.server.start()
        session.browser = bu.Browser(base / "chromium-profile")
    except Exception as exc:
        session.error = f"could not start JupyterLab and Chromium: {type(exc).__name__}: {exc}"
    try:
        yield session
    finally:
        if session.browser is not None:
            session.browser.close()
        pids = session.server.stop() if session.server else []
        import psutil

        left = [p for p in pids if psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE]
        if left:
            print(f"warning: processes still running after stopping JupyterLab: {left}")


def _write_widget_notebook(path):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_code_cell("from nncourse.widgets import activation_explorer, live_training", id="imports"),
        nbformat.v4.new_code_cell('explorer = activation_explorer(activation="relu")\nexplorer', id="explorer"),
        nbformat.v4.new_code_cell("trainer = live_training(epochs_per_step=5)\ntrainer", id="trainer"),
    ]
    nbformat.write(nb, str(path))


class Opened:
    """Open a notebook in a new page; on failure save a screenshot and name it in the error."""

    def __init__(self, lab, path, label):
        self.lab, self.path, self.label = lab, path, label
        self.nb = None

    def __enter__(self):
        self.lab.server.shutdown_kernels()  # the previous notebook's kernel is not needed any more
        try:
            self.nb = bu.Notebook(self.lab.browser, self.lab.server, self.path)
        except Exception:
            self._fail_shot()
            raise
        return self.nb

    def _fail_shot(self):
        page = self.nb.page if self.nb else None
        if page is not None:
            shot = self.lab.shots.save(page, self.label)
            print(f"{self.label}: failure screenshot: {shot}")

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None and self.nb is not None:
            self._fail_shot()
            if exc_type is not None:
                print(f"JupyterLab log (tail):\n{self.lab.server.log_tail(15)}")
        if self.nb is not None:
            self.nb.close()
        return False


def _code_cells(model):
    return [(i, c) for i, c in enumerate(model["cells"]) if c["cell_type"] == "code"]


def _nbgrader(cell):
    return cell.get("metadata", {}).get("nbgrader") or {}


def _label(cell, index, where):
    meta = _nbgrader(cell)
    name = f", grade_id={meta['grade_id']}" if meta.get("grade_id") else ""
    return f"{where} cell {index} (id={cell.get('id')}{name})"


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _errors(cell):
    """[(ename, 'ename: evalue', last traceback lines)] of a cell's error outputs."""
    found = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            tail = _ANSI.sub("", "\n".join(out.get("traceback", []))).strip().splitlines()[-6:]
            found.append((out.get("ename"), f"{out.get('ename')}: {_ANSI.sub('', str(out.get('evalue')))}",
                          "\n".join("      " + ln for ln in tail)))
    return found


def _unexecuted(model, where):
    return [f"{_label(c, i, where)} did not run" for i, c in _code_cells(model)
            if c.get("execution_count") is None]


# ==================================================================== released notebooks

@pytest.mark.parametrize("aid", ASSIGNMENTS)
def test_released_notebook_runs_in_jupyterlab(aid, lab):
    lab.ready()
    path = nbutil.notebook_relpath(RELEASE_DIR, aid)
    assert (lab.root / path).is_file(), f"missing {path}"
    with Opened(lab, path, f"release-{aid}") as nb:
        nb.run_all()
        model = nb.model()
        problems = _unexecuted(model, path)
        not_implemented = 0
        for i, cell in _code_cells(model):
            meta = _nbgrader(cell)
            for ename, error, tail in _errors(cell):
                # Unfinished work: the stub's NotImplementedError, or a test's message saying so.
                unfinished = ename == "NotImplementedError" or (
                    ename == "AssertionError" and "NotImplementedError" in error)
                if meta.get("solution"):
                    allowed = ename == "NotImplementedError"
                elif meta.get("grade"):
                    allowed = unfinished or ename == "NameError"  # NameError: a value answer not defined yet
                else:
                    allowed = False
                if allowed:
                    not_implemented += unfinished
                else:
                    exercise = meta.get("solution") or meta.get("grade")
                    kind = "an exercise cell" if exercise else "a cell that is not an exercise"
                    problems.append(f"{_label(cell, i, path)}, {kind}, shows {error}\n{tail}")
        assert not_implemented > 0, f"{path}: no cell showed NotImplementedError; are the exercises stubbed?"
        assert not problems, f"{path} in JupyterLab:\n" + "\n".join(f"  - {p}" for p in problems)


# ==================================================================== solution notebooks

@pytest.mark.parametrize("aid", ASSIGNMENTS)
def test_solution_notebook_runs_and_validates_in_jupyterlab(aid, lab):
    lab.ready()
    path = nbutil.notebook_relpath(SOURCE_DIR, aid)
    assert (lab.root / path).is_file(), f"missing {path}"
    with Opened(lab, path, f"solution-{aid}") as nb:
        nb.run_all()
        model = nb.model()
        problems = _unexecuted(model, path)
        for i, cell in _code_cells(model):
            for _, error, tail in _errors(cell):
                problems.append(f"{_label(cell, i, path)} shows {error}\n{tail}")
        assert not problems, f"{path} in JupyterLab:\n" + "\n".join(f"  - {p}" for p in problems)
        text, passed = nb.validate()
        assert passed and "Success! Your notebook passes all the tests." in text, (
            f"{path}: nbgrader's Validate did not pass:\n{text}")


# ================================================================================ widgets

def _img_bytes(locator):
    return locator.screenshot()


def test_activation_explorer_in_jupyterlab(lab):
    lab.ready()
    with Opened(lab, WIDGET_NOTEBOOK, "activation-explorer") as nb:
        nb.run_all()
        box = nb.panel().locator(".nnlib-activation-explorer")
        box.wait_for(state="visible")
        img = box.locator("img").first
        img.wait_for(state="visible")
        img.scroll_into_view_if_needed()
        nb.page.wait_for_function("img => img.complete && img.naturalWidth > 400", arg=img.element_handle())
        before_src, before = img.get_attribute("src"), _img_bytes(img)
        assert "a=1.0" in box.inner_text() or "ReLUActivation(a=1.0)" in box.inner_text()

        # Move the slope slider a with the keyboard, as a learner can: focus its handle, press →.
        slider = box.locator(".widget-slider").filter(has_text="a (slope)").first
        handle = slider.locator(".noUi-handle").first
        handle.focus()
        for _ in range(5):
            handle.press("ArrowRight")
        nb.page.wait_for_function("([img, src]) => img.src !== src && img.complete",
                                  arg=[img.element_handle(), before_src], timeout=20_000)
        time.sleep(0.3)
        after = _img_bytes(img)
        assert after != before, "the plot image did not change after moving the slider"
        readout = slider.locator(".widget-readout").inner_text().strip()
        assert float(readout) == pytest.approx(1.5), f"slider readout is {readout!r}"
        nb.page.get_by_text("ReLUActivation(a=1.5)").first.wait_for(timeout=10_000)


def test_live_training_in_jupyterlab(lab):
    lab.ready()
    with Opened(lab, WIDGET_NOTEBOOK, "live-training") as nb:
        nb.run_all()
        box = nb.panel().locator(".nnlib-live-training")
        box.wait_for(state="visible")
        box.scroll_into_view_if_needed()
        status = box.locator(".widget-html").filter(has_text="epoch").first
        assert "epoch 0" in status.inner_text() and "untrained" in status.inner_text()
        img = box.locator("img").first
        before = _img_bytes(img)

        box.get_by_role("button", name="Step").click()
        status.filter(has_text="epoch 5 ").wait_for(timeout=20_000)
        first = _loss(status.inner_text())
        box.get_by_role("button", name="Step").click()
        status.filter(has_text="epoch 10 ").wait_for(timeout=20_000)
        second = _loss(status.inner_text())
        assert second < first, f"train loss did not fall: {first} then {second}"
        time.sleep(0.3)
        assert _img_bytes(img) != before, "the picture did not change after training"

        # ▶ trains on its own until paused (ipywidgets 8: one play/pause toggle button).
        play = box.locator(".widget-play button").first
        play.click()
        nb.page.wait_for_function(
            "el => { const m = el.innerText.match(/epoch (\\d+)/); return m && +m[1] >= 30; }",
            arg=status.element_handle(), timeout=60_000)
        play.click()  # pause
        time.sleep(1.5)  # ticks already sent may still arrive
        paused_at = _epoch(status.inner_text())
        time.sleep(1.5)
        assert _epoch(status.inner_text()) == paused_at, "training went on after pause"

        box.get_by_role("button", name="Reset").click()
        status.filter(has_text="epoch 0 ").wait_for(timeout=20_000)


def _loss(text):
    match = re.search(r"train loss ([0-9.]+)", text)
    assert match, f"no train loss in {text!r}"
    return float(match.group(1))


def _epoch(text):
    return int(re.search(r"epoch (\d+)", text).group(1))


# ================================================ what make lab and make formgrader show

@pytest.fixture(scope="module")
def views(lab, tmp_path_factory):
    """A scratch course for the make targets; the session's browser (one Playwright at a time)."""
    lab.ready()
    base = tmp_path_factory.mktemp("views")
    course = bu.scratch_course_for_make(nbutil.REPO, base / "course")
    return course, base, lab.browser


class Shown:
    """`make <target>` started in the scratch course and its /lab opened in a page."""

    def __init__(self, views, target, first_port):
        course, base, self.browser = views
        self.server = bu.MakeServer(course, target, bu.clean_server_env(base / f"home-{target}"),
                                    base / f"make-{target}.log", first_port=first_port)
        self.shots = bu.ScreenshotDir()
        self.page = None

    def __enter__(self):
        self.server.start()
        self.page = self.browser.new_page()
        self.page.goto(f"{self.server.url}/lab?token={self.server.token}", wait_until="domcontentloaded")
        self.page.locator(".jp-DirListing-content").wait_for(timeout=60_000)
        self.page.locator("#jp-menu-panel .lm-MenuBar-itemLabel", has_text="Help").wait_for()
        time.sleep(3)  # without the configuration the news prompt is up by now (at once, in fact)
        return self

    def menus(self):
        return self.page.locator("#jp-menu-panel .lm-MenuBar-itemLabel").all_inner_texts()

    def sidebar_tabs(self):
        tabs = self.page.locator(".jp-SideBar .lm-TabBar-tab")
        return [tabs.nth(i).get_attribute("title") or "" for i in range(tabs.count())]

    def toasts(self):
        return self.page.locator(".Toastify__toast").all_inner_texts()

    def __exit__(self, exc_type, exc, tb):
        try:
            if exc_type is not None and self.page is not None:
                self.shots.save(self.page, f"make-{self.server.target}")
                print(f"make {self.server.target} log (tail):\n{self.server.log_tail(15)}")
            if self.page is not None:
                self.page.close()
        finally:
            self.server.stop()
        return False


def test_make_lab_shows_no_instructor_tools_and_no_news_prompt(views):
    with Shown(views, "lab", 8980) as shown:
        menus, tabs, toasts = shown.menus(), shown.sidebar_tabs(), shown.toasts()
        assert "File" in menus and "Nbgrader" not in menus, menus
        assert not [t for t in tabs if "Create Assignment" in t or "Formgrader" in t], tabs
        assert not [t for t in toasts if "Jupyter news" in t], toasts
        html = shown.page.content()
        for text in ("Formgrader", "Create Assignment", "Jupyter news"):
            assert text not in html, f"the learner's JupyterLab shows {text!r}"
        # Validate is there: a notebook's toolbar has the button.
        shown.page.goto(f"{shown.server.url}/lab/tree/01_neurons/01_neurons.ipynb?token={shown.server.token}")
        shown.page.locator(".jp-NotebookPanel .validate-button").first.wait_for(timeout=60_000)


def test_make_formgrader_shows_the_nbgrader_tools(views):
    with Shown(views, "formgrader", 8985) as shown:
        menus, tabs, toasts = shown.menus(), shown.sidebar_tabs(), shown.toasts()
        assert "Nbgrader" in menus, menus
        assert any("Create Assignment" in t for t in tabs), tabs
        assert not [t for t in toasts if "Jupyter news" in t], toasts
        shown.page.locator("#jp-menu-panel .lm-MenuBar-itemLabel", has_text="Nbgrader").click()
        shown.page.locator(".lm-Menu-itemLabel", has_text="Formgrader").first.click()
        # The formgrader opens in a tab and lists the course's assignments (from solutions/).
        frame = shown.page.frame_locator("iframe").first
        frame.get_by_text("01_neurons").first.wait_for(timeout=60_000)
