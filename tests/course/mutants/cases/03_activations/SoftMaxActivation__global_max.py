# exercise: SoftMaxActivation
# kind: mutant
# family: activations/softmax max of the whole batch
# hint: own max
# about: subtracts the max of the whole array
class SoftMaxActivation:
    def forward(self, Z):
        E = np.exp(Z - np.max(Z))
        self.A = E / E.sum(axis=1, keepdims=True)
        return self.A

    def backward(self, dA):
        return self.A * (dA - (dA * self.A).sum(axis=1, keepdims=True))
