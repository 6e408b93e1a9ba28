# exercise: LinearActivation
# kind: variant
# family: other
# hint: -
# about: np.multiply
class LinearActivation:
    def __init__(self, a=1.0):
        self.a = a

    def forward(self, Z):
        return np.multiply(Z, self.a)

    def backward(self, dA):
        return np.multiply(dA, self.a)
