r"""Least squares, two ways: QR, and the normal equations it should be preferred to.

The :math:`\mathbf{x}` minimising :math:`\lVert \mathbf{A}\mathbf{x} - \mathbf{b} \rVert_2`
solves a triangular system once :math:`\mathbf{A} = \mathbf{Q}\mathbf{R}`
(:func:`lstsq_qr`); forming :math:`\mathbf{A}^\top\mathbf{A}` instead
(:func:`lstsq_normal`) squares the condition number, and the digits lost double.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg

from .._validation import as_float_array, check_tall
from .orthogonality import householder_qr
from .scaling import pow2_scale

__all__ = ["lstsq_qr", "lstsq_normal"]


def _rhs(b, m: int, dtype) -> np.ndarray:
    b = as_float_array(b, "b", ndim=(1, 2))
    if b.shape[0] != m:
        raise ValueError(f"b must have m={m} rows to match A, got shape {b.shape}")
    return b.astype(np.result_type(dtype, b.dtype), copy=False)


def lstsq_qr(A, b) -> np.ndarray:
    r"""Least squares by QR: the :math:`\mathbf{x}` minimising :math:`\lVert \mathbf{A}\mathbf{x} - \mathbf{b} \rVert_2`.

    With the economic Householder factorisation
    :math:`\mathbf{A} = \mathbf{Q}\mathbf{R}`, the minimiser solves the
    triangular system

    .. math:: \mathbf{R}\,\mathbf{x} = \mathbf{Q}^\top \mathbf{b},

    which never forms :math:`\mathbf{A}^\top\mathbf{A}`, so its sensitivity
    is governed by :math:`\kappa(\mathbf{A})`, not :math:`\kappa(\mathbf{A})^2`
    (compare :func:`lstsq_normal`). For a square invertible ``A`` it solves
    :math:`\mathbf{A}\mathbf{x} = \mathbf{b}`.

    Parameters
    ----------
    A : array_like, shape (m, n)
        ``m >= n``, full column rank.
    b : array_like, shape (m,) or (m, k)
        One right-hand side, or ``k`` of them as columns.

    Returns
    -------
    numpy.ndarray, shape (n,) or (n, k)
        float32 if both inputs are float32, else float64.

    Raises
    ------
    ValueError
        If ``A`` is wide or rank deficient (the minimiser is then not unique),
        ``b`` has the wrong number of rows, or an input is not finite.

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath.linalg import lstsq_qr
    >>> t = np.array([0.0, 1.0, 2.0])
    >>> A = np.column_stack([np.ones(3), t])      # fit y = c0 + c1 t
    >>> lstsq_qr(A, np.array([1.0, 2.0, 4.0])).round(4)
    array([0.8333, 1.5   ])
    """
    A = as_float_array(A, "A", ndim=2)
    b = _rhs(b, A.shape[0], A.dtype)
    A = A.astype(b.dtype, copy=False)
    Q, R = householder_qr(A, "A")
    return scipy.linalg.solve_triangular(R, Q.T @ b, lower=False, check_finite=False)


def lstsq_normal(A, b) -> np.ndarray:
    r"""Least squares by the normal equations (for comparison: prefer :func:`lstsq_qr`).

    Setting the gradient of :math:`\lVert \mathbf{A}\mathbf{x} - \mathbf{b} \rVert^2`
    to zero gives

    .. math:: \mathbf{A}^\top\mathbf{A}\,\mathbf{x} = \mathbf{A}^\top\mathbf{b},

    solved here by a Cholesky factorisation
    :math:`\mathbf{A}^\top\mathbf{A} = \mathbf{R}^\top\mathbf{R}`. It is cheap,
    but :math:`\kappa(\mathbf{A}^\top\mathbf{A}) = \kappa(\mathbf{A})^2`: the
    digits lost double. Rounding in forming :math:`\mathbf{A}^\top\mathbf{A}`
    perturbs its eigenvalues by about :math:`u\lVert\mathbf{A}\rVert^2`, so
    any :math:`\mathbf{A}` with :math:`\kappa(\mathbf{A}) \gtrsim u^{-1/2}`
    (about :math:`7 \times 10^7` in float64), a rank-deficient one included,
    looks to the normal equations like one with :math:`\kappa \approx u^{-1/2}`.
    This function therefore refuses (a ``ValueError``) whenever the Cholesky
    factorisation fails or :math:`\kappa(\mathbf{R}) \ge u^{-1/2}/2`, the
    point past which it cannot tell an ill-conditioned matrix from a singular one.

    ``A`` and ``b`` are first divided by powers of two (exactly), so that
    :math:`\mathbf{A}^\top\mathbf{A}` neither over- nor underflows.

    Parameters
    ----------
    A : array_like, shape (m, n)
        ``m >= n``, full column rank.
    b : array_like, shape (m,) or (m, k)

    Returns
    -------
    numpy.ndarray, shape (n,) or (n, k)

    Raises
    ------
    ValueError
        On bad shapes or values, if :math:`\mathbf{A}^\top\mathbf{A}` is not
        numerically positive definite, or if ``A`` is (numerically) rank
        deficient or too ill-conditioned for the normal equations.

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath.linalg import lstsq_normal
    >>> A = np.column_stack([np.ones(3), [0.0, 1.0, 2.0]])
    >>> lstsq_normal(A, np.array([1.0, 2.0, 4.0])).round(4)
    array([0.8333, 1.5   ])
    """
    A = as_float_array(A, "A", ndim=2)
    b = _rhs(b, A.shape[0], A.dtype)
    A = A.astype(b.dtype, copy=False)
    check_tall(A, "A")
    scale_a, scale_b = pow2_scale(A), pow2_scale(b)
    A_s, b_s = A / scale_a, b / scale_b          # exact; A_s^T A_s stays in range
    try:
        factor = scipy.linalg.cho_factor(A_s.T @ A_s, lower=False, check_finite=False)
    except np.linalg.LinAlgError:
        raise ValueError(
            "A^T A is not numerically positive definite: A is rank deficient or its condition "
            "number is near 1/sqrt(machine epsilon); use lstsq_qr"
        ) from None
    s = scipy.linalg.svdvals(np.triu(factor[0]), check_finite=False)
    limit = 0.5 / np.sqrt(np.finfo(A.dtype).eps)
    if not s[-1] * limit > s[0]:
        raise ValueError(
            f"A is rank deficient or too ill-conditioned for the normal equations: the Cholesky "
            f"factor of A^T A has condition number {s[0] / s[-1]:.3g} >= {limit:.3g} = "
            "u^(-1/2)/2, where they cannot tell A from a singular matrix; use lstsq_qr"
        )
    x_s = scipy.linalg.cho_solve(factor, A_s.T @ b_s, check_finite=False)
    with np.errstate(over="ignore"):
        x = x_s * (scale_b / scale_a)
    if not np.isfinite(x).all():
        raise ValueError("the least-squares solution exceeds the float range (b is huge next to A)")
    return x
