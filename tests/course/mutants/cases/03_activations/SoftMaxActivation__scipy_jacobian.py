# exercise: SoftMaxActivation
# kind: variant
# family: other
# hint: -
# about: scipy.special.softmax and the full Jacobian through np.einsum
from scipy.special import softmax


class SoftMaxActivation:
    def forward(self, Z):
        self.A = softmax(Z, axis=1)
        return self.A

    def backward(self, dA):
        A = self.A
        n = A.shape[1]
        jacobians = np.einsum("mi,ij->mij", A, np.eye(n)) - np.einsum("mi,mj->mij", A, A)
        return np.einsum("mij,mj->mi", jacobians, dA)
