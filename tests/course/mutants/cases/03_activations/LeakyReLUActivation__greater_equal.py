# exercise: LeakyReLUActivation
# kind: mutant
# family: activations/leaky < vs <=
# hint: slope is b
# about: slope a at Z = 0
class LeakyReLUActivation:
    def __init__(self, a=1.0, b=0.01):
        self.a = a
        self.b = b

    def forward(self, Z):
        self.Z = Z
        return np.where(Z >= 0, self.a * Z, self.b * Z)

    def backward(self, dA):
        return dA * np.where(self.Z >= 0, self.a, self.b)
