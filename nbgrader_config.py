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

# Honest solutions finish in a few seconds; the training notebook is the slowest.
# A generous per-cell timeout keeps slow learner machines from losing marks, while
# an infinite loop still ends.
c.Execute.timeout = 120
c.Execute.interrupt_on_timeout = True

# A learner who deletes a graded test cell must not escape it.
c.OverwriteCells.add_missing_cells = True
c.CheckCellMetadata.enabled = True

# Released notebooks: nbgrader's stub text for removed solutions.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
