r"""The top :math:`k` of a row of scores, with a fixed rule for ties.

Nearest neighbours, most similar words and analogy answers all end the same
way: keep the :math:`k` best entries of each row of a score (or distance)
matrix, best first. :func:`top_k_indices` is that step, once: a partial sort
that is linear in the row length, and ties broken in favour of the lower
index (in GloVe, the more frequent word).
"""

from __future__ import annotations

import numpy as np

from .._validation import as_float_array, check_bool, check_positive

__all__ = ["top_k_indices"]


def _k_smallest(d: np.ndarray, k: int) -> np.ndarray:
    """Per row of a 2-D array, the columns of the k smallest entries ordered by (value, column).

    Equivalent to ``np.argsort(d, axis=1, kind="stable")[:, :k]`` but linear in the
    row length: a partial sort finds each row's k-th smallest value t; every entry
    below t is taken, and the entries equal to t fill the remaining places in
    column order, so ties go to the lower index.
    """
    if k == 1:  # the same rule, faster: argmin returns the first of equal minima
        return np.argmin(d, axis=1)[:, None]
    rows = d.shape[0]
    kth = np.partition(d, k - 1, axis=1)[:, k - 1:k]             # shape (rows, 1)
    below = d < kth
    tied = d == kth
    room = k - below.sum(axis=1, keepdims=True)                  # places left for ties, >= 1
    chosen = below | (tied & (np.cumsum(tied, axis=1) <= room))  # exactly k per row
    cols = np.nonzero(chosen)[1].reshape(rows, k)                # in column order
    vals = np.take_along_axis(d, cols, axis=1)
    order = np.argsort(vals, axis=1, kind="stable")              # by value, ties keep column order
    return np.take_along_axis(cols, order, axis=1)


def top_k_indices(scores, k: int, *, largest: bool = True) -> np.ndarray:
    r"""Indices of the ``k`` largest (or smallest) entries along the last axis, best first.

    .. math::

        \operatorname{top}_k(\mathbf{s}) = (j_1, \dots, j_k), \qquad
        s_{j_1} \ge s_{j_2} \ge \dots \ge s_{j_k} \ge s_j
        \text{ for every other } j,

    with equal scores ordered by index (:math:`j_a < j_b` when
    :math:`s_{j_a} = s_{j_b}`, :math:`a < b`). Entries of :math:`-\infty`
    (:math:`+\infty` with ``largest=False``) are how callers exclude
    candidates: they come last.

    Parameters
    ----------
    scores : array_like, shape (..., n)
        Real scores, no NaN; infinities allowed.
    k : int
        ``1 <= k <= n``.
    largest : bool, default True
        Keep the largest scores (True) or the smallest, as for distances (False).

    Returns
    -------
    numpy.ndarray of int, shape (..., k)

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath.embeddings import top_k_indices
    >>> top_k_indices(np.array([0.5, 0.9, 0.1, 0.9]), 3)    # the tie at 0.9 goes to index 1
    array([1, 3, 0])
    >>> top_k_indices(np.array([[3.0, 1.0, 2.0]]), 2, largest=False)
    array([[1, 2]])
    """
    s = as_float_array(scores, "scores", min_ndim=1, finite=False)
    if np.isnan(s).any():
        raise ValueError("scores must not contain NaN (it has no place in an order)")
    k = check_positive(k, "k", integer=True)
    largest = check_bool(largest, "largest")
    n = s.shape[-1]
    if k > n:
        raise ValueError(f"k must be at most the number of scores per row, {n}, got {k}")
    d = (-s if largest else s).reshape(-1, n)
    cols = _k_smallest(d, k)
    return cols.reshape(*s.shape[:-1], k)
