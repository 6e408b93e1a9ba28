"""nnlib.NeuralNet against scikit-learn's MLPClassifier, side by side in one process.

Both get the same standardised data, architecture (ReLU hidden layers, softmax
output), optimiser (plain SGD: momentum 0, no L2, no early stopping, no
tolerance stop), learning rate, batch size and epoch count. Every figure is
the median of 5 runs after one warm-up run; the 5 runs use random_state 0..4,
so the accuracies are medians over initialisations too.

    .venv/bin/python benchmarks/bench_nnlib.py            # all three cases
    .venv/bin/python benchmarks/bench_nnlib.py --quick    # skip the 60000x784 case
"""
import argparse
import statistics
import sys
import time
import warnings

import numpy as np
from sklearn.datasets import load_digits, load_iris
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

from nnlib import NeuralNet

REPEATS = 5


def median_times(*fns, repeats=REPEATS, fastest=None):
    """Median wall time of each function. The runs are interleaved (a, b, c,
    a, b, c, ...) so that a change in machine load hits all of them alike.
    A list passed as `fastest` receives each function's fastest run."""
    for fn in fns:
        fn()  # warm-up: imports, BLAS thread pool, page faults
    times = [[] for _ in fns]
    for _ in range(repeats):
        for fn, bucket in zip(fns, times):
            start = time.perf_counter()
            fn()
            bucket.append(time.perf_counter() - start)
    if fastest is not None:
        fastest[:] = [min(bucket) for bucket in times]
    return [statistics.median(bucket) for bucket in times]


def make_models(hidden, lr, batch_size, epochs, seed=0):
    nn = NeuralNet(hidden_layer_sizes=hidden, activation="relu", lr=lr, batch_size=batch_size,
                   epochs=epochs, optimizer="sgd", standardize=False, random_state=seed)
    sk = MLPClassifier(hidden_layer_sizes=hidden, activation="relu", solver="sgd", learning_rate_init=lr,
                       learning_rate="constant", momentum=0.0, nesterovs_momentum=False, alpha=0.0,
                       batch_size=batch_size, max_iter=epochs, tol=0.0, n_iter_no_change=10**9,
                       early_stopping=False, shuffle=True, random_state=seed)
    return nn, sk


def compare(name, X_train, X_test, y_train, y_test, hidden, lr, batch_size, epochs):
    """Median fit time and median test accuracy of both models over REPEATS
    interleaved runs with random_state 0, 1, ... (after a warm-up)."""
    models = make_models(hidden, lr, batch_size, epochs)
    scores = [[] for _ in models]

    def fitter(k):
        runs = [-1]  # -1 is the warm-up; timed runs use random_state 0, 1, ...

        def run():
            models[k].set_params(random_state=max(runs[0], 0)).fit(X_train, y_train)
            if runs[0] >= 0:
                scores[k].append(models[k].score(X_test, y_test))
            runs[0] += 1

        return run

    t_nn, t_sk = median_times(fitter(0), fitter(1))
    acc_nn, acc_sk = statistics.median(scores[0]), statistics.median(scores[1])
    print(f"{name}")
    print(f"  nnlib   {t_nn:8.3f} s   accuracy {acc_nn:.4f}")
    print(f"  sklearn {t_sk:8.3f} s   accuracy {acc_sk:.4f}")
    print(f"  ratio nnlib/sklearn {t_nn / t_sk:.3f}   accuracy difference {acc_nn - acc_sk:+.4f}")
    return t_nn, t_sk


def scaled_split(X, y, seed=0):
    """A 75/25 split (iris: the lesson's, seed 42), standardised on the training part."""
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=seed)
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test


def gemm_floor(X, sizes, batch_size, rng):
    """Return a function that runs one epoch of only the matrix products that SGD on this MLP needs:
    the forward X @ W per layer, dW = A_prev.T @ dZ per layer and
    dA_prev = dZ @ W.T for every layer but the first."""
    Ws = [rng.standard_normal((i, o)) * 0.01 for i, o in zip(sizes, sizes[1:])]
    m = X.shape[0]

    def epoch():
        for start in range(0, m, batch_size):
            A = X[start:start + batch_size]
            acts = [A]
            for W in Ws:
                A = A @ W
                acts.append(A)
            dZ = acts[-1]
            for k in range(len(Ws) - 1, -1, -1):
                acts[k].T @ dZ
                if k > 0:
                    dZ = dZ @ Ws[k].T

    return epoch


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the large random-data case")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore", ConvergenceWarning)  # max_iter is the epoch budget here
    try:
        from threadpoolctl import threadpool_info

        blas = ", ".join(f"{i['internal_api']} {i.get('architecture', '')} x{i['num_threads']}" for i in threadpool_info())
    except Exception:  # threadpoolctl is optional for the figures
        blas = "unknown"
    print(f"numpy {np.__version__}, BLAS: {blas}; median of {REPEATS} runs after a warm-up\n")

    X, y = load_iris(return_X_y=True)
    Xtr, Xte, ytr, yte = scaled_split(X, y, seed=42)
    compare("iris 4-16-3, full batch, 1000 epochs, lr 0.1", Xtr, Xte, ytr, yte,
            (16,), 0.1, len(Xtr), 1000)
    print("  target: ratio <= 0.3\n")

    X, y = load_digits(return_X_y=True)
    Xtr, Xte, ytr, yte = scaled_split(X, y)
    compare("digits 64-128-64-10, batch 64, 50 epochs, lr 0.05", Xtr, Xte, ytr, yte,
            (128, 64), 0.05, 64, 50)
    print("  target: ratio <= 0.5\n")

    if args.quick:
        return 0
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60000, 784))
    y = rng.integers(0, 10, 60000)
    nn, sk = make_models((256, 128), 0.01, 128, 1)
    best = []
    t_nn, t_sk, t_gemm = median_times(lambda: nn.fit(X, y), lambda: sk.fit(X, y),
                                      gemm_floor(X, [784, 256, 128, 10], 128, rng), fastest=best)
    print("random 60000x784, 784-256-128-10, batch 128, 1 epoch, float64")
    print(f"  nnlib     {t_nn:8.3f} s")
    print(f"  sklearn   {t_sk:8.3f} s   ratio nnlib/sklearn {t_nn / t_sk:.3f}")
    print(f"  GEMM only {t_gemm:8.3f} s   ratio nnlib/GEMM-only {t_nn / t_gemm:.3f}")
    print(f"  fastest of {REPEATS}: nnlib {best[0]:.3f} s, sklearn {best[1]:.3f} s, GEMM only {best[2]:.3f} s, "
          f"nnlib/GEMM-only {best[0] / best[2]:.3f}")
    print("  target: nnlib/GEMM-only <= 1.3 (on the medians)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
