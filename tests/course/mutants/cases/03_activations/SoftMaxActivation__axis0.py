# exercise: SoftMaxActivation
# kind: mutant
# family: activations/softmax wrong axis
# hint: each row
# about: normalises the columns
class SoftMaxActivation:
    def forward(self, Z):
        E = np.exp(Z - Z.max(axis=0, keepdims=True))
        self.A = E / E.sum(axis=0, keepdims=True)
        return self.A

    def backward(self, dA):
        return self.A * (dA - (dA * self.A).sum(axis=1, keepdims=True))
