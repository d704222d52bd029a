r"""Test matrices: random orthonormal columns and matrices of a chosen condition number.

The matrices of :func:`conditioned_matrix` have a prescribed condition number,
so that the digits an algorithm loses can be measured against
:math:`\kappa(\mathbf{A})`.
"""

from __future__ import annotations

import numpy as np

from .._validation import as_rng, check_positive
from .orthogonality import positive_diagonal

__all__ = ["random_orthonormal", "conditioned_matrix"]


def random_orthonormal(m: int, n: int | None = None, seed=0) -> np.ndarray:
    r"""A random matrix with orthonormal columns, uniformly (Haar) distributed.

    The QR factorisation of a Gaussian matrix, with the signs of ``Q``'s
    columns fixed so that ``R`` has a positive diagonal, gives
    :math:`\mathbf{Q}^\top\mathbf{Q} = \mathbf{I}` with a distribution that no
    rotation changes.

    Parameters
    ----------
    m : int
        Number of rows.
    n : int, optional
        Number of columns, ``1 <= n <= m`` (default ``m``: a square orthogonal matrix).
    seed : int or numpy.random.Generator, default 0

    Returns
    -------
    numpy.ndarray, shape (m, n)

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath.linalg import random_orthonormal
    >>> Q = random_orthonormal(5, 3, seed=1)
    >>> np.allclose(Q.T @ Q, np.eye(3))
    True
    """
    m = check_positive(m, "m", integer=True)
    n = m if n is None else check_positive(n, "n", integer=True)
    if n > m:
        raise ValueError(f"n must be at most m={m} for orthonormal columns, got {n}")
    G = as_rng(seed).standard_normal((m, n))
    Q, _ = positive_diagonal(*np.linalg.qr(G))
    return Q


def conditioned_matrix(n: int, kappa: float, *, m: int | None = None, seed=0) -> np.ndarray:
    r"""A random ``(m, n)`` matrix with condition number ``kappa``.

    .. math::

        \mathbf{A} = \mathbf{U}\,\operatorname{diag}(\sigma_1, \dots, \sigma_n)\,\mathbf{V}^\top,
        \qquad \sigma_i = \kappa^{-(i-1)/(n-1)},

    with ``U`` and ``V`` from :func:`random_orthonormal`: singular values
    spaced geometrically from 1 down to :math:`1/\kappa`, so
    :math:`\lVert \mathbf{A} \rVert_2 = 1` and
    :math:`\kappa_2(\mathbf{A}) = \sigma_1/\sigma_n = \kappa` (up to the
    rounding of the product, relatively about :math:`u\,\kappa`).

    Parameters
    ----------
    n : int
        Number of columns, ``n >= 2``.
    kappa : float
        The condition number, ``>= 1``.
    m : int, optional
        Number of rows, ``>= n`` (default ``n``: square).
    seed : int or numpy.random.Generator, default 0

    Returns
    -------
    numpy.ndarray, shape (m, n)

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath.linalg import conditioned_matrix
    >>> A = conditioned_matrix(4, 1e3, m=6, seed=0)
    >>> A.shape, round(float(np.linalg.cond(A)), 6)
    ((6, 4), 1000.0)
    """
    n = check_positive(n, "n", integer=True)
    if n < 2:
        raise ValueError(f"n must be at least 2 for a condition number to be chosen, got {n}")
    kappa = check_positive(kappa, "kappa")
    if kappa < 1:
        raise ValueError(f"kappa must be >= 1 (sigma_max / sigma_min), got {kappa!r}")
    m = n if m is None else check_positive(m, "m", integer=True)
    if m < n:
        raise ValueError(f"m must be at least n={n}, got {m}")
    rng = as_rng(seed)
    U = random_orthonormal(m, n, seed=rng)
    V = random_orthonormal(n, n, seed=rng)
    s = kappa ** -np.linspace(0.0, 1.0, n)
    return (U * s) @ V.T
