"""Interactive widgets for the notebooks: an activation explorer and live training.

Both are built from ipywidgets 8 controls and matplotlib figures and are meant
for ungraded cells::

    from nncourse.widgets import activation_explorer, live_training
    activation_explorer(globals())   # nnlib's activations, and yours beside them
    live_training()                  # watch a small network learn a 2-D data set

ipywidgets is imported only when a widget is built, so importing the course
package stays light. Figures are drawn off-screen with matplotlib's Agg canvas (no pyplot,
so no stray inline copies) and shown as a PNG in an ``ipywidgets.Image``:
the widgets need a running kernel and nothing else, no extra JupyterLab
extension. Fonts are large enough for a projector.

Each function returns an ipywidgets container. The object that drives it is
its ``app`` attribute (`ActivationExplorer` or `LiveTraining`), which exposes
the controls, the figure and the update functions, so that code (and tests)
can do what a click does.
"""
from .explorer import ActivationExplorer, activation_explorer
from .live import DATASETS, LiveTraining, live_training, parse_hidden_sizes

__all__ = ["activation_explorer", "live_training", "ActivationExplorer", "LiveTraining", "DATASETS",
           "parse_hidden_sizes"]
