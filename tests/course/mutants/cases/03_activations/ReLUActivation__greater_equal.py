# exercise: ReLUActivation
# kind: mutant
# family: activations/ReLU < vs <=
# hint: use z > 0
# about: derivative 1 at Z = 0
class ReLUActivation:
    def __init__(self, a=1.0):
        self.a = a

    def forward(self, Z):
        self.Z = Z
        return np.where(Z >= 0, self.a * Z, 0.0)

    def backward(self, dA):
        return dA * np.where(self.Z >= 0, self.a, 0.0)
