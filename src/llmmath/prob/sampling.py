r"""Choosing the next token: temperature, top-k and nucleus (top-p) sampling.

A language model gives logits :math:`\mathbf{z}` over its vocabulary; the
next token is drawn from :math:`\operatorname{softmax}(\mathbf{z}/T)`, often
after cutting the long tail of improbable tokens:

* **top-k** keeps the :math:`k` most probable tokens;
* **top-p** (the nucleus of Holtzman et al., 2020) keeps the smallest set of
  most probable tokens whose total probability is at least :math:`p`.

Both renormalise what they keep. Ties are broken by the lower index, so the
result is deterministic.
"""

from __future__ import annotations

import numbers

import numpy as np

from .._validation import as_float_array, check_in_range, check_positive
from .softmax import softmax

__all__ = ["top_k_filter", "top_p_filter", "sample_next"]


def _check_probs(probs) -> np.ndarray:
    p = as_float_array(probs, "probs", min_ndim=1)
    if (p < 0).any():
        raise ValueError("probs must be non-negative (a probability distribution over the last axis)")
    total = p.sum(axis=-1)
    if np.any(np.abs(total - 1) > 1e3 * np.finfo(p.dtype).eps * np.sqrt(p.shape[-1])):
        raise ValueError("probs must sum to one over the last axis; normalise it, or pass logits to sample_next")
    return p


def _order(p: np.ndarray) -> np.ndarray:
    """Indices sorting each row by decreasing probability, ties by lower index."""
    return np.argsort(-p, axis=-1, kind="stable")


def top_k_filter(probs, k: int) -> np.ndarray:
    r"""Keep the ``k`` most probable tokens and renormalise.

    .. math::

        \tilde p_i = \frac{p_i \,[i \in K]}{\sum_{j \in K} p_j},

    where :math:`K` holds the indices of the :math:`k` largest :math:`p_i`.

    Parameters
    ----------
    probs : array_like, shape (..., n)
        Distributions over the last axis.
    k : int
        :math:`1 \le k`; ``k >= n`` keeps everything.

    Returns
    -------
    numpy.ndarray
        Same shape and precision, exactly ``min(k, n)`` entries kept per row.

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath import top_k_filter
    >>> top_k_filter(np.array([0.1, 0.5, 0.15, 0.25]), 2)
    array([0.        , 0.66666667, 0.        , 0.33333333])
    """
    p = _check_probs(probs)
    k = check_positive(k, "k", integer=True)
    order = _order(p)
    keep = np.zeros(p.shape, dtype=bool)
    np.put_along_axis(keep, order[..., :k], True, axis=-1)
    out = np.where(keep, p, 0).astype(p.dtype)
    out /= out.sum(axis=-1, keepdims=True)
    return out


def top_p_filter(probs, p: float) -> np.ndarray:
    r"""Nucleus filtering: keep the smallest top set with probability at least ``p``.

    With the probabilities sorted, :math:`p_{(1)} \ge p_{(2)} \ge \dots`, keep
    the first :math:`m` where :math:`m` is the smallest number with
    :math:`\sum_{j \le m} p_{(j)} \ge p`, then renormalise. The most
    probable token is always kept, so ``p`` close to 0 is greedy decoding and
    ``p = 1`` keeps every token of positive probability.

    Parameters
    ----------
    probs : array_like, shape (..., n)
    p : float
        :math:`0 < p \le 1`.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath import top_p_filter
    >>> top_p_filter(np.array([0.1, 0.5, 0.15, 0.25]), 0.7)   # 0.5 + 0.25 >= 0.7
    array([0.        , 0.66666667, 0.        , 0.33333333])
    """
    probs = _check_probs(probs)
    p = check_in_range(p, "p", 0.0, 1.0, closed="right")
    order = _order(probs)
    sorted_p = np.take_along_axis(probs, order, axis=-1)
    before = np.cumsum(sorted_p, axis=-1, dtype=np.float64) - sorted_p  # mass strictly before each
    # Keep a token while the mass before it is still short of p. The rounding
    # slack lets a nucleus that reaches p exactly (in exact arithmetic) stop there.
    slack = 8 * np.finfo(probs.dtype).eps
    keep_sorted = (before < p - slack) & (sorted_p > 0)
    keep_sorted[..., 0] = True
    keep = np.zeros(probs.shape, dtype=bool)
    np.put_along_axis(keep, order, keep_sorted, axis=-1)
    out = np.where(keep, probs, 0).astype(probs.dtype)
    out /= out.sum(axis=-1, keepdims=True)
    return out


def sample_next(logits, rng: np.random.Generator, temperature: float = 1.0,
                top_k: int | None = None, top_p: float | None = None) -> int:
    r"""Draw one token index from logits: temperature, then top-k, then top-p.

    .. math::

        \mathbf{q} = \operatorname{top\text{-}p}\big(\operatorname{top\text{-}k}
        (\operatorname{softmax}(\mathbf{z} / T))\big), \qquad i \sim \mathbf{q} .

    ``temperature=0`` means greedy decoding (the arg-max, lowest index on
    ties) and draws nothing from ``rng``.

    Parameters
    ----------
    logits : array_like, shape (n,)
    rng : numpy.random.Generator
    temperature : float, default 1.0
        :math:`T \ge 0`.
    top_k : int, optional
    top_p : float, optional

    Returns
    -------
    int

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath import sample_next
    >>> z = np.array([2.0, 1.0, 0.1])
    >>> sample_next(z, np.random.default_rng(0), temperature=0)
    0
    >>> draws = [sample_next(z, np.random.default_rng(s), top_k=2) for s in range(200)]
    >>> sorted(set(draws))
    [0, 1]
    """
    z = as_float_array(logits, "logits", ndim=1)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator (np.random.default_rng(seed)), got {rng!r}")
    if isinstance(temperature, bool) or not isinstance(temperature, numbers.Real) or temperature < 0:
        raise ValueError(f"temperature must be a number >= 0, got {temperature!r}")
    if temperature == 0:
        return int(np.argmax(z))
    q = softmax(z, temperature=temperature).astype(np.float64)
    if top_k is not None:
        q = top_k_filter(q, top_k)
    if top_p is not None:
        q = top_p_filter(q, top_p)
    # Inverse-CDF draw: one uniform number per call, the same on every platform.
    cdf = np.cumsum(q)
    i = int(np.searchsorted(cdf, rng.random() * cdf[-1], side="right"))
    return min(i, len(q) - 1)
