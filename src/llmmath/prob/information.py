r"""Information: entropy and Kullback-Leibler divergence, in nats.

For a distribution :math:`p` over a finite set, the entropy is the expected
surprise :math:`-\log p(x)`; the cross-entropy :math:`H(p, q)` is the expected
surprise under :math:`q` of samples from :math:`p`, and the KL divergence is
the excess :math:`D_{\mathrm{KL}}(p \,\|\, q) = H(p, q) - H(p) \ge 0`.
The cross-entropy of a model against observed tokens is
:func:`llmmath.prob.cross_entropy` (reused here, never re-implemented).

The convention :math:`0 \log 0 = 0` holds throughout: an outcome of
probability zero contributes nothing.
"""

from __future__ import annotations

import numpy as np

from .._validation import as_float_array

__all__ = ["entropy", "kl_divergence", "distribution_cross_entropy"]


def _check_distribution(p, name: str, axis: int) -> np.ndarray:
    arr = as_float_array(p, name, min_ndim=1)
    if (arr < 0).any():
        raise ValueError(f"{name} must be a probability distribution: it has negative entries")
    total = arr.sum(axis=axis, dtype=np.float64)
    tol = 1e3 * np.finfo(arr.dtype).eps * max(1, arr.shape[axis]) ** 0.5
    if not np.all(np.abs(total - 1.0) <= tol):
        worst = float(np.max(np.abs(total - 1.0)))
        raise ValueError(
            f"{name} must sum to one along axis {axis}; a sum is off by {worst:.3g} "
            f"(normalise it first, e.g. {name} / {name}.sum())"
        )
    return arr


def entropy(p, axis: int = -1) -> np.ndarray | float:
    r"""Shannon entropy in nats.

    .. math::

        H(p) = -\sum_i p_i \log p_i, \qquad 0 \log 0 = 0 .

    It lies in :math:`[0, \log n]`: zero for a one-hot distribution,
    :math:`\log n` for the uniform one. Divide by :math:`\log 2` for bits.

    Parameters
    ----------
    p : array_like, shape (..., n)
        Non-negative entries summing to one along ``axis``.
    axis : int, default -1

    Returns
    -------
    float or numpy.ndarray
        A float for 1-D input, else an array over the other axes.

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath import entropy
    >>> round(entropy(np.full(4, 0.25)), 6)    # log 4
    1.386294
    >>> entropy(np.array([1.0, 0.0]))
    0.0
    """
    arr = _check_distribution(p, "p", axis)
    terms = np.zeros_like(arr)
    pos = arr > 0
    terms[pos] = arr[pos] * np.log(arr[pos])
    out = -terms.sum(axis=axis) + 0.0  # + 0.0 turns -0.0 into 0.0
    return float(out) if np.ndim(out) == 0 else out


def kl_divergence(p, q, axis: int = -1) -> np.ndarray | float:
    r"""Kullback-Leibler divergence :math:`D_{\mathrm{KL}}(p \,\|\, q)` in nats.

    .. math::

        D_{\mathrm{KL}}(p \,\|\, q) = \sum_{i:\, p_i > 0} p_i \log \frac{p_i}{q_i}
        = H(p, q) - H(p) \;\ge\; 0,

    with equality exactly when :math:`p = q` (Gibbs' inequality). It is not
    symmetric. Where :math:`q_i = 0 < p_i` the divergence is infinite: a
    model that gives probability zero to something that happens. This
    function raises instead of returning ``inf``, naming the first such index.

    Parameters
    ----------
    p, q : array_like, shape (..., n)
        Distributions along ``axis`` (same shape).
    axis : int, default -1

    Returns
    -------
    float or numpy.ndarray

    Raises
    ------
    ValueError
        If ``q`` is zero where ``p`` is positive, or on bad input.

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath import kl_divergence
    >>> p, q = np.array([0.5, 0.5]), np.array([0.9, 0.1])
    >>> round(kl_divergence(p, q), 6), round(kl_divergence(q, p), 6)
    (0.510826, 0.368064)
    """
    pa = _check_distribution(p, "p", axis)
    qa = _check_distribution(q, "q", axis)
    if pa.shape != qa.shape:
        raise ValueError(f"p and q must have the same shape, got {pa.shape} and {qa.shape}")
    support = pa > 0
    bad = support & (qa == 0)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"q is zero where p is positive (at index {where if len(where) > 1 else where[0]}): "
            "the divergence is infinite. Smooth q so that it is positive wherever p is"
        )
    terms = np.zeros(np.broadcast_shapes(pa.shape, qa.shape), dtype=np.result_type(pa, qa))
    # log p - log q, not log(p / q): the ratio can overflow when q is tiny.
    terms[support] = pa[support] * (np.log(pa[support]) - np.log(qa[support]))
    out = np.maximum(terms.sum(axis=axis), 0.0)  # >= 0 in exact arithmetic
    return float(out) if np.ndim(out) == 0 else out


def distribution_cross_entropy(p, q, axis: int = -1) -> np.ndarray | float:
    r"""Cross-entropy :math:`H(p, q)` of two distributions, in nats.

    .. math::

        H(p, q) = -\sum_i p_i \log q_i = H(p) + D_{\mathrm{KL}}(p \,\|\, q).

    Computed as that sum of :func:`entropy` and :func:`kl_divergence`, so the
    same errors apply. Against a one-hot :math:`p` (an observed token) it is
    :math:`-\log q_t`, the per-token loss that
    :func:`llmmath.prob.cross_entropy` averages over logits.

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath.prob import distribution_cross_entropy
    >>> round(distribution_cross_entropy(np.array([0.0, 1.0]), np.array([0.5, 0.5])), 6)
    0.693147
    """
    return entropy(p, axis) + kl_divergence(p, q, axis)
