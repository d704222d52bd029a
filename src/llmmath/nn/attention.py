r"""Attention: every position takes a weighted average of every other.

Scaled dot-product attention (Vaswani et al., 2017) compares each query with
every key by a dot product, turns each row of scores into probabilities with
a softmax, and returns the probability-weighted average of the values. Row
vectors throughout: a sequence of ``n`` tokens of width ``d`` is an
``(n, d)`` array, and a layer multiplies on the right, ``x @ W``.
"""

from __future__ import annotations

import numpy as np

from .._validation import as_float_array, check_positive, result_dtype

__all__ = [
    "scaled_dot_product_attention",
    "multi_head_attention",
    "causal_mask",
    "sinusoidal_positional_encoding",
]


def causal_mask(n: int, n_keys: int | None = None) -> np.ndarray:
    r"""Boolean mask that lets position :math:`i` attend to positions :math:`j \le i`.

    .. math:: M_{ij} = [\, j \le i \,]

    Parameters
    ----------
    n : int
        Number of queries.
    n_keys : int, optional
        Number of keys (default ``n``). The mask is aligned at the top left,
        as PyTorch's ``is_causal`` is.

    Returns
    -------
    numpy.ndarray of bool, shape (n, n_keys)
        True where attending is allowed.

    Examples
    --------
    >>> from llmmath import causal_mask
    >>> causal_mask(3).astype(int)
    array([[1, 0, 0],
           [1, 1, 0],
           [1, 1, 1]])
    """
    n = check_positive(n, "n", integer=True)
    n_keys = n if n_keys is None else check_positive(n_keys, "n_keys", integer=True)
    return np.tri(n, n_keys, dtype=bool)


def scaled_dot_product_attention(q, k, v, mask=None, causal: bool = False):
    r"""Scaled dot-product attention, returning the output and the weights.

    .. math::

        \mathbf{A} = \operatorname{softmax}\!\left(
            \frac{\mathbf{Q}\mathbf{K}^{\top}}{\sqrt{d_k}} + \mathbf{M}\right),
        \qquad
        \operatorname{Attention}(\mathbf{Q}, \mathbf{K}, \mathbf{V}) = \mathbf{A}\mathbf{V},

    where the softmax acts on each row and :math:`M_{ij}` is 0 where query
    :math:`i` may attend to key :math:`j` and :math:`-\infty` where it may
    not. Each row of :math:`\mathbf{A}` is a probability vector, so each output
    row is a convex combination of the rows of :math:`\mathbf{V}`.

    Parameters
    ----------
    q : array_like, shape (..., n_q, d_k)
        Queries.
    k : array_like, shape (..., n_k, d_k)
        Keys.
    v : array_like, shape (..., n_k, d_v)
        Values.
    mask : array_like of bool, optional
        Broadcastable to ``(..., n_q, n_k)``; True means "may attend" (the
        meaning of a boolean ``attn_mask`` in PyTorch).
    causal : bool, default False
        Also apply :func:`causal_mask`.

    Returns
    -------
    output : numpy.ndarray, shape (..., n_q, d_v)
    weights : numpy.ndarray, shape (..., n_q, n_k)
        float32 if all of q, k, v are float32, else float64.

    Raises
    ------
    ValueError
        On mismatched shapes, non-finite input, or a mask that leaves some
        query with no key to attend to (its softmax would be 0/0).

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath import scaled_dot_product_attention
    >>> q = k = np.eye(2)
    >>> v = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> out, w = scaled_dot_product_attention(q, k, v, causal=True)
    >>> w
    array([[1.        , 0.        ],
           [0.33023845, 0.66976155]])
    """
    q = as_float_array(q, "q", min_ndim=2)
    k = as_float_array(k, "k", min_ndim=2)
    v = as_float_array(v, "v", min_ndim=2)
    if q.shape[-1] != k.shape[-1]:
        raise ValueError(f"q and k must share the last dimension d_k, got q {q.shape} and k {k.shape}")
    if k.shape[-2] != v.shape[-2]:
        raise ValueError(f"k and v must have the same number of keys n_k, got k {k.shape} and v {v.shape}")
    try:
        batch = np.broadcast_shapes(q.shape[:-2], k.shape[:-2], v.shape[:-2])
    except ValueError:
        raise ValueError(
            f"the leading (batch) dimensions of q {q.shape}, k {k.shape} and v {v.shape} do not broadcast"
        ) from None
    dtype = result_dtype(q, k, v)
    q, k, v = (a.astype(dtype, copy=False) for a in (q, k, v))
    n_q, n_k = q.shape[-2], k.shape[-2]

    allowed = None
    if mask is not None:
        allowed = np.asarray(mask)
        if allowed.dtype != bool:
            raise TypeError(f"mask must be a boolean array (True = may attend), got dtype {allowed.dtype}")
        target = batch + (n_q, n_k)
        try:
            # The mask must broadcast *to* the weights' shape, not enlarge it.
            ok = np.broadcast_shapes(allowed.shape, target) == target
        except ValueError:
            ok = False
        if not ok:
            raise ValueError(
                f"mask of shape {allowed.shape} does not broadcast to (..., n_q, n_k) = {batch + (n_q, n_k)}"
            ) from None
    if causal and allowed is not None:
        allowed = allowed & causal_mask(n_q, n_k)
    # (The causal mask alone never empties a row: query i always sees key 0.)
    if allowed is not None and not allowed.any(axis=-1).all():
        raise ValueError(
            "mask leaves at least one query row with no key to attend to; "
            "its attention weights would be 0/0"
        )

    # Scale the (n_q, d_k) queries rather than the (n_q, n_k) scores: fewer flops.
    scale = dtype.type(1.0 / np.sqrt(q.shape[-1]))
    weights = np.matmul(q * scale, np.swapaxes(k, -1, -2))
    _masked_softmax_inplace(weights, allowed, causal)
    return np.matmul(weights, v), weights


# Bytes of scores normalised at a time: a block this size stays in the CPU's
# cache through the passes of the softmax (mask, max, subtract, exp, sum, divide).
_BLOCK_BYTES = 1 << 18


def _masked_softmax_inplace(scores: np.ndarray, allowed: np.ndarray | None, causal: bool) -> None:
    r"""Overwrite ``scores`` (..., n_q, n_k) with its row softmax, -inf where not allowed.

    One block of query rows at a time: ``allowed`` (None, or broadcastable to
    ``scores``) is sliced per block, and the causal mask :math:`j \le i` is
    built per block instead of as an (n_q, n_k) array. The keys after a
    block's last query are in the future of all of its rows, so their weights
    are set to 0 directly (what exp(-inf) would give) without the work.
    """
    n_q, n_k = scores.shape[-2:]
    rows = max(1, _BLOCK_BYTES // (scores.itemsize * scores[..., 0, :].size))
    for start in range(0, n_q, rows):
        stop = min(start + rows, n_q)
        block = scores[..., start:stop, :]
        mask = allowed
        if mask is not None and mask.ndim >= 2 and mask.shape[-2] > 1:
            mask = mask[..., start:stop, :]
        if causal:
            block[..., stop:] = 0
            block = block[..., :stop]
            if mask is None:
                mask = np.tri(stop - start, min(stop, n_k), start, dtype=bool)
            elif mask.ndim >= 1 and mask.shape[-1] > 1:
                mask = mask[..., :stop]
        if mask is not None:
            np.copyto(block, -np.inf, where=~mask)
        block -= block.max(axis=-1, keepdims=True)
        np.exp(block, out=block)
        block /= block.sum(axis=-1, keepdims=True)


def _split_heads(x: np.ndarray, n_heads: int) -> np.ndarray:
    # (..., n, d_model) -> (..., h, n, d_head)
    *lead, n, d_model = x.shape
    return np.swapaxes(x.reshape(*lead, n, n_heads, d_model // n_heads), -2, -3)


def multi_head_attention(x, w_q, w_k, w_v, w_o, n_heads: int, causal: bool = False):
    r"""Multi-head self-attention with the given projection matrices.

    Each head :math:`h` attends in its own slice of width
    :math:`d_{\text{head}} = d_{\text{model}} / H`:

    .. math::

        \mathbf{Q} = \mathbf{X}\mathbf{W}_Q,\;
        \mathbf{K} = \mathbf{X}\mathbf{W}_K,\;
        \mathbf{V} = \mathbf{X}\mathbf{W}_V,\qquad
        \operatorname{MHA}(\mathbf{X}) =
        \left[\operatorname{head}_1, \dots, \operatorname{head}_H\right]\mathbf{W}_O,

    with :math:`\operatorname{head}_h` the :func:`scaled_dot_product_attention`
    of the :math:`h`-th column slices of :math:`\mathbf{Q}, \mathbf{K}, \mathbf{V}`.

    Parameters
    ----------
    x : array_like, shape (..., n, d_model)
        Input sequence (row vectors).
    w_q, w_k, w_v, w_o : array_like, shape (d_model, d_model)
        Projections, applied on the right (``x @ w_q``).
    n_heads : int
        Number of heads :math:`H`; must divide ``d_model``.
    causal : bool, default False
        Mask out the future.

    Returns
    -------
    output : numpy.ndarray, shape (..., n, d_model)
    weights : numpy.ndarray, shape (..., n_heads, n, n)

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath import multi_head_attention
    >>> rng = np.random.default_rng(0)
    >>> x = rng.standard_normal((5, 8))
    >>> w = [rng.standard_normal((8, 8)) for _ in range(4)]
    >>> out, weights = multi_head_attention(x, *w, n_heads=2)
    >>> out.shape, weights.shape
    ((5, 8), (2, 5, 5))
    """
    x = as_float_array(x, "x", min_ndim=2)
    d_model = x.shape[-1]
    n_heads = check_positive(n_heads, "n_heads", integer=True)
    if d_model % n_heads:
        raise ValueError(f"n_heads must divide d_model={d_model}, got n_heads={n_heads}")
    mats = []
    for name, w in (("w_q", w_q), ("w_k", w_k), ("w_v", w_v), ("w_o", w_o)):
        w = as_float_array(w, name, ndim=2)
        if w.shape != (d_model, d_model):
            raise ValueError(f"{name} must have shape (d_model, d_model) = {(d_model, d_model)}, got {w.shape}")
        mats.append(w.astype(result_dtype(x, w), copy=False))
    wq, wk, wv, wo = mats
    q, k, v = (_split_heads(x @ w, n_heads) for w in (wq, wk, wv))
    heads, weights = scaled_dot_product_attention(q, k, v, causal=causal)
    *lead, h, n, d_head = heads.shape
    concat = np.swapaxes(heads, -2, -3).reshape(*lead, n, h * d_head)
    return concat @ wo, weights


def sinusoidal_positional_encoding(n: int, d: int, base: float = 10000.0) -> np.ndarray:
    r"""The sine-cosine position codes of Vaswani et al. (2017).

    .. math::

        P_{p, 2i} = \sin\!\left(\frac{p}{b^{2i/d}}\right), \qquad
        P_{p, 2i+1} = \cos\!\left(\frac{p}{b^{2i/d}}\right),

    for positions :math:`p = 0, \dots, n-1` and :math:`b = 10\,000`. Each
    pair of columns is a rotation at its own frequency, so the code of
    position :math:`p + \Delta` is a fixed linear map of the code of :math:`p`.

    Parameters
    ----------
    n : int
        Number of positions.
    d : int
        Width of each code (an odd ``d`` ends with a sine column).
    base : float, default 10000.0
        The wavelength scale :math:`b`.

    Returns
    -------
    numpy.ndarray, shape (n, d)

    Examples
    --------
    >>> from llmmath import sinusoidal_positional_encoding
    >>> sinusoidal_positional_encoding(2, 4).round(4)
    array([[0.    , 1.    , 0.    , 1.    ],
           [0.8415, 0.5403, 0.01  , 1.    ]])
    """
    n = check_positive(n, "n", integer=True)
    d = check_positive(d, "d", integer=True)
    base = check_positive(base, "base")
    pos = np.arange(n, dtype=np.float64)[:, None]
    freq = base ** (-np.arange(0, d, 2, dtype=np.float64) / d)
    angles = pos * freq
    out = np.empty((n, d))
    out[:, 0::2] = np.sin(angles)
    out[:, 1::2] = np.cos(angles[:, : d // 2])
    return out
