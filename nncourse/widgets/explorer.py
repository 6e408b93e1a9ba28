"""The activation explorer: nnlib's activations, and the learner's drawn over them."""
import html
import inspect
import warnings
from collections.abc import Mapping

import numpy as np

from nnlib.activations import ACTIVATIONS
from nnlib.plotting import PALETTE, plot_activation

from ._common import ipywidgets_module, new_figure, png, rc

__all__ = ["ActivationExplorer", "activation_explorer"]

_PARAMETERS = ("a", "b", "thresh")

#: What each activation computes, shown under the explorer's plot.
_FORMULAS = {
    "identity": "f(z) = z,&nbsp;&nbsp; f′(z) = 1",
    "linear": "f(z) = a·z,&nbsp;&nbsp; f′(z) = a",
    "sigmoid": "σ(z) = 1 / (1 + e<sup>−z</sup>),&nbsp;&nbsp; σ′(z) = σ(z)·(1 − σ(z))",
    "tanh": "f(z) = tanh(z),&nbsp;&nbsp; f′(z) = 1 − tanh²(z)",
    "step": "f(z) = 0 for z ≤ thresh, 1 otherwise,&nbsp;&nbsp; f′(z) = 0",
    "relu": "f(z) = 0 for z ≤ 0, a·z otherwise,&nbsp;&nbsp; f′(z) = 0 or a",
    "leaky_relu": "f(z) = b·z for z ≤ 0, a·z otherwise,&nbsp;&nbsp; f′(z) = b or a",
    "softmax": "softmax over the row [z, 0]: its first component is σ(z); "
               "f′ shows ∂a₁/∂z₁ through the Jacobian",
}


def _init_parameters(obj):
    """Names and defaults of ``a``, ``b``, ``thresh`` taken by a class's ``__init__``."""
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return {}
    return {
        name: p.default
        for name, p in sig.parameters.items()
        if name in _PARAMETERS and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    }


def _accepted_kwargs(cls, kwargs):
    """The subset of ``kwargs`` that ``cls(...)`` accepts (all of them with ``**kwargs``)."""
    try:
        params = inspect.signature(cls).parameters
    except (TypeError, ValueError):
        return dict(kwargs)
    if any(p.kind == p.VAR_KEYWORD for p in params.values()):
        return dict(kwargs)
    return {k: v for k, v in kwargs.items() if k in params}


# ---== explorer

class _ShapeError(Exception):
    """A learner's forward/backward returned an array of the wrong shape."""


def _curves(act, z, softmax=False):
    """``f(z)`` and ``f'(z)`` of any object with forward/backward, as plot_activation draws them.

    Softmax is evaluated on rows ``[z, 0]``: its first component is the
    sigmoid of ``z``, and ``backward`` of ``[1, 0]`` gives its slope.
    """
    Z = np.column_stack([z, np.zeros_like(z)]) if softmax else z.reshape(-1, 1)
    A = np.asarray(act.forward(Z.copy()), dtype=float)
    if A.shape != Z.shape:
        raise _ShapeError(f"forward returned shape {A.shape} for an input of shape {Z.shape}; "
                          "forward and backward must keep the shape of their input.")
    dA = np.zeros_like(Z)
    dA[:, 0] = 1.0
    dZ = np.asarray(act.backward(dA), dtype=float)
    if dZ.shape != Z.shape:
        raise _ShapeError(f"backward returned shape {dZ.shape} for a gradient of shape {Z.shape}; "
                          "forward and backward must keep the shape of their input.")
    return A[:, 0], dZ[:, 0]


class ActivationExplorer:
    """Controller of the activation explorer (see `activation_explorer`).

    Attributes
    ----------
    widget : ipywidgets.VBox
        What the notebook displays; ``widget.app`` is this object.
    controls : dict of ipywidgets
        ``"activation"`` (Dropdown of the keys of ``nnlib.ACTIVATIONS``),
        ``"a"``, ``"b"``, ``"thresh"`` (FloatSliders, enabled only for the
        activations that take them) and ``"z_range"`` (FloatRangeSlider).
    figure : matplotlib.figure.Figure
        The figure behind ``image`` (f on the left, f' on the right).
    image : ipywidgets.Image
        The PNG shown to the learner.
    note : ipywidgets.HTML
        Formula, and what happened to the learner's implementation.
    learner_status : str
        ``"none"`` (nothing of the learner's to show), ``"ok"``,
        ``"not_implemented"`` or ``"error"``.
    """

    def __init__(self, user_activations=None, activation="sigmoid", z_range=(-5.0, 5.0),
                 font_size=14, dpi=90):
        if user_activations is not None and not isinstance(user_activations, Mapping):
            raise TypeError(
                "user_activations must be a dict of name -> class, such as globals(), "
                f"got {type(user_activations).__name__}"
            )
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {list(ACTIVATIONS)}, got {activation!r}")
        w = ipywidgets_module()
        self.user_activations = user_activations
        self.font_size = font_size
        self.figure = new_figure((11, 4.4), dpi, layout=None)
        self.learner_status = "none"
        self.redraws = 0
        self._updating = False

        style = {"description_width": "initial"}
        wide = w.Layout(width="420px")
        self.controls = {
            "activation": w.Dropdown(
                options=[(key.replace("_", " "), key) for key in ACTIVATIONS], value=activation,
                description="activation", style=style, layout=w.Layout(width="260px"),
            ),
            "a": w.FloatSlider(value=1.0, min=-2.0, max=3.0, step=0.1, description="a (slope)",
                               continuous_update=False, style=style, layout=wide),
            "b": w.FloatSlider(value=0.01, min=0.0, max=1.0, step=0.01, description="b (leak)",
                               continuous_update=False, style=style, layout=wide),
            "thresh": w.FloatSlider(value=0.0, min=-3.0, max=3.0, step=0.1, description="thresh",
                                    continuous_update=False, style=style, layout=wide),
            "z_range": w.FloatRangeSlider(value=tuple(z_range), min=-10.0, max=10.0, step=0.5,
                                          description="input range z", continuous_update=False,
                                          style=style, layout=wide),
        }
        self.image = w.Image(format="png", layout=w.Layout(width="100%", max_width="1000px"))
        self.note = w.HTML()
        self.widget = w.VBox(
            [
                w.HTML(f"<b style='font-size:{font_size + 4}px'>Activation explorer</b>"),
                w.HBox([self.controls["activation"], self.controls["z_range"]]),
                w.HBox([self.controls["a"], self.controls["b"]]),
                self.controls["thresh"],
                self.image,
                self.note,
            ],
            layout=w.Layout(padding="4px"),
        )
        self.widget.add_class("nnlib-activation-explorer")
        self.widget.app = self
        self.controls["activation"].observe(self._on_activation, names="value")
        for name in (*_PARAMETERS, "z_range"):
            self.controls[name].observe(self._on_change, names="value")
        self._configure_sliders(reset_values=True)
        self.redraw()

    # -------------------------------------------------------------- callbacks
    def _on_activation(self, change):
        self._configure_sliders(reset_values=True)
        self.redraw()

    def _on_change(self, change):
        if not self._updating:
            self.redraw()

    def _configure_sliders(self, reset_values):
        """Enable the sliders of the chosen activation's parameters, at their defaults."""
        params = _init_parameters(ACTIVATIONS[self.controls["activation"].value])
        self._updating = True
        try:
            for name in _PARAMETERS:
                slider = self.controls[name]
                slider.disabled = name not in params
                if reset_values and name in params:
                    slider.value = float(params[name])
        finally:
            self._updating = False

    # ---------------------------------------------------------------- drawing
    def current(self):
        """The chosen key, nnlib's class and the keyword arguments from the sliders."""
        key = self.controls["activation"].value
        cls = ACTIVATIONS[key]
        kwargs = {name: float(self.controls[name].value) for name in _init_parameters(cls)}
        return key, cls, kwargs

    def z_grid(self):
        lo, hi = self.controls["z_range"].value
        if hi - lo < 1e-9:  # both handles on one spot: show a small window around it
            lo, hi = lo - 0.5, hi + 0.5
        return np.linspace(lo, hi, 401)

    def learner_object(self, key=None):
        """The learner's class (or instance) for ``key``, or None.

        Looked up at every redraw, so re-running an exercise cell and then
        moving a slider shows the new version. A name bound to nnlib's own
        class does not count as the learner's.
        """
        if self.user_activations is None:
            return None
        key = key or self.controls["activation"].value
        ref = ACTIVATIONS[key]
        for name in (ref.__name__, key):
            obj = self.user_activations.get(name)
            if obj is None or obj is ref:
                continue
            if isinstance(obj, type) or (hasattr(obj, "forward") and hasattr(obj, "backward")):
                return obj
        return None

    def redraw(self):
        """Redraw f and f' for the current controls; returns the PNG bytes shown."""
        import matplotlib

        key, cls, kwargs = self.current()
        z = self.z_grid()
        reference = cls(**kwargs)
        learner = self.learner_object(key)
        notes = [f"<b>{html.escape(repr(reference))}</b>: {_FORMULAS[key]}"]
        with matplotlib.rc_context(rc(self.font_size)):
            fig = self.figure
            fig.clear()
            axes = fig.subplots(1, 2)
            fig.subplots_adjust(left=0.07, right=0.98, bottom=0.15, top=0.82, wspace=0.22)
            with np.errstate(all="ignore"):
                plot_activation(reference, z, axes=axes, label="nnlib")
            # The first line of each panel is nnlib's curve (the axis lines come after it).
            self.reference_data = tuple(np.asarray(ax.get_lines()[0].get_ydata(), dtype=float) for ax in axes)
            if learner is None:
                self.learner_status = "none"
                if self.user_activations is not None:
                    notes.append(
                        f"No {cls.__name__} of yours was found: run its exercise cell, "
                        "then move a slider to draw it here."
                    )
            else:
                notes.append(self._draw_learner(learner, cls, kwargs, z, axes))
            for ax in axes:
                ax.legend(loc="best")
            fig.suptitle(f"{repr(reference)} on z in [{z[0]:g}, {z[-1]:g}]")
            image = png(fig)
        self.image.value = image
        self.note.value = "<div style='font-size:{}px; line-height:1.5'>{}</div>".format(
            self.font_size, "<br>".join(notes))
        self.redraws += 1
        return image

    def _draw_learner(self, learner, cls, kwargs, z, axes):
        """Draw the learner's version dashed over nnlib's; returns a note (HTML)."""
        name = html.escape(learner.__name__ if isinstance(learner, type) else type(learner).__name__)
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                act = learner(**_accepted_kwargs(learner, kwargs)) if isinstance(learner, type) else learner
                f, df = _curves(act, z, softmax=cls.__name__ == "SoftMaxActivation")
        except NotImplementedError:
            self.learner_status = "not_implemented"
            return (f"Your <code>{name}</code> is not finished yet (it raises NotImplementedError). "
                    "Complete the exercise, run its cell, then move a slider to see it here.")
        except _ShapeError as exc:
            self.learner_status = "error"
            return f"Your <code>{name}</code> {html.escape(str(exc))}"
        except Exception as exc:  # the learner's code may fail in any way; report it, don't crash
            self.learner_status = "error"
            return (f"Your <code>{name}</code> could not be drawn: "
                    f"<code>{html.escape(type(exc).__name__)}: {html.escape(str(exc))}</code>")
        self.learner_status = "ok"
        colour = PALETTE[3]
        axes[0].plot(z, f, color=colour, linestyle="--", label="yours")
        axes[1].plot(z, df, color=colour, linestyle="--", label="yours")
        ref_f, ref_df = self.reference_data
        with np.errstate(all="ignore"):
            gap = np.abs(np.concatenate([f - ref_f, df - ref_df]))
        gap = np.where(np.isnan(gap), np.inf, gap)
        worst = float(gap.max())
        if worst <= 1e-6:
            return f"Your <code>{name}</code> (dashed) matches nnlib's on this range."
        where = z[int(np.argmax(gap)) % z.size]
        return (f"Your <code>{name}</code> (dashed) differs from nnlib's by up to {worst:.3g} "
                f"(near z = {where:.3g}): compare the curves and read the test messages above.")


def activation_explorer(user_activations=None, activation="sigmoid", z_range=(-5.0, 5.0), font_size=14):
    """Explore the course's activations: f and f' redraw as the sliders move.

    Parameters
    ----------
    user_activations : dict, optional
        Your own classes, looked up by class name (``"SigmoidActivation"``)
        or by key (``"sigmoid"``): pass ``globals()`` in a notebook, or a dict
        such as ``{"sigmoid": SigmoidActivation}``. Yours are drawn dashed
        over nnlib's; one that is not finished yet (raises
        NotImplementedError) or fails is reported under the plot instead.
    activation : str, default "sigmoid"
        Initial choice, a key of ``nnlib.ACTIVATIONS``.
    z_range : (float, float)
        Initial input range.
    font_size : int
        Base font size of the figure.

    Returns
    -------
    ipywidgets.VBox
        Display it (make it the last expression of a cell). Its ``app``
        attribute is the `ActivationExplorer` behind it.
    """
    return ActivationExplorer(user_activations, activation=activation, z_range=z_range,
                              font_size=font_size).widget
