# exercise: neuron
# kind: mutant
# family: other/return inside the loop
# hint: only the first input
# about: return indented into the loop body
def neuron(x, w, b):
    total = 0.0
    for x_i, w_i in zip(x, w):
        total += x_i * w_i
        return float(total + b)
