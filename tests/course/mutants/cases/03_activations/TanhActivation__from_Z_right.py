# exercise: TanhActivation
# kind: variant
# family: other
# hint: -
# about: caches Z and recomputes tanh in backward
class TanhActivation:
    def forward(self, Z):
        self.Z = Z
        return np.tanh(Z)

    def backward(self, dA):
        return dA / np.cosh(np.clip(self.Z, -300, 300)) ** 2
