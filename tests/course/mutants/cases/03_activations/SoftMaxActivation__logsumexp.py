# exercise: SoftMaxActivation
# kind: variant
# family: other
# hint: -
# about: log-sum-exp, then one exp
class SoftMaxActivation:
    def forward(self, Z):
        m = Z.max(axis=1, keepdims=True)
        log_norm = m + np.log(np.sum(np.exp(Z - m), axis=1, keepdims=True))
        self.A = np.exp(Z - log_norm)
        return self.A

    def backward(self, dA):
        inner = np.sum(dA * self.A, axis=1, keepdims=True)
        return self.A * (dA - inner)
