# exercise: SoftMaxActivation
# kind: mutant
# family: activations/softmax over the whole batch
# hint: whole batch
# about: one normalisation for all entries
class SoftMaxActivation:
    def forward(self, Z):
        E = np.exp(Z - Z.max())
        self.A = E / E.sum()
        return self.A

    def backward(self, dA):
        return self.A * (dA - (dA * self.A).sum(axis=1, keepdims=True))
