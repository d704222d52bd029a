"""Attention against PyTorch: scaled dot-product, multi-head, masks and position codes."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from _helpers import PROPERTY, float_arrays
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from llmmath import causal_mask, multi_head_attention, scaled_dot_product_attention, sinusoidal_positional_encoding


@pytest.fixture
def rng():
    return np.random.default_rng(2017)


def _t(a: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.array(a))  # a writable copy


def torch_weights(q, k, allowed=None):
    """softmax(q k^T / sqrt(d) masked), computed by PyTorch."""
    scores = _t(q) @ _t(k).transpose(-1, -2) / np.sqrt(q.shape[-1])
    if allowed is not None:
        scores = scores.masked_fill(~_t(allowed), float("-inf"))
    return torch.softmax(scores, dim=-1).numpy()


def random_mask(rng, shape) -> np.ndarray:
    """A boolean mask in which every row lets at least one key through."""
    mask = rng.random(shape) < 0.5
    for row in np.argwhere(~mask.any(axis=-1)):
        mask[tuple(row) + (rng.integers(shape[-1]),)] = True
    assert mask.any(axis=-1).all()
    return mask


# --------------------------------------------------------------------------
# scaled_dot_product_attention vs torch.nn.functional.scaled_dot_product_attention
# --------------------------------------------------------------------------

@pytest.mark.parametrize("n_q, n_k", [(5, 5), (5, 7), (7, 3)])
def test_sdpa_matches_torch_unmasked(rng, n_q, n_k):
    q = rng.standard_normal((2, 3, n_q, 4))
    k = rng.standard_normal((2, 3, n_k, 4))
    v = rng.standard_normal((2, 3, n_k, 6))
    out, w = scaled_dot_product_attention(q, k, v)
    expected = F.scaled_dot_product_attention(_t(q), _t(k), _t(v)).numpy()
    assert out.shape == (2, 3, n_q, 6) and w.shape == (2, 3, n_q, n_k)
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(w, torch_weights(q, k), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("mask_shape", [(5, 7), (2, 1, 5, 7), (2, 3, 5, 7), (1, 7)],
                         ids=["2d", "per-batch", "full", "per-key"])
def test_sdpa_matches_torch_with_boolean_mask(rng, mask_shape):
    q = rng.standard_normal((2, 3, 5, 4))
    k = rng.standard_normal((2, 3, 7, 4))
    v = rng.standard_normal((2, 3, 7, 6))
    mask = random_mask(rng, mask_shape)
    out, w = scaled_dot_product_attention(q, k, v, mask=mask)
    expected = F.scaled_dot_product_attention(_t(q), _t(k), _t(v), attn_mask=_t(mask)).numpy()
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-13)
    full = np.broadcast_to(mask, w.shape)
    np.testing.assert_allclose(w, torch_weights(q, k, full), rtol=1e-12, atol=1e-14)
    assert np.all(w[~full] == 0.0)


@pytest.mark.parametrize("n_q, n_k", [(6, 6), (4, 6), (6, 4)])
def test_sdpa_matches_torch_causal(rng, n_q, n_k):
    q = rng.standard_normal((2, 3, n_q, 8))
    k = rng.standard_normal((2, 3, n_k, 8))
    v = rng.standard_normal((2, 3, n_k, 5))
    out, w = scaled_dot_product_attention(q, k, v, causal=True)
    expected = F.scaled_dot_product_attention(_t(q), _t(k), _t(v), is_causal=True).numpy()
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-13)
    tri = np.tril(np.ones((n_q, n_k), dtype=bool))
    np.testing.assert_allclose(w, torch_weights(q, k, np.broadcast_to(tri, w.shape)), rtol=1e-12, atol=1e-14)
    assert np.all(w[..., ~tri] == 0.0)


def test_sdpa_mask_and_causal_combine(rng):
    q, k = rng.standard_normal((2, 6, 4)), rng.standard_normal((2, 6, 4))
    v = rng.standard_normal((2, 6, 3))
    mask = random_mask(rng, (6, 6)) | np.eye(6, dtype=bool)  # the diagonal keeps every causal row alive
    both = mask & np.tril(np.ones((6, 6), dtype=bool))
    out, w = scaled_dot_product_attention(q, k, v, mask=mask, causal=True)
    expected = F.scaled_dot_product_attention(_t(q), _t(k), _t(v), attn_mask=_t(both)).numpy()
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-13)
    assert np.all(w[:, ~both] == 0.0)


def test_sdpa_unbatched_and_broadcast_batch(rng):
    q = rng.standard_normal((4, 3))
    k = rng.standard_normal((2, 5, 3))  # a batch of two key sets, one query set
    v = rng.standard_normal((2, 5, 2))
    out, w = scaled_dot_product_attention(q, k, v)
    assert out.shape == (2, 4, 2) and w.shape == (2, 4, 5)
    expected = F.scaled_dot_product_attention(_t(np.broadcast_to(q, (2, 4, 3))), _t(k), _t(v)).numpy()
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-13)


def test_sdpa_float32_stays_float32_and_matches_torch_float32(rng):
    q, k, v = (rng.standard_normal((2, 5, 4)).astype(np.float32) for _ in range(3))
    out, w = scaled_dot_product_attention(q, k, v, mask=causal_mask(5))
    assert out.dtype == np.float32 and w.dtype == np.float32
    expected = F.scaled_dot_product_attention(_t(q), _t(k), _t(v), is_causal=True).numpy()
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-6)


def test_sdpa_mixed_precision_computes_in_float64(rng):
    # One float32 input promotes the whole computation, not only the result's dtype.
    q = rng.standard_normal((3, 4)).astype(np.float32)
    k, v = rng.standard_normal((3, 4)), rng.standard_normal((3, 2))
    out, w = scaled_dot_product_attention(q, k, v)
    assert out.dtype == np.float64 and w.dtype == np.float64
    expected = F.scaled_dot_product_attention(_t(q.astype(np.float64)), _t(k), _t(v)).numpy()
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-13)


def test_sdpa_mask_with_batch_axis_from_v_broadcasts_like_torch(rng):
    q, k = rng.standard_normal((3, 4)), rng.standard_normal((5, 4))
    v = rng.standard_normal((2, 5, 3))
    mask = random_mask(rng, (2, 3, 5))
    out, w = scaled_dot_product_attention(q, k, v, mask=mask)
    # torch 2.13's math kernel wants the batch axis on q and k too; broadcasting them is the meaning.
    qb, kb = np.broadcast_to(q, (2, 3, 4)), np.broadcast_to(k, (2, 5, 4))
    expected = F.scaled_dot_product_attention(_t(qb), _t(kb), _t(v), attn_mask=_t(mask)).numpy()
    assert out.shape == (2, 3, 3) and w.shape == (2, 3, 5)
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-13)
    assert np.all(w[~mask] == 0.0)


@pytest.mark.parametrize("dtype, big", [(np.float64, 1e200), (np.float32, 1e30)])
def test_sdpa_overflowing_scores_give_the_limit_not_nan(dtype, big):
    # q.k overflows; the exact weights are a hard choice of the largest score (here key 1),
    # or an even split between tied keys (query 1 against keys 0 and 2).
    q = np.array([[big, big], [0.5, -0.5]], dtype=dtype)
    k = np.array([[big, -big], [big, big], [big, -big]], dtype=dtype)
    v = np.arange(6, dtype=dtype).reshape(3, 2)
    out, w = scaled_dot_product_attention(q, k, v)
    assert np.isfinite(out).all() and np.isfinite(w).all() and w.dtype == dtype
    np.testing.assert_array_equal(w[0], [0.0, 1.0, 0.0])
    np.testing.assert_allclose(w[1], [0.5, 0.0, 0.5], rtol=1e-6)
    np.testing.assert_allclose(out[0], v[1])


def test_sdpa_does_not_modify_inputs(rng):
    q, k, v = (rng.standard_normal((4, 4)) for _ in range(3))
    copies = [a.copy() for a in (q, k, v)]
    scaled_dot_product_attention(q, k, v, causal=True)
    for a, c in zip((q, k, v), copies):
        np.testing.assert_array_equal(a, c)


# --------------------------------------------------------------------------
# multi_head_attention vs torch.nn.MultiheadAttention
# --------------------------------------------------------------------------

def torch_mha(x, w_q, w_k, w_v, w_o, n_heads, causal=False, biases=None, key_mask=None, dtype=torch.float64):
    """torch.nn.MultiheadAttention with the same (out, in) weights: no transposes on either side."""
    d_model = x.shape[-1]
    mha = torch.nn.MultiheadAttention(d_model, n_heads, bias=biases is not None, batch_first=True, dtype=dtype)
    with torch.no_grad():
        mha.in_proj_weight.copy_(_t(np.concatenate([w_q, w_k, w_v])))
        mha.out_proj.weight.copy_(_t(w_o))
        if biases is not None:
            mha.in_proj_bias.copy_(_t(np.concatenate(biases[:3])))
            mha.out_proj.bias.copy_(_t(biases[3]))
        xt = _t(x)
        # For nn.MultiheadAttention a boolean True means "may NOT attend", in both masks.
        attn_mask = _t(~causal_mask(x.shape[-2])) if causal else None
        kpm = None if key_mask is None else _t(~key_mask)
        out, weights = mha(xt, xt, xt, attn_mask=attn_mask, key_padding_mask=kpm, need_weights=True,
                           average_attn_weights=False)
    return out.numpy(), weights.numpy()


def _mha_params(rng, d_model, dtype=np.float64):
    ws = [(rng.standard_normal((d_model, d_model)) / np.sqrt(d_model)).astype(dtype) for _ in range(4)]
    bs = [rng.standard_normal(d_model).astype(dtype) for _ in range(4)]
    return ws, bs


@pytest.mark.parametrize("n_heads", [1, 2, 4, 8])
@pytest.mark.parametrize("causal", [False, True], ids=["full", "causal"])
def test_mha_matches_torch(rng, n_heads, causal):
    d_model = 8
    x = rng.standard_normal((3, 6, d_model))
    ws, _ = _mha_params(rng, d_model)
    out, weights = multi_head_attention(x, *ws, n_heads=n_heads, causal=causal)
    expected_out, expected_w = torch_mha(x, *ws, n_heads, causal)
    assert out.shape == (3, 6, d_model) and weights.shape == (3, n_heads, 6, 6)
    np.testing.assert_allclose(out, expected_out, rtol=1e-11, atol=1e-12)
    np.testing.assert_allclose(weights, expected_w, rtol=1e-11, atol=1e-13)


@pytest.mark.parametrize("causal", [False, True], ids=["full", "causal"])
def test_mha_with_biases_and_key_padding_mask_matches_torch(rng, causal):
    d_model, n_heads = 12, 3
    x = rng.standard_normal((4, 7, d_model))
    ws, bs = _mha_params(rng, d_model)
    lengths = np.array([7, 5, 1, 3])
    key_mask = np.arange(7) < lengths[:, None]  # True = real token, as in a padded batch
    out, weights = multi_head_attention(x, *ws, n_heads=n_heads, b_q=bs[0], b_k=bs[1], b_v=bs[2], b_o=bs[3],
                                        key_mask=key_mask, causal=causal)
    expected_out, expected_w = torch_mha(x, *ws, n_heads, causal, biases=bs, key_mask=key_mask)
    np.testing.assert_allclose(out, expected_out, rtol=1e-11, atol=1e-12)
    np.testing.assert_allclose(weights, expected_w, rtol=1e-11, atol=1e-13)
    assert np.all(weights[~np.broadcast_to(key_mask[:, None, None, :], weights.shape)] == 0.0)


def test_mha_key_mask_makes_padding_invisible(rng):
    # The real tokens' outputs do not depend on what sits in the padding positions.
    d_model, n_heads = 8, 2
    ws, bs = _mha_params(rng, d_model)
    x = rng.standard_normal((6, d_model))
    noisy = x.copy()
    noisy[4:] = 1e3 * rng.standard_normal((2, d_model))
    key_mask = np.arange(6) < 4
    kw = dict(n_heads=n_heads, b_q=bs[0], b_k=bs[1], b_v=bs[2], b_o=bs[3], key_mask=key_mask)
    a, _ = multi_head_attention(x, *ws, **kw)
    b, _ = multi_head_attention(noisy, *ws, **kw)
    short, _ = multi_head_attention(x[:4], *ws, **{**kw, "key_mask": None})
    np.testing.assert_allclose(a[:4], b[:4], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(a[:4], short, rtol=1e-12, atol=1e-12)


def test_mha_matches_functional_form_unbatched(rng):
    d_model, n_heads = 6, 3
    x = rng.standard_normal((5, d_model))
    ws = [rng.standard_normal((d_model, d_model)) for _ in range(4)]
    out, weights = multi_head_attention(x, *ws, n_heads=n_heads)
    xt = _t(x[:, None, :])  # (L, N=1, E), the functional form's layout
    expected, expected_w = F.multi_head_attention_forward(
        xt, xt, xt, d_model, n_heads,
        in_proj_weight=_t(np.concatenate(ws[:3])), in_proj_bias=None,
        bias_k=None, bias_v=None, add_zero_attn=False, dropout_p=0.0,
        out_proj_weight=_t(ws[3]), out_proj_bias=None, training=False,
        need_weights=True, average_attn_weights=False)
    np.testing.assert_allclose(out, expected.numpy()[:, 0, :], rtol=1e-11, atol=1e-12)
    np.testing.assert_allclose(weights, expected_w.numpy()[0], rtol=1e-11, atol=1e-13)


def test_mha_one_head_is_plain_attention_with_linear_layers(rng):
    x = rng.standard_normal((4, 5))
    ws = [rng.standard_normal((5, 5)) for _ in range(4)]
    b = rng.standard_normal(5)
    out, weights = multi_head_attention(x, *ws, n_heads=1, b_v=b)
    ref, ref_w = scaled_dot_product_attention(x @ ws[0].T, x @ ws[1].T, x @ ws[2].T + b)
    np.testing.assert_allclose(out, ref @ ws[3].T, rtol=1e-12)
    np.testing.assert_allclose(weights[0], ref_w, rtol=1e-12)


def test_mha_float32_stays_float32_and_matches_torch_float32(rng):
    x = rng.standard_normal((2, 4, 8)).astype(np.float32)
    ws, bs = _mha_params(rng, 8, np.float32)
    out, weights = multi_head_attention(x, *ws, n_heads=2, causal=True, b_q=bs[0], b_k=bs[1], b_v=bs[2],
                                        b_o=bs[3])
    assert out.dtype == np.float32 and weights.dtype == np.float32
    ref_out, ref_w = torch_mha(x, *ws, 2, True, biases=bs, dtype=torch.float32)
    # float32 rounding through three products of width 8: a few hundred ulps at most
    np.testing.assert_allclose(out, ref_out, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(weights, ref_w, rtol=1e-5, atol=1e-6)


def test_mha_real_minilm_layer_matches_torch():
    # The real layer-0 projections of MiniLM, biases included, in their stored (out, in) layout.
    from llmmath import load_minilm

    weights = load_minilm()
    pre = "encoder.layer.0.attention"
    ws = [weights[f"{pre}.self.{p}.weight"] for p in ("query", "key", "value")]
    ws.append(weights[f"{pre}.output.dense.weight"])
    bs = [weights[f"{pre}.self.{p}.bias"] for p in ("query", "key", "value")]
    bs.append(weights[f"{pre}.output.dense.bias"])
    x = weights["embeddings.word_embeddings.weight"][[101, 7592, 2088, 102]]
    out, attn = multi_head_attention(x, *ws, n_heads=12, b_q=bs[0], b_k=bs[1], b_v=bs[2], b_o=bs[3])
    ref_out, ref_w = torch_mha(x, *ws, 12, biases=bs, dtype=torch.float32)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, ref_out, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(attn, ref_w, rtol=1e-4, atol=1e-6)


# --------------------------------------------------------------------------
# causal_mask and sinusoidal_positional_encoding
# --------------------------------------------------------------------------

@pytest.mark.parametrize("n, n_keys", [(1, None), (4, None), (3, 5), (5, 3)])
def test_causal_mask_is_lower_triangle(n, n_keys):
    m = causal_mask(n, n_keys)
    n_k = n if n_keys is None else n_keys
    assert m.dtype == bool
    np.testing.assert_array_equal(m, torch.ones(n, n_k, dtype=torch.bool).tril().numpy())


def sinusoid_by_formula(n, d, base=10000.0):
    p = np.zeros((n, d))
    for pos in range(n):
        for col in range(d):
            i = col // 2
            angle = pos / base ** (2 * i / d)
            p[pos, col] = np.sin(angle) if col % 2 == 0 else np.cos(angle)
    return p


@pytest.mark.parametrize("n, d", [(1, 1), (10, 4), (50, 7), (128, 64)])
@pytest.mark.parametrize("base", [10000.0, 100.0])
def test_sinusoidal_matches_formula(n, d, base):
    got = sinusoidal_positional_encoding(n, d, base=base)
    assert got.shape == (n, d)
    np.testing.assert_allclose(got, sinusoid_by_formula(n, d, base), rtol=1e-12, atol=1e-12)


def test_sinusoidal_shift_is_a_rotation():
    # Each (sin, cos) pair of position p + delta is a fixed rotation of the pair at p.
    n, d, delta = 40, 16, 5
    pe = sinusoidal_positional_encoding(n + delta, d)
    freq = 10000.0 ** (-np.arange(0, d, 2) / d)
    for i, w in enumerate(freq):
        c, s = np.cos(w * delta), np.sin(w * delta)
        rot = np.array([[c, -s], [s, c]])  # acts on the row vector (sin, cos)
        pair = pe[:, 2 * i:2 * i + 2]
        np.testing.assert_allclose(pair[:n] @ rot, pair[delta:], atol=1e-12)


# --------------------------------------------------------------------------
# Properties: attention weights are convex combinations
# --------------------------------------------------------------------------

@st.composite
def qkv_and_mask(draw, with_mask=True):
    n_q, n_k = draw(st.integers(1, 5)), draw(st.integers(1, 6))
    d_k, d_v = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    q = draw(float_arrays((n_q, d_k), bound=10.0))
    k = draw(float_arrays((n_k, d_k), bound=10.0))
    v = draw(float_arrays((n_k, d_v), bound=100.0))
    mask = None
    if with_mask:
        mask = draw(arrays(bool, (n_q, n_k)))
        keep = draw(st.lists(st.integers(0, n_k - 1), min_size=n_q, max_size=n_q))
        mask[np.arange(n_q), keep] = True
    return q, k, v, mask


def _check_convex(out, w, v, allowed):
    assert np.all(w >= 0)
    np.testing.assert_allclose(w.sum(axis=-1), 1.0, rtol=1e-12)
    slack = 1e-12 * (np.abs(v).max() + 1) * v.shape[0]
    assert np.all(out >= v.min(axis=0) - slack)
    assert np.all(out <= v.max(axis=0) + slack)
    if allowed is not None:
        assert np.all(w[~allowed] == 0.0)  # exactly, not approximately


@PROPERTY
@given(qkv_and_mask(with_mask=False))
def test_weights_are_convex_combinations(data):
    q, k, v, _ = data
    out, w = scaled_dot_product_attention(q, k, v)
    _check_convex(out, w, v, None)


@PROPERTY
@given(qkv_and_mask())
def test_masked_weights_are_exactly_zero(data):
    q, k, v, mask = data
    out, w = scaled_dot_product_attention(q, k, v, mask=mask)
    assert np.isfinite(out).all()
    _check_convex(out, w, v, mask)


@PROPERTY
@given(qkv_and_mask(with_mask=False))
def test_causal_weights_are_exactly_zero_above_the_diagonal(data):
    q, k, v, _ = data
    out, w = scaled_dot_product_attention(q, k, v, causal=True)
    _check_convex(out, w, v, causal_mask(q.shape[0], k.shape[0]))


@PROPERTY
@given(qkv_and_mask())
def test_float32_properties(data):
    q, k, v, mask = data
    q, k, v = (a.astype(np.float32) for a in (q, k, v))
    out, w = scaled_dot_product_attention(q, k, v, mask=mask)
    assert out.dtype == np.float32 and w.dtype == np.float32
    assert np.all(w >= 0) and np.all(w[~mask] == 0.0)
    np.testing.assert_allclose(w.sum(axis=-1), 1.0, rtol=1e-5)


# --------------------------------------------------------------------------
# The bad-input table
# --------------------------------------------------------------------------

NAN, INF = float("nan"), float("inf")
Q = np.ones((3, 4))
K = np.ones((5, 4))
V = np.ones((5, 2))
W = np.eye(4)
NO_ROW_0 = np.ones((3, 5), dtype=bool)
NO_ROW_0[0] = False
ROW_0_ONLY_FUTURE = np.ones((3, 5), dtype=bool)
ROW_0_ONLY_FUTURE[0, 0] = False  # causal leaves row 0 only key 0, which this mask removes


def _with(a, idx, value):
    a = a.copy()
    a[idx] = value
    return a


SDPA_BAD = [
    pytest.param((Q, np.ones((5, 3)), V), {}, ValueError, r"q and k must share the last dimension d_k", id="qk-d"),
    pytest.param((Q, K, np.ones((4, 2))), {}, ValueError, r"k and v must have the same number of keys", id="kv-n"),
    pytest.param((np.ones((2, 3, 4)), np.ones((3, 5, 4)), np.ones((3, 5, 2))), {}, ValueError,
                 r"leading \(batch\) dimensions", id="batch-mismatch"),
    pytest.param((np.ones(4), K, V), {}, ValueError, r"q must have at least 2 dimension", id="q-1d"),
    pytest.param((Q, np.ones(4), V), {}, ValueError, r"k must have at least 2 dimension", id="k-1d"),
    pytest.param((_with(Q, (0, 0), NAN), K, V), {}, ValueError, r"q must contain only finite", id="q-nan"),
    pytest.param((Q, _with(K, (1, 1), INF), V), {}, ValueError, r"k must contain only finite", id="k-inf"),
    pytest.param((Q, K, _with(V, (2, 0), -INF)), {}, ValueError, r"v must contain only finite", id="v-inf"),
    pytest.param((Q, np.ones((0, 4)), np.ones((0, 2))), {}, ValueError, r"k must not be empty", id="k-empty"),
    pytest.param((np.ones((0, 4)), K, V), {}, ValueError, r"q must not be empty", id="q-empty"),
    pytest.param((Q, K, V), {"mask": NO_ROW_0}, ValueError, r"mask leaves at least one query row with no key",
                 id="mask-excludes-a-whole-row"),
    pytest.param((Q, K, V), {"mask": np.zeros((3, 5), dtype=bool)}, ValueError, r"mask leaves",
                 id="mask-all-false"),
    pytest.param((Q, K, V), {"mask": ROW_0_ONLY_FUTURE, "causal": True}, ValueError, r"mask leaves",
                 id="mask-and-causal-exclude-a-row"),
    pytest.param((Q, K, V), {"mask": np.ones((3, 5), dtype=int)}, TypeError, r"mask must be a boolean array",
                 id="mask-int"),
    pytest.param((Q, K, V), {"mask": np.ones((3, 5))}, TypeError, r"mask must be a boolean array", id="mask-float"),
    pytest.param((Q, K, V), {"mask": np.ones((3, 4), dtype=bool)}, ValueError, r"mask of shape \(3, 4\)",
                 id="mask-wrong-shape"),
    pytest.param((Q, K, V), {"mask": np.ones((2, 3, 5), dtype=bool)}, ValueError, r"mask.*broadcast",
                 id="mask-extra-batch-dims"),
    pytest.param((Q, K, V), {"causal": "False"}, TypeError, r"causal must be True or False, got 'False'",
                 id="causal-string"),
    pytest.param((Q, K, V), {"causal": 1}, TypeError, r"causal must be True or False", id="causal-int"),
]


@pytest.mark.parametrize("args, kwargs, exc, match", SDPA_BAD)
def test_sdpa_bad_input(args, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        scaled_dot_product_attention(*args, **kwargs)


MHA_X = np.ones((3, 4))

MHA_BAD = [
    pytest.param((MHA_X, W, W, W, W), {"n_heads": 3}, ValueError, r"n_heads must divide d_model=4", id="heads-divide"),
    pytest.param((MHA_X, W, W, W, W), {"n_heads": 0}, ValueError, r"n_heads must be a positive", id="heads-zero"),
    pytest.param((MHA_X, W, W, W, W), {"n_heads": 2.0}, TypeError, r"n_heads must be a positive integer",
                 id="heads-float"),
    pytest.param((MHA_X, np.eye(3), W, W, W), {"n_heads": 2}, ValueError, r"w_q must have shape", id="w_q-shape"),
    pytest.param((MHA_X, W, np.ones((4, 5)), W, W), {"n_heads": 2}, ValueError, r"w_k must have shape",
                 id="w_k-shape"),
    pytest.param((MHA_X, W, W, _with(W, (0, 0), NAN), W), {"n_heads": 2}, ValueError, r"w_v must contain only finite",
                 id="w_v-nan"),
    pytest.param((MHA_X, W, W, W, np.ones(4)), {"n_heads": 2}, ValueError, r"w_o must be 2-D", id="w_o-1d"),
    pytest.param((np.ones(4), W, W, W, W), {"n_heads": 2}, ValueError, r"x must have at least 2", id="x-1d"),
    pytest.param((_with(MHA_X, (0, 0), INF), W, W, W, W), {"n_heads": 2}, ValueError, r"x must contain only finite",
                 id="x-inf"),
    pytest.param((MHA_X * 1e300, W * 1e300, W, W, W), {"n_heads": 2}, ValueError, r"x @ w_q.T overflows",
                 id="w_q-overflow-named"),
    pytest.param((MHA_X, W, W, W, W), {"n_heads": 2, "b_k": np.ones(3)}, ValueError, r"b_k must have shape",
                 id="b_k-shape"),
    pytest.param((MHA_X, W, W, W, W), {"n_heads": 2, "key_mask": np.ones(3)}, TypeError,
                 r"key_mask must be a boolean", id="key_mask-float"),
    pytest.param((MHA_X, W, W, W, W), {"n_heads": 2, "key_mask": np.ones(4, dtype=bool)}, ValueError,
                 r"key_mask must have shape", id="key_mask-shape"),
    pytest.param((MHA_X, W, W, W, W), {"n_heads": 2, "key_mask": np.zeros(3, dtype=bool)}, ValueError,
                 r"key_mask leaves a sequence with no real token", id="key_mask-all-padding"),
    pytest.param((MHA_X, W, W, W, W), {"n_heads": 2, "causal": "True"}, TypeError, r"causal must be True or False",
                 id="causal-string"),
]


@pytest.mark.parametrize("args, kwargs, exc, match", MHA_BAD)
def test_mha_bad_input(args, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        multi_head_attention(*args, **kwargs)


OTHER_BAD = [
    pytest.param(causal_mask, (0,), {}, ValueError, r"\bn must be a positive integer", id="causal-n-zero"),
    pytest.param(causal_mask, (3, -1), {}, ValueError, r"n_keys must be a positive integer", id="causal-n_keys"),
    pytest.param(causal_mask, (2.5,), {}, TypeError, r"\bn must be a positive integer", id="causal-n-float"),
    pytest.param(sinusoidal_positional_encoding, (0, 4), {}, ValueError, r"\bn must be a positive", id="pe-n-zero"),
    pytest.param(sinusoidal_positional_encoding, (4, 0), {}, ValueError, r"\bd must be a positive", id="pe-d-zero"),
    pytest.param(sinusoidal_positional_encoding, (4, 4), {"base": 0.0}, ValueError, r"base must be a positive",
                 id="pe-base-zero"),
    pytest.param(sinusoidal_positional_encoding, (4, 4), {"base": -2.0}, ValueError, r"base must be a positive",
                 id="pe-base-negative"),
]


@pytest.mark.parametrize("func, args, kwargs, exc, match", OTHER_BAD)
def test_other_bad_input(func, args, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        func(*args, **kwargs)


# --------------------------------------------------------------------------
# blocked_attention: the same output, a fraction of the memory
# --------------------------------------------------------------------------

@pytest.mark.parametrize("block_rows", [1, 3, 16, 64])
@pytest.mark.parametrize("causal", [False, True], ids=["full", "causal"])
def test_blocked_attention_equals_unblocked(rng, block_rows, causal):
    from llmmath import blocked_attention

    q, k, v = (rng.standard_normal((2, 37, 8)) for _ in range(3))
    expected = F.scaled_dot_product_attention(_t(q), _t(k), _t(v), is_causal=causal).numpy()
    np.testing.assert_allclose(blocked_attention(q, k, v, block_rows=block_rows, causal=causal), expected,
                               rtol=1e-12, atol=1e-13)


def test_blocked_attention_peak_memory_is_a_slab_not_the_square(rng):
    import tracemalloc

    from llmmath import blocked_attention

    n, d = 1024, 16
    q, k, v = (rng.standard_normal((n, d)).astype(np.float32) for _ in range(3))

    def peak(f):
        tracemalloc.start()
        f()
        top = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return top

    square = n * n * 4
    assert peak(lambda: scaled_dot_product_attention(q, k, v)) >= square
    assert peak(lambda: blocked_attention(q, k, v, block_rows=64)) < square / 4


def test_blocked_attention_bad_input():
    from llmmath import blocked_attention

    with pytest.raises(ValueError, match=r"block_rows must be a positive"):
        blocked_attention(Q, K, V, block_rows=0)
    with pytest.raises(TypeError, match=r"causal must be True or False"):
        blocked_attention(Q, K, V, causal="yes")


@PROPERTY
@given(st.integers(1, 40), st.integers(1, 40), st.booleans(), st.integers(0, 2**32 - 1))
def test_weights_equal_the_masked_softmax_of_the_scores(n_q, n_k, causal, seed):
    """The in-place, blocked softmax of the attention is llmmath.prob.masked_softmax
    of the scaled scores, under any mask that leaves every row a key (and the causal one)."""
    from llmmath.prob import masked_softmax

    rng = np.random.default_rng(seed)
    q, k, v = rng.normal(size=(n_q, 8)), rng.normal(size=(n_k, 8)), rng.normal(size=(n_k, 3))
    mask = rng.random((n_q, n_k)) < 0.6
    mask[:, 0] = True                       # every row keeps key 0, which causal also allows
    _, w = scaled_dot_product_attention(q, k, v, mask=mask, causal=causal)
    allowed = mask & causal_mask(n_q, n_k) if causal else mask
    np.testing.assert_allclose(w, masked_softmax(q @ k.T / np.sqrt(8), allowed), rtol=1e-12, atol=1e-15)
    assert np.all(w[~allowed] == 0)
