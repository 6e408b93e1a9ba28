# exercise: SoftMaxActivation
# kind: variant
# family: other
# hint: -
# about: a loop over rows
class SoftMaxActivation:
    def forward(self, Z):
        A = np.empty_like(Z)
        for i, row in enumerate(Z):
            e = np.exp(row - row.max())
            A[i] = e / e.sum()
        self.A = A
        return A

    def backward(self, dA):
        dZ = np.empty_like(dA)
        for i in range(len(dA)):
            a = self.A[i]
            dZ[i] = (np.diag(a) - np.outer(a, a)) @ dA[i]
        return dZ
