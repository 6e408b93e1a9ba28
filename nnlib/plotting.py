"""Plots used across the course: activations, loss curves, decision regions.

Colours come from the Okabe–Ito palette, which stays distinguishable for
the common forms of colour blindness. Every plot has a title and axis labels.
"""
import numpy as np

__all__ = ["PALETTE", "plot_activation", "plot_loss_curve", "plot_decision_boundary"]

#: Okabe–Ito colour-blind-safe palette: seven hues, then black.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]


def _axes(ax, ncols=1, figsize=(5, 3.5)):
    import matplotlib.pyplot as plt

    if ax is not None:
        return ax
    _, axes = plt.subplots(1, ncols, figsize=figsize, constrained_layout=True)
    return axes


def plot_activation(activation, z=None, axes=None, label=None, color=None, linestyle="-"):
    """Plot ``f(z)`` and ``f'(z)`` side by side.

    Parameters
    ----------
    activation : Activation
        Anything with ``forward``/``backward``; ``f'`` is obtained from
        ``backward(ones)`` after ``forward(z)``, which is exactly what the
        chain rule uses (for softmax, the row-sum of the Jacobian, i.e. 0).
    z : array_like, optional
        Input grid, default ``linspace(-5, 5, 401)``.
    axes : pair of matplotlib Axes, optional

    Returns
    -------
    axes : pair of Axes
    """
    z = np.linspace(-5, 5, 401) if z is None else np.asarray(z, dtype=float)
    Z = z.reshape(-1, 1)
    name = label or type(activation).__name__
    if type(activation).__name__ == "SoftMaxActivation":
        # One softmax row over [z, 0]: the first component is the sigmoid of z.
        Z = np.column_stack([z, np.zeros_like(z)])
        A = activation.forward(Z)
        dA = np.zeros_like(A)
        dA[:, 0] = 1.0
        f, df = A[:, 0], activation.backward(dA)[:, 0]
        name += " (component 1 of [z, 0])"
    else:
        f = activation.forward(Z).ravel()
        df = activation.backward(np.ones_like(Z)).ravel()
    axes = _axes(axes, ncols=2, figsize=(9, 3.2))
    color = color or PALETTE[0]
    axes[0].plot(z, f, color=color, linestyle=linestyle, label=name)
    axes[1].plot(z, df, color=PALETTE[1] if color == PALETTE[0] else color, linestyle=linestyle, label=name)
    axes[0].set(title=f"{type(activation).__name__}: f(z)", xlabel="z", ylabel="f(z)")
    axes[1].set(title=f"{type(activation).__name__}: f'(z)", xlabel="z", ylabel="f'(z)")
    for ax in axes:
        ax.axhline(0, color="0.8", linewidth=0.8, zorder=0)
        ax.axvline(0, color="0.8", linewidth=0.8, zorder=0)
    return axes


def plot_loss_curve(losses, ax=None, label="training loss", color=None, title="Loss during training"):
    """Plot a loss per epoch (e.g. ``NeuralNet.loss_curve_``)."""
    ax = _axes(ax)
    ax.plot(np.arange(1, len(losses) + 1), losses, color=color or PALETTE[0], label=label)
    ax.set(title=title, xlabel="epoch", ylabel="mean cross-entropy")
    ax.legend()
    return ax


def plot_decision_boundary(model, X, y, ax=None, resolution=200, title="Decision regions", feature_names=None):
    """Colour the plane by ``model.predict`` and overlay the samples.

    Parameters
    ----------
    model : fitted classifier on two features
    X : array_like, shape (m, 2)
    y : array_like, shape (m,)
    """
    from matplotlib.colors import ListedColormap

    X = np.asarray(X, dtype=float)
    y = np.asarray(y)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"plot_decision_boundary needs exactly two features, got X of shape {X.shape}")
    ax = _axes(ax, figsize=(5, 4))
    pad_x = 0.1 * (np.ptp(X[:, 0]) or 1.0)
    pad_y = 0.1 * (np.ptp(X[:, 1]) or 1.0)
    xx, yy = np.meshgrid(
        np.linspace(X[:, 0].min() - pad_x, X[:, 0].max() + pad_x, resolution),
        np.linspace(X[:, 1].min() - pad_y, X[:, 1].max() + pad_y, resolution),
    )
    classes = np.unique(y)
    pred = model.predict(np.column_stack([xx.ravel(), yy.ravel()]))
    region = np.searchsorted(classes, pred).reshape(xx.shape)
    cmap = ListedColormap(PALETTE[: len(classes)])
    ax.contourf(xx, yy, region, levels=np.arange(len(classes) + 1) - 0.5, cmap=cmap, alpha=0.25)
    markers = "osD^vP*X"
    for k, c in enumerate(classes):
        mask = y == c
        ax.scatter(X[mask, 0], X[mask, 1], color=PALETTE[k % len(PALETTE)], marker=markers[k % len(markers)],
                   edgecolor="black", linewidth=0.5, s=30, label=str(c))
    xlabel, ylabel = feature_names or ("feature 1", "feature 2")
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.legend(title="class", fontsize="small")
    return ax
