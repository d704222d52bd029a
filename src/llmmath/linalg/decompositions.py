r"""Decompositions: principal components, low-rank approximation, power iteration.

PCA finds the orthonormal directions along which centred data varies most: the
top eigenvectors of the covariance matrix, equivalently the top right singular
vectors of the centred data. Truncating the SVD gives the best approximation of
a matrix of a given rank (Eckart and Young, 1936).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg

from .._validation import as_float_array, check_nonnegative_int, check_positive

__all__ = ["pca", "PCAResult", "low_rank_approximation", "power_iteration"]


def _flip_signs(components: np.ndarray) -> np.ndarray:
    """Make the largest-magnitude entry of each row positive (a deterministic sign)."""
    rows = np.arange(components.shape[0])
    signs = np.sign(components[rows, np.abs(components).argmax(axis=1)])
    signs[signs == 0] = 1
    return components * signs[:, None]


@dataclass(frozen=True)
class PCAResult:
    r"""A fitted principal component analysis (see :func:`pca`).

    Attributes
    ----------
    components : numpy.ndarray, shape (k, d)
        Orthonormal principal directions, as rows, by decreasing variance.
    explained_variance : numpy.ndarray, shape (k,)
        Variance of the data along each direction (denominator :math:`n-1`).
    explained_variance_ratio : numpy.ndarray, shape (k,)
        The same divided by the total variance.
    mean : numpy.ndarray, shape (d,)
        The column means that were subtracted.
    total_variance : float
        Sum of the variances of all ``d`` columns.
    """

    components: np.ndarray
    explained_variance: np.ndarray
    explained_variance_ratio: np.ndarray
    mean: np.ndarray
    total_variance: float

    def transform(self, X) -> np.ndarray:
        r"""Coordinates in the principal basis, :math:`(\mathbf{X} - \boldsymbol{\mu})\mathbf{C}^\top`, shape (n, k)."""
        X = as_float_array(X, "X", ndim=2)
        if X.shape[1] != self.mean.shape[0]:
            raise ValueError(f"X must have d={self.mean.shape[0]} columns, got shape {X.shape}")
        return (X - self.mean) @ self.components.T

    def inverse_transform(self, Z) -> np.ndarray:
        r"""Back to the original space, :math:`\mathbf{Z}\mathbf{C} + \boldsymbol{\mu}`, shape (n, d)."""
        Z = as_float_array(Z, "Z", ndim=2)
        if Z.shape[1] != self.components.shape[0]:
            raise ValueError(f"Z must have k={self.components.shape[0]} columns, got shape {Z.shape}")
        return Z @ self.components + self.mean


def pca(X, n_components: int) -> PCAResult:
    r"""Principal component analysis of the rows of ``X``.

    With the column means :math:`\boldsymbol{\mu}` and the centred data
    :math:`\mathbf{X}_c = \mathbf{X} - \mathbf{1}\boldsymbol{\mu}^\top`, the
    covariance matrix and its eigendecomposition are

    .. math::

        \mathbf{S} = \frac{1}{n-1}\mathbf{X}_c^\top \mathbf{X}_c
        = \mathbf{W} \boldsymbol{\Lambda} \mathbf{W}^\top,
        \qquad \lambda_1 \ge \dots \ge \lambda_d \ge 0 .

    The components are the first :math:`k` columns of :math:`\mathbf{W}`
    (returned as rows) and :math:`\lambda_i` is the variance along the
    :math:`i`-th. For tall data (:math:`n \ge d`) the :math:`d \times d`
    eigenproblem is solved; for wide data, the SVD
    :math:`\mathbf{X}_c = \mathbf{U}\boldsymbol{\Sigma}\mathbf{V}^\top`, whose
    :math:`\mathbf{V}` is the same :math:`\mathbf{W}` with
    :math:`\lambda_i = \sigma_i^2/(n-1)`. Work is in float64; results take the
    precision of ``X``. Each component's sign makes its largest-magnitude
    entry positive.

    Parameters
    ----------
    X : array_like, shape (n, d)
        Data, one observation per row, ``n >= 2``.
    n_components : int
        :math:`k`, with ``1 <= k <= min(n, d)``.

    Returns
    -------
    PCAResult

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath import pca
    >>> X = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]])
    >>> r = pca(X, 1)
    >>> r.components.round(4), r.explained_variance_ratio
    (array([[0.7071, 0.7071]]), array([1.]))
    """
    X = as_float_array(X, "X", ndim=2)
    n, d = X.shape
    if n < 2:
        raise ValueError(f"X must have at least 2 rows to have a variance, got shape {X.shape}")
    k = check_positive(n_components, "n_components", integer=True)
    if k > min(n, d):
        raise ValueError(f"n_components must be at most min(n, d) = {min(n, d)}, got {k}")
    out_dtype = X.dtype
    # Centre in float64 in one pass, into a new array (X itself is left alone).
    mean = X.mean(axis=0, dtype=np.float64)
    Xc = np.subtract(X, mean, dtype=np.float64)
    if n >= d:
        cov = Xc.T @ Xc
        cov /= n - 1
        total = float(np.trace(cov))
        # All d eigenpairs of the d x d matrix cost little next to forming it, and numpy's
        # eigh runs on the same BLAS as the product above (scipy's has its own threads).
        values, vectors = np.linalg.eigh(cov)
        values, components = values[::-1][:k].clip(min=0.0), vectors[:, ::-1][:, :k].T
    else:
        _, s, vt = scipy.linalg.svd(Xc, full_matrices=False, check_finite=False)
        all_values = s**2 / (n - 1)
        total = float(all_values.sum())
        values, components = all_values[:k], vt[:k]
    components = _flip_signs(components)
    ratio = values / total if total > 0 else np.zeros_like(values)
    return PCAResult(components.astype(out_dtype), values.astype(out_dtype), ratio.astype(out_dtype),
                     mean.astype(out_dtype), total)


def low_rank_approximation(A, k: int) -> np.ndarray:
    r"""The best rank-``k`` approximation of ``A``, by truncated SVD.

    With :math:`\mathbf{A} = \sum_i \sigma_i \mathbf{u}_i \mathbf{v}_i^\top`,

    .. math::

        \mathbf{A}_k = \sum_{i=1}^{k} \sigma_i \mathbf{u}_i \mathbf{v}_i^\top,
        \qquad
        \lVert \mathbf{A} - \mathbf{A}_k \rVert_F^2 = \sum_{i > k} \sigma_i^2,
        \qquad
        \lVert \mathbf{A} - \mathbf{A}_k \rVert_2 = \sigma_{k+1},

    and no matrix of rank at most :math:`k` is closer in either norm
    (Eckart and Young, 1936).

    Parameters
    ----------
    A : array_like, shape (m, n)
    k : int
        Target rank, ``0 <= k <= min(m, n)``.

    Returns
    -------
    numpy.ndarray, shape (m, n)

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath import low_rank_approximation
    >>> low_rank_approximation(np.diag([3.0, 2.0, 1.0]), 2)
    array([[3., 0., 0.],
           [0., 2., 0.],
           [0., 0., 0.]])
    """
    A = as_float_array(A, "A", ndim=2)
    k = check_nonnegative_int(k, "k")
    if k > min(A.shape):
        raise ValueError(f"k must be at most min(m, n) = {min(A.shape)}, got {k}")
    u, s, vt = scipy.linalg.svd(A, full_matrices=False, check_finite=False)
    return (u[:, :k] * s[:k]) @ vt[:k]


def power_iteration(A, n_iter: int = 100, seed: int = 0) -> tuple[float, np.ndarray]:
    r"""The dominant eigenpair of a square matrix by repeated multiplication.

    .. math::

        \mathbf{x}_{t+1} = \frac{\mathbf{A}\mathbf{x}_t}{\lVert \mathbf{A}\mathbf{x}_t \rVert_2},
        \qquad
        \lambda \approx \mathbf{x}_t^\top \mathbf{A} \mathbf{x}_t .

    If :math:`|\lambda_1| > |\lambda_2|`, the error shrinks like
    :math:`|\lambda_2 / \lambda_1|^t`.

    Parameters
    ----------
    A : array_like, shape (n, n)
    n_iter : int, default 100
        Number of multiplications.
    seed : int, default 0
        Seed of the random unit start vector.

    Returns
    -------
    eigenvalue : float
        The Rayleigh quotient of the last iterate.
    eigenvector : numpy.ndarray, shape (n,)
        A unit vector, sign chosen so its largest-magnitude entry is positive.

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath import power_iteration
    >>> value, vector = power_iteration(np.array([[2.0, 1.0], [1.0, 2.0]]))
    >>> round(value, 10), vector.round(4)
    (3.0, array([0.7071, 0.7071]))
    """
    A = as_float_array(A, "A", ndim=2)
    if A.shape[0] != A.shape[1]:
        raise ValueError(f"A must be square, got shape {A.shape}")
    n_iter = check_positive(n_iter, "n_iter", integer=True)
    x = np.random.default_rng(seed).standard_normal(A.shape[0])
    x /= np.linalg.norm(x)
    for _ in range(n_iter):
        y = A @ x
        norm = np.linalg.norm(y)
        if norm == 0:
            raise ValueError("A maps the iterate to zero: the start vector lies in A's null space")
        x = y / norm
    x = _flip_signs(x[None, :])[0]
    return float(x @ A @ x), x
