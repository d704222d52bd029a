"""llmmath.linalg.lu and .pinv: LU with partial pivoting against scipy.linalg.lu; the
pseudoinverse, rank, null space and minimum-norm solution against numpy and scipy."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg
from hypothesis import given
from hypothesis import strategies as st

from llmmath import (
    back_substitution,
    forward_substitution,
    growth_factor,
    lu,
    lu_solve,
    min_norm_solution,
    null_space,
    numerical_rank,
    pseudoinverse,
)

EPS = np.finfo(float).eps


def _random(n, seed, m=None):
    return np.random.default_rng(seed).standard_normal((m or n, n))


# -- LU against scipy ----------------------------------------------------------------------

@pytest.mark.parametrize("n", [1, 2, 5, 40])
@pytest.mark.parametrize("seed", [0, 1])
def test_lu_matches_scipy(n, seed):
    A = _random(n, seed)
    P, L, U = lu(A)
    Ps, Ls, Us = scipy.linalg.lu(A)
    # Random Gaussian columns have no ties for the largest pivot (probability zero), so the
    # permutation is the same integer matrix; the factors then agree to rounding, which
    # is bounded by n eps times the growth factor (small with pivoting) relative to |A|.
    np.testing.assert_array_equal(P, Ps)
    tol = 10 * n * EPS * max(1.0, growth_factor(A, U))
    np.testing.assert_allclose(L, Ls, atol=tol)
    np.testing.assert_allclose(U, Us, atol=tol * np.abs(A).max())


@given(st.integers(1, 12), st.integers(0, 2**31 - 1))
def test_lu_properties(n, seed):
    A = _random(n, seed)
    P, L, U = lu(A)
    assert np.array_equal(np.sort(P.sum(axis=0)), np.ones(n)) and set(np.unique(P)) <= {0.0, 1.0}
    assert np.array_equal(np.triu(L, 1), np.zeros((n, n))) and np.array_equal(np.diag(L), np.ones(n))
    assert np.array_equal(np.tril(U, -1), np.zeros((n, n)))
    assert np.all(np.abs(L) <= 1.0)                     # what partial pivoting guarantees
    # Backward stability: |A - PLU| <= c n eps |L||U| entrywise (Higham, Thm 9.3).
    bound = 3 * n * EPS * (np.abs(L) @ np.abs(U))
    assert np.all(np.abs(A - P @ L @ U) <= P @ bound + 1e-300)


def test_pivoting_matters_on_a_small_pivot():
    # Without pivoting the multiplier 1/eps_small is huge and U's corner loses the 1:
    # the solve is wrong in every digit of x_1; with pivoting it is right to rounding.
    small = 1e-17
    A = np.array([[small, 1.0], [1.0, 1.0]])
    b = np.array([1.0, 2.0])
    exact = np.linalg.solve(A, b)
    naive = lu_solve(*lu(A, pivoting=False), b)
    good = lu_solve(*lu(A), b)
    np.testing.assert_allclose(good, exact, rtol=4 * EPS)
    assert abs(naive[0] - exact[0]) > 0.5
    assert growth_factor(A, lu(A, pivoting=False)[2]) > 1e16 and growth_factor(A, lu(A)[2]) <= 2


def test_zero_pivot_needs_pivoting():
    A = np.array([[0.0, 1.0], [1.0, 0.0]])
    with pytest.raises(ValueError, match="zero pivot at step 0"):
        lu(A, pivoting=False)
    P, L, U = lu(A)
    np.testing.assert_array_equal(P @ L @ U, A)       # exact: only swaps happened


def test_lu_solve_and_substitutions_match_scipy():
    A = _random(30, 3)
    b = np.random.default_rng(4).standard_normal((30, 2))
    x = lu_solve(*lu(A), b)
    np.testing.assert_allclose(x, scipy.linalg.lu_solve(scipy.linalg.lu_factor(A), b),
                               rtol=0, atol=50 * 30 * EPS * np.linalg.cond(A) * np.abs(x).max())
    L = np.tril(_random(6, 5)) + 6 * np.eye(6)
    y = np.arange(6.0)
    np.testing.assert_allclose(forward_substitution(L, y), scipy.linalg.solve_triangular(L, y, lower=True),
                               rtol=1e-13)
    np.testing.assert_allclose(back_substitution(L.T, y), scipy.linalg.solve_triangular(L.T, y), rtol=1e-13)


def test_singular_matrix_factors_but_does_not_solve():
    A = np.array([[1.0, 2.0], [2.0, 4.0]])           # integer, exactly dependent rows
    P, L, U = lu(A)
    assert U[1, 1] == 0.0                            # 4 - 2 * 2, after the swap: exact
    with pytest.raises(ValueError, match="U is singular"):
        lu_solve(P, L, U, np.array([1.0, 1.0]))


def test_float32_stays_float32():
    P, L, U = lu(_random(4, 0).astype(np.float32))
    assert P.dtype == L.dtype == U.dtype == np.float32


@pytest.mark.parametrize("call, error, match", [
    (lambda: lu(np.ones((2, 3))), ValueError, "A must be a square matrix"),
    (lambda: lu(np.ones((0, 0))), ValueError, "A must not be empty|non-empty"),
    (lambda: lu([[1.0, np.nan], [0.0, 1.0]]), ValueError, "A must contain only finite"),
    (lambda: lu(np.eye(2), pivoting="no"), TypeError, "pivoting"),
    (lambda: lu([["a", "b"], ["c", "d"]]), TypeError, "A"),
    (lambda: lu_solve(np.eye(2), np.eye(2), np.eye(2), np.ones(3)), ValueError, "b must have 2 rows"),
    (lambda: forward_substitution(np.zeros((2, 2)), np.ones(2)), ValueError, r"L\[0,0\] = 0"),
    (lambda: growth_factor(np.zeros((2, 2)), np.zeros((2, 2))), ValueError, "zero matrix"),
])
def test_lu_bad_inputs(call, error, match):
    with pytest.raises(error, match=match):
        call()


# -- pseudoinverse, rank, null space -------------------------------------------------------

@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (4, 4)])
def test_pseudoinverse_matches_numpy(shape):
    A = np.random.default_rng(7).standard_normal(shape)
    np.testing.assert_allclose(pseudoinverse(A), np.linalg.pinv(A), atol=100 * EPS * np.linalg.cond(A))


def test_left_and_right_inverses():
    tall = _random(3, 8, m=6)                       # full column rank: a left inverse
    np.testing.assert_allclose(pseudoinverse(tall) @ tall, np.eye(3), atol=1e-13)
    assert np.linalg.norm(tall @ pseudoinverse(tall) - np.eye(6)) > 1.0   # but no right inverse
    wide = tall.T
    np.testing.assert_allclose(wide @ pseudoinverse(wide), np.eye(3), atol=1e-13)


def test_rank_and_null_space_match_numpy_and_scipy():
    # An integer matrix of rank 2 exactly: row 3 = row 1 + row 2.
    A = np.array([[1.0, 2.0, 3.0, 4.0], [2.0, 0.0, 1.0, 1.0], [3.0, 2.0, 4.0, 5.0]])
    assert numerical_rank(A) == np.linalg.matrix_rank(A) == 2
    N = null_space(A)
    assert N.shape == (4, 2)                         # rank-nullity: 2 + 2 = 4
    np.testing.assert_allclose(A @ N, 0, atol=50 * EPS * np.abs(A).max())
    np.testing.assert_allclose(N.T @ N, np.eye(2), atol=50 * EPS)
    ref = scipy.linalg.null_space(A)
    # Same subspace: the projectors agree (bases may differ by a rotation).
    np.testing.assert_allclose(N @ N.T, ref @ ref.T, atol=100 * EPS)


def test_min_norm_solution_is_the_shortest_solution():
    A = np.array([[1.0, 2.0, 3.0, 4.0], [2.0, 0.0, 1.0, 1.0], [3.0, 2.0, 4.0, 5.0]])
    b = A @ np.array([1.0, -1.0, 2.0, 0.5])           # consistent: infinitely many solutions
    x = min_norm_solution(A, b)
    np.testing.assert_allclose(A @ x, b, atol=100 * EPS * np.abs(b).max())
    np.testing.assert_allclose(x, np.linalg.pinv(A) @ b, atol=1e-12)
    np.testing.assert_allclose(x, np.linalg.lstsq(A, b, rcond=None)[0], atol=1e-12)
    np.testing.assert_allclose(null_space(A).T @ x, 0, atol=1e-12)   # no null-space part
    other = x + null_space(A) @ np.array([0.3, -0.2])
    assert np.linalg.norm(other) > np.linalg.norm(x)


def test_min_norm_solution_of_an_inconsistent_system_is_least_squares():
    A = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    b = np.array([1.0, 1.0, 0.0])                    # no exact solution
    x = min_norm_solution(A, b)
    np.testing.assert_allclose(x, np.linalg.lstsq(A, b, rcond=None)[0], atol=1e-14)
    np.testing.assert_allclose(A.T @ (A @ x - b), 0, atol=1e-14)   # the normal equations hold


@pytest.mark.parametrize("call, error, match", [
    (lambda: pseudoinverse(np.ones(3)), ValueError, "A must be 2-D|A must be a 2"),
    (lambda: pseudoinverse(np.ones((0, 2))), ValueError, "A must not be empty|at least one row"),
    (lambda: numerical_rank(np.eye(2), rcond=-1), ValueError, "rcond must be"),
    (lambda: min_norm_solution(np.eye(2), np.ones(3)), ValueError, "b must have 2 rows"),
    (lambda: null_space([[np.inf]]), ValueError, "A must contain only finite"),
])
def test_pinv_bad_inputs(call, error, match):
    with pytest.raises(error, match=match):
        call()
