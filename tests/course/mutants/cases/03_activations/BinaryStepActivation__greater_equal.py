# exercise: BinaryStepActivation
# kind: mutant
# family: activations/step < vs <=
# hint: z == thresh
# about: 1 where Z >= thresh
class BinaryStepActivation:
    def __init__(self, thresh=0.0):
        self.thresh = thresh

    def forward(self, Z):
        return np.where(Z >= self.thresh, 1.0, 0.0)

    def backward(self, dA):
        return np.zeros_like(dA)
