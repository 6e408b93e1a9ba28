# exercise: neuron
# kind: variant
# family: other
# hint: -
# about: sum over a generator expression
def neuron(x, w, b):
    return float(sum(xi * wi for xi, wi in zip(x, w)) + b)
