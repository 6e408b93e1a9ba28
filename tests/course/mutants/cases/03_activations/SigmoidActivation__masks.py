# exercise: SigmoidActivation
# kind: variant
# family: other
# hint: -
# about: two stable branches filled through boolean masks
class SigmoidActivation:
    def forward(self, Z):
        A = np.empty_like(Z)
        pos = Z >= 0
        A[pos] = 1 / (1 + np.exp(-Z[pos]))
        E = np.exp(Z[~pos])
        A[~pos] = E / (1 + E)
        self.A = A
        return A

    def backward(self, dA):
        return dA * self.A * (1 - self.A)
