"""softmax, log_softmax, logsumexp and cross_entropy against scipy and PyTorch."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.special
import torch
import torch.nn.functional as F
from _helpers import PROPERTY, finite_floats, float_arrays
from hypothesis import given
from hypothesis import strategies as st

from llmmath import cross_entropy, log_softmax, logsumexp, softmax

RNG_SEED = 20240601


@pytest.fixture
def rng():
    return np.random.default_rng(RNG_SEED)


# --------------------------------------------------------------------------
# Reference comparisons
# --------------------------------------------------------------------------

@pytest.mark.parametrize("axis", [0, 1, 2, -1, -2])
@pytest.mark.parametrize("temperature", [0.25, 1.0, 3.0])
def test_softmax_matches_scipy(rng, axis, temperature):
    x = 5 * rng.standard_normal((3, 4, 5))
    expected = scipy.special.softmax(x / temperature, axis=axis)
    np.testing.assert_allclose(softmax(x, axis=axis, temperature=temperature), expected, rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("axis", [0, 1, 2, -1])
@pytest.mark.parametrize("temperature", [0.25, 1.0, 3.0])
def test_log_softmax_matches_scipy(rng, axis, temperature):
    x = 5 * rng.standard_normal((3, 4, 5))
    expected = scipy.special.log_softmax(x / temperature, axis=axis)
    np.testing.assert_allclose(log_softmax(x, axis=axis, temperature=temperature), expected,
                               rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("axis", [0, 1, -1])
@pytest.mark.parametrize("keepdims", [False, True])
def test_logsumexp_matches_scipy(rng, axis, keepdims):
    x = 50 * rng.standard_normal((4, 6, 3))
    expected = scipy.special.logsumexp(x, axis=axis, keepdims=keepdims)
    got = logsumexp(x, axis=axis, keepdims=keepdims)
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=1e-13)


def test_logsumexp_of_huge_values_matches_scipy():
    x = np.array([[1000.0, 1000.0], [-1e308, 1e308], [1e308, 1e308]])
    with np.errstate(over="ignore"):  # scipy's own x - max overflows (harmlessly) here
        expected = scipy.special.logsumexp(x, axis=-1)
    np.testing.assert_allclose(logsumexp(x), expected, rtol=1e-15)


def test_cross_entropy_matches_torch_2d(rng):
    logits = 3 * rng.standard_normal((64, 11))
    targets = rng.integers(0, 11, size=64)
    expected = F.cross_entropy(torch.from_numpy(logits), torch.from_numpy(targets)).item()
    assert cross_entropy(logits, targets) == pytest.approx(expected, rel=1e-12)


def test_cross_entropy_matches_torch_batched_sequence(rng):
    logits = 3 * rng.standard_normal((4, 7, 9))  # (batch, position, class)
    targets = rng.integers(0, 9, size=(4, 7))
    # PyTorch wants the class axis second: (N, C, d1).
    expected = F.cross_entropy(torch.from_numpy(logits).permute(0, 2, 1), torch.from_numpy(targets)).item()
    assert cross_entropy(logits, targets) == pytest.approx(expected, rel=1e-12)


def test_cross_entropy_matches_direct_formula(rng):
    logits = 4 * rng.standard_normal((30, 6))
    targets = rng.integers(0, 6, size=30)
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    direct = -np.mean(np.log(p[np.arange(30), targets]))
    assert cross_entropy(logits, targets) == pytest.approx(direct, rel=1e-12)


def test_cross_entropy_single_row_and_uniform():
    assert cross_entropy(np.array([0.0, 0.0, 0.0, 0.0]), 2) == pytest.approx(np.log(4), rel=1e-15)
    assert cross_entropy(np.zeros((5, 10)), np.arange(5)) == pytest.approx(np.log(10), rel=1e-15)
    # A confident, correct prediction costs almost nothing; a confident wrong one costs the margin.
    assert cross_entropy(np.array([[0.0, 50.0]]), np.array([1])) == pytest.approx(0.0, abs=1e-20)
    assert cross_entropy(np.array([[0.0, 50.0]]), np.array([0])) == pytest.approx(50.0, rel=1e-14)


def test_cross_entropy_extreme_logits_stay_finite():
    logits = np.array([[1e308, -1e308], [-1e308, 1e308]])
    assert cross_entropy(logits, np.array([0, 1])) == 0.0


# --------------------------------------------------------------------------
# Precision and limits
# --------------------------------------------------------------------------

@pytest.mark.parametrize("func", [softmax, log_softmax, logsumexp], ids=lambda f: f.__name__)
def test_float32_stays_float32(func, rng):
    x = rng.standard_normal((3, 5)).astype(np.float32)
    assert func(x).dtype == np.float32


@pytest.mark.parametrize("func", [softmax, log_softmax], ids=lambda f: f.__name__)
def test_float32_with_temperature_stays_float32(func, rng):
    x = rng.standard_normal((3, 5)).astype(np.float32)
    assert func(x, temperature=0.7).dtype == np.float32


@pytest.mark.parametrize("func", [softmax, log_softmax, logsumexp], ids=lambda f: f.__name__)
def test_integer_input_becomes_float64(func):
    assert func(np.array([1, 2, 3])).dtype == np.float64


def test_softmax_does_not_modify_its_input(rng):
    x = rng.standard_normal((4, 3))
    before = x.copy()
    softmax(x, temperature=0.5)
    log_softmax(x, temperature=2.0)
    logsumexp(x)
    np.testing.assert_array_equal(x, before)


def test_softmax_of_huge_inputs_is_finite():
    p = softmax(np.array([1e308, -1e308, 0.0, 1e308]))
    np.testing.assert_array_equal(p, [0.5, 0.0, 0.0, 0.5])
    q = softmax(np.array([3e38, -3e38, 0.0], dtype=np.float32))
    assert q.dtype == np.float32
    np.testing.assert_array_equal(q, np.array([1.0, 0.0, 0.0], dtype=np.float32))


def test_log_softmax_is_finite_where_softmax_underflows():
    x = np.array([0.0, 800.0])
    assert softmax(x)[0] == 0.0
    np.testing.assert_allclose(log_softmax(x), [-800.0, 0.0], rtol=1e-15)


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
@pytest.mark.parametrize("temperature", [1e-6, 1e-30, 1e-40, 1e-300, 5e-324])
def test_temperature_to_zero_gives_the_argmax(dtype, temperature):
    x = np.array([[0.5, 2.0, -1.0, 1.999], [3.0, -3.0, 0.0, 2.0]], dtype=dtype)
    p = softmax(x, temperature=temperature)
    assert p.dtype == dtype
    np.testing.assert_array_equal(p, np.eye(4, dtype=dtype)[[1, 0]])
    # log p = -(max x - x_i) / T, a float of this dtype, or beyond its range: then an error.
    with np.errstate(over="ignore"):
        gaps = (x.max(axis=1, keepdims=True).astype(np.float64) - x) / temperature
    if (gaps <= np.finfo(dtype).max).all():
        logp = log_softmax(x, temperature=temperature)
        assert logp.dtype == dtype
        assert (logp[[0, 1], [1, 0]] == 0).all()
        np.testing.assert_allclose(logp, -gaps, rtol=4 * np.finfo(dtype).eps)
    else:
        with pytest.raises(ValueError, match="below the most negative float"):
            log_softmax(x, temperature=temperature)


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
def test_temperature_to_infinity_gives_uniform(dtype):
    x = np.array([0.5, 2.0, -1.0, 1.0], dtype=dtype)
    np.testing.assert_allclose(softmax(x, temperature=1e30), np.full(4, 0.25), rtol=1e-6)


def test_temperature_equals_scaling_the_logits(rng):
    x = rng.standard_normal((6, 5))
    np.testing.assert_allclose(softmax(x, temperature=4.0), softmax(x / 4.0), rtol=1e-13)


# --------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------

@st.composite
def array_and_axis(draw, bound=1e3, dtype=np.float64):
    x = draw(float_arrays(bound=bound, dtype=dtype))
    axis = draw(st.integers(-x.ndim, x.ndim - 1))
    return x, axis


@PROPERTY
@given(array_and_axis(), st.floats(1e-2, 1e2))
def test_softmax_is_a_distribution(data, temperature):
    x, axis = data
    p = softmax(x, axis=axis, temperature=temperature)
    assert p.shape == x.shape
    assert np.all(p >= 0) and np.all(p <= 1)
    np.testing.assert_allclose(p.sum(axis=axis), 1.0, rtol=1e-12)


@PROPERTY
@given(array_and_axis(), finite_floats(1e3))
def test_softmax_is_shift_invariant(data, shift):
    x, axis = data
    np.testing.assert_allclose(softmax(x + shift, axis=axis), softmax(x, axis=axis), rtol=1e-9, atol=1e-15)


@PROPERTY
@given(st.data())
def test_softmax_is_shift_invariant_per_slice(data):
    x, axis = data.draw(array_and_axis())
    shape = list(x.shape)
    shape[axis] = 1
    shifts = data.draw(float_arrays(tuple(shape)))
    np.testing.assert_allclose(softmax(x + shifts, axis=axis), softmax(x, axis=axis), rtol=1e-9, atol=1e-15)


@PROPERTY
@given(array_and_axis(bound=1e308))
def test_softmax_is_finite_for_huge_inputs(data):
    x, axis = data
    p = softmax(x, axis=axis)
    assert np.isfinite(p).all()
    np.testing.assert_allclose(p.sum(axis=axis), 1.0, rtol=1e-12)
    # The largest entry of each slice always gets at least 1/n of the mass.
    assert np.all(p.max(axis=axis) >= 1.0 / x.shape[axis] * (1 - 1e-12))


@PROPERTY
@given(array_and_axis(bound=float(np.float32(3e38)), dtype=np.float32))
def test_softmax_float32_is_finite_for_huge_inputs(data):
    x, axis = data
    p = softmax(x, axis=axis)
    assert p.dtype == np.float32
    assert np.isfinite(p).all()
    np.testing.assert_allclose(p.sum(axis=axis), 1.0, rtol=1e-5)


@PROPERTY
@given(array_and_axis(), st.floats(1e-1, 1e1))
def test_log_softmax_is_log_of_softmax(data, temperature):
    x, axis = data
    p = softmax(x, axis=axis, temperature=temperature)
    logp = log_softmax(x, axis=axis, temperature=temperature)
    assert np.all(logp <= 0)
    not_tiny = p > 1e-250
    np.testing.assert_allclose(logp[not_tiny], np.log(p[not_tiny]), rtol=1e-10, atol=1e-10)
    # and exponentiating it gives back the probabilities
    np.testing.assert_allclose(np.exp(logp), p, rtol=1e-10, atol=1e-300)


@PROPERTY
@given(array_and_axis(bound=1e300))
def test_logsumexp_between_max_and_max_plus_log_n(data):
    x, axis = data
    lse = logsumexp(x, axis=axis)
    m = x.max(axis=axis)
    assert np.all(lse >= m)
    n = x.shape[axis]
    assert np.all(lse <= m + np.log(n) + 1e-12 * np.maximum(1.0, np.abs(m)))


@PROPERTY
@given(array_and_axis())
def test_log_softmax_is_x_minus_logsumexp(data):
    x, axis = data
    expected = x - logsumexp(x, axis=axis, keepdims=True)
    np.testing.assert_allclose(log_softmax(x, axis=axis), expected, rtol=1e-12, atol=1e-9)


# --------------------------------------------------------------------------
# The bad-input table
# --------------------------------------------------------------------------

NAN = float("nan")
INF = float("inf")

BAD_INPUTS = [
    pytest.param(softmax, ([1.0, NAN],), {}, ValueError, r"x must contain only finite", id="softmax-nan"),
    pytest.param(softmax, ([1.0, INF],), {}, ValueError, r"x must contain only finite", id="softmax-inf"),
    pytest.param(softmax, (np.array([]),), {}, ValueError, r"x must not be empty", id="softmax-empty"),
    pytest.param(softmax, (np.zeros((3, 0)),), {}, ValueError, r"x must not be empty", id="softmax-empty-axis"),
    pytest.param(softmax, (3.0,), {}, ValueError, r"x must have at least 1 dimension", id="softmax-scalar"),
    pytest.param(softmax, (np.array(["a", "b"]),), {}, TypeError, r"x must be an array of real numbers",
                 id="softmax-strings"),
    pytest.param(softmax, (np.array([1 + 1j]),), {}, TypeError, r"x must be real", id="softmax-complex"),
    pytest.param(softmax, ([1.0, 2.0],), {"temperature": 0.0}, ValueError, r"temperature must be a positive",
                 id="softmax-temperature-zero"),
    pytest.param(softmax, ([1.0, 2.0],), {"temperature": -1.0}, ValueError, r"temperature must be a positive",
                 id="softmax-temperature-negative"),
    pytest.param(softmax, ([1.0, 2.0],), {"temperature": NAN}, ValueError, r"temperature must be a positive",
                 id="softmax-temperature-nan"),
    pytest.param(softmax, ([1.0, 2.0],), {"temperature": INF}, ValueError, r"temperature must be a positive",
                 id="softmax-temperature-inf"),
    pytest.param(softmax, ([1.0, 2.0],), {"temperature": "hot"}, TypeError, r"temperature must be a positive",
                 id="softmax-temperature-str"),
    pytest.param(softmax, ([1.0, 2.0],), {"axis": 1}, ValueError, r"axis must lie in",
                 id="softmax-axis-out-of-range"),
    pytest.param(softmax, ([1.0, 2.0],), {"axis": 0.5}, TypeError, r"axis must be an integer",
                 id="softmax-axis-float"),
    pytest.param(log_softmax, ([NAN, 1.0],), {}, ValueError, r"x must contain only finite", id="log_softmax-nan"),
    pytest.param(log_softmax, (np.array([]),), {}, ValueError, r"x must not be empty", id="log_softmax-empty"),
    pytest.param(log_softmax, ([1.0, 2.0],), {"temperature": 0}, ValueError, r"temperature must be a positive",
                 id="log_softmax-temperature-zero"),
    pytest.param(log_softmax, ([[1.0, 2.0]],), {"axis": -3}, ValueError, r"axis must lie in", id="log_softmax-axis"),
    pytest.param(logsumexp, ([-INF, 1.0],), {}, ValueError, r"x must contain only finite", id="logsumexp-inf"),
    pytest.param(logsumexp, (np.array([]),), {}, ValueError, r"x must not be empty", id="logsumexp-empty"),
    pytest.param(logsumexp, ([1.0],), {"axis": 2}, ValueError, r"axis must lie in", id="logsumexp-axis"),
    pytest.param(cross_entropy, ([[1.0, NAN]], [0]), {}, ValueError, r"logits must contain only finite",
                 id="cross_entropy-logits-nan"),
    pytest.param(cross_entropy, (np.zeros((0, 3)), np.zeros(0, dtype=int)), {}, ValueError, r"logits must not be empty",
                 id="cross_entropy-logits-empty"),
    pytest.param(cross_entropy, (1.0, 0), {}, ValueError, r"logits must have at least 1 dimension",
                 id="cross_entropy-logits-scalar"),
    pytest.param(cross_entropy, (np.zeros((2, 3)), np.array([0.0, 1.0])), {}, TypeError, r"targets must be integer",
                 id="cross_entropy-targets-float"),
    pytest.param(cross_entropy, (np.zeros((2, 3)), np.array([True, False])), {}, TypeError, r"targets must be integer",
                 id="cross_entropy-targets-bool"),
    pytest.param(cross_entropy, (np.zeros((2, 3)), np.array([0, 1, 2])), {}, ValueError, r"targets must have shape",
                 id="cross_entropy-targets-shape"),
    pytest.param(cross_entropy, (np.zeros((2, 3)), np.array([0, 3])), {}, ValueError, r"targets must lie in \[0, 3\)",
                 id="cross_entropy-targets-too-large"),
    pytest.param(cross_entropy, (np.zeros((2, 3)), np.array([-1, 0])), {}, ValueError, r"targets must lie in",
                 id="cross_entropy-targets-negative"),
]


@pytest.mark.parametrize("func, args, kwargs, exc, match", BAD_INPUTS)
def test_bad_input(func, args, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        func(*args, **kwargs)
