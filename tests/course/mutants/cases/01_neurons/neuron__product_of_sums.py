# exercise: neuron
# kind: mutant
# family: other/sum of products
# hint: products x_i * w_i
# about: sum(x) * sum(w) + b
def neuron(x, w, b):
    return float(sum(x) * sum(w) + b)
