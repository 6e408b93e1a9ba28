# exercise: LeakyReLUActivation
# kind: variant
# family: other
# hint: -
# about: np.maximum(b * Z, a * Z) (right for a >= b)
class LeakyReLUActivation:
    def __init__(self, a=1.0, b=0.01):
        self.a = a
        self.b = b

    def forward(self, Z):
        self.Z = Z
        return np.maximum(self.b * Z, self.a * Z)

    def backward(self, dA):
        slope = np.full_like(dA, self.b)
        slope[self.Z > 0] = self.a
        return dA * slope
