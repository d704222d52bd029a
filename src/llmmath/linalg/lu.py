r"""Gaussian elimination as a factorisation: :math:`\mathbf{A} = \mathbf{P}\mathbf{L}\mathbf{U}`.

Elimination subtracts multiples of one row from the rows below it until the matrix is
upper triangular. Recording the multipliers gives a unit lower-triangular
:math:`\mathbf{L}`; recording the row swaps gives a permutation :math:`\mathbf{P}`.
Partial pivoting swaps into the pivot position the entry of largest magnitude in the
column, so that every multiplier satisfies :math:`|\ell_{ik}| \le 1`; without it a tiny
pivot makes huge multipliers and the rounding errors they carry swamp the answer.
"""

from __future__ import annotations

import numpy as np

from .._validation import as_float_array, check_bool

__all__ = ["lu", "lu_solve", "forward_substitution", "back_substitution", "growth_factor"]


def _square(A, name: str) -> np.ndarray:
    A = as_float_array(A, name, ndim=2)
    if A.shape[0] != A.shape[1]:
        raise ValueError(f"{name} must be a square matrix, got shape {A.shape}")
    return A


def lu(A, pivoting: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""LU factorisation by Gaussian elimination, with partial pivoting by default.

    Returns :math:`\mathbf{P}, \mathbf{L}, \mathbf{U}` with

    .. math:: \mathbf{A} = \mathbf{P}\mathbf{L}\mathbf{U},

    :math:`\mathbf{P}` a permutation matrix, :math:`\mathbf{L}` unit lower triangular and
    :math:`\mathbf{U}` upper triangular, the convention of ``scipy.linalg.lu``. Step
    :math:`k` picks the pivot row :math:`p = \arg\max_{i \ge k} |u_{ik}|` (with
    ``pivoting``), swaps it into row :math:`k`, and subtracts
    :math:`\ell_{ik} = u_{ik} / u_{kk}` times row :math:`k` from each row :math:`i > k`:
    a rank-one update of the trailing block, :math:`\tfrac{2}{3}n^3` flops in all.

    Parameters
    ----------
    A : array_like, shape (n, n)
        A square matrix of real numbers.
    pivoting : bool, default True
        Partial pivoting. ``False`` takes the pivots in order, as elimination by hand
        does, and fails on a zero pivot even when :math:`\mathbf{A}` is invertible.

    Returns
    -------
    P, L, U : ndarray, shape (n, n)
        In the floating dtype of ``A`` (float32 stays float32).

    Raises
    ------
    ValueError
        If ``A`` is not square, or (without pivoting) a pivot is exactly zero. A
        singular ``A`` with pivoting gives a zero on the diagonal of ``U``, not an
        error: the factorisation exists; solving with it is what fails.

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath.linalg import lu
    >>> P, L, U = lu(np.array([[1.0, 2.0], [3.0, 4.0]]))
    >>> L
    array([[1.        , 0.        ],
           [0.33333333, 1.        ]])
    >>> U
    array([[3.        , 4.        ],
           [0.        , 0.66666667]])
    >>> bool(np.allclose(P @ L @ U, [[1.0, 2.0], [3.0, 4.0]]))
    True
    """
    U = _square(A, "A").copy()
    pivoting = check_bool(pivoting, "pivoting")
    n = U.shape[0]
    L = np.eye(n, dtype=U.dtype)
    perm = np.arange(n)
    for k in range(n - 1):
        if pivoting:
            p = k + int(np.argmax(np.abs(U[k:, k])))
            if p != k:  # swap rows k and p of U, of the multipliers found so far, and of perm
                U[[k, p], k:] = U[[p, k], k:]
                L[[k, p], :k] = L[[p, k], :k]
                perm[[k, p]] = perm[[p, k]]
        pivot = U[k, k]
        if pivot == 0:
            if not pivoting:
                raise ValueError(f"A has a zero pivot at step {k} without pivoting; use pivoting=True")
            continue  # the whole column below is zero: nothing to eliminate
        L[k + 1:, k] = U[k + 1:, k] / pivot
        U[k + 1:, k:] -= np.outer(L[k + 1:, k], U[k, k:])
        U[k + 1:, k] = 0.0  # exactly zero by construction
    P = np.eye(n, dtype=U.dtype)[:, perm]
    return P, L, U


def forward_substitution(L, b, unit_diagonal: bool = False) -> np.ndarray:
    r"""Solve :math:`\mathbf{L}\mathbf{y} = \mathbf{b}` for lower-triangular :math:`\mathbf{L}`, top row first.

    .. math:: y_i = \Bigl(b_i - \sum_{j<i} \ell_{ij} y_j\Bigr) / \ell_{ii}

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath.linalg import forward_substitution
    >>> forward_substitution(np.array([[2.0, 0.0], [1.0, 1.0]]), np.array([2.0, 3.0]))
    array([1., 2.])
    """
    L = _square(L, "L")
    b = as_float_array(b, "b", ndim=(1, 2))
    if b.shape[0] != L.shape[0]:
        raise ValueError(f"b must have {L.shape[0]} rows to match L, got shape {b.shape}")
    unit = check_bool(unit_diagonal, "unit_diagonal")
    y = np.zeros(b.shape, dtype=np.result_type(L.dtype, b.dtype))
    for i in range(L.shape[0]):
        d = 1.0 if unit else L[i, i]
        if d == 0:
            raise ValueError(f"L is singular: L[{i},{i}] = 0")
        y[i] = (b[i] - L[i, :i] @ y[:i]) / d
    return y


def back_substitution(U, y) -> np.ndarray:
    r"""Solve :math:`\mathbf{U}\mathbf{x} = \mathbf{y}` for upper-triangular :math:`\mathbf{U}`, bottom row first.

    .. math:: x_i = \Bigl(y_i - \sum_{j>i} u_{ij} x_j\Bigr) / u_{ii}

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath.linalg import back_substitution
    >>> back_substitution(np.array([[2.0, 1.0], [0.0, 1.0]]), np.array([4.0, 2.0]))
    array([1., 2.])
    """
    U = _square(U, "U")
    y = as_float_array(y, "y", ndim=(1, 2))
    if y.shape[0] != U.shape[0]:
        raise ValueError(f"y must have {U.shape[0]} rows to match U, got shape {y.shape}")
    x = np.zeros(y.shape, dtype=np.result_type(U.dtype, y.dtype))
    for i in range(U.shape[0] - 1, -1, -1):
        if U[i, i] == 0:
            raise ValueError(f"U is singular: U[{i},{i}] = 0, so A x = b has no unique solution")
        x[i] = (y[i] - U[i, i + 1:] @ x[i + 1:]) / U[i, i]
    return x


def lu_solve(P, L, U, b) -> np.ndarray:
    r"""Solve :math:`\mathbf{A}\mathbf{x} = \mathbf{b}` from :math:`\mathbf{A} = \mathbf{P}\mathbf{L}\mathbf{U}`.

    Three cheap steps: permute, :math:`\mathbf{y} = \mathbf{L}^{-1}\mathbf{P}^\top\mathbf{b}`
    by forward substitution, :math:`\mathbf{x} = \mathbf{U}^{-1}\mathbf{y}` by back
    substitution; :math:`2n^2` flops against the factorisation's :math:`\tfrac{2}{3}n^3`.

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath.linalg import lu, lu_solve
    >>> A = np.array([[1.0, 2.0], [3.0, 4.0]])
    >>> lu_solve(*lu(A), np.array([5.0, 6.0]))
    array([-4. ,  4.5])
    """
    P = _square(P, "P")
    b = as_float_array(b, "b", ndim=(1, 2))
    if b.shape[0] != P.shape[0]:
        raise ValueError(f"b must have {P.shape[0]} rows to match P, got shape {b.shape}")
    return back_substitution(U, forward_substitution(L, P.T @ b, unit_diagonal=True))


def growth_factor(A, U) -> float:
    r"""Element growth of elimination, :math:`\rho = \max_{ij}|u_{ij}| / \max_{ij}|a_{ij}|`.

    The backward error of Gaussian elimination is bounded by a modest multiple of
    :math:`\rho\, n\, \varepsilon_{\text{mach}} \|\mathbf{A}\|`; partial pivoting keeps
    :math:`\rho \le 2^{n-1}` and in practice small, while no pivoting lets it be
    arbitrarily large.

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath.linalg import growth_factor, lu
    >>> A = np.array([[1e-8, 1.0], [1.0, 1.0]])
    >>> growth_factor(A, lu(A, pivoting=False)[2]) > 1e7
    True
    """
    A = _square(A, "A")
    U = _square(U, "U")
    top = float(np.max(np.abs(A)))
    if top == 0:
        raise ValueError("A is the zero matrix: its growth factor is undefined")
    return float(np.max(np.abs(U))) / top
