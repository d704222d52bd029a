r"""Neighbourhoods: which points stay close when data are mapped to fewer dimensions.

A two-dimensional map of word vectors (PCA, t-SNE) is judged by what it keeps.
One simple measure: for each point, take its :math:`k` nearest neighbours in
the original space and its :math:`k` nearest in the map, and count how many
are the same. :func:`neighbour_preservation` averages that overlap; it is
close in spirit to the trustworthiness of Venna and Kaski (2006), which also
weighs *how far* an intruding neighbour was in the original space.
"""

from __future__ import annotations

import numpy as np

from .._validation import as_float_array, check_positive
from ..linalg.scaling import pow2_scale
from ..linalg.vectors import unit_rows
from .ranking import top_k_indices

__all__ = ["nearest_neighbours", "neighbour_preservation"]

_METRICS = ("euclidean", "cosine")
_BLOCK_ROWS = 512  # rows of the distance matrix held in memory at once


def _check_metric(metric, name: str) -> str:
    if not isinstance(metric, str) or metric not in _METRICS:
        raise ValueError(f"{name} must be one of {_METRICS}, got {metric!r}")
    return metric


def _check_k(k, n: int) -> int:
    k = check_positive(k, "k", integer=True)
    if k > n - 1:
        raise ValueError(f"k must be at most n - 1 = {n - 1} (a point is not its own neighbour), got {k}")
    return k


def _neighbours(X: np.ndarray, k: int, metric: str, name: str) -> np.ndarray:
    """Indices of the k nearest rows of each row (itself excluded), shape (n, k)."""
    X = X.astype(np.float64, copy=False)
    if metric == "cosine":
        X = unit_rows(X, name)   # Euclidean order of unit rows = cosine order (|u - v|^2 = 2 - 2 cos)
    # Distances do not change when every point moves by the same vector or all are
    # scaled alike: move the cloud to the origin (so that a large common offset does not
    # cancel away every digit of |x|^2 + |y|^2 - 2 x.y) and divide by a power of two
    # (exact; no square over- or underflows). The shift is the first point rather than
    # the mean: for nearby values the subtraction is exact, so exact ties stay exact.
    X = X - X[0]
    X = X / pow2_scale(X)
    sq = np.einsum("ij,ij->i", X, X)
    n = X.shape[0]
    out = np.empty((n, k), dtype=np.intp)
    for start in range(0, n, _BLOCK_ROWS):
        stop = min(start + _BLOCK_ROWS, n)
        # Squared Euclidean distances by the Gram identity.
        d2 = sq[start:stop, None] + sq[None, :] - 2.0 * (X[start:stop] @ X.T)
        d2[np.arange(stop - start), np.arange(start, stop)] = np.inf
        out[start:stop] = top_k_indices(d2, k, largest=False)
    return out


def nearest_neighbours(X, k: int = 10, metric: str = "euclidean") -> np.ndarray:
    r"""The ``k`` nearest other rows of every row of ``X``.

    With :math:`d(\mathbf{x}_i, \mathbf{x}_j)` the Euclidean distance, or the
    cosine distance :math:`1 - \cos(\mathbf{x}_i, \mathbf{x}_j)`,

    .. math::

        N_k(i) = \{\, j \ne i : d(\mathbf{x}_i, \mathbf{x}_j)
        \text{ is among the } k \text{ smallest} \,\}.

    Exact ties are broken in favour of the lower row index (distances that
    differ only by rounding are ordered as computed). The points are moved
    to the origin (the first point subtracted) and scaled by a power of two before the squared distances
    :math:`\lVert\mathbf{x}_i\rVert^2 + \lVert\mathbf{x}_j\rVert^2 - 2\,\mathbf{x}_i\cdot\mathbf{x}_j`
    are formed, so a large common offset (embeddings often have one) or a
    scale near the float range costs no accuracy.

    Parameters
    ----------
    X : array_like, shape (n, d)
        Points as rows. With ``metric="cosine"`` no row may be zero.
    k : int, default 10
        Number of neighbours, ``1 <= k <= n - 1``.
    metric : {"euclidean", "cosine"}, default "euclidean"
        The distance.

    Returns
    -------
    numpy.ndarray of int, shape (n, k)
        Row ``i`` lists the neighbours of point ``i``, nearest first.

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath.embeddings import nearest_neighbours
    >>> nearest_neighbours(np.array([[0.0], [1.0], [3.0], [7.0]]), k=2)
    array([[1, 2],
           [0, 2],
           [1, 0],
           [2, 1]])
    """
    X = as_float_array(X, "X", ndim=2)
    k = _check_k(k, X.shape[0])
    metric = _check_metric(metric, "metric")
    return _neighbours(X, k, metric, "X")


def neighbour_preservation(X_high, X_low, k: int = 10, metric: str = "euclidean",
                           metric_low: str = "euclidean") -> float:
    r"""Mean fraction of each point's ``k`` nearest neighbours that a map keeps.

    With :math:`N_k(i)` the neighbours of point :math:`i` in the original
    space (``X_high``) and :math:`\tilde N_k(i)` those in the map (``X_low``),
    both as in :func:`nearest_neighbours`,

    .. math::

        P_k = \frac{1}{n} \sum_{i=1}^{n} \frac{|N_k(i) \cap \tilde N_k(i)|}{k}
        \in [0, 1].

    :math:`P_k = 1` when every neighbourhood survives. A map that scatters the
    points at random keeps :math:`k/(n-1)` of them on average. :math:`P_k` is
    unchanged by rotating, translating or uniformly scaling ``X_low`` (with
    the Euclidean ``metric_low``). It counts the intruders in a map's
    neighbourhoods without weighing them; the trustworthiness of Venna and
    Kaski (2006), ``sklearn.manifold.trustworthiness``, weighs each by its rank
    in the original space, and equals 1 exactly when :math:`P_k = 1`.

    Parameters
    ----------
    X_high : array_like, shape (n, d)
        The points in the original space.
    X_low : array_like, shape (n, p)
        The same points, in the same order, in the map (any ``p``).
    k : int, default 10
        Neighbourhood size, ``1 <= k <= n - 1``.
    metric : {"euclidean", "cosine"}, default "euclidean"
        The distance in the original space (cosine suits word vectors).
    metric_low : {"euclidean", "cosine"}, default "euclidean"
        The distance in the map.

    Returns
    -------
    float
        :math:`P_k`.

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath.embeddings import neighbour_preservation
    >>> X = np.array([[0.0, 0.0], [1.0, 0.0], [5.0, 0.1], [6.0, 0.0]])
    >>> neighbour_preservation(X, X[:, :1], k=1)   # dropping the second coordinate keeps all pairs
    1.0
    >>> neighbour_preservation(X, np.array([[0.0], [1.0], [3.0], [10.0]]), k=1)   # point 2 loses point 3
    0.75
    """
    X_high = as_float_array(X_high, "X_high", ndim=2)
    X_low = as_float_array(X_low, "X_low", ndim=2)
    n = X_high.shape[0]
    if X_low.shape[0] != n:
        raise ValueError(f"X_low must have one row per row of X_high ({n}), got shape {X_low.shape}")
    k = _check_k(k, n)
    metric = _check_metric(metric, "metric")
    metric_low = _check_metric(metric_low, "metric_low")
    high = _neighbours(X_high, k, metric, "X_high")
    low = _neighbours(X_low, k, metric_low, "X_low")
    # Each row of `high` and of `low` holds k distinct indices, so after sorting the
    # concatenation a repeated value marks exactly one shared neighbour.
    both = np.sort(np.concatenate([high, low], axis=1), axis=1)
    shared = np.count_nonzero(both[:, 1:] == both[:, :-1], axis=1)
    return float(shared.mean() / k)
