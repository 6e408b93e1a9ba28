"""nbgrader configuration for this course (the repository root is the course root).

`solutions/<id>/<id>.ipynb` are the instructor sources; `nbgrader generate_assignment
<id> --force` writes the learner releases to `notebooks/<id>/<id>.ipynb`.
"""
import os

c = get_config()  # noqa: F821  (injected by traitlets when nbgrader loads this file)

c.CourseDirectory.course_id = "nn-from-scratch"
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "notebooks"

# Per-cell time limit when grading. The slowest cell of an honest notebook takes under
# 2 s on a 2-core machine, so 60 s leaves a slow but correct answer plenty of room,
# while an endless loop costs one minute per test cell that calls it, not more
# (a loop that swallows the interrupt makes that submission fail; make autograde
# reports it and goes on).
c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True
# Stop each notebook's kernel at once when it is done, instead of a graceful shutdown
# that waits for it: nothing in a grading kernel needs saving, and it saves about
# 0.8 s per notebook.
c.Execute.shutdown_kernel = "immediate"

# A learner who deletes a graded test cell must not escape it.
c.OverwriteCells.add_missing_cells = True
c.CheckCellMetadata.enabled = True

# Released notebooks: nbgrader's stub text for removed solutions.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
