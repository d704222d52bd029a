"""Tests of llmmath.linalg.linsys: Gram-Schmidt, projections, least squares, test matrices."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from _helpers import PROPERTY
from llmmath.linalg import (
    conditioned_matrix,
    gram_schmidt,
    lstsq_normal,
    lstsq_qr,
    orthogonality_loss,
    projection_matrix,
    random_orthonormal,
)

EPS = np.finfo(np.float64).eps


def _positive_diagonal(Q, R):
    """Flip signs so that R has a positive diagonal (the QR factorisation is then unique)."""
    s = np.sign(np.diag(R))
    s[s == 0] = 1
    return Q * s, R * s[:, None]


@st.composite
def tall_matrices(draw, max_kappa_exp=3.0):
    """A random (m, n) matrix, m >= n, with a condition number up to 10**max_kappa_exp."""
    n = draw(st.integers(2, 8))
    m = draw(st.integers(n, 12))
    kappa = 10 ** draw(st.floats(0.0, max_kappa_exp))
    seed = draw(st.integers(0, 2**31))
    return conditioned_matrix(n, kappa, m=m, seed=seed)


finite_tall = arrays(
    np.float64,
    st.tuples(st.integers(3, 7), st.integers(1, 3)),
    elements=st.floats(-10, 10, allow_nan=False, allow_infinity=False),
)


# -- Gram-Schmidt ------------------------------------------------------------------

@pytest.mark.parametrize("modified", [True, False])
@pytest.mark.parametrize("shape", [(5, 5), (9, 4), (30, 1), (50, 20)])
def test_gram_schmidt_matches_numpy_and_scipy_up_to_signs(shape, modified):
    A = np.random.default_rng(0).standard_normal(shape)
    Q, R = gram_schmidt(A, modified=modified)
    for Qr, Rr in (np.linalg.qr(A), scipy.linalg.qr(A, mode="economic")):
        Qr, Rr = _positive_diagonal(Qr, Rr)
        np.testing.assert_allclose(Q, Qr, atol=1e-12)
        np.testing.assert_allclose(R, Rr, atol=1e-12)


def test_gram_schmidt_small_example_by_hand():
    # a1 = (3, 4): r11 = 5, q1 = (0.6, 0.8); a2 = (1, 2): r12 = 2.2, v2 = (-0.32, 0.24), r22 = 0.4
    Q, R = gram_schmidt(np.array([[3.0, 1.0], [4.0, 2.0]]))
    np.testing.assert_allclose(Q, [[0.6, -0.8], [0.8, 0.6]], atol=1e-15)
    np.testing.assert_allclose(R, [[5.0, 2.2], [0.0, 0.4]], atol=1e-15)


@PROPERTY
@given(tall_matrices(), st.booleans())
def test_gram_schmidt_properties(A, modified):
    Q, R = gram_schmidt(A, modified=modified)
    n = A.shape[1]
    assert Q.shape == A.shape and R.shape == (n, n)
    np.testing.assert_allclose(Q.T @ Q, np.eye(n), atol=1e-9)   # kappa <= 1e3, even classical
    np.testing.assert_allclose(Q @ R, A, atol=1e-13)
    assert np.all(np.tril(R, -1) == 0)
    assert np.all(np.diag(R) > 0)


@PROPERTY
@given(finite_tall)
def test_gram_schmidt_reproduces_any_well_conditioned_matrix(A):
    assume(np.linalg.matrix_rank(A) == A.shape[1] and np.linalg.cond(A) < 1e6)
    Q, R = gram_schmidt(A)
    np.testing.assert_allclose(Q @ R, A, atol=1e-12 * max(1.0, np.abs(A).max()))
    assert orthogonality_loss(Q) < 1e-8


def test_modified_keeps_orthogonality_where_classical_loses_it():
    # Bjorck (1967): loss ~ u*kappa for modified, up to u*kappa^2 for classical.
    A = conditioned_matrix(40, 1e8, m=80, seed=3)
    loss_mgs = orthogonality_loss(gram_schmidt(A, modified=True)[0])
    loss_cgs = orthogonality_loss(gram_schmidt(A, modified=False)[0])
    loss_hh = orthogonality_loss(np.linalg.qr(A)[0])
    assert loss_mgs < 10 * 1e8 * EPS
    assert loss_cgs > 1e-2
    assert loss_hh < 1e3 * EPS
    # both still reproduce A to rounding: the failure is in Q, not in the product
    for modified in (True, False):
        Q, R = gram_schmidt(A, modified=modified)
        assert np.linalg.norm(Q @ R - A) < 1e3 * EPS


def test_gram_schmidt_float32_stays_float32():
    A = np.random.default_rng(1).standard_normal((10, 4)).astype(np.float32)
    Q, R = gram_schmidt(A)
    assert Q.dtype == np.float32 and R.dtype == np.float32
    np.testing.assert_allclose(Q @ R, A, atol=1e-5)
    assert orthogonality_loss(Q) < 1e-5


def test_gram_schmidt_integer_input_becomes_float():
    Q, R = gram_schmidt(np.array([[3, 1], [4, 2]]))
    assert Q.dtype == np.float64
    np.testing.assert_allclose(R[0, 0], 5.0)


# -- orthogonality loss -----------------------------------------------------------

def test_orthogonality_loss_reference():
    Q = np.array([[1.0, 1.0], [0.0, 1.0]]) / np.sqrt([1.0, 2.0])   # columns 45 degrees apart
    G = Q.T @ Q - np.eye(2)
    assert orthogonality_loss(Q) == pytest.approx(np.linalg.svd(G, compute_uv=False)[0])
    assert orthogonality_loss(Q) == pytest.approx(np.cos(np.pi / 4))
    assert orthogonality_loss(random_orthonormal(20, 7, seed=2)) < 1e-14


# -- projections -------------------------------------------------------------------

@PROPERTY
@given(tall_matrices())
def test_projection_matrix_properties(B):
    P = projection_matrix(B)
    m, k = B.shape
    np.testing.assert_allclose(P @ P, P, atol=1e-12)
    np.testing.assert_allclose(P, P.T, atol=1e-14)
    np.testing.assert_allclose(np.trace(P), k, atol=1e-10)
    np.testing.assert_allclose(P @ B, B, atol=1e-12)            # fixes the subspace
    np.testing.assert_allclose(P, B @ np.linalg.pinv(B), atol=1e-9)  # reference
    x = np.random.default_rng(0).standard_normal(m)
    np.testing.assert_allclose(B.T @ (x - P @ x), 0.0, atol=1e-12)   # residual is orthogonal


def test_projection_onto_a_line():
    a = np.array([1.0, 2.0, 2.0])
    np.testing.assert_allclose(projection_matrix(a[:, None]), np.outer(a, a) / (a @ a), atol=1e-15)


# -- least squares -----------------------------------------------------------------

@pytest.mark.parametrize("shape", [(6, 6), (40, 5), (100, 30)])
def test_lstsq_qr_matches_numpy_and_scipy(shape):
    rng = np.random.default_rng(4)
    A = rng.standard_normal(shape)
    b = rng.standard_normal(shape[0])
    x = lstsq_qr(A, b)
    np.testing.assert_allclose(x, np.linalg.lstsq(A, b, rcond=None)[0], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(x, scipy.linalg.lstsq(A, b)[0], rtol=1e-10, atol=1e-12)
    if shape[0] == shape[1]:
        np.testing.assert_allclose(x, np.linalg.solve(A, b), rtol=1e-10)


def test_lstsq_several_right_hand_sides():
    rng = np.random.default_rng(5)
    A, B = rng.standard_normal((20, 4)), rng.standard_normal((20, 3))
    X = lstsq_qr(A, B)
    assert X.shape == (4, 3)
    for j in range(3):
        np.testing.assert_allclose(X[:, j], lstsq_qr(A, B[:, j]), rtol=1e-12)
    np.testing.assert_allclose(lstsq_normal(A, B), X, rtol=1e-9)


@PROPERTY
@given(tall_matrices(max_kappa_exp=2.0), st.integers(0, 2**31))
def test_least_squares_properties(A, seed):
    b = np.random.default_rng(seed).standard_normal(A.shape[0])
    x = lstsq_qr(A, b)
    r = b - A @ x
    np.testing.assert_allclose(A.T @ r, 0.0, atol=1e-12)           # normal equations hold
    np.testing.assert_allclose(A @ x, projection_matrix(A) @ b, atol=1e-11)
    np.testing.assert_allclose(lstsq_normal(A, b), x, rtol=1e-7, atol=1e-9)
    # no other point does better
    y = x + np.random.default_rng(seed + 1).standard_normal(x.shape)
    assert np.linalg.norm(b - A @ y) >= np.linalg.norm(r)


def test_normal_equations_square_the_condition_number():
    rng = np.random.default_rng(6)
    A = conditioned_matrix(10, 1e6, m=60, seed=6)
    x_true = rng.standard_normal(10)
    b = A @ x_true
    err = lambda x: np.linalg.norm(x - x_true) / np.linalg.norm(x_true)  # noqa: E731
    assert err(lstsq_qr(A, b)) < 10 * 1e6 * EPS
    assert err(lstsq_normal(A, b)) > 100 * err(lstsq_qr(A, b))


def test_lstsq_float32():
    rng = np.random.default_rng(7)
    A = rng.standard_normal((30, 3)).astype(np.float32)
    b = rng.standard_normal(30).astype(np.float32)
    x = lstsq_qr(A, b)
    assert x.dtype == np.float32
    np.testing.assert_allclose(x, np.linalg.lstsq(A.astype(float), b.astype(float), rcond=None)[0], rtol=1e-4)
    assert lstsq_qr(A, b.astype(np.float64)).dtype == np.float64


# -- test matrices -----------------------------------------------------------------

@pytest.mark.parametrize("kappa", [1.0, 10.0, 1e4, 1e10])
@pytest.mark.parametrize("m", [None, 9])
def test_conditioned_matrix_has_the_requested_condition_number(kappa, m):
    A = conditioned_matrix(6, kappa, m=m, seed=8)
    assert A.shape == (m or 6, 6)
    s = np.linalg.svd(A, compute_uv=False)
    np.testing.assert_allclose(s, kappa ** -np.linspace(0, 1, 6), rtol=1e-6 if kappa > 1e6 else 1e-12)
    np.testing.assert_allclose(np.linalg.cond(A), kappa, rtol=1e-5)


def test_random_orthonormal_seeding():
    Q = random_orthonormal(7, 3, seed=9)
    np.testing.assert_allclose(Q.T @ Q, np.eye(3), atol=1e-14)
    np.testing.assert_array_equal(Q, random_orthonormal(7, 3, seed=9))
    assert not np.allclose(Q, random_orthonormal(7, 3, seed=10))
    assert random_orthonormal(4, seed=np.random.default_rng(0)).shape == (4, 4)


def test_random_orthonormal_is_rotation_invariant_in_distribution():
    # Haar: the first column is uniform on the sphere, so its mean is ~0 and E[q_1^2] = 1/m
    first = np.array([random_orthonormal(4, 1, seed=s)[:, 0] for s in range(3000)])
    np.testing.assert_allclose(first.mean(axis=0), 0.0, atol=0.05)
    np.testing.assert_allclose((first**2).mean(axis=0), 0.25, atol=0.02)


# -- bad inputs --------------------------------------------------------------------

GOOD = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
# Column 1 = 2 * column 0, and singular in floating point too, not by a coin flip of
# rounding: A^T A = [[9, 18], [18, 36]] has Cholesky pivots 3 and 36 - 6 * 6 = 0, every
# step exact in any order of operations, so the normal equations fail on every CPU.
DEPENDENT = np.array([[2.0, 4.0], [1.0, 2.0], [2.0, 4.0]])
NAN = np.array([[1.0, np.nan], [0.0, 1.0], [1.0, 1.0]])

BAD = [
    (lambda: gram_schmidt(np.ones(3)), ValueError, "A must be 2-D"),
    (lambda: gram_schmidt(np.ones((2, 2, 2))), ValueError, "A must be 2-D"),
    (lambda: gram_schmidt(np.ones((2, 3))), ValueError, "m >= n"),
    (lambda: gram_schmidt(NAN), ValueError, "finite"),
    (lambda: gram_schmidt(np.array([[1.0, np.inf], [0.0, 1.0]])), ValueError, "finite"),
    (lambda: gram_schmidt(DEPENDENT), ValueError, "linearly dependent"),
    (lambda: gram_schmidt(DEPENDENT, modified=False), ValueError, "linearly dependent"),
    (lambda: gram_schmidt(np.zeros((3, 2))), ValueError, "column 0"),
    (lambda: gram_schmidt(np.empty((0, 0))), ValueError, "empty"),
    (lambda: gram_schmidt(GOOD, modified="yes"), TypeError, "modified"),
    (lambda: gram_schmidt([["a", "b"]]), TypeError, "A must be an array of real numbers"),
    (lambda: gram_schmidt(GOOD + 1j), TypeError, "real"),
    (lambda: orthogonality_loss(np.ones(3)), ValueError, "Q must be 2-D"),
    (lambda: projection_matrix(np.ones(3)), ValueError, "B must be 2-D"),
    (lambda: projection_matrix(DEPENDENT), ValueError, "B is rank deficient"),
    (lambda: projection_matrix(np.ones((2, 3))), ValueError, "m >= n"),
    (lambda: lstsq_qr(GOOD, np.ones(4)), ValueError, "b must have m=3 rows"),
    (lambda: lstsq_qr(GOOD, np.ones((2, 2))), ValueError, "b must have m=3 rows"),
    (lambda: lstsq_qr(GOOD, np.ones((3, 1, 1))), ValueError, "b must be 1-D or 2-D"),
    (lambda: lstsq_qr(GOOD, np.array([1.0, np.nan, 0.0])), ValueError, "b must contain only finite"),
    (lambda: lstsq_qr(NAN, np.ones(3)), ValueError, "A must contain only finite"),
    (lambda: lstsq_qr(DEPENDENT, np.ones(3)), ValueError, "A is rank deficient"),
    (lambda: lstsq_qr(np.ones((2, 3)), np.ones(2)), ValueError, "m >= n"),
    (lambda: lstsq_qr(np.ones(3), np.ones(3)), ValueError, "A must be 2-D"),
    (lambda: lstsq_normal(DEPENDENT, np.ones(3)), ValueError, "positive definite"),
    (lambda: lstsq_normal(GOOD, np.ones(2)), ValueError, "b must have m=3 rows"),
    (lambda: lstsq_normal(np.ones((2, 3)), np.ones(2)), ValueError, "m >= n"),
    (lambda: random_orthonormal(3, 4), ValueError, "n must be at most m=3"),
    (lambda: random_orthonormal(0), ValueError, "m must be a positive integer"),
    (lambda: random_orthonormal(3.5), TypeError, "m must be a positive integer"),
    (lambda: random_orthonormal(3, seed=-1), TypeError, "seed"),
    (lambda: random_orthonormal(3, seed="a"), TypeError, "seed"),
    (lambda: conditioned_matrix(4, 0.5), ValueError, "kappa must be >= 1"),
    (lambda: conditioned_matrix(4, np.nan), ValueError, "kappa must be a positive"),
    (lambda: conditioned_matrix(1, 10.0), ValueError, "n must be at least 2"),
    (lambda: conditioned_matrix(4, 10.0, m=3), ValueError, "m must be at least n=4"),
    (lambda: conditioned_matrix(4, 10.0, seed=1.5), TypeError, "seed"),
]


@pytest.mark.parametrize("call, error, message", BAD)
def test_bad_inputs(call, error, message):
    with pytest.raises(error, match=message):
        call()
