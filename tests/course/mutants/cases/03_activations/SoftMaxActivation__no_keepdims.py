# exercise: SoftMaxActivation
# kind: mutant
# family: shapes/missing keepdims
# hint: keepdims
# about: Z.max(axis=1) without keepdims
class SoftMaxActivation:
    def forward(self, Z):
        E = np.exp(Z - Z.max(axis=1))
        self.A = E / E.sum(axis=1)
        return self.A

    def backward(self, dA):
        return self.A * (dA - (dA * self.A).sum(axis=1))
