"""PCA against scikit-learn; low-rank approximation and power iteration against numpy.linalg."""

from __future__ import annotations

import numpy as np
import pytest
from _helpers import PROPERTY, float_arrays, random_orthogonal
from hypothesis import given
from hypothesis import strategies as st
from sklearn.decomposition import PCA

from llmmath import PCAResult, low_rank_approximation, pca, power_iteration


@pytest.fixture
def rng():
    return np.random.default_rng(1936)


def correlated_data(rng, n, d):
    """Gaussian data with distinct variances along random directions (no ties between components)."""
    scales = np.geomspace(5.0, 0.2, d)
    return (rng.standard_normal((n, d)) * scales) @ random_orthogonal(d, rng) + rng.standard_normal(d)


def align_signs(ours: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Signs s_i such that s_i * reference_i points the way ours_i does."""
    s = np.sign(np.sum(ours * reference, axis=1))
    s[s == 0] = 1
    return s


# --------------------------------------------------------------------------
# pca vs sklearn.decomposition.PCA
# --------------------------------------------------------------------------

@pytest.mark.parametrize("n, d, k", [(200, 5, 2), (200, 5, 5), (50, 12, 4), (8, 30, 5), (3, 10, 2)],
                         ids=["tall", "tall-full", "tall-wide-ish", "wide", "very-wide"])
def test_pca_matches_sklearn(rng, n, d, k):
    X = correlated_data(rng, n, d)
    ours = pca(X, k)
    ref = PCA(n_components=k, svd_solver="full").fit(X)
    s = align_signs(ours.components, ref.components_)
    np.testing.assert_allclose(ours.components, s[:, None] * ref.components_, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(ours.explained_variance, ref.explained_variance_, rtol=1e-10)
    np.testing.assert_allclose(ours.explained_variance_ratio, ref.explained_variance_ratio_, rtol=1e-10)
    np.testing.assert_allclose(ours.mean, ref.mean_, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(ours.transform(X), ref.transform(X) * s, rtol=1e-8, atol=1e-9)
    Z = ours.transform(X)
    np.testing.assert_allclose(ours.inverse_transform(Z), ref.inverse_transform(Z * s), rtol=1e-8, atol=1e-9)
    assert ours.total_variance == pytest.approx(np.var(X, axis=0, ddof=1).sum(), rel=1e-12)


def test_pca_components_are_orthonormal_and_sorted(rng):
    X = correlated_data(rng, 100, 6)
    r = pca(X, 4)
    np.testing.assert_allclose(r.components @ r.components.T, np.eye(4), atol=1e-12)
    assert np.all(np.diff(r.explained_variance) <= 0)
    # deterministic sign: largest-magnitude entry of each component is positive
    rows = np.arange(4)
    assert np.all(r.components[rows, np.abs(r.components).argmax(axis=1)] > 0)


def test_pca_full_rank_round_trip(rng):
    X = correlated_data(rng, 40, 4)
    r = pca(X, 4)
    np.testing.assert_allclose(r.inverse_transform(r.transform(X)), X, rtol=1e-10, atol=1e-10)
    assert sum(r.explained_variance_ratio) == pytest.approx(1.0, rel=1e-12)


def test_pca_docstring_line():
    r = pca(np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]]), 1)
    np.testing.assert_allclose(r.components, [[np.sqrt(0.5), np.sqrt(0.5)]], rtol=1e-12)
    np.testing.assert_allclose(r.explained_variance, [2.0], rtol=1e-12)
    assert isinstance(r, PCAResult)


def test_pca_constant_data_has_zero_variance():
    r = pca(np.ones((5, 3)), 2)
    np.testing.assert_array_equal(r.explained_variance, [0.0, 0.0])
    np.testing.assert_array_equal(r.explained_variance_ratio, [0.0, 0.0])
    assert r.total_variance == 0.0


@pytest.mark.parametrize("n, d", [(60, 5), (4, 9)], ids=["tall", "wide"])
def test_pca_float32_stays_float32(rng, n, d):
    X = correlated_data(rng, n, d).astype(np.float32)
    r = pca(X, 3)
    for arr in (r.components, r.explained_variance, r.explained_variance_ratio, r.mean):
        assert arr.dtype == np.float32
    assert r.transform(X).dtype == np.float32
    ref = PCA(n_components=3, svd_solver="full").fit(X.astype(np.float64))
    np.testing.assert_allclose(r.explained_variance, ref.explained_variance_, rtol=1e-5)


def test_pca_does_not_modify_X(rng):
    X = correlated_data(rng, 20, 3)
    X0 = X.copy()
    pca(X, 2)
    np.testing.assert_array_equal(X, X0)


# --------------------------------------------------------------------------
# Property: the reconstruction error is the discarded variance
# --------------------------------------------------------------------------

@st.composite
def data_and_k(draw):
    n, d = draw(st.integers(2, 12)), draw(st.integers(1, 6))
    X = draw(float_arrays((n, d), bound=100.0))
    k = draw(st.integers(1, min(n, d)))
    return X, k


@PROPERTY
@given(data_and_k())
def test_reconstruction_error_is_discarded_variance(data):
    X, k = data
    r = pca(X, k)
    n = X.shape[0]
    residual = X - r.inverse_transform(r.transform(X))
    error = np.sum(residual**2) / (n - 1)
    discarded = r.total_variance - np.sum(r.explained_variance)
    scale = max(r.total_variance, np.finfo(float).tiny)
    assert abs(error - discarded) <= 1e-9 * scale
    assert discarded >= -1e-9 * scale
    assert np.all(r.explained_variance >= 0)
    assert np.sum(r.explained_variance_ratio) <= 1 + 1e-9


@PROPERTY
@given(data_and_k())
def test_explained_variance_is_the_variance_of_the_scores(data):
    X, k = data
    r = pca(X, k)
    scores = r.transform(X)
    scale = max(r.total_variance, np.finfo(float).tiny)
    np.testing.assert_allclose(np.var(scores, axis=0, ddof=1), r.explained_variance, rtol=1e-7, atol=1e-9 * scale)


# --------------------------------------------------------------------------
# low_rank_approximation vs numpy.linalg.svd
# --------------------------------------------------------------------------

@pytest.mark.parametrize("shape", [(8, 5), (5, 8), (6, 6)])
@pytest.mark.parametrize("k", [0, 1, 3, 5])
def test_low_rank_matches_numpy_svd(rng, shape, k):
    A = rng.standard_normal(shape)
    u, s, vt = np.linalg.svd(A, full_matrices=False)
    expected = u[:, :k] @ np.diag(s[:k]) @ vt[:k]
    got = low_rank_approximation(A, k)
    assert got.shape == shape
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-12)
    # Eckart-Young: the error is what the discarded singular values say.
    assert np.linalg.norm(A - got, "fro") ** 2 == pytest.approx(np.sum(s[k:] ** 2), rel=1e-10)
    assert np.linalg.norm(A - got, 2) == pytest.approx(s[k] if k < len(s) else 0.0, rel=1e-10, abs=1e-12)
    assert np.linalg.matrix_rank(got) == k


def test_low_rank_full_rank_gives_back_A(rng):
    A = rng.standard_normal((4, 7))
    np.testing.assert_allclose(low_rank_approximation(A, 4), A, rtol=1e-12, atol=1e-12)


def test_low_rank_beats_other_rank_k_matrices(rng):
    A = rng.standard_normal((6, 5))
    best = np.linalg.norm(A - low_rank_approximation(A, 2))
    for _ in range(50):
        other = rng.standard_normal((6, 2)) @ rng.standard_normal((2, 5))
        assert np.linalg.norm(A - other) >= best


# --------------------------------------------------------------------------
# power_iteration vs numpy.linalg.eigh / eig
# --------------------------------------------------------------------------

@pytest.mark.parametrize("eigenvalues", [[10.0, 5.0, 3.0, 1.0], [-6.0, 2.0, 1.0], [3.0, -1.5, 0.5, 0.1, 0.0]],
                         ids=["positive", "negative-dominant", "with-zero"])
def test_power_iteration_matches_eigh(rng, eigenvalues):
    d = len(eigenvalues)
    q = random_orthogonal(d, rng)
    A = (q * eigenvalues) @ q.T
    A = (A + A.T) / 2
    value, vector = power_iteration(A, n_iter=200)
    w, V = np.linalg.eigh(A)
    top = np.argmax(np.abs(w))
    assert value == pytest.approx(w[top], rel=1e-10)
    assert abs(vector @ V[:, top]) == pytest.approx(1.0, rel=1e-10)
    assert np.linalg.norm(vector) == pytest.approx(1.0, rel=1e-14)
    assert vector[np.argmax(np.abs(vector))] > 0


def test_power_iteration_non_symmetric_matches_eig(rng):
    P = rng.standard_normal((4, 4)) + 4 * np.eye(4)
    A = P @ np.diag([4.0, 2.0, 1.0, -0.5]) @ np.linalg.inv(P)
    value, vector = power_iteration(A, n_iter=300)
    w, V = np.linalg.eig(A)
    top = np.argmax(np.abs(w))
    assert value == pytest.approx(w[top].real, rel=1e-9)
    ref = V[:, top].real / np.linalg.norm(V[:, top].real)
    assert abs(vector @ ref) == pytest.approx(1.0, rel=1e-9)
    np.testing.assert_allclose(A @ vector, value * vector, atol=1e-9)


def test_power_iteration_is_seeded():
    A = np.array([[2.0, 1.0], [1.0, 2.0]])
    assert power_iteration(A, n_iter=3, seed=5)[1].tolist() == power_iteration(A, n_iter=3, seed=5)[1].tolist()


# --------------------------------------------------------------------------
# The bad-input table
# --------------------------------------------------------------------------

NAN, INF = float("nan"), float("inf")
X_OK = np.arange(12.0).reshape(4, 3) ** 1.5
FITTED = pca(X_OK, 2)


BAD_INPUTS = [
    pytest.param(pca, (np.arange(5.0), 1), ValueError, r"X must be 2-D", id="pca-X-1d"),
    pytest.param(pca, (np.ones((1, 3)), 1), ValueError, r"X must have at least 2 rows", id="pca-one-row"),
    pytest.param(pca, (np.zeros((0, 3)), 1), ValueError, r"X must not be empty", id="pca-empty"),
    pytest.param(pca, (np.where(X_OK > 5, NAN, X_OK), 1), ValueError, r"X must contain only finite", id="pca-nan"),
    pytest.param(pca, (np.where(X_OK > 5, INF, X_OK), 1), ValueError, r"X must contain only finite", id="pca-inf"),
    pytest.param(pca, (X_OK, 0), ValueError, r"n_components must be a positive", id="pca-k-zero"),
    pytest.param(pca, (X_OK, -1), ValueError, r"n_components must be a positive", id="pca-k-negative"),
    pytest.param(pca, (X_OK, 4), ValueError, r"n_components must be at most min\(n, d\) = 3", id="pca-k-too-big"),
    pytest.param(pca, (X_OK, 1.5), TypeError, r"n_components must be a positive integer", id="pca-k-float"),
    pytest.param(pca, (X_OK, True), TypeError, r"n_components must be a positive integer", id="pca-k-bool"),
    pytest.param(FITTED.transform, (np.ones((2, 4)),), ValueError, r"X must have d=3 columns", id="transform-d"),
    pytest.param(FITTED.transform, (np.ones(3),), ValueError, r"X must be 2-D", id="transform-1d"),
    pytest.param(FITTED.inverse_transform, (np.ones((2, 3)),), ValueError, r"Z must have k=2 columns",
                 id="inverse-transform-k"),
    pytest.param(FITTED.inverse_transform, (np.full((2, 2), NAN),), ValueError, r"Z must contain only finite",
                 id="inverse-transform-nan"),
    pytest.param(low_rank_approximation, (np.ones((3, 4)), -1), ValueError, r"k must be a non-negative",
                 id="lowrank-k-negative"),
    pytest.param(low_rank_approximation, (np.ones((3, 4)), 4), ValueError, r"k must be at most min\(m, n\) = 3",
                 id="lowrank-k-too-big"),
    pytest.param(low_rank_approximation, (np.ones((3, 4)), 2.0), TypeError, r"k must be a non-negative integer",
                 id="lowrank-k-float"),
    pytest.param(low_rank_approximation, (np.ones((2, 3, 4)), 1), ValueError, r"A must be 2-D", id="lowrank-A-3d"),
    pytest.param(low_rank_approximation, (np.array([[1.0, NAN]]), 1), ValueError, r"A must contain only finite",
                 id="lowrank-A-nan"),
    pytest.param(low_rank_approximation, (np.zeros((0, 2)), 0), ValueError, r"A must not be empty",
                 id="lowrank-A-empty"),
    pytest.param(power_iteration, (np.ones((2, 3)),), ValueError, r"A must be square", id="power-not-square"),
    pytest.param(power_iteration, (np.ones(3),), ValueError, r"A must be 2-D", id="power-1d"),
    pytest.param(power_iteration, (np.eye(2), 0), ValueError, r"n_iter must be a positive", id="power-n_iter-zero"),
    pytest.param(power_iteration, (np.zeros((3, 3)),), ValueError, r"A maps the iterate to zero", id="power-zero-A"),
    pytest.param(power_iteration, (np.array([[INF, 0.0], [0.0, 1.0]]),), ValueError, r"A must contain only finite",
                 id="power-inf"),
]


@pytest.mark.parametrize("func, args, exc, match", BAD_INPUTS)
def test_bad_input(func, args, exc, match):
    with pytest.raises(exc, match=match):
        func(*args)
