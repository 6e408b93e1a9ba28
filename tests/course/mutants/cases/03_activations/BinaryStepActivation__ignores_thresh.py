# exercise: BinaryStepActivation
# kind: mutant
# family: other/parameter ignored
# hint: self.thresh
# about: compares with 0
class BinaryStepActivation:
    def __init__(self, thresh=0.0):
        self.thresh = thresh

    def forward(self, Z):
        return (Z > 0).astype(float)

    def backward(self, dA):
        return np.zeros_like(dA)
