"""The scan of handed-in work: the files of a submission, a student's folders, a course."""
from pathlib import Path

from .flags import Flag
from .reference import Reference, read_notebook
from .scan import scan_notebook
from .tables import IMPORTABLE_STEMS, IMPORTABLE_SUFFIXES


def extra_files(directory, notebooks):
    """Files (relative paths) in a submission that Python could import from the grading directory.

    Python puts the kernel's working directory first on sys.path, so a ``numpy.py`` or an
    ``nnlib/`` package handed in next to the notebook would replace the real module.
    """
    directory = Path(directory)
    found, packages = [], []
    for path in sorted(directory.rglob("*")):
        rel = path.relative_to(directory)
        if any(part in (".ipynb_checkpoints", "__pycache__") for part in rel.parts):
            continue
        if any(rel.parts[: len(pkg.parts)] == pkg.parts for pkg in packages):
            continue  # inside a package reported already
        if path.is_dir():
            if (path / "__init__.py").is_file():
                packages.append(rel)
                found.append(f"{rel}/")
        elif path.name not in notebooks and (
                path.suffix in IMPORTABLE_SUFFIXES or path.stem.split(".")[0] in IMPORTABLE_STEMS):
            found.append(str(rel))
    return found


def scan_submission(directory, references, student, assignment):
    """(flags, problems) for submitted/<student>/<assignment>/.

    ``references`` maps notebook file names to their Reference. ``problems`` lists
    notebooks that are missing or unreadable (reported by autograde, not flags).
    """
    directory = Path(directory)
    flags, problems = [], []
    for name, ref in references.items():
        label = f"{assignment}/{name}"
        path = directory / name
        if not path.is_file():
            problems.append((label, "missing"))
            continue
        try:
            nb = read_notebook(path)
        except ValueError as exc:
            problems.append((label, str(exc)))
            continue
        flags.extend(scan_notebook(nb, ref, student, label))
    for rel in extra_files(directory, set(references)):
        flags.append(Flag(student, f"{assignment}/{rel}", "-", None, "extra",
                          f"extra file {rel} could be imported instead of a course module "
                          "(make autograde does not copy it into the grading directory)"))
    return flags, problems


def load_references(source_root, assignments):
    """{assignment: {notebook name: Reference}} from solutions/<id>/*.ipynb."""
    out = {}
    for aid in assignments:
        folder = Path(source_root) / aid
        refs = {}
        for path in sorted(folder.glob("*.ipynb")):
            refs[path.name] = Reference.from_path(path, aid)
        if refs:
            out[aid] = refs
    return out


def scan_course(root, assignments=None, students=None, source_dir="solutions",
                submitted_dir="submitted"):
    """Scan every submission under ``root/submitted``.

    Returns (flags, problems, scanned) where problems are (student, notebook, text)
    and scanned counts the (student, assignment) pairs read.
    """
    root = Path(root)
    if assignments is None:
        assignments = sorted(p.name for p in (root / source_dir).iterdir() if p.is_dir())
    references = load_references(root / source_dir, assignments)
    flags, problems, scanned = [], [], 0
    sub_root = root / submitted_dir
    if not sub_root.is_dir():
        return flags, problems, scanned
    for student_dir in sorted(p for p in sub_root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if students and student_dir.name not in students:
            continue
        for aid, refs in references.items():
            folder = student_dir / aid
            if not folder.is_dir():
                continue
            scanned += 1
            f, p = scan_submission(folder, refs, student_dir.name, aid)
            flags.extend(f)
            problems.extend((student_dir.name, label, text) for label, text in p)
    return flags, problems, scanned

