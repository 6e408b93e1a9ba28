"""The course manifest: its assignments, their graded exercises and points, and its layout.

docs/contract.md is the prose of the same contract; this module is the one place
code reads it from. The graders, the tests and the benchmarks take the assignment
ids, the exercise names and the notebook paths from here.
"""
from pathlib import Path

from . import notebook

__all__ = [
    "REPO", "SOURCE_DIR", "RELEASE_DIR", "NBGRADER_CONFIG", "ASSIGNMENTS", "EXERCISES",
    "VALUE_EXERCISES", "EXERCISE_PAIRS", "PACKAGES", "notebook_relpath", "notebook_path", "source_path",
    "release_path", "exercise_points",
]

#: The repository root, which is also the nbgrader course root.
REPO = Path(__file__).resolve().parents[1]
SOURCE_DIR = "solutions"   # nbgrader's source directory: solutions and hidden tests
RELEASE_DIR = "notebooks"  # nbgrader's release directory: what learners open
NBGRADER_CONFIG = REPO / "nbgrader_config.py"

#: Assignment ids in teaching order.
ASSIGNMENTS = (
    "01_neurons",
    "02_linear_layer",
    "03_activations",
    "04_loss",
    "05_backprop",
    "06_training",
)

#: The graded exercises of each assignment, in notebook order. Each is the grade_id
#: of one answer cell and the one name that cell defines; its test cells have
#: grade_ids that start with ``test_<name>``.
EXERCISES = {
    "01_neurons": ("neuron", "neuron_vectorised", "brain_to_ann"),
    "02_linear_layer": ("add_bias_column", "linear_forward", "LinearLayer", "matmul_slower_than_loops"),
    "03_activations": (
        "IdentityActivation", "LinearActivation", "SigmoidActivation", "TanhActivation",
        "BinaryStepActivation", "ReLUActivation", "LeakyReLUActivation", "SoftMaxActivation",
        "bounded_0_1_activation", "unbounded_activation",
    ),
    "04_loss": ("one_hot", "categorical_crossentropy", "crossentropy_gradient",
                "softmax_crossentropy_gradient"),
    "05_backprop": ("linear_backward", "numerical_gradient", "relative_error", "sgd_step"),
    "06_training": ("NeuralNet",),
}

#: Exercises answered with a plain value (dict, bool, str), not a function or class:
#: the lesson's questions, whose answers live in :mod:`nncourse.quiz`, not in nnlib.
VALUE_EXERCISES = frozenset({
    "brain_to_ann", "matmul_slower_than_loops", "bounded_0_1_activation", "unbounded_activation",
})

#: (assignment, exercise) pairs in teaching order.
EXERCISE_PAIRS = tuple((aid, name) for aid in ASSIGNMENTS for name in EXERCISES[aid])

#: The packages a graded notebook imports from this repository (the grading
#: sandbox makes exactly these visible to learner code).
PACKAGES = ("nnlib", "nncourse")


def notebook_relpath(kind, aid):
    """'solutions/01_neurons/01_neurons.ipynb' (``kind`` is SOURCE_DIR or RELEASE_DIR)."""
    return f"{kind}/{aid}/{aid}.ipynb"


def notebook_path(kind, aid, root=REPO):
    """The notebook of an assignment under a course root."""
    return Path(root) / notebook_relpath(kind, aid)


def source_path(aid, root=REPO):
    """The source notebook of an assignment (solutions and hidden tests)."""
    return notebook_path(SOURCE_DIR, aid, root)


def release_path(aid, root=REPO):
    """The released notebook of an assignment."""
    return notebook_path(RELEASE_DIR, aid, root)


def exercise_points(aid, root=REPO):
    """{exercise: points} of an assignment, summed over its test cells in the source notebook."""
    nb = notebook.read(source_path(aid, root))
    return {name: sum(notebook.points(cell) for cell in cells)
            for name, cells in notebook.tests_by_exercise(nb, EXERCISES[aid]).items()}
