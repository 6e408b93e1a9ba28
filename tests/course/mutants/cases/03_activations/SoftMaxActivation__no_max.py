# exercise: SoftMaxActivation
# kind: mutant
# family: activations/softmax without the max
# hint: row's own max
# about: no max subtracted: overflows for 1e4
class SoftMaxActivation:
    def forward(self, Z):
        E = np.exp(Z)
        self.A = E / E.sum(axis=1, keepdims=True)
        return self.A

    def backward(self, dA):
        return self.A * (dA - (dA * self.A).sum(axis=1, keepdims=True))
