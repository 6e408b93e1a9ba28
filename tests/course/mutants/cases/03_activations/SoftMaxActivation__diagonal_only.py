# exercise: SoftMaxActivation
# kind: mutant
# family: calculus/softmax Jacobian
# hint: diagonal
# about: backward as if softmax were elementwise
class SoftMaxActivation:
    def forward(self, Z):
        E = np.exp(Z - Z.max(axis=1, keepdims=True))
        self.A = E / E.sum(axis=1, keepdims=True)
        return self.A

    def backward(self, dA):
        return dA * self.A * (1 - self.A)
