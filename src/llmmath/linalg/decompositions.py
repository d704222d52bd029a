r"""Decompositions: principal components, low-rank approximation, power iteration.

PCA finds the orthonormal directions along which centred data varies most: the
top eigenvectors of the covariance matrix, equivalently the top right singular
vectors of the centred data, which is how :func:`pca` computes them. Truncating
the SVD gives the best approximation of a matrix of a given rank (Eckart and
Young, 1936), whose error :func:`eckart_young_error` reads off the singular
values.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg

from .._validation import as_float_array, as_rng, check_bool, check_nonnegative_int, check_positive
from .scaling import pow2_scale

__all__ = ["pca", "PCAResult", "low_rank_approximation", "eckart_young_error", "power_iteration"]


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
    :math:`i`-th. They are computed from the SVD of the centred data,
    :math:`\mathbf{X}_c = \mathbf{U}\boldsymbol{\Sigma}\mathbf{V}^\top`, whose
    :math:`\mathbf{V}` is :math:`\mathbf{W}` with
    :math:`\lambda_i = \sigma_i^2/(n-1)` (for tall data, :math:`n > d`, from the
    SVD of the :math:`d \times d` triangular factor of a Householder QR of
    :math:`\mathbf{X}_c`, which has the same singular values and right singular
    vectors and is cheaper than a full SVD), never from
    :math:`\mathbf{X}_c^\top\mathbf{X}_c`: forming that product squares the
    condition number, and eigenvalues below :math:`u\,\lambda_1` (singular
    values below :math:`\sqrt{u}\,\sigma_1`) are lost to rounding, as the
    eigen-SVD chapter shows. The SVD keeps each :math:`\sigma_i` to within
    :math:`u\,\sigma_1`.

    Work is in float64; results take the precision of ``X``. The data are
    divided by a power of two (exactly) before centring, so the mean and the
    SVD stay in range for entries up to the largest float; a variance that
    itself exceeds the float range of the result raises an error. Each
    component's sign makes its largest-magnitude entry positive.

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
    # X / 2**e (exact, in float64) has entries below 2: its mean and squares stay in range.
    scale = float(pow2_scale(X))
    Xs = np.divide(X, scale, dtype=np.float64)
    mean_s = Xs.mean(axis=0)
    Xs -= mean_s                                        # centred, in units of 2**e
    if n > d:
        # The trick for tall data: with X_c = Q R (Householder), X_c and the d x d factor R
        # have the same singular values and right singular vectors, so the SVD of R is the
        # SVD we want, without forming the n x d factor U. Householder QR is backward
        # stable: nothing is squared, unlike X_c^T X_c.
        Xs = np.linalg.qr(Xs, mode="r")
    _, s, vt = scipy.linalg.svd(Xs, full_matrices=False, check_finite=False)
    power = s**2                                        # (n - 1) * variances / 4**e
    ratio = power[:k] / power.sum() if power[0] > 0 else np.zeros(k)
    with np.errstate(over="ignore"):
        values = power[:k] / (n - 1) * scale * scale
        total = float(power.sum() / (n - 1) * scale * scale)
        out_values = values.astype(out_dtype)
    if not (np.isfinite(out_values).all() and np.isfinite(total)):
        raise ValueError(
            f"X's variance exceeds the {np.dtype(out_dtype).name} range (largest entry about "
            f"{scale:.3g}): rescale X"
        )
    components = _flip_signs(vt[:k])
    return PCAResult(components.astype(out_dtype), out_values, ratio.astype(out_dtype),
                     (mean_s * scale).astype(out_dtype), total)


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
    (Eckart and Young, 1936); :func:`eckart_young_error` gives both errors
    from the singular values alone. ``A`` is divided by a power of two
    (exactly) before the SVD and the result multiplied back, so that neither
    :math:`\sigma_i` nor the products overflow near the float range.

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
    scale = pow2_scale(A)
    u, s, vt = scipy.linalg.svd(A / scale, full_matrices=False, check_finite=False)
    out = (u[:, :k] * s[:k]) @ vt[:k]
    with np.errstate(over="ignore"):
        out *= scale
    if not np.isfinite(out).all():
        raise ValueError("the rank-k approximation of A has entries beyond the float range")
    return out


def eckart_young_error(s, k, relative: bool = False) -> tuple:
    r"""The errors of the best rank-``k`` approximation, from the singular values alone.

    With singular values :math:`\sigma_1 \ge \dots \ge \sigma_p` of
    :math:`\mathbf{A}` and :math:`\mathbf{A}_k` its truncated SVD
    (:func:`low_rank_approximation`), the Eckart-Young theorem gives

    .. math::

        \lVert \mathbf{A} - \mathbf{A}_k \rVert_2 = \sigma_{k+1},
        \qquad
        \lVert \mathbf{A} - \mathbf{A}_k \rVert_F = \Bigl(\sum_{i > k} \sigma_i^2\Bigr)^{1/2},

    with :math:`\sigma_{p+1} = 0`. With ``relative=True`` both are divided by
    the same norm of :math:`\mathbf{A}` (:math:`\sigma_1` and
    :math:`(\sum_i \sigma_i^2)^{1/2}`). The tail sums are accumulated from the
    smallest value up, after scaling by a power of two, so that neither
    rounding nor overflow of the squares spoils them.

    Parameters
    ----------
    s : array_like, shape (p,)
        Singular values, non-negative and non-increasing (``numpy.linalg.svd``'s order).
    k : int or array_like of int
        Ranks, each in ``[0, p]``.
    relative : bool, default False
        Divide by :math:`\lVert\mathbf{A}\rVert_2` and :math:`\lVert\mathbf{A}\rVert_F`.

    Returns
    -------
    spectral, frobenius : float or numpy.ndarray
        The two errors, with the shape of ``k``.

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath.linalg import eckart_young_error
    >>> eckart_young_error(np.array([4.0, 3.0, 0.0]), 1)   # sigma_2 and sqrt(3**2 + 0**2)
    (3.0, 3.0)
    >>> eckart_young_error(np.array([4.0, 3.0]), [0, 1, 2], relative=True)[1]
    array([1. , 0.6, 0. ])
    """
    s = as_float_array(s, "s", ndim=1)
    if np.any(s < 0) or np.any(np.diff(s) > 0):
        raise ValueError("s must hold non-negative singular values in non-increasing order")
    relative = check_bool(relative, "relative")
    k_arr = np.asarray(k)
    if k_arr.dtype.kind not in "iu" or isinstance(k, (bool, np.bool_)):
        raise TypeError(f"k must be an integer rank or an array of them, got {k!r}")
    p = s.size
    if np.any(k_arr < 0) or np.any(k_arr > p):
        raise ValueError(f"k must lie in [0, {p}] (the number of singular values), got {k!r}")
    scale = pow2_scale(s)
    t = s.astype(np.float64) / scale
    tail = np.append(np.cumsum((t**2)[::-1])[::-1], 0.0)   # tail[j] = sum_{i >= j} t_i^2 (0-based)
    nxt = np.append(t, 0.0)                                  # sigma_{k+1} is s[k] (0-based)
    spectral, frobenius = nxt[k_arr], np.sqrt(tail[k_arr])
    if relative:
        spectral = spectral / t[0] if t[0] > 0 else np.zeros_like(spectral)
        frobenius = frobenius / np.sqrt(tail[0]) if tail[0] > 0 else np.zeros_like(frobenius)
    else:
        spectral, frobenius = spectral * scale, frobenius * scale
    spectral, frobenius = spectral.astype(s.dtype), frobenius.astype(s.dtype)
    if k_arr.ndim == 0:
        return float(spectral), float(frobenius)
    return spectral, frobenius


def power_iteration(A, n_iter: int = 100, seed: int = 0) -> tuple[float, np.ndarray]:
    r"""The dominant eigenpair of a square matrix by repeated multiplication.

    .. math::

        \mathbf{x}_{t+1} = \frac{\mathbf{A}\mathbf{x}_t}{\lVert \mathbf{A}\mathbf{x}_t \rVert_2},
        \qquad
        \lambda \approx \mathbf{x}_t^\top \mathbf{A} \mathbf{x}_t .

    If :math:`|\lambda_1| > |\lambda_2|`, the error shrinks like
    :math:`|\lambda_2 / \lambda_1|^t`. The iteration runs on
    :math:`\mathbf{A}/2^e` (exact, same eigenvectors) with :math:`2^e` near the
    largest entry, so that no product overflows; the eigenvalue is scaled
    back at the end. float32 input is computed and returned in float32.

    Parameters
    ----------
    A : array_like, shape (n, n)
    n_iter : int, default 100
        Number of multiplications.
    seed : int or numpy.random.Generator, default 0
        Seed of the random unit start vector (drawn in float64).

    Returns
    -------
    eigenvalue : float
        The Rayleigh quotient of the last iterate.
    eigenvector : numpy.ndarray, shape (n,)
        A unit vector, sign chosen so its largest-magnitude entry is positive.

    Raises
    ------
    ValueError
        If ``A`` is not square or not finite, if an iterate lands in ``A``'s
        null space (a zero product), or if the eigenvalue exceeds the float range.

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
    scale = pow2_scale(A)
    A_s = A / scale                                   # entries below 2: A_s @ x cannot overflow
    x = as_rng(seed).standard_normal(A.shape[0]).astype(A.dtype)
    x /= np.linalg.norm(x)
    for t in range(n_iter):
        y = A_s @ x
        norm = np.linalg.norm(y)
        if norm == 0:
            raise ValueError(
                f"A maps the iterate to zero at step {t}: it lies in A's null space "
                "(A is nilpotent on it, or the start vector was unlucky; try another seed)"
            )
        x = y / norm
    x = _flip_signs(x[None, :])[0]
    with np.errstate(over="ignore"):
        value = float(x @ A_s @ x) * float(scale)
    if not np.isfinite(value):
        raise ValueError(f"the dominant eigenvalue of A exceeds the float range (A's entries reach {float(scale):.3g})")
    return value, x
