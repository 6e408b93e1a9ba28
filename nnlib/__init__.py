"""nnlib: the reference solution of *Neural Networks from Scratch*.

A small numpy neural-network library: activations and linear layers as
forward/backward pairs, cross-entropy, optimisers, gradient checking and a
scikit-learn compatible `NeuralNet` classifier. Every graded function and class
exercise of the course has its counterpart here under the same name; the course
itself (checks, widgets, the answers to the lesson's questions) is the package
``nncourse``, which builds on this one and is never imported by it.
"""
from .activations import (
    ACTIVATIONS,
    Activation,
    BinaryStepActivation,
    IdentityActivation,
    LeakyReLUActivation,
    LinearActivation,
    ReLUActivation,
    SigmoidActivation,
    SoftMaxActivation,
    TanhActivation,
)
from .gradcheck import numerical_gradient, relative_error
from .layers import LinearLayer, add_bias_column, linear_backward, linear_forward
from .losses import (
    categorical_crossentropy,
    crossentropy_gradient,
    one_hot,
    softmax_crossentropy_gradient,
)
from .neurons import neuron, neuron_vectorised
from .optimizers import OPTIMIZERS, SGD, Adam, Momentum, Optimizer, sgd_step
from .plotting import PALETTE, plot_activation, plot_decision_boundary, plot_loss_curve

__version__ = "0.1.0"


def __getattr__(name):
    # NeuralNet needs scikit-learn, whose import takes over a second; load it
    # on first use so that notebooks that never train start quickly.
    if name == "NeuralNet":
        from .network import NeuralNet

        return NeuralNet
    raise AttributeError(f"module 'nnlib' has no attribute {name!r}")


__all__ = [
    "ACTIVATIONS", "Activation", "IdentityActivation", "LinearActivation", "SigmoidActivation",
    "TanhActivation", "BinaryStepActivation", "ReLUActivation", "LeakyReLUActivation",
    "SoftMaxActivation", "LinearLayer", "add_bias_column", "linear_forward", "linear_backward",
    "one_hot", "categorical_crossentropy", "crossentropy_gradient", "softmax_crossentropy_gradient",
    "numerical_gradient", "relative_error", "sgd_step", "Optimizer", "SGD", "Momentum", "Adam",
    "OPTIMIZERS", "NeuralNet", "neuron", "neuron_vectorised",
    "PALETTE", "plot_activation", "plot_loss_curve", "plot_decision_boundary",
]
