# exercise: neuron_vectorised
# kind: mutant
# family: other/int for int inputs
# hint: convert the result with float
# about: np.dot of integer inputs is an integer
def neuron_vectorised(x, w, b):
    return np.dot(x, w) + b
