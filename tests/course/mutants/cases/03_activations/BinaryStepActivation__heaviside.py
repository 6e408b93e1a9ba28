# exercise: BinaryStepActivation
# kind: variant
# family: other
# hint: -
# about: np.heaviside with 0 at the threshold
class BinaryStepActivation:
    def __init__(self, thresh=0.0):
        self.thresh = thresh

    def forward(self, Z):
        return np.heaviside(Z - self.thresh, 0.0)

    def backward(self, dA):
        return 0.0 * dA
