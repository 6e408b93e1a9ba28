"""The pictures the notebooks show: drawing code that would otherwise fill long cells.

Each function draws one figure with pyplot, so that Jupyter's inline backend shows
it when the cell ends, and returns the Figure. The notebooks call them from
ungraded cells (``figures.layer_graph(); plt.show()``); the drawing itself is not
what the notebook teaches.
"""
import numpy as np

from nnlib.plotting import PALETTE

__all__ = ["neuron_analogy", "matmul_shapes", "layer_graph", "training_loop"]


def _pyplot():
    import matplotlib.pyplot as plt  # only when a figure is drawn: importing nncourse stays light

    return plt


def _bare(ax):
    ax.set_xticks([])
    ax.set_yticks([])


def neuron_analogy():
    """01_neurons: a biological neuron beside an artificial one, parts in matching colours."""
    from matplotlib.patches import Circle

    plt = _pyplot()
    colour = {"dendrite": PALETTE[0], "synapse": PALETTE[1], "soma": PALETTE[2], "axon": PALETTE[3]}
    fig, (bio, ann) = plt.subplots(1, 2, figsize=(11, 4.2))

    # Left: a stylised nerve cell. Dendrites fan in from the left, the axon leaves to the right.
    bio.add_patch(Circle((0, 0), 0.55, color=colour["soma"], alpha=0.85))
    for y_tip in (-1.6, -0.55, 0.55, 1.6):
        bio.plot([-0.5, -2.2], [0.2 * y_tip, y_tip], color=colour["dendrite"], linewidth=3)
        bio.plot([-3.3, -2.5], [y_tip, y_tip], color="0.6", linewidth=1.5)  # another neuron's ending
        bio.plot(-2.35, y_tip, "o", color=colour["synapse"], markersize=11)
    bio.plot([0.55, 3.0], [0, 0], color=colour["axon"], linewidth=4)
    for dy in (-0.5, 0.0, 0.5):
        bio.plot([3.0, 3.6], [0, dy], color=colour["axon"], linewidth=2)
    for x, y, part, label in ((-1.9, 1.95, "synapse", "synapses"), (-1.3, -2.15, "dendrite", "dendrites"),
                              (0, -0.95, "soma", "soma"), (1.8, 0.25, "axon", "axon")):
        bio.text(x, y, label, color=colour[part], ha="center", fontsize=12)
    bio.set(title="Biological neuron", xlim=(-3.4, 4.0), ylim=(-2.3, 2.3), aspect="equal")
    bio.axis("off")

    # Right: the artificial neuron. Weighted inputs meet in one node, which sends out z.
    for i, y in enumerate((1.5, 0.0, -1.5), start=1):
        start = np.array([-2.5, y])
        end = 0.62 * start / np.linalg.norm(start)  # where the arrow meets the node's edge
        ann.add_patch(Circle(start, 0.38, facecolor="white", edgecolor=colour["dendrite"], linewidth=2.5))
        ann.text(*start, f"$x_{i}$", ha="center", va="center", fontsize=14)
        ann.annotate("", xy=end, xytext=start + [0.4, 0],
                     arrowprops=dict(arrowstyle="->", color=colour["synapse"], linewidth=2.5))
        ann.text(-1.3, 0.55 * y + (0.22 if y >= 0 else -0.5), f"$w_{i}$", color=colour["synapse"],
                 fontsize=14)
    ann.add_patch(Circle((0, 0), 0.6, color=colour["soma"], alpha=0.85))
    ann.text(0, 0, r"$\Sigma\,+b$", ha="center", va="center", fontsize=13, color="white")
    ann.annotate("", xy=(2.4, 0), xytext=(0.6, 0),
                 arrowprops=dict(arrowstyle="->", color=colour["axon"], linewidth=3))
    ann.text(2.55, 0, "$z$", va="center", fontsize=15, color=colour["axon"])
    for x, y, part, label in ((-2.5, -2.15, "dendrite", "inputs"), (-1.1, -2.15, "synapse", "weights"),
                              (0, -1.0, "soma", "node"), (1.5, 0.25, "axon", "output")):
        ann.text(x, y, label, color=colour[part], ha="center", fontsize=12)
    ann.set(title="Artificial neuron", xlim=(-3.2, 3.2), ylim=(-2.3, 2.3), aspect="equal")
    ann.axis("off")

    fig.suptitle("dendrite → input,  synapse → weight,  soma → node,  axon → output")
    return fig


def _draw_matrix(ax, left, rows, cols, name, shape_text, colour, mark=None):
    """A rows × cols grid of unit squares, centred on y = 0; ``mark``: "row", "col" or "cell".

    Returns the x coordinate of its right edge, where the next symbol goes.
    """
    from matplotlib.patches import Rectangle

    top = rows / 2
    for r in range(rows):
        for c in range(cols):
            hit = (mark == "row" and r == 1) or (mark == "col" and c == 1) or (mark == "cell" and (r, c) == (1, 1))
            ax.add_patch(Rectangle((left + c, top - r - 1), 1, 1, facecolor=colour if hit else "white",
                                   edgecolor="0.3", alpha=0.9 if hit else 1.0))
    ax.text(left + cols / 2, top + 0.4, name, ha="center", fontsize=14)
    ax.text(left + cols / 2, -2.9, shape_text, ha="center", va="top", fontsize=10)
    return left + cols


def matmul_shapes(m=5, n_in=3, n_out=2):
    """02_linear_layer: ``X @ W + b = Z`` as grids, one row, column and entry highlighted."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(10, 3.6))
    operands = ((m, n_in, "$X$", f"(m, n_in)\n= ({m}, {n_in})", "row", "@"),
                (n_in, n_out, "$W$", f"(n_in, n_out)\n= ({n_in}, {n_out})", "col", "+"),
                (1, n_out, "$b$", f"(1, n_out)\n= (1, {n_out})", "col", "="),
                (m, n_out, "$Z$", f"(m, n_out)\n= ({m}, {n_out})", "cell", None))
    x = 0.0
    for k, (rows, cols, name, shape_text, mark, symbol) in enumerate(operands):
        x = _draw_matrix(ax, x, rows, cols, name, shape_text, PALETTE[k], mark)
        if symbol:
            ax.text(x + 0.6, 0, symbol, fontsize=18, va="center", ha="center")
            x += 1.2
    ax.set(title="Row $k$ of $X$ times column $j$ of $W$, plus $b_j$, gives $Z_{kj}$ (here $k = j = 1$)",
           xlim=(-0.5, x + 0.5), ylim=(-4.4, m / 2 + 1.1), aspect="equal")
    ax.axis("off")
    return fig


# name: (x, y, half width, text, forward?) of the boxes of the computation graph
_GRAPH_NODES = {
    "X": (0.0, 1.0, 0.55, r"$X$", True),
    "W": (2.4, 2.4, 0.45, r"$W$", True),
    "b": (4.0, 2.4, 0.45, r"$b$", True),
    "Z": (3.2, 1.0, 0.95, r"$Z = XW + b$", True),
    "A": (6.4, 1.0, 0.8, r"$A = f(Z)$", True),
    "L": (9.2, 1.0, 0.7, r"loss $L$", True),
    "dX": (0.0, -1.0, 0.95, r"$dX = dZ\,W^{\top}$", False),
    "dZ": (3.2, -1.0, 1.15, r"$dZ = dA \odot f'(Z)$", False),
    "dA": (6.4, -1.0, 1.0, r"$dA = \partial L/\partial A$", False),
    "dW": (2.0, -2.4, 0.95, r"$dW = X^{\top} dZ$", False),
    "db": (4.6, -2.4, 0.95, r"$db = \sum_{\mathrm{rows}} dZ$", False),
}
_HALF_HEIGHT = 0.3


def _box_edge(name, towards):
    """The point on the border of box ``name`` in the direction of the point ``towards``."""
    x, y, hw, _, _ = _GRAPH_NODES[name]
    dx, dy = towards[0] - x, towards[1] - y
    scale = min(hw / abs(dx) if dx else np.inf, _HALF_HEIGHT / abs(dy) if dy else np.inf)
    return x + dx * scale, y + dy * scale


def layer_graph():
    """05_backprop: one layer as a computation graph, values forward and gradients backward."""
    plt = _pyplot()
    forward, backward = "black", PALETTE[3]
    fig, ax = plt.subplots(figsize=(10, 5), constrained_layout=True)
    for x, y, hw, text, is_forward in _GRAPH_NODES.values():
        colour = forward if is_forward else backward
        ax.add_patch(plt.Rectangle((x - hw, y - _HALF_HEIGHT), 2 * hw, 2 * _HALF_HEIGHT,
                                   facecolor="white", edgecolor=colour, linewidth=1.5))
        ax.text(x, y, text, ha="center", va="center", fontsize=12, color=colour)
    edges = [(s, e, forward) for s, e in (("X", "Z"), ("W", "Z"), ("b", "Z"), ("Z", "A"), ("A", "L"))]
    edges += [(s, e, backward) for s, e in (("dA", "dZ"), ("dZ", "dX"), ("dZ", "dW"), ("dZ", "db"))]
    for start, end, colour in edges:
        ax.annotate("", xy=_box_edge(end, _GRAPH_NODES[start][:2]),
                    xytext=_box_edge(start, _GRAPH_NODES[end][:2]),
                    arrowprops=dict(arrowstyle="-|>", color=colour, linewidth=1.6, shrinkA=3, shrinkB=3))
    ax.annotate("", xy=(7.4, -1.0), xytext=(9.2, 0.7),
                arrowprops=dict(arrowstyle="-|>", color=backward, linewidth=1.6,
                                connectionstyle="arc3,rad=-0.3"))
    ax.text(8.9, -0.45, "the loss gives\nthe first gradient", color=backward, fontsize=10, ha="left")
    for top, bottom in (("X", "dX"), ("Z", "dZ"), ("A", "dA")):
        ax.plot([_GRAPH_NODES[top][0]] * 2,
                [_GRAPH_NODES[top][1] - _HALF_HEIGHT, _GRAPH_NODES[bottom][1] + _HALF_HEIGHT],
                color="0.7", linestyle=":", linewidth=1)
    ax.text(-1.3, 1.0, "forward", color=forward, fontsize=11, ha="right", va="center", fontweight="bold")
    ax.text(-1.3, -1.0, "backward", color=backward, fontsize=11, ha="right", va="center",
            fontweight="bold")
    ax.set(xlim=(-2.6, 10.6), ylim=(-3.0, 3.0),
           title="One layer as a computation graph: values forward, gradients backward",
           xlabel="forward: left to right   |   backward: right to left",
           ylabel="dotted lines: arrays of the same shape")
    _bare(ax)
    return fig


def training_loop():
    """06_training: the four steps of one epoch of full-batch gradient descent, as a cycle."""
    plt = _pyplot()
    steps = ["1  forward\nP = softmax(... layers ...(X))",
             "2  loss\nL = mean cross-entropy(Y, P)",
             "3  backward\ndZ = (P - Y) / m, then dW, db\nfor every layer, last to first",
             "4  update\nW -= lr * dW,   b -= lr * db"]
    centres = [(0.0, 1.5), (2.6, 0.0), (0.0, -1.5), (-2.6, 0.0)]
    fig, ax = plt.subplots(figsize=(8, 4.6), constrained_layout=True)
    for k, ((x, y), text) in enumerate(zip(centres, steps)):
        ax.text(x, y, text, ha="center", va="center", fontsize=10.5,
                bbox=dict(boxstyle="round,pad=0.5", facecolor="white", edgecolor=PALETTE[k], linewidth=2))
    for (x0, y0), (x1, y1) in zip(centres, centres[1:] + centres[:1]):
        ax.annotate("", xy=(x1 * 0.62 + x0 * 0.12, y1 * 0.62 + y0 * 0.12),
                    xytext=(x0 * 0.62 + x1 * 0.12, y0 * 0.62 + y1 * 0.12),
                    arrowprops=dict(arrowstyle="-|>", color="0.3", linewidth=1.6,
                                    connectionstyle="arc3,rad=-0.3"))
    ax.text(0, 0, "one epoch\n(repeat `epochs` times)", ha="center", va="center", fontsize=11, color="0.3")
    ax.set(xlim=(-4.3, 4.3), ylim=(-2.4, 2.4), title="Full-batch gradient descent: one epoch",
           xlabel="the loop runs clockwise", ylabel="one training step")
    _bare(ax)
    return fig
