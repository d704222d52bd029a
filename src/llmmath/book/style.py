"""One look for every figure in the book.

Figures are drawn for the book's text column (about 670 px: 6.7 x 3.5 inches
shown at 96 px per inch), as SVG so that they are sharp on any screen, with
text no smaller than 9 px as shown (:data:`MIN_FONT_PT` points), and with a
transparent background: the book's stylesheet turns their dark ink light in the
dark theme, so a figure never sits as a white panel on a dark page.
A colour-blind-safe cycle, and files small enough to keep pages light.
"""

from __future__ import annotations

import matplotlib as mpl

__all__ = ["use_book_style", "BOOK_COLORS", "COLUMN_WIDTH_IN", "MIN_FONT_PT"]

#: Width of the book's text column in inches, as matplotlib's SVG shows it (96 px per inch).
COLUMN_WIDTH_IN = 6.7
#: Smallest font size, in points, that is at least 9 CSS px in an SVG figure (1 pt = 4/3 px).
MIN_FONT_PT = 7.0

#: Okabe-Ito colours, distinguishable with the common colour-vision deficiencies.
BOOK_COLORS = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]


def use_book_style() -> None:
    """Set matplotlib's defaults for the book (call once at the top of a chapter).

    Also prints numpy scalars as plain numbers (``0.5``, not numpy 2's
    ``np.float64(0.5)``): easier to read in outputs, and what myst-nb's
    ``{glue:text}`name:.3f``` needs to apply a format to a glued numpy scalar.

    Examples
    --------
    >>> from llmmath import use_book_style
    >>> use_book_style()
    """
    mpl.rcParams.update({
        "figure.figsize": (COLUMN_WIDTH_IN, 3.5),
        "figure.dpi": 96,
        "figure.facecolor": "none",
        "savefig.facecolor": "none",
        "savefig.transparent": True,
        "axes.facecolor": "none",
        "svg.fonttype": "none",          # text stays text: smaller files, searchable, checkable
        "svg.hashsalt": "llmmath",       # the same SVG on every run
        # 10 pt, so that exponents in tick labels (10^-8: 70 % size) stay >= 9 px
        "legend.fontsize": 10,
        "xtick.labelsize": 10,
        "ytick.labelsize": 10,
        "axes.titlesize": 10,
        "axes.labelsize": 10,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": mpl.cycler(color=BOOK_COLORS),
        "font.size": 10,
        "legend.frameon": False,
        "image.cmap": "viridis",
    })
    import numpy as np

    np.set_printoptions(legacy="1.25")
    _inline_svg()


def _inline_svg() -> None:
    """In a notebook, show figures as SVG (what ``%config InlineBackend.figure_formats``
    does), so that the executed chapter carries vector figures."""
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:  # pragma: no cover - outside IPython
        return
    if get_ipython() is not None:
        set_matplotlib_formats("svg")
