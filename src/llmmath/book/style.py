"""One look for every figure in the book.

Figures keep a white background so that they read in the book's dark theme
too, use a colour-blind-safe cycle, and are small enough to keep pages light.
"""

from __future__ import annotations

import matplotlib as mpl

__all__ = ["use_book_style", "BOOK_COLORS"]

#: Okabe-Ito colours, distinguishable with the common colour-vision deficiencies.
BOOK_COLORS = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]


def use_book_style() -> None:
    """Set matplotlib's defaults for the book (call once at the top of a chapter).

    Examples
    --------
    >>> from llmmath import use_book_style
    >>> use_book_style()
    """
    mpl.rcParams.update({
        "figure.figsize": (6.0, 3.6),
        "figure.dpi": 100,
        "figure.facecolor": "white",
        "savefig.facecolor": "white",
        "axes.facecolor": "white",
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": mpl.cycler(color=BOOK_COLORS),
        "font.size": 10,
        "legend.frameon": False,
        "image.cmap": "viridis",
    })
