r"""One transformer encoder layer, post-norm, as in BERT and MiniLM.

.. math::

    \mathbf{H} &= \operatorname{LN}_1\!\left(\mathbf{X} + \operatorname{MHA}(\mathbf{X})\right), \\
    \mathbf{Y} &= \operatorname{LN}_2\!\left(\mathbf{H} +
        \operatorname{GELU}(\mathbf{H}\mathbf{W}_1^\top + \mathbf{b}_1)\mathbf{W}_2^\top + \mathbf{b}_2\right).

Every token goes through the same feed-forward block independently; only the
attention mixes tokens.
"""

from __future__ import annotations

import numpy as np

from .attention import multi_head_attention
from .layers import gelu, layer_norm, linear

__all__ = ["ENCODER_LAYER_KEYS", "encoder_layer"]

#: The parameters of :func:`encoder_layer`, by name.
ENCODER_LAYER_KEYS = (
    "w_q", "b_q", "w_k", "b_k", "w_v", "b_v", "w_o", "b_o", "ln1_gamma", "ln1_beta",
    "w_1", "b_1", "w_2", "b_2", "ln2_gamma", "ln2_beta",
)


def encoder_layer(x, params: dict, n_heads: int, key_mask=None, eps: float = 1e-12):
    r"""Apply one post-norm encoder layer (attention, then the feed-forward block).

    Parameters
    ----------
    x : array_like, shape (..., n, d_model)
    params : dict
        The arrays named in ``ENCODER_LAYER_KEYS``: attention projections
        ``w_q, w_k, w_v, w_o`` ``(d_model, d_model)`` with biases; the
        feed-forward ``w_1`` ``(d_ff, d_model)``, ``b_1`` ``(d_ff,)``, ``w_2``
        ``(d_model, d_ff)``, ``b_2`` ``(d_model,)``; the two layer norms'
        ``gamma`` and ``beta`` ``(d_model,)``. Weights are ``(out, in)``.
    n_heads : int
    key_mask : array_like of bool, shape (..., n), optional
        True for real tokens (see :func:`multi_head_attention`).
    eps : float, default 1e-12
        The layer norms' :math:`\varepsilon`.

    Returns
    -------
    y : numpy.ndarray, shape (..., n, d_model)
    weights : numpy.ndarray, shape (..., n_heads, n, n)
        The attention weights.

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath import ENCODER_LAYER_KEYS, encoder_layer
    >>> rng = np.random.default_rng(0)
    >>> d, d_ff = 4, 8
    >>> shapes = {"w_1": (d_ff, d), "b_1": (d_ff,), "w_2": (d, d_ff)}
    >>> p = {key: rng.standard_normal(shapes.get(key, (d, d) if key.startswith("w") else (d,)))
    ...      for key in ENCODER_LAYER_KEYS}
    >>> y, w = encoder_layer(rng.standard_normal((3, d)), p, n_heads=2)
    >>> y.shape, w.shape
    ((3, 4), (2, 3, 3))
    """
    if not isinstance(params, dict):
        raise TypeError(f"params must be a dict of arrays, got {type(params).__name__}")
    missing = [key for key in ENCODER_LAYER_KEYS if key not in params]
    if missing:
        raise ValueError(f"params is missing {missing}")
    p = params
    attn, weights = multi_head_attention(
        x, p["w_q"], p["w_k"], p["w_v"], p["w_o"], n_heads,
        b_q=p["b_q"], b_k=p["b_k"], b_v=p["b_v"], b_o=p["b_o"], key_mask=key_mask)
    x = np.asarray(x, dtype=attn.dtype)
    h = layer_norm(x + attn, p["ln1_gamma"], p["ln1_beta"], eps)
    ff = linear(gelu(linear(h, p["w_1"], p["b_1"])), p["w_2"], p["b_2"])
    return layer_norm(h + ff, p["ln2_gamma"], p["ln2_beta"], eps), weights
