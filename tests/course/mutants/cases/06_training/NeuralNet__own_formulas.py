# exercise: NeuralNet
# kind: variant
# family: other
# hint: -
# about: np.unique(return_inverse=True), own one-hot, loss and update, np.take in predict
class NeuralNet:
    def __init__(self, layers, lr=0.1, epochs=1000):
        self.layers = layers
        self.lr = lr
        self.epochs = epochs

    def predict_proba(self, X):
        out = np.asarray(X, dtype=float)
        for layer in self.layers:
            out = layer.forward(out)
        return out

    def fit(self, X, y):
        self.classes_, codes = np.unique(np.asarray(y), return_inverse=True)
        Y = np.eye(len(self.classes_))[codes]
        m = len(codes)
        self.loss_curve_ = []
        for epoch in range(self.epochs):
            P = self.predict_proba(X)
            picked = np.clip(P[np.arange(m), codes], 1e-7, 1 - 1e-7)
            self.loss_curve_.append(float(-np.log(picked).mean()))
            grad = (P - Y) / m
            out_layer = self.layers[-1]
            out_layer.dW = out_layer.A_prev.T @ grad
            out_layer.db = grad.sum(axis=0, keepdims=True)
            grad = grad @ out_layer.W.T
            for layer in self.layers[-2::-1]:
                grad = layer.backward(grad)
            for layer in self.layers:
                layer.W -= self.lr * layer.dW
                layer.b -= self.lr * layer.db
        return self

    def predict(self, X):
        return np.take(self.classes_, self.predict_proba(X).argmax(axis=1))
