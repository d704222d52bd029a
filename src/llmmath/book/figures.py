r"""Figures that teach a piece of linear algebra, drawn the book's way.

:func:`plot_linear_map` draws what a :math:`2 \times 2` matrix does to the
plane; the points it maps come from :func:`llmmath.linalg.grid_lines`.
"""

from __future__ import annotations

import numpy as np

from .._validation import as_float_array
from ..linalg.matrices import grid_lines
from .style import BOOK_COLORS

__all__ = ["plot_linear_map"]


def plot_linear_map(a, ax=None, *, extent: float = 2.0, n_lines: int = 9, title: str | None = None):
    r"""Draw what a :math:`2 \times 2` matrix does to a grid, the unit square and the basis.

    The original grid is drawn in light grey and its image under
    :math:`\mathbf{A}` in blue. The image of the unit square, a parallelogram
    of signed area :math:`\det \mathbf{A}`, is shaded orange. Two arrows show
    :math:`\mathbf{A}\mathbf{e}_1` (vermilion) and :math:`\mathbf{A}\mathbf{e}_2`
    (green), the images of the basis vectors, which are the columns of
    :math:`\mathbf{A}`.

    Parameters
    ----------
    a : array_like, shape (2, 2)
        The matrix :math:`\mathbf{A}`.
    ax : matplotlib.axes.Axes, optional
        Where to draw (a new figure if omitted).
    extent : float, default 2.0
        The grid and the view cover :math:`[-e, e]^2`.
    n_lines : int, default 9
        Grid lines in each direction.
    title : str, optional
        The axes' title.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> from llmmath.book import plot_linear_map
    >>> ax = plot_linear_map(np.array([[1.0, 1.0], [0.0, 1.0]]), title="shear")
    >>> ax.get_title()
    'shear'
    >>> plt.close(ax.figure)
    """
    import matplotlib.pyplot as plt
    from matplotlib.collections import LineCollection
    from matplotlib.patches import Polygon

    mat = as_float_array(a, "a", ndim=2)
    if mat.shape != (2, 2):
        raise ValueError(f"a must be a 2 x 2 matrix, got shape {mat.shape}")
    lines = grid_lines(extent, n_lines)
    if ax is None:
        _, ax = plt.subplots(figsize=(3.2, 3.2))
    ax.add_collection(LineCollection(lines, colors="0.85", linewidths=0.6, zorder=1))
    ax.add_collection(LineCollection(lines @ mat.T, colors=BOOK_COLORS[0], linewidths=0.8, alpha=0.8, zorder=2))
    square = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
    ax.add_patch(Polygon(square @ mat.T, closed=True, facecolor=BOOK_COLORS[1], alpha=0.45,
                         edgecolor=BOOK_COLORS[1], linewidth=1.2, zorder=3))
    for column, color in ((mat[:, 0], BOOK_COLORS[3]), (mat[:, 1], BOOK_COLORS[2])):
        ax.annotate("", xy=(column[0], column[1]), xytext=(0.0, 0.0), zorder=4,
                    arrowprops={"arrowstyle": "-|>", "color": color, "linewidth": 1.6})
    ax.set_xlim(-extent, extent)
    ax.set_ylim(-extent, extent)
    ax.set_aspect("equal")
    ax.grid(False)
    if title is not None:
        ax.set_title(title)
    return ax
