# exercise: SigmoidActivation
# kind: mutant
# family: calculus/derivative from Z instead of A
# hint: computed from z
# about: backward uses Z * (1 - Z)
class SigmoidActivation:
    def forward(self, Z):
        self.Z = Z
        E = np.exp(-np.abs(Z))
        return np.where(Z >= 0, 1 / (1 + E), E / (1 + E))

    def backward(self, dA):
        return dA * self.Z * (1 - self.Z)
