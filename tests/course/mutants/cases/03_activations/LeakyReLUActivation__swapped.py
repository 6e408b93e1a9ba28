# exercise: LeakyReLUActivation
# kind: mutant
# family: activations/leaky a and b swapped
# hint: swapped
# about: b * Z for Z > 0 and a * Z below
class LeakyReLUActivation:
    def __init__(self, a=1.0, b=0.01):
        self.a = a
        self.b = b

    def forward(self, Z):
        self.Z = Z
        return np.where(Z > 0, self.b * Z, self.a * Z)

    def backward(self, dA):
        return dA * np.where(self.Z > 0, self.b, self.a)
