r"""How crowded a set of vectors is: the mean cosine over its distinct pairs.

Words of one kind (currencies, months) sit closer together than words drawn
at random; the mean pairwise cosine says how much closer in one number, and
the mean cosine between the offsets of a relation says how parallel they are.
"""

from __future__ import annotations

import numpy as np

from .._validation import as_float_array
from ..linalg.vectors import unit_rows

__all__ = ["mean_pairwise_cosine"]


def mean_pairwise_cosine(X) -> float:
    r"""Mean cosine similarity over the distinct pairs of rows of ``X``.

    For rows :math:`\mathbf{x}_1, \dots, \mathbf{x}_n`,

    .. math::

        \bar c = \frac{2}{n(n-1)} \sum_{i < j} \cos(\mathbf{x}_i, \mathbf{x}_j) \in [-1, 1].

    Parameters
    ----------
    X : array_like, shape (n, d)
        ``n >= 2`` non-zero vectors as rows (any scale: they are normalised
        by :func:`llmmath.linalg.unit_rows`).

    Returns
    -------
    float
        Accumulated in float64 whatever the precision of ``X``.

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath.embeddings import mean_pairwise_cosine
    >>> c = mean_pairwise_cosine(np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]]))
    >>> round(c, 12), round(2 * 0.5 ** 0.5 / 3, 12)   # (0 + cos 45 + cos 45) / 3
    (0.471404520791, 0.471404520791)
    """
    X = as_float_array(X, "X", ndim=2)
    n = X.shape[0]
    if n < 2:
        raise ValueError(f"X must have at least two rows to form a pair, got shape {X.shape}")
    U = unit_rows(X, "X").astype(np.float64)
    gram = U @ U.T                                          # shape (n, n): all cosines
    return float(gram[np.triu_indices(n, k=1)].mean())
