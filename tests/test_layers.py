"""linear, layer_norm and gelu against PyTorch; the masked softmax; edge scales; the bad-input table."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from _helpers import PROPERTY, float_arrays
from hypothesis import given

from llmmath import gelu, layer_norm, linear, masked_softmax, softmax


@pytest.fixture
def rng():
    return np.random.default_rng(2016)


def _t(a):
    return torch.from_numpy(np.array(a))


@pytest.mark.parametrize("dtype, rtol", [(np.float64, 1e-13), (np.float32, 1e-5)])
def test_linear_matches_torch_linear(rng, dtype, rtol):
    x = rng.standard_normal((3, 5, 7)).astype(dtype)
    w, b = rng.standard_normal((4, 7)).astype(dtype), rng.standard_normal(4).astype(dtype)
    y = linear(x, w, b)
    assert y.dtype == dtype and y.shape == (3, 5, 4)
    np.testing.assert_allclose(y, F.linear(_t(x), _t(w), _t(b)).numpy(), rtol=rtol, atol=rtol)
    np.testing.assert_allclose(linear(x, w), F.linear(_t(x), _t(w)).numpy(), rtol=rtol, atol=rtol)


@pytest.mark.parametrize("dtype, tol", [(np.float64, 1e-12), (np.float32, 2e-6)])
@pytest.mark.parametrize("eps", [1e-12, 1e-5])
def test_layer_norm_matches_torch(rng, dtype, tol, eps):
    x = (3 + 2 * rng.standard_normal((4, 6, 384))).astype(dtype)
    g, b = rng.standard_normal(384).astype(dtype), rng.standard_normal(384).astype(dtype)
    y = layer_norm(x, g, b, eps=eps)
    assert y.dtype == dtype
    ref = F.layer_norm(_t(x), (384,), _t(g), _t(b), eps=eps).numpy()
    np.testing.assert_allclose(y, ref, rtol=tol, atol=tol * 10)


@pytest.mark.parametrize("scale", [1e-100, 1e-20, 1.0, 1e20, 1e150, 1e300])
def test_layer_norm_is_scale_invariant_across_the_float_range(rng, scale):
    # LN(s x) = LN(x) when eps (1e-300) is negligible against the variance; squaring 1e300 overflows.
    x = rng.standard_normal((3, 8))
    ones, zeros = np.ones(8), np.zeros(8)
    expected = layer_norm(x, ones, zeros, eps=1e-300)
    np.testing.assert_allclose(layer_norm(scale * x, ones, zeros, eps=1e-300), expected, rtol=1e-12, atol=1e-12)


def test_layer_norm_float32_at_1e20_stays_finite_and_correct(rng):
    x = rng.standard_normal((2, 16)).astype(np.float32)
    y = layer_norm(x * np.float32(1e20), np.ones(16, np.float32), np.zeros(16, np.float32))
    assert y.dtype == np.float32 and np.isfinite(y).all()
    np.testing.assert_allclose(y, layer_norm(x, np.ones(16, np.float32), np.zeros(16, np.float32)), rtol=1e-5,
                               atol=1e-5)


def test_layer_norm_of_a_constant_row_is_beta():
    beta = np.arange(4.0)
    np.testing.assert_array_equal(layer_norm(np.full((2, 4), 7.0), np.ones(4), beta), np.broadcast_to(beta, (2, 4)))


@pytest.mark.parametrize("dtype, rtol, atol", [(np.float64, 1e-14, 1e-15), (np.float32, 2e-6, 1e-6)])
def test_gelu_matches_torch_exact_gelu(rng, dtype, rtol, atol):
    # torch forms 1 + erf, which loses relative accuracy for x < 0: compare absolutely there
    # (an ulp of 1, times |x| / 2), and relatively against the exact x Phi(x) (scipy's ndtr).
    from scipy.special import ndtr

    x = (4 * rng.standard_normal(10_000)).astype(dtype)
    y = gelu(x)
    assert y.dtype == dtype
    np.testing.assert_allclose(y, F.gelu(_t(x), approximate="none").numpy(), rtol=rtol, atol=atol)
    x64 = x.astype(np.float64)
    # Rounding x / sqrt(2) by one ulp moves erfc relatively by about x^2 ulps (d log erfc(t)/dt ~ -2t).
    exact = x64 * ndtr(x64)
    rel = np.abs(y - exact) / np.maximum(np.abs(exact), np.finfo(dtype).tiny)
    assert np.all(rel <= 4 * np.finfo(dtype).eps * (1 + x64 ** 2))


def test_gelu_keeps_relative_accuracy_in_the_negative_tail():
    # x Phi(x) at x = -10 is about -7.6e-23; 1 + erf(x/sqrt 2) would round to 0 there.
    from scipy.special import ndtr

    x = np.array([-10.0, -20.0, -30.0])
    np.testing.assert_allclose(gelu(x), x * ndtr(x), rtol=1e-13)
    assert np.all(gelu(x) < 0)


@PROPERTY
@given(float_arrays(bound=50.0))
def test_gelu_lies_between_min_and_relu(x):
    y = gelu(x)
    assert np.all(y <= np.maximum(x, 0) + 1e-12)
    assert np.all(y >= -0.17)  # min of x Phi(x) is -0.16997 at x = -0.7518


@pytest.mark.parametrize("mask_shape", [(5, 7), (1, 7), (3, 1, 7)])
def test_masked_softmax_matches_torch_with_minus_inf(rng, mask_shape):
    x = 10 * rng.standard_normal((3, 5, 7))
    mask = rng.random(mask_shape) < 0.6
    mask[..., 0] = True
    p = masked_softmax(x, mask)
    ref = torch.softmax(_t(x).masked_fill(~_t(np.broadcast_to(mask, x.shape)), float("-inf")), -1).numpy()
    np.testing.assert_allclose(p, ref, rtol=1e-13, atol=1e-15)
    assert np.all(p[~np.broadcast_to(mask, x.shape)] == 0.0)


def test_masked_softmax_ignores_huge_forbidden_scores():
    # A forbidden entry of 1e308 must not shift the allowed ones into underflow.
    x = np.array([[-1000.0, 1e308, -1001.0]])
    p = masked_softmax(x, np.array([True, False, True]))
    np.testing.assert_allclose(p, [[1 / (1 + np.exp(-1)), 0.0, np.exp(-1) / (1 + np.exp(-1))]], rtol=1e-14)


def test_masked_softmax_without_mask_is_softmax(rng):
    x = rng.standard_normal((4, 6)).astype(np.float32)
    np.testing.assert_array_equal(masked_softmax(x), softmax(x))


BAD = [
    pytest.param(linear, (np.ones((2, 3)), np.ones((4, 2))), ValueError, r"weight must have shape \(out_features, in",
                 id="linear-in"),
    pytest.param(linear, (np.ones(3), np.ones((4, 3)), np.ones(3)), ValueError, r"bias must have shape \(out_features,\) = \(4,\)",
                 id="linear-bias"),
    pytest.param(linear, (np.ones(3), np.ones(3)), ValueError, r"weight must be 2-D", id="linear-1d-weight"),
    pytest.param(layer_norm, (np.ones((2, 3)), np.ones(4), np.zeros(3)), ValueError, r"gamma must have shape \(d,\) = \(3,\)",
                 id="ln-gamma"),
    pytest.param(layer_norm, (np.ones((2, 3)), np.ones(3), np.zeros(2)), ValueError, r"beta must have shape",
                 id="ln-beta"),
    pytest.param(layer_norm, (np.ones(3), np.ones(3), np.zeros(3), 0.0), ValueError, r"eps must be a positive",
                 id="ln-eps"),
    pytest.param(layer_norm, (np.array([1.0, np.nan]), np.ones(2), np.zeros(2)), ValueError, r"x must contain only",
                 id="ln-nan"),
    pytest.param(gelu, ("abc",), TypeError, r"x must be", id="gelu-str"),
    pytest.param(gelu, (np.array([1 + 1j]),), TypeError, r"x must be real", id="gelu-complex"),
    pytest.param(masked_softmax, (np.ones(3), np.ones(3)), TypeError, r"mask must be a boolean", id="ms-float-mask"),
    pytest.param(masked_softmax, (np.ones(3), np.zeros(3, bool)), ValueError, r"no allowed entry", id="ms-empty-row"),
    pytest.param(masked_softmax, (np.ones(3), np.ones((2, 3), bool)), ValueError, r"does not broadcast",
                 id="ms-shape"),
]


@pytest.mark.parametrize("func, args, exc, match", BAD)
def test_bad_input(func, args, exc, match):
    with pytest.raises(exc, match=match):
        func(*args)


@PROPERTY
@given(float_arrays((4, 6), bound=1e300), float_arrays((4, 6), bound=1.0))
def test_masked_softmax_is_the_softmax_of_the_allowed_entries(x, u):
    mask = u > 0
    mask[:, 0] = True  # every row keeps one entry
    p = masked_softmax(x, mask)
    assert np.all(p[~mask] == 0.0) and np.isfinite(p).all()
    for row, m, q in zip(x, mask, p):
        np.testing.assert_allclose(q[m], softmax(row[m]), rtol=1e-12, atol=1e-300)
