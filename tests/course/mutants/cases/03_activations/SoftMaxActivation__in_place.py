# exercise: SoftMaxActivation
# kind: mutant
# family: shapes/mutated input array
# hint: changed by the call
# about: Z -= Z.max(...) on the caller's array
class SoftMaxActivation:
    def forward(self, Z):
        Z -= Z.max(axis=1, keepdims=True)
        E = np.exp(Z)
        self.A = E / E.sum(axis=1, keepdims=True)
        return self.A

    def backward(self, dA):
        return self.A * (dA - (dA * self.A).sum(axis=1, keepdims=True))
