"""Numerics at every scale a float allows (issue 9): norms that neither overflow nor
underflow, no cancellation on a large common offset, and a finite answer or a clear
error, never a silent NaN or inf, from finite input.

Each test states the reference it compares with; each failed on the library before
version 2 (scale-free formulas computed on unscaled, uncentred data)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg
import scipy.spatial.distance
from _helpers import PROPERTY
from hypothesis import given
from hypothesis import strategies as st

from llmmath import (
    cosine_similarity,
    gram_schmidt,
    log_softmax,
    low_rank_approximation,
    lstsq_normal,
    lstsq_qr,
    nearest_neighbours,
    orthogonality_loss,
    pca,
    power_iteration,
    signed_area,
    unit_rows,
)

EPS64, EPS32 = np.finfo(np.float64).eps, np.finfo(np.float32).eps
powers = st.sampled_from([1e-300, 1e-200, 1e-150, 1.0, 1e150, 1e200, 1e300])


# -- norms: scale before squaring -------------------------------------------------

def test_cosine_of_huge_vectors_is_the_cosine_of_their_directions():
    # The example of the issue: 1e200 squared overflows, and the old code returned 0.0.
    assert cosine_similarity(np.array([1e200, 1e200]), np.array([1.0, 0.0])) == pytest.approx(np.sqrt(0.5), rel=4 * EPS64)


@pytest.mark.parametrize("scale", [1e-300, 1e-170, 1e170, 1e300])
def test_unit_rows_at_the_ends_of_float64(scale):
    x = np.array([[3.0, 4.0], [1.0, -1.0]])
    np.testing.assert_allclose(unit_rows(x * scale), unit_rows(x), rtol=4 * EPS64)


@pytest.mark.parametrize("scale", [1e-30, 1e-20, 1e20, 1e30])
def test_unit_rows_and_cosine_at_the_ends_of_float32(scale):
    # float32 squares overflow at 1e20 (1e40 > 3.4e38) and underflow near 1e-20.
    x = np.array([[3.0, 4.0], [1.0, -1.0]], dtype=np.float32)
    u = unit_rows(x * np.float32(scale))
    assert u.dtype == np.float32
    np.testing.assert_allclose(u, unit_rows(x), rtol=4 * EPS32)
    c = cosine_similarity(x * np.float32(scale), x)
    np.testing.assert_allclose(c, cosine_similarity(x, x), rtol=8 * EPS32, atol=8 * EPS32)


@PROPERTY
@given(st.integers(0, 2**31), powers)
def test_cosine_is_scale_invariant(seed, scale):
    rng = np.random.default_rng(seed)
    a, b = rng.standard_normal((3, 5)), rng.standard_normal((4, 5))
    # cos is scale-free; the scaling is exact, so only the rounding of the cosine itself differs.
    np.testing.assert_allclose(cosine_similarity(a * scale, b), cosine_similarity(a, b), atol=8 * EPS64)


# -- cancellation with a large common offset --------------------------------------

def test_nearest_neighbours_with_a_large_offset():
    # The example of the issue: |x|^2 + |y|^2 - 2 x.y at 1e9 cancels to noise.
    X = 1e9 + np.array([[0.0], [1.0], [3.0], [7.0], [7.5]])
    np.testing.assert_array_equal(nearest_neighbours(X, k=1).ravel(), [1, 0, 1, 4, 3])


@pytest.mark.parametrize("offset", [1e6, 1e9, 1e12])
def test_nearest_neighbours_are_translation_invariant(offset):
    # Quarter-integer coordinates: moved by an integer offset below 2**50 they stay exact,
    # so the moved cloud has exactly the same distances, ties included.
    X = np.random.default_rng(3).integers(0, 50, size=(60, 3)) + 0.25
    assert np.array_equal((X + offset) - offset, X)
    expected = nearest_neighbours(X, k=5)
    np.testing.assert_array_equal(nearest_neighbours(X + offset, k=5), expected)
    # And both agree with the distances computed directly (no Gram identity).
    D = scipy.spatial.distance.cdist(X, X)
    np.fill_diagonal(D, np.inf)
    np.testing.assert_array_equal(expected, np.argsort(D, axis=1, kind="stable")[:, :5])


def test_nearest_neighbours_near_the_float_range():
    X = np.array([[0.0], [1.0], [3.0], [7.0], [7.5]])
    for scale in (1e-300, 1e300):
        np.testing.assert_array_equal(nearest_neighbours(X * scale, k=2), nearest_neighbours(X, k=2))


@pytest.mark.parametrize("offset", [1e6, 1e9, 1e15])
def test_signed_area_of_a_moved_square(offset):
    square = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
    assert signed_area(square + offset) == 1.0          # exact: the moved coordinates are integers
    assert signed_area(square[::-1] + offset) == -1.0


def _exact_shoelace(v: np.ndarray) -> float:
    from fractions import Fraction

    p = [(Fraction(float(x)), Fraction(float(y))) for x, y in v]
    return float(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(p, p[1:] + p[:1])) / 2)


@pytest.mark.parametrize("side, offset", [(1e150, 1e160), (1e-160, 1e-150), (3.0, 1e200)])
def test_signed_area_near_the_float_range(side, offset):
    # Products of 1e160 overflow (old: inf - inf = NaN) or of 1e-160 underflow, although
    # the area is an ordinary float; the reference is exact rational arithmetic.
    v = np.array([[0.0, 0.0], [side, 0.0], [side, side], [0.0, side]]) + offset
    assert signed_area(v) == pytest.approx(_exact_shoelace(v), rel=1e-12)


@pytest.mark.parametrize("scale", [1e-160, 1e160])
def test_lstsq_normal_is_scale_free(scale):
    # A^T A at 1e160 overflows (the old code returned NaN); at 1e-160 it underflows.
    rng = np.random.default_rng(0)
    A, x = rng.standard_normal((20, 3)), rng.standard_normal(3)
    b = A @ x
    np.testing.assert_allclose(lstsq_normal(A * scale, b * scale), x, rtol=1e-10)
    np.testing.assert_allclose(lstsq_normal(A * scale, b), x / scale, rtol=1e-10)
    np.testing.assert_allclose(lstsq_qr(A * scale, b * scale), x, rtol=1e-12)


def test_lstsq_normal_refuses_rank_deficient_matrices():
    # The sweep: 83 of 200 numerically rank-deficient 10 x 4 matrices got an answer.
    rng = np.random.default_rng(2024)
    for _ in range(200):
        A = rng.standard_normal((10, 3)) @ rng.standard_normal((3, 4))   # rank 3 in exact arithmetic
        assert np.linalg.matrix_rank(A) < 4
        with pytest.raises(ValueError, match=r"rank deficient"):
            lstsq_normal(A, rng.standard_normal(10))


@pytest.mark.parametrize("kappa", [1.0, 1e3, 1e7])
def test_lstsq_normal_still_answers_the_chapter_range(kappa):
    # Chapter 3 solves with condition numbers up to 1e7: the error is then about u kappa^2.
    from llmmath import conditioned_matrix

    A = conditioned_matrix(10, kappa, m=100, seed=5)
    x = np.random.default_rng(5).standard_normal(10)
    err = np.linalg.norm(lstsq_normal(A, A @ x) - x) / np.linalg.norm(x)
    assert err <= 100 * EPS64 * kappa**2


# -- finite answers or clear errors ------------------------------------------------

def test_log_softmax_beyond_the_float_range_is_a_clear_error():
    # log p = -2e308 is no float: the old code returned -inf while promising finite values.
    with pytest.raises(ValueError, match=r"below the most negative float"):
        log_softmax(np.array([-1e308, 1e308]))
    np.testing.assert_array_equal(log_softmax(np.array([-1e308, 0.0])), [-1e308, 0.0])


def test_pca_near_the_float_range_gives_the_same_directions():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((200, 5)) * [5.0, 3.0, 2.0, 1.0, 0.5]
    ref = pca(X, 3)
    for scale in (1e-100, 1e153):   # at 1e153 X_c^T X_c (200 variances) overflows, a variance does not
        r = pca(X * scale, 3)
        np.testing.assert_allclose(r.components, ref.components, atol=1e-12)
        np.testing.assert_allclose(r.explained_variance, ref.explained_variance * scale**2, rtol=1e-12)
        np.testing.assert_allclose(r.explained_variance_ratio, ref.explained_variance_ratio, rtol=1e-12)


def test_pca_whose_variance_leaves_the_float_range_says_so():
    X = np.random.default_rng(1).standard_normal((50, 3)) * 1e300
    with pytest.raises(ValueError, match=r"variance exceeds the float64 range"):
        pca(X, 2)
    X32 = np.random.default_rng(1).standard_normal((50, 3)).astype(np.float32) * np.float32(1e30)
    with pytest.raises(ValueError, match=r"float32 range"):
        pca(X32, 2)


def test_pca_keeps_small_singular_values_the_gram_route_loses():
    # Chapter 4's lesson: eigh of X^T X loses singular values below sqrt(u) sigma_1.
    # Data with known singular values 1 and 1e-9 (variance 1e-18 / (n - 1) along the second).
    rng = np.random.default_rng(4)
    n = 400
    U = np.linalg.qr(rng.standard_normal((n, 2)))[0]
    U -= U.mean(axis=0)                                    # centred columns...
    U = np.linalg.qr(U)[0]                                 # ...still orthonormal
    V = np.linalg.qr(rng.standard_normal((2, 2)))[0]
    X = (U * [1.0, 1e-9]) @ V.T + 3.0
    r = pca(X, 2)
    s_true = np.array([1.0, 1e-9])
    np.testing.assert_allclose(r.explained_variance, s_true**2 / (n - 1), rtol=1e-6)
    gram = np.linalg.eigvalsh((X - X.mean(0)).T @ (X - X.mean(0)))[::-1] / (n - 1)
    assert abs(gram[1] / (s_true[1] ** 2 / (n - 1)) - 1) > 1e-3   # the route pca no longer takes


@pytest.mark.parametrize("scale", [1e-300, 5e307])
def test_low_rank_approximation_near_the_float_range(scale):
    # At 5e307 the largest singular value (about 2.4e308) overflows unless A is scaled first.
    A = 1.0 + 0.1 * np.random.default_rng(2).standard_normal((6, 4))
    ref = low_rank_approximation(A, 2)
    out = low_rank_approximation(A * scale, 2)
    assert np.isfinite(out).all()
    np.testing.assert_allclose(out, ref * scale, rtol=1e-10, atol=1e-12 * scale * np.abs(ref).max())


def test_orthogonality_loss_near_the_float_range():
    Q = np.linalg.qr(np.random.default_rng(0).standard_normal((8, 3)))[0]
    assert orthogonality_loss(Q * 1e-200) == pytest.approx(1.0, rel=4 * EPS64)   # Q^T Q = 1e-400 = 0
    assert orthogonality_loss(Q * 1e100) == pytest.approx(1e200, rel=1e-12)
    with pytest.raises(ValueError, match=r"exceeds the float range"):
        orthogonality_loss(Q * 1e200)                 # the loss is 1e400: no float holds it


def test_orthogonality_loss_agrees_with_its_definition():
    rng = np.random.default_rng(9)
    for kappa_exp in (0, 4, 8, 12):
        from llmmath import conditioned_matrix

        A = conditioned_matrix(20, 10.0**kappa_exp, m=40, seed=kappa_exp)
        Q = gram_schmidt(A, modified=False)[0]
        direct = np.linalg.norm(Q.T @ Q - np.eye(20), 2)
        # Both are computed to within a few u of the true loss (plus the loss times u).
        assert orthogonality_loss(Q) == pytest.approx(direct, rel=1e-6, abs=50 * EPS64)
    wide = rng.standard_normal((3, 5))                # n > m: Q^T Q is singular, the loss >= 1
    assert orthogonality_loss(wide) == pytest.approx(np.linalg.norm(wide.T @ wide - np.eye(5), 2), rel=1e-12)


def test_power_iteration_near_the_float_range():
    A = np.array([[2.0, 1.0], [1.0, 2.0]])
    value, vector = power_iteration(A * 1e300)        # the old code blamed a null space
    assert value == pytest.approx(3e300, rel=1e-12)
    np.testing.assert_allclose(vector, np.sqrt([0.5, 0.5]), rtol=1e-12)
    with pytest.raises(ValueError, match=r"eigenvalue of A exceeds the float range"):
        power_iteration(np.full((2, 2), 1e308))        # lambda = 2e308


def test_power_iteration_float32_stays_float32():
    A = np.array([[2.0, 1.0], [1.0, 2.0]], dtype=np.float32)
    value, vector = power_iteration(A)
    assert vector.dtype == np.float32
    assert value == pytest.approx(3.0, rel=float(10 * EPS32))
    # The float64 path is unchanged: the same seed gives the same start vector.
    v64 = power_iteration(A.astype(np.float64))[1]
    np.testing.assert_allclose(vector, v64, rtol=10 * EPS32)
