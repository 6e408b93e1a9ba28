# exercise: neuron_vectorised
# kind: variant
# family: other
# hint: -
# about: np.einsum over the shared index
def neuron_vectorised(x, w, b):
    return float(np.einsum("i,i->", np.asarray(x, dtype=float), np.asarray(w, dtype=float)) + b)
