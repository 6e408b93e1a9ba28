# exercise: LeakyReLUActivation
# kind: mutant
# family: other/parameter ignored
# hint: self.b
# about: 0.01 hard-coded
class LeakyReLUActivation:
    def __init__(self, a=1.0, b=0.01):
        self.a = a
        self.b = b

    def forward(self, Z):
        self.Z = Z
        return np.where(Z > 0, self.a * Z, 0.01 * Z)

    def backward(self, dA):
        return dA * np.where(self.Z > 0, self.a, 0.01)
