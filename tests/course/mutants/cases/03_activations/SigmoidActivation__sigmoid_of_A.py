# exercise: SigmoidActivation
# kind: mutant
# family: calculus/derivative from A as if it were Z
# hint: applied twice
# about: backward applies sigmoid to the cached output again
class SigmoidActivation:
    def _sigmoid(self, Z):
        E = np.exp(-np.abs(Z))
        return np.where(Z >= 0, 1 / (1 + E), E / (1 + E))

    def forward(self, Z):
        self.A = self._sigmoid(Z)
        return self.A

    def backward(self, dA):
        s = self._sigmoid(self.A)
        return dA * s * (1 - s)
