r"""Orthogonality and linear systems: Gram-Schmidt, projections, least squares.

An orthonormal basis turns coordinates into dot products. Gram-Schmidt builds
one from any independent columns, giving the factorisation
:math:`\mathbf{A} = \mathbf{Q}\mathbf{R}`; with it a projection is
:math:`\mathbf{Q}\mathbf{Q}^\top` and a least-squares problem is a triangular
solve. The classical and modified orders of Gram-Schmidt are equal in exact
arithmetic and very different in floating point (Björck, 1967). The test
matrices of :func:`conditioned_matrix` have a chosen condition number, so
that the digits an algorithm loses can be measured against
:math:`\kappa(\mathbf{A})`.
"""

from __future__ import annotations

import numbers

import numpy as np
import scipy.linalg

from .._validation import as_float_array, check_positive

__all__ = [
    "gram_schmidt",
    "orthogonality_loss",
    "projection_matrix",
    "lstsq_qr",
    "lstsq_normal",
    "random_orthonormal",
    "conditioned_matrix",
]


def _check_bool(value, name: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def _rng(seed, name: str = "seed") -> np.random.Generator:
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise TypeError(f"{name} must be a non-negative integer or a numpy Generator, got {seed!r}")
    return np.random.default_rng(int(seed))


def _tall(A: np.ndarray, name: str) -> None:
    m, n = A.shape
    if m < n:
        raise ValueError(
            f"{name} must have at least as many rows as columns (m >= n) for its columns to be "
            f"independent, got shape {A.shape}"
        )


def _rhs(b, m: int, dtype) -> np.ndarray:
    b = as_float_array(b, "b", ndim=(1, 2))
    if b.shape[0] != m:
        raise ValueError(f"b must have m={m} rows to match A, got shape {b.shape}")
    return b.astype(np.result_type(dtype, b.dtype), copy=False)


def _householder_qr(A: np.ndarray, name: str) -> tuple[np.ndarray, np.ndarray]:
    """Economic Householder QR with a full-column-rank check on the diagonal of R."""
    _tall(A, name)
    Q, R = scipy.linalg.qr(A, mode="economic", check_finite=False)
    diag = np.abs(np.diag(R))
    tol = max(A.shape) * np.finfo(A.dtype).eps * np.linalg.norm(A)
    if not np.all(diag > tol):
        j = int(np.argmax(~(diag > tol)))
        raise ValueError(
            f"{name} is rank deficient: column {j} lies (numerically) in the span of the columns "
            f"before it (|R[{j},{j}]| = {diag[j]:.3g} <= {tol:.3g}); the solution is not unique"
        )
    return Q, R


def gram_schmidt(A, modified: bool = True) -> tuple[np.ndarray, np.ndarray]:
    r"""Orthonormalise the columns of ``A`` by Gram-Schmidt: :math:`\mathbf{A} = \mathbf{Q}\mathbf{R}`.

    Column :math:`j` loses its components along the earlier unit vectors and
    what remains is scaled to unit length:

    .. math::

        \mathbf{v}_j = \mathbf{a}_j - \sum_{i<j} r_{ij}\,\mathbf{q}_i, \qquad
        r_{jj} = \lVert \mathbf{v}_j \rVert, \qquad
        \mathbf{q}_j = \mathbf{v}_j / r_{jj} .

    The two variants differ only in the coefficient :math:`r_{ij}`. The
    classical one projects the original column,
    :math:`r_{ij} = \mathbf{q}_i^\top \mathbf{a}_j`; the modified one
    projects the partly reduced column, :math:`r_{ij} = \mathbf{q}_i^\top
    \mathbf{v}_j^{(i)}` with :math:`\mathbf{v}_j^{(i)} = \mathbf{a}_j -
    \sum_{l<i} r_{lj}\mathbf{q}_l`. In exact arithmetic they agree; in
    floating point with unit roundoff :math:`u`, the loss of orthogonality
    :math:`\lVert \mathbf{Q}^\top\mathbf{Q} - \mathbf{I} \rVert` grows like
    :math:`u\,\kappa(\mathbf{A})` for the modified variant and up to
    :math:`u\,\kappa(\mathbf{A})^2` for the classical one (Björck, 1967;
    Higham, 2002, ch. 19). Householder QR (``numpy.linalg.qr``) keeps it
    near :math:`u` whatever the conditioning.

    The loop runs over columns; each step is a vectorised matrix-vector
    product. ``A`` is first divided by a power of two (exactly) so that no
    squared norm under- or overflows. float32 input is computed and returned
    in float32.

    Parameters
    ----------
    A : array_like, shape (m, n)
        ``m >= n`` columns that are linearly independent.
    modified : bool, default True
        Use modified Gram-Schmidt (True) or classical Gram-Schmidt (False).

    Returns
    -------
    Q : numpy.ndarray, shape (m, n)
        Orthonormal columns spanning the same space as ``A``'s.
    R : numpy.ndarray, shape (n, n)
        Upper triangular with a positive diagonal.

    Raises
    ------
    ValueError
        If ``A`` is not 2-D, is wide (``m < n``), holds NaN or inf, or a
        column lies numerically in the span of the earlier ones
        (:math:`r_{jj} \le \max(m, n)\, u\, \lVert \mathbf{A} \rVert_F`).

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath.linalg.linsys import gram_schmidt
    >>> Q, R = gram_schmidt(np.array([[3.0, 1.0], [4.0, 2.0]]))
    >>> Q.round(4)
    array([[ 0.6, -0.8],
           [ 0.8,  0.6]])
    >>> R.round(4)
    array([[5. , 2.2],
           [0. , 0.4]])
    """
    A = as_float_array(A, "A", ndim=2)
    modified = _check_bool(modified, "modified")
    _tall(A, "A")
    m, n = A.shape
    # Work on A / 2**e with max |entry| near 1: exact, and no squared norm under- or overflows.
    peak = np.abs(A).max()
    scale = np.ldexp(A.dtype.type(1), int(np.frexp(peak)[1])) if peak > 0 else A.dtype.type(1)
    A = A / scale
    tol = max(m, n) * np.finfo(A.dtype).eps * np.linalg.norm(A)
    Q = np.empty_like(A)
    R = np.zeros((n, n), dtype=A.dtype)
    V = A.copy() if modified else A
    for j in range(n):
        if modified:
            v = V[:, j]  # already stripped of q_0 .. q_{j-1}, one at a time
        else:
            R[:j, j] = Q[:, :j].T @ A[:, j]
            v = A[:, j] - Q[:, :j] @ R[:j, j]
        r = np.linalg.norm(v)
        if not r > tol:
            raise ValueError(
                f"A's columns are linearly dependent (numerically): column {j} lies in the span of "
                f"the columns before it (remaining norm {r:.3g} <= {tol:.3g})"
            )
        R[j, j] = r
        Q[:, j] = v / r
        if modified and j + 1 < n:
            R[j, j + 1:] = Q[:, j] @ V[:, j + 1:]
            V[:, j + 1:] -= np.outer(Q[:, j], R[j, j + 1:])
    return Q, R * scale


def orthogonality_loss(Q) -> float:
    r"""How far the columns of ``Q`` are from orthonormal: :math:`\lVert \mathbf{Q}^\top\mathbf{Q} - \mathbf{I} \rVert_2`.

    Zero for exactly orthonormal columns; about the unit roundoff for a
    backward-stable orthogonalisation; of order one when orthogonality is lost.

    Parameters
    ----------
    Q : array_like, shape (m, n)

    Returns
    -------
    float

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath.linalg.linsys import orthogonality_loss
    >>> orthogonality_loss(np.eye(3)[:, :2])
    0.0
    >>> round(orthogonality_loss(np.array([[1.0, 1.0], [0.0, 1.0]]) / np.sqrt([1.0, 2.0])), 4)
    0.7071
    """
    Q = as_float_array(Q, "Q", ndim=2)
    G = Q.T @ Q
    G[np.diag_indices_from(G)] -= 1
    return float(np.linalg.norm(G, 2))


def projection_matrix(B) -> np.ndarray:
    r"""The orthogonal projector onto the column space of ``B``.

    With :math:`\mathbf{B} = \mathbf{Q}\mathbf{R}` (Householder QR, ``Q`` with
    orthonormal columns),

    .. math::

        \mathbf{P} = \mathbf{Q}\mathbf{Q}^\top
        = \mathbf{B}(\mathbf{B}^\top\mathbf{B})^{-1}\mathbf{B}^\top,
        \qquad \mathbf{P}^2 = \mathbf{P} = \mathbf{P}^\top .

    :math:`\mathbf{P}\mathbf{x}` is the point of the subspace closest to
    :math:`\mathbf{x}`, and :math:`\mathbf{x} - \mathbf{P}\mathbf{x}` is
    orthogonal to every column of ``B``. The inverse in the middle form is
    never computed.

    Parameters
    ----------
    B : array_like, shape (m, k)
        ``k <= m`` linearly independent columns spanning the subspace.

    Returns
    -------
    numpy.ndarray, shape (m, m)

    Raises
    ------
    ValueError
        If ``B`` is not 2-D, is wide, is not finite or is rank deficient.

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath.linalg.linsys import projection_matrix
    >>> P = projection_matrix(np.array([[1.0], [1.0]]))   # onto the line y = x
    >>> P
    array([[0.5, 0.5],
           [0.5, 0.5]])
    >>> P @ np.array([2.0, 0.0])
    array([1., 1.])
    """
    B = as_float_array(B, "B", ndim=2)
    Q, _ = _householder_qr(B, "B")
    return Q @ Q.T


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
    >>> from llmmath.linalg.linsys import lstsq_qr
    >>> t = np.array([0.0, 1.0, 2.0])
    >>> A = np.column_stack([np.ones(3), t])      # fit y = c0 + c1 t
    >>> lstsq_qr(A, np.array([1.0, 2.0, 4.0])).round(4)
    array([0.8333, 1.5   ])
    """
    A = as_float_array(A, "A", ndim=2)
    b = _rhs(b, A.shape[0], A.dtype)
    A = A.astype(b.dtype, copy=False)
    Q, R = _householder_qr(A, "A")
    return scipy.linalg.solve_triangular(R, Q.T @ b, lower=False, check_finite=False)


def lstsq_normal(A, b) -> np.ndarray:
    r"""Least squares by the normal equations (for comparison: prefer :func:`lstsq_qr`).

    Setting the gradient of :math:`\lVert \mathbf{A}\mathbf{x} - \mathbf{b} \rVert^2`
    to zero gives

    .. math:: \mathbf{A}^\top\mathbf{A}\,\mathbf{x} = \mathbf{A}^\top\mathbf{b},

    solved here by a Cholesky factorisation. It is cheap, but
    :math:`\kappa(\mathbf{A}^\top\mathbf{A}) = \kappa(\mathbf{A})^2`: the
    digits lost double, and once :math:`\kappa(\mathbf{A}) \gtrsim u^{-1/2}`
    (about :math:`10^8` in float64) the Cholesky factorisation may fail.

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
        On bad shapes or values, or if :math:`\mathbf{A}^\top\mathbf{A}` is
        not numerically positive definite.

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath.linalg.linsys import lstsq_normal
    >>> A = np.column_stack([np.ones(3), [0.0, 1.0, 2.0]])
    >>> lstsq_normal(A, np.array([1.0, 2.0, 4.0])).round(4)
    array([0.8333, 1.5   ])
    """
    A = as_float_array(A, "A", ndim=2)
    b = _rhs(b, A.shape[0], A.dtype)
    A = A.astype(b.dtype, copy=False)
    _tall(A, "A")
    gram = A.T @ A
    try:
        factor = scipy.linalg.cho_factor(gram, check_finite=False)
    except np.linalg.LinAlgError:
        raise ValueError(
            "A^T A is not numerically positive definite: A is rank deficient or its condition "
            "number is near 1/sqrt(machine epsilon); use lstsq_qr"
        ) from None
    return scipy.linalg.cho_solve(factor, A.T @ b, check_finite=False)


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
    >>> from llmmath.linalg.linsys import random_orthonormal
    >>> Q = random_orthonormal(5, 3, seed=1)
    >>> np.allclose(Q.T @ Q, np.eye(3))
    True
    """
    m = check_positive(m, "m", integer=True)
    n = m if n is None else check_positive(n, "n", integer=True)
    if n > m:
        raise ValueError(f"n must be at most m={m} for orthonormal columns, got {n}")
    G = _rng(seed).standard_normal((m, n))
    Q, R = np.linalg.qr(G)
    return Q * np.sign(np.diag(R))


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
    >>> from llmmath.linalg.linsys import conditioned_matrix
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
    rng = _rng(seed)
    U = random_orthonormal(m, n, seed=rng)
    V = random_orthonormal(n, n, seed=rng)
    s = kappa ** -np.linspace(0.0, 1.0, n)
    return (U * s) @ V.T
