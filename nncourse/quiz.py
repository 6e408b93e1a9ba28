"""The answers to the lesson's questions: course content, not library code.

Each is the value one graded answer cell defines (see :mod:`nncourse.manifest`,
``VALUE_EXERCISES``); the instructor's solutions and the tests read them here.
"""

__all__ = ["brain_to_ann", "matmul_slower_than_loops", "bounded_0_1_activation",
           "unbounded_activation"]

#: 01_neurons: the biological neuron's parts and their artificial counterparts.
brain_to_ann = {
    "synapse": "weight",
    "dendrite": "input",
    "soma": "node",
    "axon": "output",
}

#: 02_linear_layer, "Matrix multiplication is slower than for-loop multiplication ...":
#: false. One BLAS call beats an interpreted loop by orders of magnitude.
matmul_slower_than_loops = False

#: 03_activations: the activation whose outputs lie strictly between 0 and 1.
bounded_0_1_activation = "sigmoid"

#: 03_activations: an activation with no upper bound on its output.
unbounded_activation = "relu"
