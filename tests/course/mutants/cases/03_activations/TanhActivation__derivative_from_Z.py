# exercise: TanhActivation
# kind: mutant
# family: calculus/derivative from Z instead of A
# hint: computed from z
# about: backward uses 1 - Z**2
class TanhActivation:
    def forward(self, Z):
        self.Z = Z
        return np.tanh(Z)

    def backward(self, dA):
        return dA * (1 - self.Z ** 2)
