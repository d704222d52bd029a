"""Figure helpers for Part I that teach nothing by themselves.

Labelled scatter plots whose labels never overlap (:func:`place_labels`), a
check that a drawn figure has no overlapping text (:func:`overlapping_texts`),
which chapters assert next to their figures, and the plane pictures of the
vectors chapter: arrows (:func:`draw_arrow`), a linear combination and its span
(:func:`plot_span`), and an angle with a projection (:func:`plot_projection`).
"""

from __future__ import annotations

import numpy as np

__all__ = ["place_labels", "overlapping_texts", "draw_arrow", "plot_span", "plot_projection"]

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


def draw_arrow(ax, tail, head, label: str | None = None, *, color="C0", offset=(6, 6), **kw):
    """Draw the vector from ``tail`` to ``head`` as an arrow, optionally labelled at its head.

    Parameters
    ----------
    ax : matplotlib Axes
    tail, head : array_like, shape (2,)
        Start and end point, in data coordinates.
    label : str, optional
        Text put next to the head, ``offset`` points away.
    color : matplotlib colour
    offset : (float, float)
        Label offset in points.
    **kw
        Passed to the arrow's ``arrowprops``.

    Returns
    -------
    matplotlib.text.Annotation
        The arrow (``ax.annotate`` draws it).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> arrow = draw_arrow(ax, (0, 0), (1, 2), "x")
    >>> arrow.xy
    (1, 2)
    """
    props = dict(arrowstyle="-|>", color=color, lw=1.6, shrinkA=0, shrinkB=0, mutation_scale=12)
    props.update(kw)
    arrow = ax.annotate("", xy=tuple(head), xytext=tuple(tail), arrowprops=props)
    if label:
        ax.annotate(label, xy=tuple(head), xytext=offset, textcoords="offset points",
                    color=color, fontsize=11, ha="center", va="center")
    return arrow


def _plane_vector(a, name: str) -> np.ndarray:
    a = np.asarray(a, dtype=float)
    if a.shape != (2,):
        raise ValueError(f"{name} must be a vector of the plane, shape (2,); got shape {a.shape}")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} must be finite; got {a}")
    return a


def _square_limits(ax, points, pad: float = 0.6):
    points = np.asarray(points, dtype=float)
    lo, hi = points.min(axis=0) - pad, points.max(axis=0) + pad
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.set_aspect("equal")
    ax.grid(False)
    ax.axhline(0, color="0.6", lw=0.8, zorder=0)
    ax.axvline(0, color="0.6", lw=0.8, zorder=0)


def plot_span(ax, u, v, coefficients, *, colors=("C0", "C1", "C2"), names=("u", "v", "y"),
              title: str = ""):
    """Show ``y = c1 u + c2 v`` as two arrows laid head to tail, over the span of
    ``u`` and ``v``.

    For independent ``u`` and ``v`` the span is the plane, drawn as the skewed
    grid of lines ``m u + t v`` and ``t u + n v`` (integers ``m``, ``n``): every
    point has grid coordinates. For parallel ones the span is a line, drawn
    thick and grey.

    Parameters
    ----------
    ax : matplotlib Axes
    u, v : array_like, shape (2,)
    coefficients : (float, float)
        ``(c1, c2)``, the combination drawn.
    colors : three matplotlib colours
        For ``u``, ``v`` and the combination.
    names : three str
        The labels of ``u``, ``v`` and the combination, set in bold math.
    title : str

    Returns
    -------
    numpy.ndarray, shape (2,)
        The combination ``c1 u + c2 v``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> plot_span(ax, [2.0, 0.5], [0.5, 1.5], (1.0, 2.0))
    array([3. , 3.5])
    """
    u, v = _plane_vector(u, "u"), _plane_vector(v, "v")
    c1, c2 = coefficients
    y = c1 * u + c2 * v
    _square_limits(ax, np.vstack([[0, 0], u, v, c1 * u, y]), pad=0.8)
    t = np.linspace(-8, 8, 2)
    if abs(u[0] * v[1] - u[1] * v[0]) > 1e-12 * np.linalg.norm(u) * np.linalg.norm(v):
        for k in range(-8, 9):
            ax.plot(*(k * u[:, None] + t * v[:, None]), color="0.8", lw=0.7, zorder=0)
            ax.plot(*(t * u[:, None] + k * v[:, None]), color="0.8", lw=0.7, zorder=0)
    else:
        w = u if np.any(u) else v
        ax.plot(*(4 * t * w[:, None]), color="0.8", lw=5, zorder=0, solid_capstyle="butt")
    label = [rf"$\mathbf{{{n}}}$" for n in names]
    draw_arrow(ax, (0, 0), u, label[0], color=colors[0], offset=(-8, 8))
    draw_arrow(ax, (0, 0), v, label[1], color=colors[1], offset=(-9, -6))
    if c1 != 0 and c2 != 0:
        draw_arrow(ax, (0, 0), c1 * u, color=colors[0], lw=1.0, linestyle="--")
        draw_arrow(ax, c1 * u, y, color=colors[1], lw=1.0, linestyle="--")
    draw_arrow(ax, (0, 0), y, label[2], color=colors[2], offset=(8, 8))
    ax.set_xlabel(r"$x_1$")
    ax.set_ylabel(r"$x_2$")
    if title:
        ax.set_title(title, fontsize=10)
    return y


def plot_projection(ax, x, y, *, colors=("C0", "C1", "C3"), title: str = "", angle: bool = True):
    """Draw ``x``, ``y``, the projection ``p`` of ``x`` on the line of ``y`` and
    the residual ``x - p`` (dashed), with the angle between ``x`` and ``y`` marked.

    Parameters
    ----------
    ax : matplotlib Axes
    x, y : array_like, shape (2,)
        Non-zero vectors.
    colors : three matplotlib colours
        For ``x``, ``y`` and the projection.
    title : str
    angle : bool
        Mark the angle with an arc and a theta.

    Returns
    -------
    numpy.ndarray, shape (2,)
        The projection ``p = (x . y / y . y) y``.

    Raises
    ------
    ValueError
        If ``x`` or ``y`` is not a vector of shape (2,), or is zero or not finite.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> plot_projection(ax, [1.0, 2.0], [3.0, 1.0])
    array([1.5, 0.5])
    """
    x, y = _plane_vector(x, "x"), _plane_vector(y, "y")
    for name, vec in (("x", x), ("y", y)):
        if not np.any(vec):
            raise ValueError(f"{name} must be a non-zero vector: the angle with a zero vector is undefined")
    p = (x @ y) / (y @ y) * y
    _square_limits(ax, np.vstack([[0, 0], x, y, p]), pad=0.7)
    t = np.linspace(-8, 8, 2)
    ax.plot(*(t * y[:, None]), color="0.7", lw=0.8, linestyle=":", zorder=0)
    draw_arrow(ax, (0, 0), y, r"$\mathbf{y}$", color=colors[1], offset=(8, -9))
    draw_arrow(ax, (0, 0), x, r"$\mathbf{x}$", color=colors[0], offset=(-7, 9))
    if np.linalg.norm(p) > 1e-12:
        # label p on the side of the line away from x
        r = x - p
        away = -r / np.linalg.norm(r) if np.linalg.norm(r) > 1e-12 else np.array([0.0, -1.0])
        draw_arrow(ax, (0, 0), p, r"$\mathbf{p}$", color=colors[2], offset=tuple(11 * away), lw=2.2)
    ax.plot([x[0], p[0]], [x[1], p[1]], color="0.35", lw=1.0, linestyle="--")
    r_len = np.linalg.norm(x - p)
    if r_len > 1e-12 and np.linalg.norm(p) > 1e-12:
        # the right angle at p, as a small square
        a, b = 0.12 * y / np.linalg.norm(y), 0.12 * (x - p) / r_len
        a = a if x @ y >= 0 else -a
        corner = np.array([p - a, p - a + b, p + b])
        ax.plot(corner[:, 0], corner[:, 1], color="0.35", lw=0.8)
    if angle:
        a0, a1 = np.arctan2(y[1], y[0]), np.arctan2(x[1], x[0])
        if a1 - a0 > np.pi:
            a1 -= 2 * np.pi
        elif a0 - a1 > np.pi:
            a1 += 2 * np.pi
        r = 0.25 * min(np.linalg.norm(x), np.linalg.norm(y))
        t = np.linspace(a0, a1, 40)
        ax.plot(r * np.cos(t), r * np.sin(t), color="0.25", lw=1.0)
        mid = (a0 + a1) / 2
        ax.text(1.6 * r * np.cos(mid), 1.6 * r * np.sin(mid), r"$\theta$", fontsize=11,
                ha="center", va="center")
    ax.set_xlabel(r"$x_1$")
    ax.set_ylabel(r"$x_2$")
    if title:
        ax.set_title(title, fontsize=10)
    return p
