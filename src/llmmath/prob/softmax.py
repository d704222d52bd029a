r"""Turning scores into probabilities: softmax and its logarithmic friends.

A language model ends in a vector of real scores (logits), one per word of its
vocabulary. Softmax turns them into a probability distribution; the
log-sum-exp is its normaliser; cross-entropy scores the distribution against
the word that actually came next.

Every function here subtracts the maximum before exponentiating, so that it
stays finite for any finite input, :math:`10^{308}` included. The one answer
that can leave the float range is a log-probability itself: entries
:math:`10^{308}` apart have :math:`\log p \approx -2 \times 10^{308}`, which no
float holds, and :func:`log_softmax` says so rather than return
:math:`-\infty`.
"""

from __future__ import annotations

import numpy as np

from .._validation import as_float_array, check_bool, check_positive

__all__ = ["softmax", "log_softmax", "logsumexp", "cross_entropy"]


def _check_axis(axis: int, ndim: int) -> int:
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"axis must be an integer, got {axis!r}")
    if not -ndim <= axis < ndim:
        raise ValueError(f"axis must lie in [-{ndim}, {ndim}) for an array of {ndim} dimension(s), got {axis}")
    return int(axis) % ndim


def _shifted(x, axis: int, temperature: float, name: str = "x") -> tuple[np.ndarray, int]:
    """``(x - max(x)) / temperature`` along ``axis``, as a new array."""
    x = as_float_array(x, name, min_ndim=1)
    axis = _check_axis(axis, x.ndim)
    temperature = check_positive(temperature, "temperature")
    # x - max(x) is <= 0; for inputs near +-1e308 the difference can overflow to
    # -inf, which exp() maps to an exact 0: the right answer, so silence the flag.
    with np.errstate(over="ignore"):
        out = np.subtract(x, x.max(axis=axis, keepdims=True))
        if temperature != 1.0:
            info = np.finfo(x.dtype)
            if temperature >= info.tiny and 1.0 / temperature <= info.max:
                out *= x.dtype.type(1.0 / temperature)
            else:
                # 1/T is not representable in x's precision (0 * inf would be NaN):
                # divide in float64, where (x - m)/T is 0 or negative, never NaN.
                out = (out.astype(np.float64) / temperature).astype(x.dtype)
    return out, axis


def softmax(x, axis: int = -1, temperature: float = 1.0) -> np.ndarray:
    r"""Softmax of ``x`` along ``axis``, at a given temperature.

    .. math::

        \operatorname{softmax}(\mathbf{x})_i
        = \frac{e^{x_i / T}}{\sum_j e^{x_j / T}}
        = \frac{e^{(x_i - m) / T}}{\sum_j e^{(x_j - m) / T}},
        \qquad m = \max_j x_j .

    The second form is the one computed: the largest exponent is
    :math:`e^0 = 1`, so nothing overflows and the sum is at least 1.

    Parameters
    ----------
    x : array_like, shape (..., n)
        Finite scores (logits). float32 stays float32.
    axis : int, default -1
        The axis that sums to one.
    temperature : float, default 1.0
        :math:`T > 0`. Small :math:`T` sharpens the distribution towards the
        arg-max; large :math:`T` flattens it towards uniform.

    Returns
    -------
    numpy.ndarray
        Probabilities of the shape and precision of ``x``.

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath import softmax
    >>> p = softmax(np.array([1.0, 2.0, 3.0]))
    >>> np.round(p, 4)
    array([0.09  , 0.2447, 0.6652])
    >>> float(softmax(np.array([1e308, 0.0]))[0])
    1.0
    """
    out, axis = _shifted(x, axis, temperature)
    np.exp(out, out=out)
    out /= out.sum(axis=axis, keepdims=True)
    return out


def logsumexp(x, axis: int = -1, keepdims: bool = False) -> np.ndarray:
    r"""The log of the sum of exponentials, computed without overflow.

    .. math::

        \operatorname{LSE}(\mathbf{x}) = \log \sum_j e^{x_j}
        = m + \log \sum_j e^{x_j - m}, \qquad m = \max_j x_j .

    Parameters
    ----------
    x : array_like, shape (..., n)
        Finite values.
    axis : int, default -1
        The axis to reduce.
    keepdims : bool, default False
        Keep the reduced axis with length one.

    Returns
    -------
    numpy.ndarray
        ``x`` reduced along ``axis`` (a 0-d array for 1-D input).

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath import logsumexp
    >>> float(logsumexp(np.array([1000.0, 1000.0])))  # 1000 + log 2
    1000.6931471805599
    """
    arr = as_float_array(x, "x", min_ndim=1)
    axis = _check_axis(axis, arr.ndim)
    keepdims = check_bool(keepdims, "keepdims")
    m = arr.max(axis=axis, keepdims=True)
    with np.errstate(over="ignore"):
        shifted = arr - m
    out = m + np.log(np.exp(shifted).sum(axis=axis, keepdims=True))
    return out if keepdims else np.squeeze(out, axis=axis)


def log_softmax(x, axis: int = -1, temperature: float = 1.0) -> np.ndarray:
    r"""Logarithm of :func:`softmax`, accurate where the probabilities underflow.

    .. math::

        \log \operatorname{softmax}(\mathbf{x})_i
        = \frac{x_i - m}{T} - \log \sum_j e^{(x_j - m)/T} .

    Taking ``np.log(softmax(x))`` instead returns ``-inf`` as soon as a
    probability underflows to 0; this form stays finite for finite input
    whenever the answer is a float: when :math:`(x_i - m)/T` itself is below
    the most negative float (entries :math:`10^{308}` apart, or a tiny
    :math:`T`), a ``ValueError`` says so instead of returning ``-inf``.

    Parameters
    ----------
    x : array_like, shape (..., n)
        Finite scores.
    axis : int, default -1
        The axis along which the probabilities sum to one.
    temperature : float, default 1.0
        :math:`T > 0`, as in :func:`softmax`.

    Returns
    -------
    numpy.ndarray
        Log-probabilities, each :math:`\le 0`, shape and precision of ``x``.

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath import log_softmax
    >>> np.round(log_softmax(np.array([0.0, 800.0])), 3)
    array([-800.,    0.])
    """
    out, axis = _shifted(x, axis, temperature)
    out = _log_normalise(out, axis)
    if np.isinf(out).any():
        raise ValueError(
            "log_softmax(x) has entries below the most negative float: (x_i - max x) / temperature "
            f"overflows for x spanning [{np.min(x):.3g}, {np.max(x):.3g}] at temperature "
            f"{temperature!r}; use softmax (those probabilities are exactly 0) or rescale x"
        )
    return out


def _log_normalise(shifted: np.ndarray, axis: int) -> np.ndarray:
    """``shifted - log(sum(exp(shifted)))`` in place, for ``shifted = (x - max x)/T <= 0``."""
    shifted -= np.log(np.exp(shifted).sum(axis=axis, keepdims=True))
    return shifted


def cross_entropy(logits, targets) -> float:
    r"""Mean negative log-likelihood of the target classes, in nats.

    For :math:`N` rows of logits :math:`\mathbf{z}_n` and target indices
    :math:`t_n`,

    .. math::

        H = -\frac{1}{N} \sum_{n=1}^{N} \log \operatorname{softmax}(\mathbf{z}_n)_{t_n}
          = \frac{1}{N} \sum_{n=1}^{N}
            \left( \operatorname{LSE}(\mathbf{z}_n) - z_{n, t_n} \right).

    :math:`e^{H}` is the model's perplexity on these targets.

    Parameters
    ----------
    logits : array_like, shape (..., C)
        Finite scores over ``C`` classes.
    targets : array_like of int, shape (...)
        Class indices in ``[0, C)``, one per row of ``logits``.

    Returns
    -------
    float
        The mean cross-entropy in nats.

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath import cross_entropy
    >>> round(cross_entropy(np.zeros((2, 4)), np.array([0, 3])), 6)  # uniform: log 4
    1.386294
    """
    z = as_float_array(logits, "logits", min_ndim=1)
    t = np.asarray(targets)
    if t.dtype.kind not in "iu":   # timedelta64 is an integer subtype to numpy, not a class index
        raise TypeError(f"targets must be integer class indices, got dtype {t.dtype}")
    if t.shape != z.shape[:-1]:
        raise ValueError(
            f"targets must have shape {z.shape[:-1]} (logits.shape[:-1]), got {t.shape}"
        )
    n_classes = z.shape[-1]
    if t.size and (t.min() < 0 or t.max() >= n_classes):
        raise ValueError(f"targets must lie in [0, {n_classes}), got values in [{t.min()}, {t.max()}]")
    # Only the targets' log-probabilities must be floats: a logit 1e308 below the
    # maximum is fine unless it is a target.
    logp = _log_normalise(_shifted(z, -1, 1.0, "logits")[0], -1)
    picked = np.take_along_axis(logp, t[..., None], axis=-1)
    if np.isinf(picked).any():
        raise ValueError(
            "cross_entropy: a target's logit lies so far below the row maximum that its "
            "log-probability (and the loss) exceeds the float range"
        )
    return float(-picked.mean(dtype=np.float64))
