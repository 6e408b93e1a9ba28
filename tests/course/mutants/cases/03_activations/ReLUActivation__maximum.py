# exercise: ReLUActivation
# kind: variant
# family: other
# hint: -
# about: np.maximum, derivative from the output A
class ReLUActivation:
    def __init__(self, a=1.0):
        self.a = a

    def forward(self, Z):
        self.A = self.a * np.maximum(Z, 0)
        return self.A

    def backward(self, dA):
        return dA * self.a * (self.A > 0)
