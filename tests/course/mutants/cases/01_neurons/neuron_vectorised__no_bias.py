# exercise: neuron_vectorised
# kind: mutant
# family: other/bias missing
# hint: bias b is missing
# about: np.dot without the bias
def neuron_vectorised(x, w, b):
    return float(np.dot(x, w))
