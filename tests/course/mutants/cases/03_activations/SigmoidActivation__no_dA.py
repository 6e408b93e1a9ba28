# exercise: SigmoidActivation
# kind: mutant
# family: calculus/f' without dA
# hint: multiply by da
# about: backward returns A * (1 - A)
class SigmoidActivation:
    def forward(self, Z):
        E = np.exp(-np.abs(Z))
        self.A = np.where(Z >= 0, 1 / (1 + E), E / (1 + E))
        return self.A

    def backward(self, dA):
        return self.A * (1 - self.A)
