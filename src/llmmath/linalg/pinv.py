r"""The pseudoinverse, rank and null space, all from one SVD.

With :math:`\mathbf{A} = \mathbf{U}\boldsymbol{\Sigma}\mathbf{V}^\top` and the
:math:`r` singular values above a tolerance, the Moore-Penrose pseudoinverse is
:math:`\mathbf{A}^+ = \mathbf{V}_r \boldsymbol{\Sigma}_r^{-1} \mathbf{U}_r^\top`, the rank
is :math:`r`, and the last :math:`n - r` right singular vectors span the null space
(rank-nullity: :math:`r + \dim N(\mathbf{A}) = n`). :math:`\mathbf{x}^+ = \mathbf{A}^+\mathbf{b}`
is the least-squares solution of smallest norm: exact when :math:`\mathbf{b}` is in the
column space, the closest fit when it is not, and the shortest of the infinitely many
solutions when the null space is not trivial.
"""

from __future__ import annotations

import numpy as np

from .._validation import as_float_array

__all__ = ["numerical_rank", "null_space", "pseudoinverse", "min_norm_solution"]


def _svd(A, rcond):
    A = as_float_array(A, "A", ndim=2)  # rejects empty and non-finite input
    U, s, Vt = np.linalg.svd(A, full_matrices=True)
    if rcond is None:
        tol = max(A.shape) * np.finfo(A.dtype).eps * s[0]  # numpy's rule
    else:
        rcond = float(rcond)
        if not np.isfinite(rcond) or rcond < 0:
            raise ValueError(f"rcond must be a finite number >= 0, got {rcond!r}")
        tol = rcond * s[0]
    r = int(np.sum(s > tol))
    return A, U, s, Vt, r


def numerical_rank(A, rcond: float | None = None) -> int:
    r"""The number of singular values above :math:`\text{rcond}\cdot\sigma_1`.

    The default tolerance is numpy's, :math:`\max(m, n)\,\varepsilon_{\text{mach}}\,\sigma_1`,
    so the result agrees with ``numpy.linalg.matrix_rank``.

    Examples
    --------
    >>> from llmmath.linalg import numerical_rank
    >>> numerical_rank([[1.0, 2.0], [2.0, 4.0]])
    1
    """
    return _svd(A, rcond)[4]


def null_space(A, rcond: float | None = None) -> np.ndarray:
    r"""An orthonormal basis of :math:`N(\mathbf{A}) = \{\mathbf{x} : \mathbf{A}\mathbf{x} = \mathbf{0}\}`, as columns.

    Returns the last :math:`n - r` rows of :math:`\mathbf{V}^\top`, transposed: shape
    ``(n, n - r)``.

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath.linalg import null_space
    >>> N = null_space([[1.0, 2.0], [2.0, 4.0]])
    >>> N.shape
    (2, 1)
    >>> bool(np.allclose(np.array([[1.0, 2.0]]) @ N, 0))
    True
    """
    _, _, _, Vt, r = _svd(A, rcond)
    return Vt[r:].T.copy()


def pseudoinverse(A, rcond: float | None = None) -> np.ndarray:
    r"""The Moore-Penrose pseudoinverse :math:`\mathbf{A}^+ = \mathbf{V}_r\boldsymbol{\Sigma}_r^{-1}\mathbf{U}_r^\top`.

    For full column rank, :math:`\mathbf{A}^+\mathbf{A} = \mathbf{I}_n` (a left inverse);
    for full row rank, :math:`\mathbf{A}\mathbf{A}^+ = \mathbf{I}_m` (a right inverse).

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath.linalg import pseudoinverse
    >>> W = np.array([[1.0, 0.0], [0.0, 2.0], [0.0, 0.0]])   # tall, full column rank
    >>> bool(np.allclose(pseudoinverse(W) @ W, np.eye(2)))
    True
    """
    A, U, s, Vt, r = _svd(A, rcond)
    return (Vt[:r].T / s[:r]) @ U[:, :r].T


def min_norm_solution(A, b, rcond: float | None = None) -> np.ndarray:
    r"""The least-squares solution of smallest norm, :math:`\mathbf{x}^+ = \mathbf{A}^+\mathbf{b}`.

    Computed as :math:`\mathbf{V}_r\boldsymbol{\Sigma}_r^{-1}(\mathbf{U}_r^\top\mathbf{b})`,
    without forming :math:`\mathbf{A}^+`. It has no component in the null space, which is
    why it is the shortest: any other solution adds a null-space vector orthogonal to it.

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath.linalg import min_norm_solution
    >>> min_norm_solution([[1.0, 1.0]], [2.0])      # x + y = 2: the shortest is (1, 1)
    array([1., 1.])
    """
    A, U, s, Vt, r = _svd(A, rcond)
    b = as_float_array(b, "b", ndim=(1, 2))
    if b.shape[0] != A.shape[0]:
        raise ValueError(f"b must have {A.shape[0]} rows to match A, got shape {b.shape}")
    coeff = U[:, :r].T @ b
    coeff = coeff / (s[:r] if b.ndim == 1 else s[:r, None])
    return Vt[:r].T @ coeff
