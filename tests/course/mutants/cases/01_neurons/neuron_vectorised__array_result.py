# exercise: neuron_vectorised
# kind: mutant
# family: shapes/array instead of a number
# hint: single number
# about: a (1,) array instead of a float
def neuron_vectorised(x, w, b):
    return np.dot(np.reshape(x, (1, -1)), w) + b
