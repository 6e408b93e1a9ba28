"""nnlib.NeuralNet against its floors and its peers, side by side in one process.

Peers: scikit-learn's MLPClassifier and, when installed, torch on the CPU in
float64. All get the same data, architecture (ReLU hidden layers, softmax
output), optimiser (plain SGD: momentum 0, no L2, no early stopping, no
tolerance stop), learning rate, batch size and epoch count.

The floors: the same shapes' matrix products alone, in the same dtype (the
GEMM-only floor of an epoch), and for prediction the forward products into
preallocated outputs.

Every time is the median of 5 runs after one warm-up run, the runs of all
contenders interleaved (a, b, c, a, b, c, ...) so that a change in machine
load hits them alike; the fastest run is printed too, and the load average
before and after. The 5 runs of iris and digits use random_state 0..4, so the
accuracies are medians over initialisations too. Nothing here asserts a time.

    .venv/bin/python benchmarks/bench_nnlib.py            # all cases
    .venv/bin/python benchmarks/bench_nnlib.py --quick    # skip the 60000x784 case
"""
import argparse
import os
import statistics
import sys
import time
import tracemalloc
import warnings

import numpy as np
from sklearn.datasets import load_digits, load_iris
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

from nnlib import NeuralNet

try:  # optional, as in tests/test_torch_parity.py
    import torch
except ImportError:
    torch = None

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


def torch_fit(hidden, lr, batch_size, epochs):
    """A torch float64 CPU twin of the models: returns fit(X, y, seed) -> predict(X)."""

    def fit(X, y, seed):
        torch.manual_seed(seed)
        n_classes = int(y.max()) + 1
        dims = [X.shape[1], *hidden]
        mods = []
        for i, o in zip(dims, dims[1:]):
            mods += [torch.nn.Linear(i, o, dtype=torch.float64), torch.nn.ReLU()]
        net = torch.nn.Sequential(*mods, torch.nn.Linear(dims[-1], n_classes, dtype=torch.float64))
        opt = torch.optim.SGD(net.parameters(), lr=lr)
        loss_fn = torch.nn.CrossEntropyLoss()
        Xt, yt = torch.from_numpy(np.ascontiguousarray(X, dtype=np.float64)), torch.from_numpy(np.asarray(y))
        m = Xt.shape[0]
        batch = m if batch_size is None else batch_size
        for _ in range(epochs):
            order = torch.randperm(m) if batch < m else None
            for start in range(0, m, batch):
                idx = slice(None) if order is None else order[start:start + batch]
                opt.zero_grad(set_to_none=False)
                loss_fn(net(Xt[idx]), yt[idx]).backward()
                opt.step()

        def predict(X_new):
            with torch.no_grad():
                return net(torch.from_numpy(np.asarray(X_new, dtype=np.float64))).argmax(1).numpy()

        return predict

    return fit


def compare(name, X_train, X_test, y_train, y_test, hidden, lr, batch_size, epochs):
    """Median fit time and median test accuracy of nnlib, scikit-learn (and torch)
    over REPEATS interleaved runs with random_state 0, 1, ... (after a warm-up)."""
    models = list(make_models(hidden, lr, batch_size, epochs))
    names = ["nnlib", "sklearn"]
    if torch is not None:
        models.append(torch_fit(hidden, lr, batch_size, epochs))
        names.append("torch")
    scores = [[] for _ in models]

    def fitter(k):
        runs = [-1]  # -1 is the warm-up; timed runs use random_state 0, 1, ...

        def run():
            seed = max(runs[0], 0)
            if names[k] == "torch":
                predict = models[k](X_train, y_train, seed)
                score = np.mean(predict(X_test) == y_test)
            else:
                models[k].set_params(random_state=seed).fit(X_train, y_train)
                score = models[k].score(X_test, y_test)
            if runs[0] >= 0:
                scores[k].append(score)
            runs[0] += 1

        return run

    best = []
    times = median_times(*(fitter(k) for k in range(len(models))), fastest=best)
    accs = [statistics.median(s) for s in scores]
    print(f"{name}")
    for label, t, b, acc in zip(names, times, best, accs):
        print(f"  {label:8s}{t:8.3f} s (fastest {b:.3f})   accuracy {acc:.4f}")
    print(f"  ratio nnlib/sklearn {times[0] / times[1]:.3f} (fastest {best[0] / best[1]:.3f})   "
          f"accuracy difference {accs[0] - accs[1]:+.4f}")
    if torch is not None:
        print(f"  ratio nnlib/torch {times[0] / times[2]:.3f}")
    return times, accs


def scaled_split(X, y, seed=0):
    """A 75/25 split (iris: the lesson's, seed 42), standardised on the training part."""
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=seed)
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test


def gemm_floor(X, sizes, batch_size, rng):
    """Return a function that runs one epoch of only the matrix products that SGD on this MLP needs,
    with weights of X's dtype: the forward X @ W per layer, dW = A_prev.T @ dZ per layer and
    dA_prev = dZ @ W.T for every layer but the first."""
    Ws = [(rng.standard_normal((i, o)) * 0.01).astype(X.dtype) for i, o in zip(sizes, sizes[1:])]
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


def forward_floor(X, sizes, rng):
    """Return a function that runs only the forward matrix products of prediction on all of X,
    into preallocated outputs (so that not even page faults count)."""
    Ws = [(rng.standard_normal((i, o)) * 0.01).astype(X.dtype) for i, o in zip(sizes, sizes[1:])]
    outs = [np.empty((X.shape[0], o), dtype=X.dtype) for o in sizes[1:]]

    def forward():
        A = X
        for W, out in zip(Ws, outs):
            A = np.matmul(A, W, out=out)

    return forward


def peak_memory(fn):
    """Peak memory that numpy and Python allocate while fn runs (tracemalloc)."""
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def load():
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def large_case(torch_too):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60000, 784))
    X32 = X.astype(np.float32)
    y = rng.integers(0, 10, 60000)
    sizes, hidden, lr, batch = [784, 256, 128, 10], (256, 128), 0.01, 128

    def nn(**kw):
        return NeuralNet(hidden_layer_sizes=hidden, activation="relu", lr=lr, batch_size=batch, epochs=1,
                         optimizer="sgd", random_state=0, **kw)

    fitted = nn().fit(X, y)
    _, sk = make_models(hidden, lr, batch, 1)
    runs = {
        "nnlib, defaults (standardize=True)": lambda: nn().fit(X, y),
        "nnlib, standardize=False": lambda: nn(standardize=False).fit(X, y),
        "nnlib, float32 X (defaults)": lambda: nn().fit(X32, y),
        "GEMM-only floor, float64": gemm_floor(X, sizes, batch, rng),
        "GEMM-only floor, float32": gemm_floor(X32, sizes, batch, rng),
        "sklearn (standardize=False)": lambda: sk.fit(X, y),
        "nnlib predict_proba, 60000 rows": lambda: fitted.predict_proba(X),
        "forward-only GEMM floor": forward_floor(X, sizes, rng),
    }
    if torch_too:
        runs["torch float64 (no standardisation)"] = lambda: torch_fit(hidden, lr, batch, 1)(X, y, 0)
    best = []
    times = dict(zip(runs, median_times(*runs.values(), fastest=best)))
    fastest = dict(zip(runs, best))
    print("random 60000x784, 784-256-128-10, batch 128, 1 epoch, plain SGD")
    for name, t in times.items():
        print(f"  {name:38s}{t:8.3f} s   fastest {fastest[name]:.3f} s")
    ratios = [
        ("defaults / floor64", "nnlib, defaults (standardize=True)", "GEMM-only floor, float64", 1.3),
        ("standardize=False / floor64", "nnlib, standardize=False", "GEMM-only floor, float64", 1.25),
        ("float32 / floor32", "nnlib, float32 X (defaults)", "GEMM-only floor, float32", 1.3),
        ("predict_proba / forward floor", "nnlib predict_proba, 60000 rows", "forward-only GEMM floor", 1.3),
        ("standardize=False / sklearn", "nnlib, standardize=False", "sklearn (standardize=False)", None),
    ]
    if torch_too:
        ratios.append(("standardize=False / torch", "nnlib, standardize=False", "torch float64 (no standardisation)", None))
    print(f"  {'ratio':32s}{'median':>8s}{'fastest':>9s}   target")
    for label, a, b, target in ratios:
        goal = f"<= {target}" if target else ""
        print(f"  {label:32s}{times[a] / times[b]:8.3f}{fastest[a] / fastest[b]:9.3f}   {goal}")
    peak = peak_memory(lambda: nn().fit(X, y))
    print(f"  peak extra memory of fit (defaults, float64 C-contiguous X): {peak / 2**20:.1f} MiB "
          f"= {peak / X.nbytes:.3f} x X.nbytes   target <= 0.25")


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
    peers = "scikit-learn" + (f", torch {torch.__version__}" if torch is not None else " (torch not installed)")
    print(f"numpy {np.__version__}, BLAS: {blas}; {peers}; median of {REPEATS} runs after a warm-up")
    print(f"before: {load()}\n")

    X, y = load_iris(return_X_y=True)
    Xtr, Xte, ytr, yte = scaled_split(X, y, seed=42)
    compare("iris 4-16-3, full batch, 1000 epochs, lr 0.1", Xtr, Xte, ytr, yte,
            (16,), 0.1, len(Xtr), 1000)
    print("  target: ratio nnlib/sklearn <= 0.3, accuracy within one test sample\n")

    X, y = load_digits(return_X_y=True)
    Xtr, Xte, ytr, yte = scaled_split(X, y)
    compare("digits 64-128-64-10, batch 64, 50 epochs, lr 0.05", Xtr, Xte, ytr, yte,
            (128, 64), 0.05, 64, 50)
    print("  target: ratio nnlib/sklearn <= 0.5, accuracy within 0.01\n")

    if not args.quick:
        large_case(torch is not None)
    print(f"\nafter: {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
