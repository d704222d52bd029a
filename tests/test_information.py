"""Entropy, KL divergence and cross-entropy against scipy, with properties and bad input."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.special
import scipy.stats
from _helpers import PROPERTY
from hypothesis import given
from hypothesis import strategies as st

from llmmath import cross_entropy, entropy, kl_divergence, softmax
from llmmath.prob import distribution_cross_entropy

logits = st.lists(st.floats(-20, 20, allow_nan=False), min_size=1, max_size=12).map(np.array)


@PROPERTY
@given(logits, st.integers(0, 2**32 - 1))
def test_against_scipy(z, seed):
    p = softmax(z)
    q = softmax(np.random.default_rng(seed).standard_normal(len(z)))
    tol = 1e-12 * max(1.0, np.log(len(z)) + 20)
    np.testing.assert_allclose(entropy(p), scipy.stats.entropy(p), atol=tol)
    np.testing.assert_allclose(kl_divergence(p, q), scipy.special.rel_entr(p, q).sum(), atol=tol * 10, rtol=1e-10)
    assert kl_divergence(p, q) >= 0 and 0 <= entropy(p) <= np.log(len(z)) + 1e-12
    np.testing.assert_allclose(distribution_cross_entropy(p, q), -(p * np.log(q)).sum(), rtol=1e-10, atol=tol * 10)


def test_closed_forms():
    for n in (1, 2, 7, 50000):
        np.testing.assert_allclose(entropy(np.full(n, 1 / n)), np.log(n), rtol=1e-12)
    assert entropy(np.eye(4)[2]) == 0.0
    p = np.array([0.5, 0.5, 0.0])
    assert kl_divergence(p, p) == 0.0
    np.testing.assert_allclose(kl_divergence(np.array([1.0, 0.0]), np.array([0.5, 0.5])), np.log(2), rtol=1e-15)


def test_batched_axis_and_float32():
    rng = np.random.default_rng(1)
    P = softmax(rng.standard_normal((5, 9)), axis=0)
    np.testing.assert_allclose(entropy(P, axis=0), scipy.stats.entropy(P, axis=0), rtol=1e-12)
    p32 = softmax(rng.standard_normal(9).astype(np.float32))
    assert np.asarray(entropy(p32[None])).dtype == np.float32
    np.testing.assert_allclose(entropy(p32), scipy.stats.entropy(p32.astype(np.float64)), rtol=1e-5)


def test_cross_entropy_of_one_hot_is_the_token_loss():
    rng = np.random.default_rng(2)
    z = rng.standard_normal((6, 10))
    t = rng.integers(0, 10, 6)
    per_row = [distribution_cross_entropy(np.eye(10)[ti], softmax(zi)) for zi, ti in zip(z, t)]
    np.testing.assert_allclose(np.mean(per_row), cross_entropy(z, t), rtol=1e-12)


def test_kl_is_not_symmetric_and_tiny_q_does_not_overflow():
    p, q = np.array([0.5, 0.5]), np.array([0.9, 0.1])
    assert abs(kl_divergence(p, q) - kl_divergence(q, p)) > 0.1
    tiny = np.array([1 - 1e-300, 1e-300])
    np.testing.assert_allclose(kl_divergence(np.array([0.5, 0.5]), tiny), 0.5 * np.log(0.5 / 1e-300) + 0.5 * np.log(0.5),
                               rtol=1e-12)


@pytest.mark.parametrize("call, match", [
    (lambda: kl_divergence(np.array([0.5, 0.5]), np.array([1.0, 0.0])), "q is zero where p is positive .*index 1"),
    (lambda: kl_divergence(np.array([[0.5, 0.5]]), np.array([[1.0, 0.0]])), r"index \(0, 1\)"),
    (lambda: entropy(np.array([0.5, 0.6])), "sum to one"),
    (lambda: entropy(np.array([1.5, -0.5])), "negative"),
    (lambda: entropy(np.array([np.nan, 1.0])), "finite"),
    (lambda: entropy(np.array([])), "empty"),
    (lambda: kl_divergence(np.array([0.5, 0.5]), np.array([0.2, 0.3, 0.5])), "same shape"),
    (lambda: entropy(np.array(["a"])), "real numbers"),
])
def test_bad_input(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()
