# exercise: NeuralNet
# kind: mutant
# family: other/parameter ignored
# hint: self.lr
# about: always lr = 0.1
class NeuralNet:
    def __init__(self, layers, lr=0.1, epochs=1000):
        self.layers = layers
        self.lr = lr
        self.epochs = epochs

    def predict_proba(self, X):
        A = np.asarray(X, dtype=float)
        for layer in self.layers:
            A = layer.forward(A)
        return A

    def fit(self, X, y):
        X = np.asarray(X, dtype=float)
        self.classes_ = np.unique(y)
        Y = nnlib.one_hot(np.searchsorted(self.classes_, y), len(self.classes_))
        last = self.layers[-1]
        self.loss_curve_ = []
        for _ in range(self.epochs):
            P = self.predict_proba(X)
            self.loss_curve_.append(float(np.mean(nnlib.categorical_crossentropy(Y, P))))
            dZ = nnlib.softmax_crossentropy_gradient(Y, P)
            last.dW = last.A_prev.T @ dZ
            last.db = dZ.sum(axis=0, keepdims=True)
            dA = dZ @ last.W.T
            for layer in reversed(self.layers[:-1]):
                dA = layer.backward(dA)
            for layer in self.layers:
                nnlib.sgd_step(layer, 0.1)
        return self

    def predict(self, X):
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
