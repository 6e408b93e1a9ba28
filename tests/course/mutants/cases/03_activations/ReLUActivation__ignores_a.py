# exercise: ReLUActivation
# kind: mutant
# family: other/parameter ignored
# hint: slope self.a
# about: np.maximum(Z, 0) without a
class ReLUActivation:
    def __init__(self, a=1.0):
        self.a = a

    def forward(self, Z):
        self.Z = Z
        return np.maximum(Z, 0)

    def backward(self, dA):
        return dA * (self.Z > 0)
