"""Figure helpers for Part I that teach nothing by themselves.

Labelled scatter plots whose labels never overlap (:func:`place_labels`), and a
check that a drawn figure has no overlapping text (:func:`overlapping_texts`),
which chapters assert next to their figures.
"""

from __future__ import annotations

import numpy as np

__all__ = ["place_labels", "overlapping_texts"]

_DIRECTIONS = [(1, 1), (1, -1), (-1, 1), (-1, -1), (1, 0), (-1, 0), (0, 1), (0, -1)]


def _bbox(text, renderer, pad: float = 1.0):
    box = text.get_window_extent(renderer=renderer)
    return np.array([box.x0 - pad, box.y0 - pad, box.x1 + pad, box.y1 + pad])


def _overlaps(a, b) -> bool:
    return not (a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1])


def place_labels(ax, xy, labels, *, fontsize: float = 9, radii=(4, 9, 15, 22),
                 avoid_points: bool = True, **text_kw) -> list:
    """Label the points ``xy`` without overlaps: each label tries offsets around
    its point, nearest first, and is left out if none is free.

    Parameters
    ----------
    ax : matplotlib Axes
        The axes the points are drawn on (limits already set).
    xy : array_like, shape (n, 2)
        The points, in data coordinates.
    labels : sequence of str, length n
        One label per point; earlier labels get the first choice of place.
    fontsize : float, default 9
        Font size in points (at least 7, which is 9 px as the page shows it).
    radii : sequence of float
        Offsets, in points, tried in turn.
    avoid_points : bool, default True
        Also keep labels off the other points' markers.

    Returns
    -------
    list of matplotlib.text.Text
        The labels placed (``len`` may be below ``n``).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.scatter([0, 0.01], [0, 0])
    >>> texts = place_labels(ax, [[0, 0], [0.01, 0]], ["two", "three"])
    >>> overlapping_texts(fig)
    []
    """
    xy = np.asarray(xy, dtype=float)
    if xy.ndim != 2 or xy.shape[1] != 2:
        raise ValueError(f"xy must have shape (n, 2), got {xy.shape}")
    if len(labels) != len(xy):
        raise ValueError(f"labels must have one entry per point: {len(labels)} labels, {len(xy)} points")
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    taken = [_bbox(t, renderer) for t in ax.texts]
    points = ax.transData.transform(xy)
    marker = 3.0 * fig.dpi / 72
    point_boxes = [np.array([x - marker, y - marker, x + marker, y + marker]) for x, y in points]
    axes_box = ax.get_window_extent(renderer=renderer)
    placed = []
    for i, ((x, y), label) in enumerate(zip(xy, labels)):
        done = False
        for r in radii:
            for dx, dy in _DIRECTIONS:
                text = ax.annotate(label, (x, y), xytext=(dx * r, dy * r), textcoords="offset points",
                                   ha="left" if dx > 0 else "right" if dx < 0 else "center",
                                   va="bottom" if dy > 0 else "top" if dy < 0 else "center",
                                   fontsize=fontsize, **text_kw)
                box = _bbox(text, renderer)
                inside = (box[0] >= axes_box.x0 and box[2] <= axes_box.x1
                          and box[1] >= axes_box.y0 and box[3] <= axes_box.y1)
                clash = any(_overlaps(box, t) for t in taken) or (avoid_points and any(
                    _overlaps(box, p) for j, p in enumerate(point_boxes) if j != i))
                if inside and not clash:
                    taken.append(box)
                    placed.append(text)
                    done = True
                    break
                text.remove()
            if done:
                break
    return placed


def overlapping_texts(fig) -> list[tuple[str, str]]:
    """Pairs of visible, non-empty texts (labels and titles) of ``fig`` whose boxes overlap.

    Parameters
    ----------
    fig : matplotlib Figure

    Returns
    -------
    list of (str, str)
        The overlapping pairs (empty when the figure is clean).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.text(0.5, 0.5, "one"); _ = ax.text(0.5, 0.5, "two")
    >>> overlapping_texts(fig)
    [('one', 'two')]
    """
    renderer = fig.canvas.get_renderer()
    from matplotlib.text import Text

    # An Axes' own Text children: its annotations and its three titles (not tick labels).
    texts = [t for ax in fig.axes for t in ax.get_children()
             if isinstance(t, Text) and t.get_visible() and t.get_text().strip()]
    boxes = [_bbox(t, renderer, pad=0.0) for t in texts]
    return [(texts[i].get_text(), texts[j].get_text())
            for i in range(len(texts)) for j in range(i + 1, len(texts)) if _overlaps(boxes[i], boxes[j])]
