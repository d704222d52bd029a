r"""The elementwise and per-token layers of a transformer: linear, layer norm, GELU.

Linear layers follow PyTorch (and the MiniLM weights): ``weight`` has shape
``(out_features, in_features)`` and a row vector ``x`` maps to
``x @ weight.T + bias``.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from .._validation import as_float_array, check_positive, result_dtype

__all__ = ["linear", "layer_norm", "gelu"]


def linear(x, weight, bias=None) -> np.ndarray:
    r"""The affine layer :math:`\mathbf{y} = \mathbf{x}\mathbf{W}^\top + \mathbf{b}`.

    Parameters
    ----------
    x : array_like, shape (..., in_features)
    weight : array_like, shape (out_features, in_features)
    bias : array_like, shape (out_features,), optional

    Returns
    -------
    numpy.ndarray, shape (..., out_features)
        float32 if every input is float32.

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath import linear
    >>> linear(np.array([1.0, 2.0]), np.array([[1.0, 1.0], [0.0, 1.0], [2.0, 0.0]]), np.ones(3))
    array([4., 3., 3.])
    """
    x = as_float_array(x, "x", min_ndim=1)
    w = as_float_array(weight, "weight", ndim=2)
    if w.shape[1] != x.shape[-1]:
        raise ValueError(
            f"weight must have shape (out_features, in_features) with in_features = x.shape[-1] = "
            f"{x.shape[-1]}, got {w.shape}"
        )
    arrays = [x, w]
    if bias is not None:
        b = as_float_array(bias, "bias", ndim=1)
        if b.shape != (w.shape[0],):
            raise ValueError(f"bias must have shape (out_features,) = ({w.shape[0]},), got {b.shape}")
        arrays.append(b)
    dtype = result_dtype(*arrays)
    # Flatten the batch axes into one: a single 2-D product lets BLAS take W.T as a
    # transpose flag (a stacked 3-D matmul against a transposed view is many times slower).
    x2 = x.astype(dtype, copy=False).reshape(-1, x.shape[-1])
    y = (x2 @ w.astype(dtype, copy=False).T).reshape(*x.shape[:-1], w.shape[0])
    if bias is not None:
        y += b.astype(dtype, copy=False)
    return y


def layer_norm(x, gamma, beta, eps: float = 1e-12) -> np.ndarray:
    r"""Layer normalisation over the last axis (Ba et al., 2016).

    .. math::

        \operatorname{LN}(\mathbf{x}) = \boldsymbol\gamma \odot
            \frac{\mathbf{x} - \mu}{\sqrt{\sigma^2 + \varepsilon}} + \boldsymbol\beta,
        \qquad \mu = \frac1d \sum_i x_i,\quad
        \sigma^2 = \frac1d \sum_i (x_i - \mu)^2 ,

    the biased variance, as PyTorch and BERT use. ``eps`` defaults to
    MiniLM's :math:`10^{-12}`.

    Each row is first divided by a power of two at least its largest
    magnitude (an exact operation) and ``eps`` by its square, so the squares
    cannot overflow: rows near :math:`10^{300}` normalise correctly. For rows
    so small that :math:`\varepsilon` dominates, the output tends to
    :math:`\boldsymbol\beta`, as the formula says.

    Parameters
    ----------
    x : array_like, shape (..., d)
    gamma, beta : array_like, shape (d,)
        Scale and shift.
    eps : float, default 1e-12
        :math:`\varepsilon > 0`.

    Returns
    -------
    numpy.ndarray, shape (..., d)
        float32 if every input is float32.

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath import layer_norm
    >>> layer_norm(np.array([1.0, 2.0, 3.0]), np.ones(3), np.zeros(3)).round(6)
    array([-1.224745,  0.      ,  1.224745])
    """
    x = as_float_array(x, "x", min_ndim=1)
    d = x.shape[-1]
    g = as_float_array(gamma, "gamma", ndim=1)
    b = as_float_array(beta, "beta", ndim=1)
    for name, a in (("gamma", g), ("beta", b)):
        if a.shape != (d,):
            raise ValueError(f"{name} must have shape (d,) = ({d},) with d = x.shape[-1], got {a.shape}")
    eps = check_positive(eps, "eps")
    dtype = result_dtype(x, g, b)
    x = x.astype(dtype, copy=False)
    top = np.max(np.abs(x), axis=-1, keepdims=True)
    exponent = np.frexp(np.where(top > 0, top, 1))[1]
    y = np.ldexp(x, -exponent)  # exact scaling into [-1, 1]
    centred = y - y.mean(axis=-1, keepdims=True)
    var = np.mean(centred * centred, axis=-1, keepdims=True)
    with np.errstate(over="ignore"):
        eps_scaled = np.ldexp(np.asarray(eps, dtype=dtype), 2 * -exponent)  # eps / scale^2
    out = centred / np.sqrt(var + eps_scaled)
    return out * g.astype(dtype, copy=False) + b.astype(dtype, copy=False)


def gelu(x) -> np.ndarray:
    r"""The Gaussian error linear unit, exact form (Hendrycks & Gimpel, 2016).

    .. math::

        \operatorname{GELU}(x) = x\,\Phi(x)
        = \frac{x}{2}\left(1 + \operatorname{erf}\frac{x}{\sqrt2}\right)
        = \frac{x}{2}\operatorname{erfc}\!\left(-\frac{x}{\sqrt2}\right),

    with :math:`\Phi` the standard normal CDF. The erfc form is computed: it
    keeps full relative accuracy for negative :math:`x`, where
    :math:`1 + \operatorname{erf}` cancels. This is PyTorch's default
    ``gelu`` (not the tanh approximation) and the one MiniLM was trained with.

    Parameters
    ----------
    x : array_like

    Returns
    -------
    numpy.ndarray
        Shape and precision of ``x``.

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath import gelu
    >>> gelu(np.array([-1.0, 0.0, 1.0])).round(6)
    array([-0.158655,  0.      ,  0.841345])
    """
    x = as_float_array(x, "x", allow_empty=True)
    half = x.dtype.type(0.5)
    return half * x * special.erfc(-x * x.dtype.type(np.sqrt(0.5)))
