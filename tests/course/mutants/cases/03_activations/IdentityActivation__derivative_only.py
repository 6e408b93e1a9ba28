# exercise: IdentityActivation
# kind: mutant
# family: calculus/f' without dA
# hint: not f'(z) alone
# about: backward returns f'(Z) = ones
class IdentityActivation:
    def forward(self, Z):
        return Z

    def backward(self, dA):
        return np.ones_like(dA)
