r"""Vectors and the angle between them.

Words become vectors; "similar meaning" becomes "small angle". The cosine of
that angle is the dot product of the two vectors after each is scaled to unit
length.
"""

from __future__ import annotations

import numpy as np

from .._validation import as_float_array
from .scaling import pow2_scale

__all__ = ["cosine_similarity", "unit_rows"]


def unit_rows(x, name: str = "x") -> np.ndarray:
    r"""Scale each row (last axis) of ``x`` to unit Euclidean length.

    .. math:: \hat{\mathbf{x}} = \mathbf{x} / \lVert \mathbf{x} \rVert_2

    Each row is first divided (exactly) by a power of two near its largest
    entry, so that no square over- or underflows: rows of size :math:`10^{300}`
    or :math:`10^{-300}` (:math:`10^{30}` in float32) come out as accurate unit
    vectors, not as zeros or NaN.

    Parameters
    ----------
    x : array_like, shape (..., d)
        Finite vectors, none of them zero.
    name : str, default "x"
        The argument name used in error messages.

    Returns
    -------
    numpy.ndarray
        Unit vectors, shape and precision of ``x``.

    Raises
    ------
    ValueError
        If a row is the zero vector, whose direction is undefined.

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath import unit_rows
    >>> unit_rows(np.array([[3.0, 4.0]]))
    array([[0.6, 0.8]])
    """
    arr = as_float_array(x, name, min_ndim=1)
    scaled = arr / pow2_scale(arr, axis=-1, keepdims=True)   # max |entry| of each row in [1, 2)
    norms = np.linalg.norm(scaled, axis=-1, keepdims=True)
    if not np.all(norms > 0):
        bad = np.argwhere(norms[..., 0] == 0)
        where = "" if arr.ndim == 1 else f" (row {tuple(int(i) for i in bad[0])})"
        raise ValueError(f"{name} contains a zero vector{where}: its cosine similarity is undefined")
    scaled /= norms
    return scaled


def cosine_similarity(a, b) -> float | np.ndarray:
    r"""Cosine of the angle between vectors, for one pair or all pairs.

    .. math::

        \cos(\mathbf{a}, \mathbf{b})
        = \frac{\mathbf{a} \cdot \mathbf{b}}{\lVert \mathbf{a} \rVert_2 \, \lVert \mathbf{b} \rVert_2}
        \in [-1, 1].

    Parameters
    ----------
    a : array_like, shape (d,) or (n, d)
        One vector or ``n`` vectors as rows.
    b : array_like, shape (d,) or (m, d)
        One vector or ``m`` vectors as rows, in the same dimension ``d``.

    Returns
    -------
    float or numpy.ndarray
        A float for two 1-D vectors; otherwise an array of shape
        ``(n, m)``, ``(n,)`` or ``(m,)`` whose entry ``[i, j]`` is
        :math:`\cos(\mathbf{a}_i, \mathbf{b}_j)`.

    Raises
    ------
    ValueError
        On mismatched dimensions, empty input, non-finite values or a zero
        vector (whose angle is undefined).

    Notes
    -----
    Both sides go through :func:`unit_rows`, which scales before squaring, so
    the result is right at any magnitude a float holds: the cosine of
    :math:`(10^{200}, 10^{200})` and :math:`(1, 0)` is :math:`1/\sqrt 2`.

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath import cosine_similarity
    >>> cosine_similarity(np.array([1.0, 0.0]), np.array([1.0, 1.0]))  # cos 45 degrees
    0.7071067811865475
    >>> cosine_similarity(np.eye(2), np.array([[1.0, 0.0], [0.0, -2.0]]))
    array([[ 1.,  0.],
           [ 0., -1.]])
    """
    a_arr = as_float_array(a, "a", ndim=(1, 2))
    b_arr = as_float_array(b, "b", ndim=(1, 2))
    if a_arr.shape[-1] != b_arr.shape[-1]:
        raise ValueError(
            f"a and b must have the same dimension d (last axis), got {a_arr.shape[-1]} and {b_arr.shape[-1]}"
        )
    sims = unit_rows(a_arr, "a") @ unit_rows(b_arr, "b").T
    # Rounding can push |cos| a hair above 1; the true value never is.
    if sims.ndim == 0:
        return float(np.clip(sims, -1.0, 1.0))
    return np.clip(sims, -1.0, 1.0, out=sims)
