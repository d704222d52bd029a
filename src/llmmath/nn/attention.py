r"""Attention: every position takes a weighted average of every other.

Scaled dot-product attention (Vaswani et al., 2017) compares each query with
every key by a dot product, turns each row of scores into probabilities with
a softmax, and returns the probability-weighted average of the values. Row
vectors throughout: a sequence of ``n`` tokens of width ``d`` is an
``(n, d)`` array, and a linear layer follows PyTorch, ``x @ W.T + b``, with
``W`` of shape ``(out_features, in_features)``.
"""

from __future__ import annotations

import numpy as np

from .._validation import as_float_array, check_positive, result_dtype
from .layers import linear

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


def check_flag(value, name: str) -> bool:
    """A real boolean (``bool`` or ``numpy.bool_``): the string ``"False"`` is not one."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r} of type {type(value).__name__}")
    return bool(value)


def _check_mask(mask, name: str, target: tuple[int, ...]) -> np.ndarray:
    allowed = np.asarray(mask)
    if allowed.dtype != bool:
        raise TypeError(f"{name} must be a boolean array (True = may attend), got dtype {allowed.dtype}")
    try:
        # The mask must broadcast *to* the weights' shape, not enlarge it.
        ok = np.broadcast_shapes(allowed.shape, target) == target
    except ValueError:
        ok = False
    if not ok:
        raise ValueError(f"{name} of shape {allowed.shape} does not broadcast to (..., n_q, n_k) = {target}")
    return allowed


def _power_of_two_scale(a: np.ndarray) -> np.ndarray:
    """The power of two at or above max|a| (1 for a zero array): dividing by it is exact."""
    top = float(np.max(np.abs(a)))
    return a.dtype.type(1.0) if top == 0 else a.dtype.type(np.ldexp(1.0, np.frexp(top)[1]))


def _scores(q: np.ndarray, k: np.ndarray, rescaled: bool = False) -> np.ndarray:
    r"""The scores :math:`QK^\top/\sqrt{d_k}`; with ``rescaled``, finite even where they overflow.

    Scaling the (n_q, d_k) queries rather than the (n_q, n_k) scores costs
    fewer flops. If a score overflows, the softmax only needs the differences
    :math:`s_{ij} - \max_j s_{ij}`: ``rescaled`` forms them from q and k divided
    by exact powers of two, multiplied back, and clipped at the most negative
    finite float, whose exponential is 0 as that of :math:`-\infty` would be.
    """
    scale = q.dtype.type(1.0 / np.sqrt(q.shape[-1]))
    if not rescaled:
        with np.errstate(over="ignore", invalid="ignore"):
            return np.matmul(q * scale, np.swapaxes(k, -1, -2))
    a, b = _power_of_two_scale(q), _power_of_two_scale(k)
    unit = np.matmul((q / a) * scale, np.swapaxes(k / b, -1, -2))
    big = np.finfo(q.dtype).max
    with np.errstate(over="ignore"):
        shifted = (unit - unit.max(axis=-1, keepdims=True)) * a * b
    return np.clip(shifted, -big, big, out=shifted)


# Scores normalised at a time: a block this size (1 MiB of float64, 512 KiB of
# float32) stays in the CPU's L2 cache through the passes of the softmax, and is
# large enough that the per-block numpy calls cost little (measured by `make
# bench`: 2**15 elements cost float32 causal attention 10 % more time). Counted in
# elements, not bytes, so that float32 work allocates exactly half of what float64 does.
_BLOCK_ELEMENTS = 1 << 17


def _softmax_rows_inplace(scores: np.ndarray, allowed: np.ndarray | None, causal: bool) -> bool:
    r"""Overwrite ``scores`` (..., n_q, n_k) by :func:`llmmath.prob.masked_softmax` of its rows.

    One block of query rows at a time (cache blocking). The causal mask
    :math:`j \le i` is built per block instead of as an (n_q, n_k) array, and
    the keys after a block's last query, in the future of all of its rows, get
    weight 0 directly (what the masked softmax would give) without the work.

    Returns False, with ``scores`` partly overwritten, as soon as a row's
    largest allowed score is not finite (a score overflowed): the caller then
    starts again from rescaled scores. Checking the row maxima the softmax
    needs anyway costs nothing; scanning all scores first would cost two passes.
    """
    n_q, n_k = scores.shape[-2:]
    rows = max(1, _BLOCK_ELEMENTS // scores[..., 0, :].size)
    for start in range(0, n_q, rows):
        stop = min(start + rows, n_q)
        block = scores[..., start:stop, :]
        mask = allowed
        if mask is not None and mask.ndim >= 2 and mask.shape[-2] > 1:
            mask = mask[..., start:stop, :]
        if causal:
            block[..., stop:] = 0
            block = block[..., :stop]
            tri = np.tri(stop - start, min(stop, n_k), start, dtype=bool)
            mask = tri if mask is None else mask[..., : min(stop, n_k)] & tri
        # masked_softmax, in place: a masked score becomes -inf, whose exponential
        # is exactly 0; every row keeps an allowed entry (checked by the caller),
        # so each row's max is finite and no 0/0 or inf - inf can occur.
        if mask is not None:
            np.copyto(block, -np.inf, where=~np.broadcast_to(mask, block.shape))
        top = block.max(axis=-1, keepdims=True)
        if not np.isfinite(top).all():
            return False
        block -= top
        np.exp(block, out=block)
        block /= block.sum(axis=-1, keepdims=True)
    return True


def scaled_dot_product_attention(q, k, v, mask=None, causal: bool = False):
    r"""Scaled dot-product attention, returning the output and the weights.

    .. math::

        \mathbf{A} = \operatorname{softmax}\!\left(
            \frac{\mathbf{Q}\mathbf{K}^{\top}}{\sqrt{d_k}} + \mathbf{M}\right),
        \qquad
        \operatorname{Attention}(\mathbf{Q}, \mathbf{K}, \mathbf{V}) = \mathbf{A}\mathbf{V},

    where the softmax acts on each row and :math:`M_{ij}` is 0 where query
    :math:`i` may attend to key :math:`j` and :math:`-\infty` where it may
    not (the softmax of :func:`llmmath.prob.masked_softmax`, computed in place
    one block of rows at a time). Each row of
    :math:`\mathbf{A}` is a probability vector, so each output row is a convex
    combination of the rows of :math:`\mathbf{V}`.

    Parameters
    ----------
    q : array_like, shape (..., n_q, d_k)
        Queries.
    k : array_like, shape (..., n_k, d_k)
        Keys.
    v : array_like, shape (..., n_k, d_v)
        Values.
    mask : array_like of bool, optional
        Broadcastable to ``(..., n_q, n_k)``, where ``...`` is the broadcast
        of the batch axes of q, k *and* v (as in PyTorch); True means "may
        attend" (the meaning of a boolean ``attn_mask`` in PyTorch).
    causal : bool, default False
        Also apply :func:`causal_mask`. Must be a real bool.

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

    Notes
    -----
    Scores that overflow (queries and keys near the float range) do not give
    NaN: the weights are then those of the limit, a softmax of the exactly
    rescaled score differences, see ``_scores``.

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
    causal = check_flag(causal, "causal")
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
    target = batch + (n_q, n_k)

    allowed = None if mask is None else _check_mask(mask, "mask", target)
    if causal and allowed is not None:
        rows_alive = (allowed & causal_mask(n_q, n_k)).any(axis=-1).all()
    else:  # the causal mask alone never empties a row: query i always sees key 0
        rows_alive = allowed is None or allowed.any(axis=-1).all()
    if not rows_alive:
        raise ValueError(
            "mask leaves at least one query row with no key to attend to; "
            "its attention weights would be 0/0"
        )

    for rescaled in (False, True):  # rescaled only if a score overflowed
        weights = _scores(q, k, rescaled)
        if weights.shape != target:  # batch axes that only v (or the mask) carries
            weights = np.broadcast_to(weights, target).copy()
        if _softmax_rows_inplace(weights, allowed, causal):
            break
    else:  # rescaled scores are finite by construction
        raise FloatingPointError("attention scores are not finite even after rescaling q and k")
    return np.matmul(weights, v), weights


def _split_heads(x: np.ndarray, n_heads: int) -> np.ndarray:
    # (..., n, d_model) -> (..., h, n, d_head)
    *lead, n, d_model = x.shape
    return np.swapaxes(x.reshape(*lead, n, n_heads, d_model // n_heads), -2, -3)


def _projection(x: np.ndarray, w, b, w_name: str, b_name: str, d_model: int) -> np.ndarray:
    w = as_float_array(w, w_name, ndim=2)
    if w.shape != (d_model, d_model):
        raise ValueError(
            f"{w_name} must have shape (d_model, d_model) = {(d_model, d_model)} "
            f"(PyTorch's (out_features, in_features)), got {w.shape}"
        )
    if b is not None:
        b = as_float_array(b, b_name, ndim=1)
        if b.shape != (d_model,):
            raise ValueError(f"{b_name} must have shape (d_model,) = {(d_model,)}, got {b.shape}")
    with np.errstate(over="ignore", invalid="ignore"):
        y = linear(x, w.astype(result_dtype(x, w), copy=False), b)
    if not np.isfinite(y).all():
        raise ValueError(
            f"x @ {w_name}.T" + ("" if b is None else f" + {b_name}") + " overflows: rescale x or "
            f"{w_name} (entries of magnitude up to {float(np.max(np.abs(w))):.3g})"
        )
    return y


def multi_head_attention(x, w_q, w_k, w_v, w_o, n_heads: int, *, b_q=None, b_k=None, b_v=None, b_o=None,
                         key_mask=None, causal: bool = False):
    r"""Multi-head self-attention, with PyTorch's layer convention.

    Every projection is a linear layer :math:`\mathbf{X}\mathbf{W}^\top + \mathbf{b}`
    with :math:`\mathbf{W}` of shape ``(out_features, in_features)``, as in
    ``torch.nn.MultiheadAttention`` and the MiniLM weights. Each head :math:`h`
    attends in its own slice of width :math:`d_{\text{head}} = d_{\text{model}} / H`:

    .. math::

        \mathbf{Q} = \mathbf{X}\mathbf{W}_Q^\top + \mathbf{b}_Q,\;
        \mathbf{K} = \mathbf{X}\mathbf{W}_K^\top + \mathbf{b}_K,\;
        \mathbf{V} = \mathbf{X}\mathbf{W}_V^\top + \mathbf{b}_V,\qquad
        \operatorname{MHA}(\mathbf{X}) =
        \left[\operatorname{head}_1, \dots, \operatorname{head}_H\right]\mathbf{W}_O^\top + \mathbf{b}_O,

    with :math:`\operatorname{head}_h` the :func:`scaled_dot_product_attention`
    of the :math:`h`-th column slices of :math:`\mathbf{Q}, \mathbf{K}, \mathbf{V}`.

    Parameters
    ----------
    x : array_like, shape (..., n, d_model)
        Input sequence (row vectors).
    w_q, w_k, w_v, w_o : array_like, shape (d_model, d_model)
        Projection weights, ``(out_features, in_features)``.
    n_heads : int
        Number of heads :math:`H`; must divide ``d_model``.
    b_q, b_k, b_v, b_o : array_like, shape (d_model,), optional
        Biases (None: no bias).
    key_mask : array_like of bool, shape (..., n), optional
        A key-padding mask: True for a real token, False for padding, which no
        query may attend to. This is the meaning of Hugging Face's
        ``attention_mask`` and the *opposite* of the ``key_padding_mask`` of
        ``torch.nn.MultiheadAttention`` (where True means "ignore").
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
    causal = check_flag(causal, "causal")
    if d_model % n_heads:
        raise ValueError(f"n_heads must divide d_model={d_model}, got n_heads={n_heads}")
    mask = None
    if key_mask is not None:
        km = np.asarray(key_mask)
        if km.dtype != bool:
            raise TypeError(f"key_mask must be a boolean array (True = real token), got dtype {km.dtype}")
        if km.shape != x.shape[:-1]:
            raise ValueError(f"key_mask must have shape x.shape[:-1] = {x.shape[:-1]}, got {km.shape}")
        if not km.any(axis=-1).all():
            raise ValueError("key_mask leaves a sequence with no real token to attend to")
        mask = km[..., None, None, :]  # (..., 1 head, 1 query, n keys)
    q, k, v = (
        _split_heads(_projection(x, w, b, f"w_{c}", f"b_{c}", d_model), n_heads)
        for c, w, b in (("q", w_q, b_q), ("k", w_k, b_k), ("v", w_v, b_v))
    )
    w_o = as_float_array(w_o, "w_o", ndim=2)
    heads, weights = scaled_dot_product_attention(q, k, v, mask=mask, causal=causal)
    *lead, h, n, d_head = heads.shape
    concat = np.swapaxes(heads, -2, -3).reshape(*lead, n, h * d_head)
    return _projection(concat, w_o, b_o, "w_o", "b_o", d_model), weights


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
