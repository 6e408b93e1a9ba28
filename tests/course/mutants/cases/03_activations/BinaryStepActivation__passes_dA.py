# exercise: BinaryStepActivation
# kind: mutant
# family: calculus/derivative 1
# hint: derivative is 0
# about: backward returns dA
class BinaryStepActivation:
    def __init__(self, thresh=0.0):
        self.thresh = thresh

    def forward(self, Z):
        return (Z > self.thresh).astype(float)

    def backward(self, dA):
        return dA
