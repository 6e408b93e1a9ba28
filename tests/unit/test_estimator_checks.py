"""scikit-learn's own estimator checks, all of them, none expected to fail."""
from sklearn.utils.estimator_checks import parametrize_with_checks

from nnlib import NeuralNet


@parametrize_with_checks([NeuralNet(epochs=200, random_state=0)])
def test_sklearn_compatible(estimator, check):
    check(estimator)
