# exercise: LeakyReLUActivation
# kind: variant
# family: other
# hint: -
# about: scales a copy in place
class LeakyReLUActivation:
    def __init__(self, a=1.0, b=0.01):
        self.a = a
        self.b = b

    def forward(self, Z):
        self.positive = Z > 0
        A = Z.copy()
        A[self.positive] *= self.a
        A[~self.positive] *= self.b
        return A

    def backward(self, dA):
        return np.where(self.positive, self.a * dA, self.b * dA)
