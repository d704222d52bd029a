r"""Matrices as maps: transformed grids, signed area, homogeneous coordinates, the cost of a product.

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

import numpy as np

from .._validation import as_float_array, check_positive, result_dtype
from .scaling import pow2_scale

__all__ = [
    "affine_to_homogeneous",
    "grid_lines",
    "signed_area",
    "matmul_flops",
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
    >>> from llmmath.linalg import affine_to_homogeneous
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
    >>> from llmmath.linalg import grid_lines
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

    The area does not change when the polygon moves, and the formula is
    evaluated after moving it: each polygon's first vertex is subtracted
    first (otherwise a unit square at :math:`10^9` loses every
    digit to cancellation between products of size :math:`10^{18}`), and the
    coordinates are divided by a power of two (exactly) so that no product
    over- or underflows; the area is scaled back at the end.

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
    >>> from llmmath.linalg import signed_area
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
    # Move each polygon's first vertex to the origin (exact for nearby values, so
    # integer polygons keep exact areas), then scale by a power of two (exact).
    v = v - v[..., :1, :]
    scale = pow2_scale(v, axis=(-2, -1), keepdims=True)
    v = v / scale
    x, y = v[..., 0], v[..., 1]
    area = 0.5 * np.sum(x * np.roll(y, -1, axis=-1) - np.roll(x, -1, axis=-1) * y, axis=-1)
    with np.errstate(over="ignore"):
        area = area * scale[..., 0, 0] ** 2
    return float(area) if area.ndim == 0 else area


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
    >>> from llmmath.linalg import matmul_flops
    >>> matmul_flops(1536, 384, 1)   # one token through MiniLM's feed-forward expansion
    1179648
    """
    m = check_positive(m, "m", integer=True)
    n = check_positive(n, "n", integer=True)
    k = check_positive(k, "k", integer=True)
    return 2 * m * n * k
