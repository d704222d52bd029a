r"""A softmax over the allowed entries only: the normaliser attention needs.

Attention forbids some (query, key) pairs: padding keys, or keys in a causal
model's future. Their probability must be exactly zero and the others must
sum to one, as if the forbidden entries were never there.
"""

from __future__ import annotations

import numpy as np

from .._validation import as_float_array
from .softmax import softmax

__all__ = ["masked_softmax"]


def masked_softmax(x, mask=None, axis: int = -1) -> np.ndarray:
    r"""Softmax of ``x`` along ``axis`` over the entries where ``mask`` is True.

    .. math::

        p_i = \frac{[\,i \text{ allowed}\,]\; e^{x_i - m}}
                   {\sum_{j \text{ allowed}} e^{x_j - m}},
        \qquad m = \max_{j \text{ allowed}} x_j ,

    which is the softmax of ``x`` with :math:`-\infty` written into the
    forbidden entries, computed without ever forming :math:`-\infty`. The
    forbidden entries are first overwritten with :math:`m` (so that the row
    maximum, and hence the shift, is that of the allowed entries), the row goes
    through :func:`llmmath.prob.softmax`, and the forbidden entries are then set to
    zero and the row renormalised: the common factor
    :math:`1/\sum_{\text{all}}` cancels, leaving the formula above to a few
    ulps.

    Parameters
    ----------
    x : array_like, shape (..., n)
        Finite scores. float32 stays float32.
    mask : array_like of bool, optional
        Broadcastable to ``x``'s shape; True means allowed. None allows all
        (plain :func:`llmmath.prob.softmax`).
    axis : int, default -1
        The axis that sums to one.

    Returns
    -------
    numpy.ndarray
        Probabilities of ``x``'s shape and precision, exactly 0 where
        ``mask`` is False.

    Raises
    ------
    TypeError
        If ``mask`` is not boolean.
    ValueError
        If ``mask`` does not broadcast to ``x``, or leaves a row with no
        allowed entry (its probabilities would be 0/0).

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath import masked_softmax
    >>> masked_softmax(np.array([1.0, 5.0, 1.0]), np.array([True, False, True]))
    array([0.5, 0. , 0.5])
    """
    x = as_float_array(x, "x", min_ndim=1)
    if mask is None:
        return softmax(x, axis=axis)
    allowed = np.asarray(mask)
    if allowed.dtype != bool:
        raise TypeError(f"mask must be a boolean array (True = allowed), got dtype {allowed.dtype}")
    try:
        ok = np.broadcast_shapes(allowed.shape, x.shape) == x.shape
    except ValueError:
        ok = False
    if not ok:
        raise ValueError(f"mask of shape {allowed.shape} does not broadcast to x's shape {x.shape}")
    allowed = np.broadcast_to(allowed, x.shape)
    if not allowed.any(axis=axis).all():
        raise ValueError("mask leaves at least one row with no allowed entry; its softmax would be 0/0")
    m = np.max(x, axis=axis, where=allowed, initial=-np.inf, keepdims=True)
    p = softmax(np.where(allowed, x, m), axis=axis)
    np.copyto(p, 0, where=~allowed)
    p /= p.sum(axis=axis, keepdims=True)
    return p
