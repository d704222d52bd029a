r"""The Elman recurrent network: a state carried from token to token.

.. math::

    \mathbf{h}_t = \tanh\!\left(\mathbf{x}_t \mathbf{W}_{ih}^\top + \mathbf{b}_{ih}
        + \mathbf{h}_{t-1} \mathbf{W}_{hh}^\top + \mathbf{b}_{hh}\right),
    \qquad \mathbf{h}_{-1} = \mathbf{0}

(Elman, 1990), the layout of ``torch.nn.RNN``. Step :math:`t` needs
:math:`\mathbf{h}_{t-1}`, so a sequence of :math:`n` tokens takes :math:`n`
dependent steps, whatever the hardware. The gradient reaching
:math:`\mathbf{h}_t` from :math:`\mathbf{h}_{T}` is multiplied by one Jacobian
:math:`\partial\mathbf{h}_s/\partial\mathbf{h}_{s-1}
= \operatorname{diag}(1 - \mathbf{h}_s^2)\,\mathbf{W}_{hh}` per step in between,
which is why it shrinks (or grows) geometrically with the distance.
"""

from __future__ import annotations

import numpy as np

from .._validation import as_float_array, result_dtype
from .layers import linear

__all__ = ["rnn_forward", "rnn_jacobian_norms"]


def _square(w, name: str) -> np.ndarray:
    w = as_float_array(w, name, ndim=2)
    if w.shape[0] != w.shape[1]:
        raise ValueError(f"{name} must be square (d_hidden, d_hidden), got {w.shape}")
    return w


def rnn_forward(x, w_ih, w_hh, b_ih=None, b_hh=None, h0=None) -> np.ndarray:
    r"""All hidden states of a tanh RNN over a sequence (batch first).

    Parameters
    ----------
    x : array_like, shape (..., n, d_in)
    w_ih : array_like, shape (d_hidden, d_in)
    w_hh : array_like, shape (d_hidden, d_hidden)
    b_ih, b_hh : array_like, shape (d_hidden,), optional
    h0 : array_like, shape (..., d_hidden), optional
        The state before the first token (default zeros).

    Returns
    -------
    numpy.ndarray, shape (..., n, d_hidden)
        :math:`\mathbf{h}_0, \dots, \mathbf{h}_{n-1}`.

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath import rnn_forward
    >>> h = rnn_forward(np.ones((3, 1)), np.array([[1.0]]), np.array([[0.5]]))
    >>> h.ravel().round(4)
    array([0.7616, 0.8811, 0.8938])
    """
    x = as_float_array(x, "x", min_ndim=2)
    w_hh = _square(w_hh, "w_hh")
    d_h = w_hh.shape[0]
    w_ih = as_float_array(w_ih, "w_ih", ndim=2)
    if w_ih.shape != (d_h, x.shape[-1]):
        raise ValueError(f"w_ih must have shape (d_hidden, d_in) = {(d_h, x.shape[-1])}, got {w_ih.shape}")
    dtype = result_dtype(x, w_ih, w_hh)
    # The input projections of all steps at once: only the recurrence is sequential.
    pre = linear(x, w_ih.astype(dtype), b_ih).astype(dtype, copy=False)
    if b_hh is not None:
        pre = pre + as_float_array(b_hh, "b_hh", ndim=1).astype(dtype)
    h = np.zeros(x.shape[:-2] + (d_h,), dtype) if h0 is None else as_float_array(h0, "h0").astype(dtype)
    if h.shape != x.shape[:-2] + (d_h,):
        raise ValueError(f"h0 must have shape {x.shape[:-2] + (d_h,)}, got {h.shape}")
    w_t = w_hh.astype(dtype).T
    out = np.empty(pre.shape, dtype)
    for t in range(x.shape[-2]):  # the n dependent steps
        h = np.tanh(pre[..., t, :] + h @ w_t)
        out[..., t, :] = h
    return out


def rnn_jacobian_norms(h, w_hh) -> np.ndarray:
    r"""Spectral norms :math:`\lVert \partial\mathbf{h}_{n-1} / \partial\mathbf{h}_t \rVert_2` for every t.

    .. math::

        \frac{\partial \mathbf{h}_{n-1}}{\partial \mathbf{h}_t}
        = \prod_{s = n-1}^{t+1} \operatorname{diag}(1 - \mathbf{h}_s^2)\,\mathbf{W}_{hh} ,

    the factor by which a gradient at the last step is carried back to step
    :math:`t` (the identity, norm 1, at :math:`t = n - 1`).

    Parameters
    ----------
    h : array_like, shape (n, d_hidden)
        The states of one sequence, from :func:`rnn_forward`.
    w_hh : array_like, shape (d_hidden, d_hidden)

    Returns
    -------
    numpy.ndarray, shape (n,)

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath import rnn_jacobian_norms
    >>> rnn_jacobian_norms(np.zeros((3, 2)), 0.5 * np.eye(2))
    array([0.25, 0.5 , 1.  ])
    """
    h = as_float_array(h, "h", ndim=2)
    w_hh = _square(w_hh, "w_hh")
    if h.shape[1] != w_hh.shape[0]:
        raise ValueError(f"h must have d_hidden = {w_hh.shape[0]} columns (w_hh's size), got {h.shape}")
    n = h.shape[0]
    norms = np.empty(n)
    g = np.eye(w_hh.shape[0])
    for t in range(n - 1, -1, -1):
        norms[t] = np.linalg.norm(g, 2)
        g = g @ ((1 - h[t] ** 2)[:, None] * w_hh)  # times the Jacobian of step t
    return norms
