"""What both widgets share: ipywidgets on demand, and figures drawn off-screen to PNG."""
import io

def ipywidgets_module():
    try:
        import ipywidgets
    except ImportError as exc:  # pragma: no cover - ipywidgets is pinned in requirements.txt
        raise ImportError("the course's widgets need ipywidgets: pip install ipywidgets") from exc
    return ipywidgets


def rc(font_size):
    """matplotlib settings for a readable (projector-sized) figure."""
    return {
        "font.size": font_size,
        "axes.titlesize": font_size + 1,
        "axes.labelsize": font_size,
        "xtick.labelsize": font_size - 2,
        "ytick.labelsize": font_size - 2,
        "legend.fontsize": font_size - 2,
        "lines.linewidth": 2.5,
        "figure.facecolor": "white",
    }


def new_figure(figsize, dpi, layout="constrained"):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, dpi=dpi, layout=layout)
    FigureCanvasAgg(fig)
    return fig


def png(fig):
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()
