"""The helpers that chapters used to define for themselves, now in the library once:
positive_diagonal (chapter 3), eckart_young_error (chapter 4), mean_pairwise_cosine
(chapter 1), and the shared top-k, offset-answering and power-of-two scaling routines."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg
import sklearn.metrics.pairwise as skp
from _helpers import PROPERTY
from hypothesis import given
from hypothesis import strategies as st

from llmmath import (
    WordVectors,
    answer_by_offset,
    eckart_young_error,
    householder_qr,
    low_rank_approximation,
    mean_pairwise_cosine,
    positive_diagonal,
    pow2_scale,
    top_k_indices,
)

EPS = np.finfo(np.float64).eps


# -- positive_diagonal ---------------------------------------------------------------

@pytest.mark.parametrize("shape", [(5, 5), (9, 4), (30, 1)])
def test_positive_diagonal_makes_numpy_and_scipy_qr_agree(shape):
    A = np.random.default_rng(0).standard_normal(shape)
    (Q1, R1), (Q2, R2) = (positive_diagonal(*np.linalg.qr(A)),
                          positive_diagonal(*scipy.linalg.qr(A, mode="economic")))
    assert np.all(np.diag(R1) > 0) and np.all(np.diag(R2) > 0)
    np.testing.assert_allclose(Q1, Q2, atol=1e-12)
    np.testing.assert_allclose(R1, R2, atol=1e-12)
    np.testing.assert_allclose(Q1 @ R1, A, atol=1e-13)


def test_positive_diagonal_full_mode_and_zero_pivots():
    A = np.random.default_rng(1).standard_normal((6, 3))
    Q, R = np.linalg.qr(A, mode="complete")            # Q (6, 6), R (6, 3)
    Qp, Rp = positive_diagonal(Q, R)
    np.testing.assert_allclose(Qp @ Rp, A, atol=1e-13)
    assert np.all(np.diag(Rp) > 0)
    np.testing.assert_array_equal(Qp[:, 3:], Q[:, 3:])   # columns with no diagonal entry are kept
    Z = np.zeros((2, 2))
    np.testing.assert_array_equal(positive_diagonal(np.eye(2), Z)[0], np.eye(2))   # sign(0) counts as +1


def test_householder_qr_is_positive_diagonal_of_lapack():
    A = np.random.default_rng(2).standard_normal((7, 3)) * 1e200     # scaled internally
    Q, R = householder_qr(A)
    np.testing.assert_allclose(Q @ R, A, rtol=1e-13, atol=1e-13 * np.abs(A).max())
    np.testing.assert_allclose(Q.T @ Q, np.eye(3), atol=10 * EPS)


# -- eckart_young_error ----------------------------------------------------------------

def test_eckart_young_error_is_the_measured_error_of_the_best_approximation():
    rng = np.random.default_rng(3)
    A = rng.standard_normal((30, 12))
    s = np.linalg.svd(A, compute_uv=False)
    ks = np.arange(13)
    spectral, frobenius = eckart_young_error(s, ks)
    for k in ks:
        E = A - low_rank_approximation(A, k)
        assert spectral[k] == pytest.approx(np.linalg.norm(E, 2), rel=1e-10, abs=1e-13)
        assert frobenius[k] == pytest.approx(np.linalg.norm(E), rel=1e-10, abs=1e-13)
    assert eckart_young_error(s, 3) == (spectral[3], frobenius[3])


def test_eckart_young_relative_error_is_chapter_4s_formula():
    # Chapter 4's relative_error(s): sqrt of the tail of s^2 over its total, for k = 0..p.
    s = np.sort(np.random.default_rng(4).uniform(0, 3, 40))[::-1]
    tail = np.cumsum((s**2)[::-1])[::-1]
    chapter = np.append(np.sqrt(tail / tail[0]), 0.0)
    _, rel = eckart_young_error(s, np.arange(41), relative=True)
    np.testing.assert_allclose(rel, chapter, rtol=1e-12, atol=1e-15)


def test_eckart_young_error_near_the_float_range():
    s = np.array([1e200, 1e200, 0.0])                      # squares of 1e400
    assert eckart_young_error(s, 0) == pytest.approx((1e200, np.sqrt(2) * 1e200), rel=1e-15)


@pytest.mark.parametrize("args, error, match", [
    ((np.array([1.0, 2.0]), 1), ValueError, "non-increasing"),
    ((np.array([2.0, -1.0]), 1), ValueError, "non-negative"),
    ((np.array([2.0, 1.0]), 3), ValueError, r"k must lie in \[0, 2\]"),
    ((np.array([2.0, 1.0]), 1.0), TypeError, "k must be an integer"),
    ((np.array([2.0, 1.0]), True), TypeError, "k must be an integer"),
])
def test_eckart_young_error_bad_input(args, error, match):
    with pytest.raises(error, match=match):
        eckart_young_error(*args)


def test_eckart_young_error_relative_must_be_a_bool():
    with pytest.raises(TypeError, match="relative must be True or False"):
        eckart_young_error(np.array([1.0]), 0, relative="yes")


# -- mean_pairwise_cosine --------------------------------------------------------------

@PROPERTY
@given(st.integers(2, 12), st.integers(1, 6), st.integers(0, 2**31))
def test_mean_pairwise_cosine_matches_sklearn(n, d, seed):
    X = np.random.default_rng(seed).standard_normal((n, d)) + 0.1
    C = skp.cosine_similarity(X)
    assert mean_pairwise_cosine(X) == pytest.approx(C[np.triu_indices(n, 1)].mean(), abs=1e-12)


def test_mean_pairwise_cosine_bounds_and_errors():
    assert mean_pairwise_cosine(np.ones((4, 3)) * [1.0, 2.0, 3.0]) == pytest.approx(1.0, abs=1e-15)
    assert mean_pairwise_cosine(np.array([[1.0, 0.0], [-1.0, 0.0]])) == pytest.approx(-1.0, abs=1e-15)
    with pytest.raises(ValueError, match="at least two rows"):
        mean_pairwise_cosine(np.ones((1, 3)))
    with pytest.raises(ValueError, match="X contains a zero vector"):
        mean_pairwise_cosine(np.array([[1.0, 0.0], [0.0, 0.0]]))


# -- top_k_indices -----------------------------------------------------------------------

@PROPERTY
@given(st.integers(1, 40), st.integers(0, 3), st.integers(0, 2**31), st.booleans())
def test_top_k_is_a_stable_sort_with_ties_to_the_lower_index(n, levels, seed, largest):
    rng = np.random.default_rng(seed)
    s = rng.integers(0, levels + 1, size=(3, n)).astype(float)
    s[0, rng.integers(n)] = -np.inf if largest else np.inf            # an excluded candidate
    key = -s if largest else s
    for k in {1, n // 2 or 1, n}:
        np.testing.assert_array_equal(top_k_indices(s, k, largest=largest),
                                      np.argsort(key, axis=1, kind="stable")[:, :k])
        np.testing.assert_array_equal(top_k_indices(s[1], k, largest=largest),
                                      np.argsort(key[1], kind="stable")[:k])


@pytest.mark.parametrize("args, kwargs, error, match", [
    ((np.array([1.0, np.nan]), 1), {}, ValueError, "NaN"),
    ((np.array([1.0, 2.0]), 3), {}, ValueError, "k must be at most"),
    ((np.array([1.0, 2.0]), 0), {}, ValueError, "k must be a positive integer"),
    ((np.array([1.0, 2.0]), 1), {"largest": "no"}, TypeError, "largest must be True or False"),
])
def test_top_k_bad_input(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        top_k_indices(*args, **kwargs)


# -- answer_by_offset, the engine of both analogy APIs ------------------------------------

def test_answer_by_offset_is_what_word_vectors_answer():
    rng = np.random.default_rng(6)
    words = [f"w{i}" for i in range(40)] + ["W3"]                   # a case variant of w3
    wv = WordVectors(words, rng.standard_normal((41, 5)))
    qs = [tuple(rng.choice(words, 4, replace=False)) for _ in range(30)]
    a = wv.answer_analogies(qs, restrict_vocab=41)
    b = answer_by_offset(wv.words, wv.unit, qs, restrict_vocab=41, batch_size=7)
    assert a.predicted == b.predicted
    np.testing.assert_array_equal(a.correct, b.correct)


# -- pow2_scale ---------------------------------------------------------------------------

@PROPERTY
@given(st.floats(min_value=5e-324, max_value=1.7e308), st.sampled_from([np.float64, np.float32]))
def test_pow2_scale_brings_the_peak_into_one_two(peak, dtype):
    if dtype == np.float32 and not (1.2e-38 <= peak <= 3.4e38):
        return
    x = np.array([peak, -peak / 3], dtype=dtype)
    s = pow2_scale(x)
    assert s.dtype == dtype and np.frexp(s)[0] == 0.5              # a power of two
    ratio = np.abs(x).max() / s
    assert 1.0 <= ratio < 2.0
    np.testing.assert_array_equal((x / s) * s, x)                  # exact both ways


def test_pow2_scale_of_zero_is_one():
    assert pow2_scale(np.zeros(3)) == 1.0
    np.testing.assert_array_equal(pow2_scale(np.array([[0.0, 0.0], [3.0, 0.5]]), axis=1), [1.0, 2.0])
