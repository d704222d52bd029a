r"""Orthogonality: Gram-Schmidt, Householder QR, projections and the loss of orthogonality.

An orthonormal basis turns coordinates into dot products. Gram-Schmidt builds
one from any independent columns, giving the factorisation
:math:`\mathbf{A} = \mathbf{Q}\mathbf{R}`; with it a projection is
:math:`\mathbf{Q}\mathbf{Q}^\top`. The classical and modified orders of
Gram-Schmidt are equal in exact arithmetic and very different in floating
point (Björck, 1967); :func:`orthogonality_loss` measures the difference. The
factorisation is unique once the diagonal of :math:`\mathbf{R}` is made
positive (:func:`positive_diagonal`).
"""

from __future__ import annotations

import numpy as np
import scipy.linalg

from .._validation import as_float_array, check_bool, check_tall
from .scaling import pow2_scale

__all__ = [
    "gram_schmidt",
    "householder_qr",
    "positive_diagonal",
    "orthogonality_loss",
    "projection_matrix",
]


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
    >>> from llmmath.linalg import gram_schmidt
    >>> Q, R = gram_schmidt(np.array([[3.0, 1.0], [4.0, 2.0]]))
    >>> Q.round(4)
    array([[ 0.6, -0.8],
           [ 0.8,  0.6]])
    >>> R.round(4)
    array([[5. , 2.2],
           [0. , 0.4]])
    """
    A = as_float_array(A, "A", ndim=2)
    modified = check_bool(modified, "modified")
    check_tall(A, "A")
    m, n = A.shape
    # Work on A / 2**e with max |entry| near 1: exact, and no squared norm under- or overflows.
    scale = pow2_scale(A)
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


def householder_qr(A, name: str = "A") -> tuple[np.ndarray, np.ndarray]:
    r"""Economic Householder QR, :math:`\mathbf{A} = \mathbf{Q}\mathbf{R}`, with a full-rank check.

    LAPACK's Householder factorisation (``scipy.linalg.qr``) keeps
    :math:`\lVert \mathbf{Q}^\top\mathbf{Q} - \mathbf{I} \rVert` near the
    unit roundoff :math:`u` whatever the conditioning. The columns are
    declared dependent when a diagonal entry of :math:`\mathbf{R}` is no
    larger than :math:`\max(m, n)\, u\, \lVert \mathbf{A} \rVert_F`, the size of
    the rounding errors of the factorisation.

    Parameters
    ----------
    A : array_like, shape (m, n)
        ``m >= n`` linearly independent columns.
    name : str, default "A"
        The argument name used in error messages.

    Returns
    -------
    Q : numpy.ndarray, shape (m, n)
    R : numpy.ndarray, shape (n, n)
        Upper triangular; its diagonal signs are LAPACK's (see :func:`positive_diagonal`).

    Raises
    ------
    ValueError
        If ``A`` is not 2-D, wide, not finite, or rank deficient.

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath.linalg import householder_qr, positive_diagonal
    >>> Q, R = positive_diagonal(*householder_qr(np.array([[3.0, 1.0], [4.0, 2.0]])))
    >>> R.round(4)
    array([[5. , 2.2],
           [0. , 0.4]])
    """
    A = as_float_array(A, name, ndim=2)
    check_tall(A, name)
    scale = pow2_scale(A)            # exact; keeps ||A||_F (a sum of squares) in range
    Q, R = scipy.linalg.qr(A / scale, mode="economic", check_finite=False)
    diag = np.abs(np.diag(R))
    tol = max(A.shape) * np.finfo(A.dtype).eps * np.linalg.norm(A / scale)
    if not np.all(diag > tol):
        j = int(np.argmax(~(diag > tol)))
        raise ValueError(
            f"{name} is rank deficient: column {j} lies (numerically) in the span of the columns "
            f"before it (|R[{j},{j}]| = {diag[j] * scale:.3g} <= {tol * scale:.3g}); "
            "the solution is not unique"
        )
    return Q, R * scale


def positive_diagonal(Q, R) -> tuple[np.ndarray, np.ndarray]:
    r"""Flip signs so that :math:`\mathbf{R}` has a non-negative diagonal; the product is unchanged.

    A QR factorisation is unique only up to the signs of its columns: with
    :math:`\mathbf{D} = \operatorname{diag}(\operatorname{sign} r_{jj})`
    (a zero counting as :math:`+1`), :math:`\mathbf{D}^2 = \mathbf{I}` and

    .. math:: \mathbf{Q}\mathbf{R} = (\mathbf{Q}\mathbf{D})(\mathbf{D}\mathbf{R}),

    so :math:`\mathbf{Q}\mathbf{D}` and :math:`\mathbf{D}\mathbf{R}` are again a
    QR factorisation, the one Gram-Schmidt produces. This is how results of
    ``numpy.linalg.qr`` and :func:`gram_schmidt` are compared.

    Parameters
    ----------
    Q : array_like, shape (m, p)
    R : array_like, shape (p, n)
        Upper triangular (only its diagonal is read); ``p`` is ``Q``'s column count.

    Returns
    -------
    Q : numpy.ndarray, shape (m, p)
        The first :math:`\min(p, n)` columns multiplied by the signs.
    R : numpy.ndarray, shape (p, n)
        The matching rows multiplied by the signs.

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath.linalg import positive_diagonal
    >>> Q, R = positive_diagonal(np.array([[0.0, 1.0], [-1.0, 0.0]]), np.array([[-2.0, 1.0], [0.0, 3.0]]))
    >>> R
    array([[ 2., -1.],
           [ 0.,  3.]])
    >>> Q @ R      # the same product as before
    array([[ 0.,  3.],
           [ 2., -1.]])
    """
    Q = as_float_array(Q, "Q", ndim=2)
    R = as_float_array(R, "R", ndim=2)
    if Q.shape[1] != R.shape[0]:
        raise ValueError(f"Q's columns must match R's rows, got shapes {Q.shape} and {R.shape}")
    signs = np.ones(R.shape[0], dtype=R.dtype)
    diag = np.diag(R)
    signs[: diag.size] = np.where(diag < 0, -1, 1)
    return Q * signs, R * signs[:, None]


def orthogonality_loss(Q) -> float:
    r"""How far the columns of ``Q`` are from orthonormal: :math:`\lVert \mathbf{Q}^\top\mathbf{Q} - \mathbf{I} \rVert_2`.

    Zero for exactly orthonormal columns; about the unit roundoff for a
    backward-stable orthogonalisation; of order one when orthogonality is lost.
    With the singular values :math:`\sigma_i` of :math:`\mathbf{Q}` (shape
    :math:`m \times n`), :math:`\mathbf{Q}^\top\mathbf{Q} - \mathbf{I} =
    \mathbf{V}(\boldsymbol{\Sigma}^2 - \mathbf{I})\mathbf{V}^\top`, so

    .. math::

        \lVert \mathbf{Q}^\top\mathbf{Q} - \mathbf{I} \rVert_2
        = \max_i \lvert (\sigma_i - 1)(\sigma_i + 1) \rvert

    (with one more term, 1, when :math:`n > m`). That is how it is computed:
    the SVD scales internally, so the product is never formed and no entry of
    :math:`\mathbf{Q}^\top\mathbf{Q}` overflows, and :math:`\sigma - 1` is
    taken before multiplying, without cancellation.

    Parameters
    ----------
    Q : array_like, shape (m, n)

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If ``Q`` is not finite, or the loss itself (about
        :math:`\sigma_1^2`) exceeds the float range.

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath.linalg import orthogonality_loss
    >>> orthogonality_loss(np.eye(3)[:, :2])
    0.0
    >>> round(orthogonality_loss(np.array([[1.0, 1.0], [0.0, 1.0]]) / np.sqrt([1.0, 2.0])), 4)
    0.7071
    """
    Q = as_float_array(Q, "Q", ndim=2)
    s = scipy.linalg.svdvals(Q, check_finite=False).astype(np.float64)
    with np.errstate(over="ignore"):
        loss = float(np.max(np.abs((s - 1.0) * (s + 1.0))))
    if Q.shape[1] > Q.shape[0]:
        loss = max(loss, 1.0)          # Q^T Q has n - m zero eigenvalues
    if not np.isfinite(loss):
        raise ValueError(
            f"Q's largest singular value is {s[0]:.3g}: ||Q^T Q - I|| (about its square) "
            "exceeds the float range"
        )
    return loss


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
    >>> from llmmath.linalg import projection_matrix
    >>> P = projection_matrix(np.array([[1.0], [1.0]]))   # onto the line y = x
    >>> P
    array([[0.5, 0.5],
           [0.5, 0.5]])
    >>> P @ np.array([2.0, 0.0])
    array([1., 1.])
    """
    B = as_float_array(B, "B", ndim=2)
    Q, _ = householder_qr(B, "B")
    return Q @ Q.T
