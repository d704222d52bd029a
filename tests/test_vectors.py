"""cosine_similarity and unit_rows against scipy and scikit-learn."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.spatial.distance as ssd
import sklearn.metrics.pairwise as skp
from _helpers import PROPERTY, float_arrays
from hypothesis import assume, given
from hypothesis import strategies as st

from llmmath import cosine_similarity, unit_rows


@pytest.fixture
def rng():
    return np.random.default_rng(7)


# --------------------------------------------------------------------------
# Reference comparisons
# --------------------------------------------------------------------------

def test_pairwise_matches_sklearn(rng):
    a, b = rng.standard_normal((7, 12)), rng.standard_normal((5, 12))
    np.testing.assert_allclose(cosine_similarity(a, b), skp.cosine_similarity(a, b), rtol=1e-12, atol=1e-15)


def test_pairwise_matches_scipy_cdist(rng):
    a, b = 3 * rng.standard_normal((6, 4)), rng.standard_normal((9, 4))
    np.testing.assert_allclose(cosine_similarity(a, b), 1 - ssd.cdist(a, b, "cosine"), rtol=1e-12, atol=1e-14)


def test_single_pair_matches_scipy_and_is_a_float(rng):
    for _ in range(20):
        a, b = rng.standard_normal(8), rng.standard_normal(8)
        got = cosine_similarity(a, b)
        assert isinstance(got, float)
        assert got == pytest.approx(1 - ssd.cosine(a, b), rel=1e-12, abs=1e-14)


def test_one_against_many_shapes(rng):
    a, many = rng.standard_normal(5), rng.standard_normal((4, 5))
    expected = skp.cosine_similarity(a[None, :], many)[0]
    row = cosine_similarity(a, many)
    col = cosine_similarity(many, a)
    assert row.shape == (4,) and col.shape == (4,)
    np.testing.assert_allclose(row, expected, rtol=1e-12)
    np.testing.assert_allclose(col, expected, rtol=1e-12)


def test_known_angles():
    assert cosine_similarity([1.0, 0.0], [1.0, 1.0]) == pytest.approx(np.sqrt(0.5), rel=1e-15)
    # Orthogonal in exact arithmetic, but the norms' square roots are rounded, so the
    # computed cosine may be a few ulps off zero depending on the SIMD kernel: the bound
    # is a small multiple of eps (forward error of a normalised 2-term dot product).
    assert abs(cosine_similarity([1.0, 2.0], [-2.0, 1.0])) <= 4 * np.finfo(float).eps
    assert cosine_similarity([1.0, 2.0], [-3.0, -6.0]) == pytest.approx(-1.0, rel=1e-15)
    assert cosine_similarity([3, 4], [3, 4]) == pytest.approx(1.0, rel=1e-15)  # integers work


def test_unit_rows_matches_direct_division(rng):
    x = rng.standard_normal((3, 4, 5))
    expected = x / np.linalg.norm(x, axis=-1, keepdims=True)
    np.testing.assert_allclose(unit_rows(x), expected, rtol=1e-14)
    np.testing.assert_allclose(np.linalg.norm(unit_rows(x), axis=-1), 1.0, rtol=1e-14)


def test_float32_stays_float32(rng):
    a = rng.standard_normal((3, 6)).astype(np.float32)
    b = rng.standard_normal((4, 6)).astype(np.float32)
    assert unit_rows(a).dtype == np.float32
    sims = cosine_similarity(a, b)
    assert sims.dtype == np.float32
    np.testing.assert_allclose(sims, skp.cosine_similarity(a.astype(float), b.astype(float)), rtol=1e-5, atol=1e-6)


def test_does_not_modify_inputs(rng):
    a, b = rng.standard_normal((3, 4)), rng.standard_normal((2, 4))
    a0, b0 = a.copy(), b.copy()
    cosine_similarity(a, b)
    unit_rows(a)
    np.testing.assert_array_equal(a, a0)
    np.testing.assert_array_equal(b, b0)


# --------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------

def _nonzero_rows(x: np.ndarray) -> bool:
    return bool(np.all(np.linalg.norm(x, axis=-1) > 1e-3))


@st.composite
def two_sets_of_vectors(draw):
    d = draw(st.integers(1, 6))
    a = draw(float_arrays((draw(st.integers(1, 5)), d), bound=100.0))
    b = draw(float_arrays((draw(st.integers(1, 5)), d), bound=100.0))
    assume(_nonzero_rows(a) and _nonzero_rows(b))
    return a, b


@PROPERTY
@given(two_sets_of_vectors())
def test_symmetric(ab):
    a, b = ab
    np.testing.assert_allclose(cosine_similarity(a, b), cosine_similarity(b, a).T, rtol=1e-12, atol=1e-15)


@PROPERTY
@given(two_sets_of_vectors())
def test_in_minus_one_one(ab):
    a, b = ab
    sims = cosine_similarity(a, b)
    assert np.all(sims >= -1.0) and np.all(sims <= 1.0)
    # a vector with itself: exactly at the top of the range, up to rounding
    np.testing.assert_allclose(np.diag(cosine_similarity(a, a)), 1.0, rtol=1e-12)


@PROPERTY
@given(two_sets_of_vectors(), st.floats(1e-3, 1e3), st.floats(1e-3, 1e3))
def test_scale_invariant(ab, s, t):
    a, b = ab
    base = cosine_similarity(a, b)
    np.testing.assert_allclose(cosine_similarity(s * a, t * b), base, rtol=1e-10, atol=1e-12)
    # a negative scale flips the angle to its supplement
    np.testing.assert_allclose(cosine_similarity(-s * a, t * b), -base, rtol=1e-10, atol=1e-12)


@PROPERTY
@given(two_sets_of_vectors())
def test_agrees_with_sklearn(ab):
    a, b = ab
    np.testing.assert_allclose(cosine_similarity(a, b), skp.cosine_similarity(a, b), rtol=1e-10, atol=1e-12)


# --------------------------------------------------------------------------
# The bad-input table
# --------------------------------------------------------------------------

NAN, INF = float("nan"), float("inf")

BAD_INPUTS = [
    pytest.param(cosine_similarity, (np.ones(3), np.ones(4)), ValueError, r"same dimension d", id="mismatched-d-1d"),
    pytest.param(cosine_similarity, (np.ones((2, 3)), np.ones((2, 4))), ValueError, r"same dimension d",
                 id="mismatched-d-2d"),
    pytest.param(cosine_similarity, (np.ones((2, 2, 3)), np.ones(3)), ValueError, r"a must be 1-D or 2-D",
                 id="a-3d"),
    pytest.param(cosine_similarity, (np.ones(3), 1.0), ValueError, r"b must be 1-D or 2-D", id="b-scalar"),
    pytest.param(cosine_similarity, ([1.0, NAN], [1.0, 0.0]), ValueError, r"a must contain only finite", id="a-nan"),
    pytest.param(cosine_similarity, ([1.0, 0.0], [INF, 0.0]), ValueError, r"b must contain only finite", id="b-inf"),
    pytest.param(cosine_similarity, (np.array([]), np.array([])), ValueError, r"a must not be empty", id="a-empty"),
    pytest.param(cosine_similarity, (np.ones((1, 2)), np.zeros((0, 2))), ValueError, r"b must not be empty",
                 id="b-no-rows"),
    pytest.param(cosine_similarity, ([0.0, 0.0], [1.0, 0.0]), ValueError, r"a contains a zero vector",
                 id="a-zero-vector"),
    pytest.param(cosine_similarity, (np.ones((2, 2)), [[1.0, 0.0], [0.0, 0.0]]), ValueError,
                 r"b contains a zero vector \(row \D*1\D*\)", id="b-zero-row"),
    pytest.param(cosine_similarity, (["x", "y"], [1.0, 0.0]), TypeError, r"a must be an array of real numbers",
                 id="a-strings"),
    pytest.param(cosine_similarity, ([1.0, 0.0], np.array([1j, 0.0])), TypeError, r"b must be real", id="b-complex"),
    pytest.param(unit_rows, (np.zeros((2, 3)),), ValueError, r"x contains a zero vector \(row \D*0\D*\)",
                 id="unit-zero"),
    pytest.param(unit_rows, (5.0,), ValueError, r"x must have at least 1 dimension", id="unit-scalar"),
    pytest.param(unit_rows, ([NAN, 1.0],), ValueError, r"x must contain only finite", id="unit-nan"),
]


@pytest.mark.parametrize("func, args, exc, match", BAD_INPUTS)
def test_bad_input(func, args, exc, match):
    with pytest.raises(exc, match=match):
        func(*args)


def test_unit_rows_names_the_given_argument():
    with pytest.raises(ValueError, match=r"embedding contains a zero vector"):
        unit_rows(np.zeros(3), "embedding")
