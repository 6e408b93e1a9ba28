# exercise: neuron
# kind: mutant
# family: other/int for int inputs
# hint: convert the result with float
# about: integer inputs give an int, not a float
def neuron(x, w, b):
    total = 0
    for i in range(len(x)):
        total = total + x[i] * w[i]
    return total + b
