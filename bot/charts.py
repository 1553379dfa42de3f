"""SVG charts drawn with matplotlib, the one charting library of the staff pages (text stays text)."""
from __future__ import annotations

import io
import threading
import warnings

_CHARTS = threading.Lock()   # matplotlib's rcParams are process-wide


def figure(height: float = 3.2, width: float = 7.5, columns: int = 1):
    """(figure, axes): one axes, or a tuple of `columns` side by side."""
    from matplotlib.figure import Figure  # deferred: matplotlib takes a second to load; only chart pages need it

    fig = Figure(figsize=(width, height))
    return fig, fig.subplots(1, columns) if columns > 1 else fig.subplots()


def svg(fig) -> str:
    """The figure as inline SVG (no XML prolog); Chinese labels are drawn by the browser's fonts."""
    import matplotlib  # deferred, as in figure()

    buffer = io.StringIO()
    with _CHARTS, warnings.catch_warnings(), matplotlib.rc_context({
            "svg.fonttype": "none",
            "font.family": ["DejaVu Sans", "Noto Sans CJK SC", "Noto Sans CJK JP", "sans-serif"]}):
        warnings.simplefilter("ignore")  # missing-glyph warnings: the browser renders the text
        fig.tight_layout()
        fig.savefig(buffer, format="svg")
    text = buffer.getvalue()
    return text[text.index("<svg"):]
