r"""Scaling by a power of two, the guard against overflow and underflow in squares.

A sum of squares overflows as soon as an entry exceeds :math:`\sqrt{\Omega}`
(about :math:`10^{154}` in float64, :math:`10^{19}` in float32) and underflows
to zero below :math:`\sqrt{\omega}`, although the norm itself is a perfectly
ordinary number. Dividing by a power of two :math:`2^e` near the largest
magnitude first, as ``np.hypot`` and LAPACK's ``dnrm2`` do, keeps every square
in range; and because the division only changes the exponent, it is exact, so
:math:`\lVert \mathbf{x} \rVert = 2^e \lVert \mathbf{x} / 2^e \rVert` holds to
the last bit.
"""

from __future__ import annotations

import numpy as np

__all__ = ["pow2_scale"]


def pow2_scale(x: np.ndarray, axis: int | tuple[int, ...] | None = None,
               keepdims: bool = False) -> np.ndarray:
    r"""The power of two :math:`2^e` with :math:`1 \le \max|x| / 2^e < 2` (1 where ``x`` is zero).

    .. math:: e = \lfloor \log_2 \max_i |x_i| \rfloor

    Parameters
    ----------
    x : numpy.ndarray
        A floating-point array (already validated).
    axis : int or tuple of int, optional
        Take the maximum along these axes (all of them by default).
    keepdims : bool, default False
        Keep the reduced axes, so that ``x / pow2_scale(x, axis, True)`` broadcasts.

    Returns
    -------
    numpy.ndarray
        Powers of two in the dtype of ``x``; dividing by them is exact.

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath.linalg import pow2_scale
    >>> x = np.array([3e200, 4e200])      # squares of 1e400 would overflow
    >>> s = pow2_scale(x)
    >>> float(s), float(np.abs(x / s).max())
    (3.061802069160839e+200, 1.3064201766302603)
    >>> round(float(s * np.linalg.norm(x / s)) / 1e200, 12)
    5.0
    """
    peak = np.max(np.abs(x), axis=axis, keepdims=keepdims)
    exponent = np.frexp(peak)[1] - 1          # peak = m * 2**(exponent + 1), 0.5 <= m < 1
    exponent = np.where(peak > 0, exponent, 0)
    return np.ldexp(np.ones_like(peak), exponent)
