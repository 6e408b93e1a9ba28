# exercise: SoftMaxActivation
# kind: mutant
# family: calculus/softmax Jacobian
# hint: each row
# about: backward sums over the batch
class SoftMaxActivation:
    def forward(self, Z):
        E = np.exp(Z - Z.max(axis=1, keepdims=True))
        self.A = E / E.sum(axis=1, keepdims=True)
        return self.A

    def backward(self, dA):
        return self.A * (dA - (dA * self.A).sum(axis=0, keepdims=True))
