r"""Attention one block of queries at a time: the n x n weights never exist at once.

Each row of the output, :math:`\mathbf{o}_i = \sum_j A_{ij}\mathbf{v}_j`, needs
only row :math:`i` of the weights. So the queries can be cut into blocks of
:math:`b` rows, and each block passed through
:func:`scaled_dot_product_attention` against all the keys: the arithmetic is
the same :math:`O(n^2 d)`, but the scores in memory at any moment are a
:math:`b \times n` slab instead of :math:`n \times n`. (FlashAttention, Dao et
al. 2022, also blocks the keys and merges the partial softmaxes online, so
even a row of scores is never whole.)
"""

from __future__ import annotations

import numpy as np

from .._validation import as_float_array, check_positive, result_dtype
from .attention import check_flag, scaled_dot_product_attention

__all__ = ["blocked_attention"]


def blocked_attention(q, k, v, block_rows: int = 128, causal: bool = False) -> np.ndarray:
    r"""The output of :func:`scaled_dot_product_attention`, computed in row blocks.

    .. math::

        \mathbf{O}_{[r:r+b]} = \operatorname{softmax}\!\left(
            \frac{\mathbf{Q}_{[r:r+b]}\mathbf{K}^\top}{\sqrt{d_k}}\right)\mathbf{V},
        \qquad r = 0, b, 2b, \dots

    Peak extra memory is about ``block_rows * n_k`` scores rather than
    ``n_q * n_k``; the result equals the unblocked one to rounding (the same
    products, grouped the same way within each row).

    Parameters
    ----------
    q : array_like, shape (..., n_q, d_k)
    k : array_like, shape (..., n_k, d_k)
    v : array_like, shape (..., n_k, d_v)
    block_rows : int, default 128
        Queries per block.
    causal : bool, default False
        Query :math:`i` sees keys :math:`j \le i` (aligned at the top left).

    Returns
    -------
    numpy.ndarray, shape (..., n_q, d_v)

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath import blocked_attention, scaled_dot_product_attention
    >>> rng = np.random.default_rng(0)
    >>> q, k, v = (rng.standard_normal((10, 4)) for _ in range(3))
    >>> out = blocked_attention(q, k, v, block_rows=3, causal=True)
    >>> bool(np.allclose(out, scaled_dot_product_attention(q, k, v, causal=True)[0]))
    True
    """
    q = as_float_array(q, "q", min_ndim=2)
    k = as_float_array(k, "k", min_ndim=2)
    v = as_float_array(v, "v", min_ndim=2)
    block_rows = check_positive(block_rows, "block_rows", integer=True)
    causal = check_flag(causal, "causal")
    n_q, n_k = q.shape[-2], k.shape[-2]
    blocks = []
    for start in range(0, n_q, block_rows):
        stop = min(start + block_rows, n_q)
        mask = np.tri(stop - start, n_k, start, dtype=bool) if causal else None
        out, _ = scaled_dot_product_attention(q[..., start:stop, :], k, v, mask=mask)
        blocks.append(out)  # the block's weights are freed here
    return np.concatenate(blocks, axis=-2).astype(result_dtype(q, k, v), copy=False)
