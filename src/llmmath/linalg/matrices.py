r"""Matrices as maps: transformed grids, homogeneous coordinates, and the cost of a product.

A matrix :math:`\mathbf{A}` of shape :math:`(m, n)` is a linear map from
:math:`\mathbb{R}^n` to :math:`\mathbb{R}^m`. In the plane its action is seen
whole by drawing what it does to a square grid and to the unit square, whose
image has signed area :math:`\det \mathbf{A}`. A neural-network layer
:math:`\mathbf{W}\mathbf{x} + \mathbf{b}` is affine rather than linear; one
more coordinate, fixed at 1, makes it linear again. Finally, the product of an
:math:`(m, n)` matrix and an :math:`(n, k)` matrix costs :math:`2mnk`
floating-point operations, which :func:`matmul_op_count` counts one by one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._validation import as_float_array, check_positive, result_dtype

__all__ = [
    "affine_to_homogeneous",
    "grid_lines",
    "signed_area",
    "plot_linear_map",
    "matmul_flops",
    "naive_matmul",
    "matmul_op_count",
    "MatmulOps",
]


def affine_to_homogeneous(weight, bias) -> np.ndarray:
    r"""The matrix that applies an affine map in homogeneous coordinates.

    The affine map :math:`\mathbf{x} \mapsto \mathbf{W}\mathbf{x} + \mathbf{b}`
    becomes linear once a constant coordinate 1 is appended to its input:

    .. math::

        \begin{pmatrix} \mathbf{W}\mathbf{x} + \mathbf{b} \\ 1 \end{pmatrix}
        = \underbrace{\begin{pmatrix} \mathbf{W} & \mathbf{b} \\ \mathbf{0}^\top & 1 \end{pmatrix}}_{\mathbf{H}}
          \begin{pmatrix} \mathbf{x} \\ 1 \end{pmatrix}.

    Parameters
    ----------
    weight : array_like, shape (out_features, in_features)
        :math:`\mathbf{W}`, in PyTorch's layout (the layer computes ``x @ weight.T + bias``).
    bias : array_like, shape (out_features,)
        :math:`\mathbf{b}`.

    Returns
    -------
    numpy.ndarray, shape (out_features + 1, in_features + 1)
        :math:`\mathbf{H}`; float32 when both inputs are float32, else float64.

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath.linalg.matrices import affine_to_homogeneous
    >>> H = affine_to_homogeneous(np.array([[2.0, 0.0]]), np.array([1.0]))
    >>> H
    array([[2., 0., 1.],
           [0., 0., 1.]])
    >>> H @ np.array([3.0, 5.0, 1.0])   # 2 * 3 + 1 = 7, and the 1 carried along
    array([7., 1.])
    """
    w = as_float_array(weight, "weight", ndim=2)
    b = as_float_array(bias, "bias", ndim=1)
    if b.shape[0] != w.shape[0]:
        raise ValueError(
            f"bias must have length out_features = weight.shape[0] = {w.shape[0]}, got {b.shape[0]}"
        )
    out, inp = w.shape
    h = np.zeros((out + 1, inp + 1), dtype=result_dtype(w, b))
    h[:out, :inp] = w
    h[:out, inp] = b
    h[out, inp] = 1
    return h


def grid_lines(extent: float = 2.0, n_lines: int = 9, n_points: int = 41) -> np.ndarray:
    r"""Points along the lines of a square grid on :math:`[-e, e]^2`, ready to be mapped.

    A linear map sends lines to lines (or to points), so applying a
    :math:`2 \times 2` matrix to these points, ``lines @ A.T``, draws its
    action on the whole plane.

    Parameters
    ----------
    extent : float, default 2.0
        :math:`e > 0`, half the side of the square.
    n_lines : int, default 9
        Number of lines in each direction, at least 2 (odd values include the axes).
    n_points : int, default 41
        Points along each line, at least 2.

    Returns
    -------
    numpy.ndarray, shape (2 * n_lines, n_points, 2)
        The first ``n_lines`` lines are vertical (constant :math:`x`), the rest
        horizontal (constant :math:`y`); the last axis holds :math:`(x, y)`.

    Examples
    --------
    >>> from llmmath.linalg.matrices import grid_lines
    >>> lines = grid_lines(extent=1.0, n_lines=3, n_points=2)
    >>> lines.shape
    (6, 2, 2)
    >>> lines[0].tolist()   # the vertical line x = -1
    [[-1.0, -1.0], [-1.0, 1.0]]
    """
    e = check_positive(extent, "extent")
    n_lines = check_positive(n_lines, "n_lines", integer=True)
    n_points = check_positive(n_points, "n_points", integer=True)
    if n_lines < 2:
        raise ValueError(f"n_lines must be at least 2, got {n_lines}")
    if n_points < 2:
        raise ValueError(f"n_points must be at least 2, got {n_points}")
    ticks = np.linspace(-e, e, n_lines)
    along = np.linspace(-e, e, n_points)
    fixed, moving = np.meshgrid(ticks, along, indexing="ij")   # both (n_lines, n_points)
    vertical = np.stack([fixed, moving], axis=-1)
    horizontal = np.stack([moving, fixed], axis=-1)
    return np.concatenate([vertical, horizontal])


def signed_area(vertices) -> float | np.ndarray:
    r"""Signed area of a polygon by the shoelace formula.

    For vertices :math:`(x_1, y_1), \dots, (x_p, y_p)` in order,

    .. math::

        \operatorname{area} = \frac12 \sum_{i=1}^{p} \left(x_i\, y_{i+1} - x_{i+1}\, y_i\right),
        \qquad (x_{p+1}, y_{p+1}) = (x_1, y_1),

    positive when the vertices run counter-clockwise and negative when they
    run clockwise. The image of the unit square under a :math:`2 \times 2`
    matrix :math:`\mathbf{A}` has signed area :math:`\det \mathbf{A}`.

    Parameters
    ----------
    vertices : array_like, shape (..., p, 2)
        One polygon, or a batch of them, with ``p >= 3`` vertices each.

    Returns
    -------
    float or numpy.ndarray
        A float for one polygon, an array of shape ``vertices.shape[:-2]`` for a batch.

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath.linalg.matrices import signed_area
    >>> square = np.array([[0, 0], [1, 0], [1, 1], [0, 1]])
    >>> signed_area(square), signed_area(square[::-1])
    (1.0, -1.0)
    >>> A = np.array([[2.0, 1.0], [0.0, 3.0]])
    >>> signed_area(square @ A.T)   # det A = 6
    6.0
    """
    v = as_float_array(vertices, "vertices", min_ndim=2)
    if v.shape[-1] != 2 or v.shape[-2] < 3:
        raise ValueError(f"vertices must have shape (..., p, 2) with p >= 3, got {v.shape}")
    x, y = v[..., 0], v[..., 1]
    area = 0.5 * np.sum(x * np.roll(y, -1, axis=-1) - np.roll(x, -1, axis=-1) * y, axis=-1)
    return float(area) if area.ndim == 0 else area


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
    >>> from llmmath.linalg.matrices import plot_linear_map
    >>> ax = plot_linear_map(np.array([[1.0, 1.0], [0.0, 1.0]]), title="shear")
    >>> ax.get_title()
    'shear'
    >>> plt.close(ax.figure)
    """
    import matplotlib.pyplot as plt
    from matplotlib.collections import LineCollection
    from matplotlib.patches import Polygon

    from ..book.style import BOOK_COLORS

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


def matmul_flops(m: int, n: int, k: int) -> int:
    r"""Floating-point operations of the standard product of an (m, n) and an (n, k) matrix.

    Each of the :math:`mk` entries :math:`C_{ij} = \sum_{p=1}^{n} A_{ip} B_{pj}`
    takes :math:`n` multiplications and :math:`n` additions into an
    accumulator that starts at zero, so

    .. math:: \text{flops}(m, n, k) = 2mnk .

    (Starting the accumulator at the first product saves one addition per
    entry, :math:`mk(2n - 1)`; the difference is negligible and BLAS
    libraries, which fuse each multiply and add, are rated by :math:`2mnk`.)

    Parameters
    ----------
    m, n, k : int
        Positive sizes: :math:`\mathbf{A}` is :math:`(m, n)`, :math:`\mathbf{B}` is :math:`(n, k)`.

    Returns
    -------
    int

    Examples
    --------
    >>> from llmmath.linalg.matrices import matmul_flops
    >>> matmul_flops(1536, 384, 1)   # one token through MiniLM's feed-forward expansion
    1179648
    """
    m = check_positive(m, "m", integer=True)
    n = check_positive(n, "n", integer=True)
    k = check_positive(k, "k", integer=True)
    return 2 * m * n * k


def _triple_loop(a_rows: list, b_cols: list, zero) -> list:
    """The textbook product on nested lists: row i of A times column j of B, for every i, j."""
    out = []
    for row in a_rows:
        out_row = []
        for col in b_cols:
            acc = zero
            for x, y in zip(row, col):
                acc = acc + x * y
            out_row.append(acc)
        out.append(out_row)
    return out


def _check_pair(a, b) -> tuple[np.ndarray, np.ndarray]:
    a_arr = as_float_array(a, "a", ndim=2)
    b_arr = as_float_array(b, "b", ndim=2)
    if a_arr.shape[1] != b_arr.shape[0]:
        raise ValueError(
            f"a's columns must match b's rows: a has shape {a_arr.shape}, b has shape {b_arr.shape}"
        )
    return a_arr, b_arr


def naive_matmul(a, b) -> np.ndarray:
    r"""The matrix product by three nested Python loops (a deliberately slow reference).

    .. math:: C_{ij} = \sum_{p=1}^{n} A_{ip} B_{pj}, \qquad i \le m,\ j \le k .

    This is the definition executed literally, one scalar operation at a time
    in the Python interpreter. It exists to be timed against ``a @ b``, which
    hands the same arithmetic to an optimised BLAS library; use ``@`` for
    anything else.

    Parameters
    ----------
    a : array_like, shape (m, n)
    b : array_like, shape (n, k)

    Returns
    -------
    numpy.ndarray, shape (m, k)
        Float32 if both inputs are float32 (the arithmetic itself runs in
        Python's double precision), else float64.

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath.linalg.matrices import naive_matmul
    >>> naive_matmul(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[5.0], [6.0]]))
    array([[17.],
           [39.]])
    """
    a_arr, b_arr = _check_pair(a, b)
    rows = a_arr.tolist()
    cols = b_arr.T.tolist()
    return np.array(_triple_loop(rows, cols, 0.0), dtype=result_dtype(a_arr, b_arr))


class _Counted:
    """A number that records every multiplication and addition it takes part in."""

    __slots__ = ("value", "tally")

    def __init__(self, value: float, tally: dict) -> None:
        self.value = value
        self.tally = tally

    def __mul__(self, other: _Counted) -> _Counted:
        self.tally["mul"] += 1
        return _Counted(self.value * other.value, self.tally)

    def __add__(self, other: _Counted) -> _Counted:
        self.tally["add"] += 1
        return _Counted(self.value + other.value, self.tally)


@dataclass(frozen=True)
class MatmulOps:
    """What :func:`matmul_op_count` returns.

    Attributes
    ----------
    product : numpy.ndarray, shape (m, k)
        The product, computed by the counted loop.
    multiplications : int
        Scalar multiplications performed.
    additions : int
        Scalar additions performed.
    """

    product: np.ndarray
    multiplications: int
    additions: int

    @property
    def flops(self) -> int:
        """Multiplications plus additions."""
        return self.multiplications + self.additions


def matmul_op_count(a, b) -> MatmulOps:
    r"""Run the loop of :func:`naive_matmul` on instrumented numbers and count its operations.

    Every entry of ``a`` and ``b`` is wrapped in a number type that increments
    a counter on each ``*`` and ``+``; the loop itself is the very code that
    :func:`naive_matmul` runs. The counts are measured, not computed from a
    formula, so they can be compared with :func:`matmul_flops`.

    Parameters
    ----------
    a : array_like, shape (m, n)
    b : array_like, shape (n, k)

    Returns
    -------
    MatmulOps

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath.linalg.matrices import matmul_op_count
    >>> ops = matmul_op_count(np.ones((2, 3)), np.ones((3, 4)))
    >>> ops.multiplications, ops.additions, ops.flops   # 2 * 2 * 3 * 4 = 48
    (24, 24, 48)
    """
    a_arr, b_arr = _check_pair(a, b)
    tally = {"mul": 0, "add": 0}
    rows = [[_Counted(v, tally) for v in row] for row in a_arr.tolist()]
    cols = [[_Counted(v, tally) for v in col] for col in b_arr.T.tolist()]
    out = _triple_loop(rows, cols, _Counted(0.0, tally))
    product = np.array([[c.value for c in row] for row in out], dtype=result_dtype(a_arr, b_arr))
    return MatmulOps(product, tally["mul"], tally["add"])
