"""Time the course notebooks, executed headless (not a test).

Each notebook is copied to a temporary directory with its assignment folder and
run top to bottom by nbclient in a fresh python3 kernel, with a throwaway HOME,
the way CI runs them. Printed: seconds per notebook (kernel start included), its
slowest cells, and the total against the budget (60 s for the six solutions).

    .venv/bin/python benchmarks/time_notebooks.py                 # all six solutions
    .venv/bin/python benchmarks/time_notebooks.py 06_training     # one assignment
    .venv/bin/python benchmarks/time_notebooks.py --kind notebooks --budget 0

Exit status: 0 all ran within budget, 1 a notebook is missing or a cell raised,
2 everything ran but the total is over budget.
"""
import argparse
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from nncourse import manifest, notebook  # noqa: E402
from tools import notebooks as run_nb  # noqa: E402


def _cell_seconds(cell):
    """Wall time of one executed cell from nbclient's timing metadata, or None."""
    timing = cell.get("metadata", {}).get("execution", {})
    start, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
    if not start or not end:
        return None
    parse = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00"))  # noqa: E731
    return (parse(end) - parse(start)).total_seconds()


def time_notebook(path, workdir, env, timeout):
    """Execute a copy of `path`; returns (seconds, [error lines], [(seconds, cell label)])."""
    import nbformat

    dest = workdir / path.parent.name
    run_nb.copy_assignment(path.parent, dest)
    copy = dest / path.name
    nb = notebook.read(copy)
    start = time.perf_counter()
    try:
        run_nb.execute_notebook(nb, dest, env=env, timeout=timeout)
    except Exception as exc:  # timeout or dead kernel: report, keep timing the rest
        return time.perf_counter() - start, [f"execution aborted: {type(exc).__name__}: {exc}"], []
    seconds = time.perf_counter() - start
    nbformat.write(nb, copy)  # leave the executed copy for inspection while the temp dir lives
    errors, cells = [], []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        label = notebook.cell_label(i, cell)
        # In a release the answer stubs and the graded tests are meant to raise.
        expected = path.parts[-3] == manifest.RELEASE_DIR and (notebook.is_answer(cell) or notebook.is_graded(cell))
        for err in run_nb.errors_of(cell):
            if not expected:
                errors.append(f"{label}: {err}")
        took = _cell_seconds(cell)
        if took is not None:
            cells.append((took, label))
    return seconds, errors, sorted(cells, reverse=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("assignments", nargs="*", default=list(manifest.ASSIGNMENTS),
                        help="assignment ids (default: all six, in teaching order)")
    parser.add_argument("--kind", choices=(manifest.SOURCE_DIR, manifest.RELEASE_DIR), default=manifest.SOURCE_DIR,
                        help="which notebooks to run (default: the solutions)")
    parser.add_argument("--budget", type=float, default=60.0,
                        help="total seconds allowed; 0 disables the check (default: 60)")
    parser.add_argument("--slowest", type=int, default=3, help="slowest cells to list per notebook (default: 3)")
    parser.add_argument("--timeout", type=int, default=None, help="per-cell timeout (default: nbgrader_config.py)")
    args = parser.parse_args(argv)

    unknown = [a for a in args.assignments if a not in manifest.ASSIGNMENTS]
    if unknown:
        parser.error(f"unknown assignment id(s): {', '.join(unknown)}")

    failed = False
    total = 0.0
    with tempfile.TemporaryDirectory(prefix="time_notebooks_") as tmp:
        tmp = Path(tmp)
        env = run_nb.isolated_env(tmp / "home")
        width = max(len(manifest.notebook_relpath(args.kind, a)) for a in args.assignments)
        print(f"{'notebook':<{width}}  {'seconds':>8}  status")
        for aid in args.assignments:
            rel = manifest.notebook_relpath(args.kind, aid)
            path = manifest.notebook_path(args.kind, aid)
            if not path.is_file():
                print(f"{rel:<{width}}  {'-':>8}  MISSING")
                failed = True
                continue
            work = Path(tempfile.mkdtemp(prefix=f"{aid}_", dir=tmp))
            seconds, errors, cells = time_notebook(path, work, env, args.timeout)
            total += seconds
            print(f"{rel:<{width}}  {seconds:8.1f}  {'ok' if not errors else 'ERROR'}", flush=True)
            for took, label in cells[: args.slowest]:
                print(f"    {took:6.2f} s  {label}")
            for err in errors:
                print(f"    ! {err}")
            failed = failed or bool(errors)
    over = args.budget > 0 and total > args.budget
    verdict = f"over budget of {args.budget:g} s" if over else (f"within {args.budget:g} s" if args.budget else "")
    print(f"{'total':<{width}}  {total:8.1f}  {verdict}".rstrip())
    if failed:
        return 1
    return 2 if over else 0


if __name__ == "__main__":
    sys.exit(main())
