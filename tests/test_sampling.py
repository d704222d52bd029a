"""top-k, top-p and sample_next: definitions checked by brute force, frequencies by a chi-square test."""

from __future__ import annotations


import numpy as np
import pytest
import scipy.stats
from _helpers import PROPERTY
from hypothesis import given
from hypothesis import strategies as st

from llmmath import sample_next, softmax, top_k_filter, top_p_filter

dists = st.lists(st.floats(-8, 8, allow_nan=False), min_size=1, max_size=7).map(lambda z: softmax(np.array(z)))


@PROPERTY
@given(dists, st.integers(1, 9))
def test_top_k_keeps_the_k_largest(p, k):
    out = top_k_filter(p, k)
    kept = out > 0
    assert kept.sum() == min(k, len(p)) or (p == 0).any()
    np.testing.assert_allclose(out.sum(), 1.0, rtol=1e-12)
    if kept.sum() < len(p):
        assert p[kept].min() >= p[~kept].max()
    np.testing.assert_allclose(out[kept], p[kept] / p[kept].sum(), rtol=1e-12)


@PROPERTY
@given(dists, st.floats(0.01, 1.0))
def test_top_p_is_the_smallest_nucleus(p, top):
    out = top_p_filter(p, top)
    kept = out > 0
    np.testing.assert_allclose(out.sum(), 1.0, rtol=1e-12)
    # Brute force: the smallest set of most probable tokens whose mass reaches p (up to rounding).
    order = np.argsort(-p, kind="stable")
    csum = np.cumsum(p[order])
    m = int(np.argmax(csum >= top - 1e-12)) + 1 if csum[-1] >= top - 1e-12 else len(p)
    m = max(1, min(m, int((p > 0).sum())))
    assert kept.sum() == m, (p, top, out)
    assert set(np.flatnonzero(kept)) == set(order[:m])


def test_worked_examples_and_edges():
    p = np.array([0.1, 0.5, 0.15, 0.25])
    np.testing.assert_allclose(top_p_filter(p, 0.75), [0, 2 / 3, 0, 1 / 3])      # 0.5 + 0.25 reaches 0.75
    np.testing.assert_allclose(top_p_filter(p, 0.76), [0, 0.5 / 0.9, 0.15 / 0.9, 0.25 / 0.9])
    np.testing.assert_allclose(top_p_filter(p, 1e-9), [0, 1, 0, 0])
    np.testing.assert_allclose(top_p_filter(p, 1.0), p)
    np.testing.assert_allclose(top_k_filter(p, 10), p)
    ties = np.full(4, 0.25)
    np.testing.assert_allclose(top_k_filter(ties, 2), [0.5, 0.5, 0, 0])      # lower index wins ties
    batch = np.stack([p, ties])
    np.testing.assert_allclose(top_k_filter(batch, 1), [[0, 1, 0, 0], [1, 0, 0, 0]])
    assert top_k_filter(p.astype(np.float32), 2).dtype == np.float32


def test_sample_next_frequencies():
    z = np.log(np.array([0.1, 0.5, 0.15, 0.25]))
    rng = np.random.default_rng(0)
    n = 20000
    for kwargs, expected in [({}, softmax(z)), ({"top_k": 2}, top_k_filter(softmax(z), 2)),
                             ({"top_p": 0.7}, top_p_filter(softmax(z), 0.7)),
                             ({"temperature": 2.0}, softmax(z, temperature=2.0))]:
        draws = np.bincount([sample_next(z, rng, **kwargs) for _ in range(n)], minlength=4)
        assert draws[expected == 0].sum() == 0
        nz = expected > 0
        if nz.sum() > 1:
            assert scipy.stats.chisquare(draws[nz], n * expected[nz]).pvalue > 1e-4
    assert sample_next(z, rng, temperature=0) == 1
    a = [sample_next(z, np.random.default_rng(5)) for _ in range(3)]
    assert len(set(a)) == 1  # the same seed gives the same draw


@pytest.mark.parametrize("call, match", [
    (lambda: top_k_filter(np.array([0.5, 0.5]), 0), "positive"),
    (lambda: top_k_filter(np.array([0.5, 0.5]), 1.5), "integer"),
    (lambda: top_p_filter(np.array([0.5, 0.5]), 0.0), r"\(0"),
    (lambda: top_p_filter(np.array([0.5, 0.5]), 1.2), r"1"),
    (lambda: top_p_filter(np.array([0.5, 0.6]), 0.5), "sum to one"),
    (lambda: top_k_filter(np.array([1.5, -0.5]), 1), "non-negative"),
    (lambda: sample_next(np.zeros(3), 0), "Generator"),
    (lambda: sample_next(np.zeros(3), np.random.default_rng(), temperature=-1), "temperature"),
    (lambda: sample_next(np.zeros((2, 3)), np.random.default_rng()), "1-D"),
    (lambda: sample_next(np.array([0.0, np.inf]), np.random.default_rng()), "finite"),
])
def test_bad_input(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()
