"""Tests of llmmath.embeddings.neighbours: nearest neighbours and neighbour preservation."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.spatial.distance
from hypothesis import assume, given
from hypothesis import strategies as st
from sklearn.manifold import trustworthiness
from sklearn.neighbors import NearestNeighbors

from llmmath.embeddings.neighbours import nearest_neighbours, neighbour_preservation


def _brute_neighbours(X, k, metric="euclidean"):
    """k nearest other rows, by a plain double loop (ties to the lower index)."""
    X = np.asarray(X, dtype=np.float64)
    out = []
    for i in range(len(X)):
        dists = []
        for j in range(len(X)):
            if j == i:
                continue
            if metric == "euclidean":
                d = float(np.sqrt(np.sum((X[i] - X[j]) ** 2)))
            else:
                d = 1.0 - float(X[i] @ X[j]) / float(np.linalg.norm(X[i]) * np.linalg.norm(X[j]))
            dists.append((d, j))
        out.append([j for _, j in sorted(dists)[:k]])
    return np.array(out)


def _brute_preservation(X_high, X_low, k, metric="euclidean"):
    high = _brute_neighbours(X_high, k, metric)
    low = _brute_neighbours(X_low, k)
    return sum(len(set(h) & set(lo)) for h, lo in zip(high, low)) / (k * len(high))


def _well_separated(X, rel_gap=1e-6):
    """True if, for every point, its distances to the others are distinct by a margin."""
    D = scipy.spatial.distance.squareform(scipy.spatial.distance.pdist(X))
    np.fill_diagonal(D, np.inf)
    S = np.sort(D, axis=1)[:, :-1]
    return bool(np.all(np.diff(S, axis=1) > rel_gap * max(S.max(), 1e-300)))


def _ranks_are_unambiguous(X, k, metric="euclidean", rel_gap=1e-9):
    """True if every point's k+1 nearest distances differ by far more than rounding.

    Index equality with a reference is then a fact, not a coin flip: another CPU's
    kernels move each distance by a few ulps (about 1e-16 relative), far below the gap.
    """
    D = scipy.spatial.distance.cdist(X, X, metric=metric)
    np.fill_diagonal(D, np.inf)
    S = np.sort(D, axis=1)[:, : k + 1]
    return bool(np.all(np.diff(S, axis=1) > rel_gap * S.max()))


@st.composite
def point_clouds(draw, min_n=4, max_n=25):
    """A seeded Gaussian cloud in high dimension and a random linear map of it to low dimension."""
    n = draw(st.integers(min_n, max_n))
    d = draw(st.integers(2, 8))
    p = draw(st.integers(1, 3))
    rng = np.random.default_rng(draw(st.integers(0, 2**31)))
    X_high = rng.standard_normal((n, d))
    X_low = X_high @ rng.standard_normal((d, p)) + 0.3 * rng.standard_normal((n, p))
    k = draw(st.integers(1, n - 1))
    return X_high, X_low, k


# -- reference comparisons ------------------------------------------------------

@pytest.mark.parametrize("metric", ["euclidean", "cosine"])
@pytest.mark.parametrize("shape,k", [((30, 5), 1), ((60, 3), 7), ((200, 10), 15), ((1100, 4), 9)])
def test_nearest_neighbours_match_sklearn(shape, k, metric):
    X = np.random.default_rng(1).standard_normal(shape)
    ref = NearestNeighbors(n_neighbors=k + 1, metric=metric, algorithm="brute").fit(X)
    ind = ref.kneighbors(X, return_distance=False)[:, 1:]   # column 0 is the point itself
    assert _ranks_are_unambiguous(X, k, metric)
    np.testing.assert_array_equal(nearest_neighbours(X, k, metric=metric), ind)


def test_nearest_neighbours_break_ties_by_lower_index():
    # Small integer coordinates give exactly representable squared distances and many
    # exact ties: the lower index must win every one of them, as in the plain loop.
    X = np.unique(np.random.default_rng(2).integers(-3, 4, size=(40, 2)), axis=0).astype(float)
    np.testing.assert_array_equal(nearest_neighbours(X, 5), _brute_neighbours(X, 5))


@pytest.mark.parametrize("metric", ["euclidean", "cosine"])
def test_nearest_neighbours_match_brute_force_loop(metric):
    X = np.random.default_rng(6).standard_normal((45, 3))
    assert _ranks_are_unambiguous(X, 6, metric)
    np.testing.assert_array_equal(nearest_neighbours(X, 6, metric=metric), _brute_neighbours(X, 6, metric))


@pytest.mark.parametrize("metric", ["euclidean", "cosine"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_preservation_matches_brute_force_loop(seed, metric):
    rng = np.random.default_rng(seed)
    X_high = rng.standard_normal((50, 6))
    X_low = X_high[:, :2] + 0.5 * rng.standard_normal((50, 2))
    for k in (1, 3, 10, 49):   # k = 49: every other point, so no ranking is involved
        assert k == 49 or (_ranks_are_unambiguous(X_high, k, metric) and _ranks_are_unambiguous(X_low, k))
        assert neighbour_preservation(X_high, X_low, k, metric=metric) == pytest.approx(
            _brute_preservation(X_high, X_low, k, metric), abs=1e-15)


def test_preservation_spans_more_than_one_block_of_rows():
    rng = np.random.default_rng(3)
    X_high = rng.standard_normal((1300, 5))       # more rows than the 512-row blocks
    X_low = X_high[:, :2]
    high = NearestNeighbors(n_neighbors=11, algorithm="brute").fit(X_high).kneighbors(X_high, return_distance=False)
    low = NearestNeighbors(n_neighbors=11, algorithm="brute").fit(X_low).kneighbors(X_low, return_distance=False)
    expected = np.mean([len(set(h[1:]) & set(lo[1:])) / 10 for h, lo in zip(high, low)])
    assert neighbour_preservation(X_high, X_low, 10) == pytest.approx(expected, abs=1e-15)


@given(point_clouds(min_n=8))
def test_relation_to_sklearn_trustworthiness(cloud):
    # Trustworthiness charges each intruder (a map neighbour that is not among the k
    # original neighbours) its original rank minus k, which lies in [1, n - 1 - k]; with
    # P the preservation score there are n k (1 - P) intruders, hence
    #   2 (1 - P) / (2n - 3k - 1)  <=  1 - T  <=  2 (1 - P) (n - 1 - k) / (2n - 3k - 1).
    X_high, X_low, _ = cloud
    assume(_well_separated(X_high) and _well_separated(X_low))
    n = len(X_high)
    for k in range(1, (n - 1) // 2):             # sklearn needs k < n / 2
        P = neighbour_preservation(X_high, X_low, k)
        T = trustworthiness(X_high, X_low, n_neighbors=k)
        scale = 2 * (1 - P) / (2 * n - 3 * k - 1)
        assert scale - 1e-12 <= 1 - T <= scale * (n - 1 - k) + 1e-12
        assert (P == 1.0) == (T == pytest.approx(1.0, abs=1e-12))


# -- properties -------------------------------------------------------------------

@given(point_clouds(), st.sampled_from(["euclidean", "cosine"]))
def test_identity_embedding_scores_one(cloud, metric):
    X_high, _, k = cloud
    assert neighbour_preservation(X_high, X_high, k, metric=metric, metric_low=metric) == 1.0


@given(point_clouds(), st.sampled_from(["euclidean", "cosine"]))
def test_score_lies_in_unit_interval_and_on_the_k_grid(cloud, metric):
    X_high, X_low, k = cloud
    P = neighbour_preservation(X_high, X_low, k, metric=metric)
    assert 0.0 <= P <= 1.0
    n = len(X_high)
    assert P * n * k == pytest.approx(round(P * n * k), abs=1e-9)   # a count of shared neighbours


@given(point_clouds(), st.floats(1e-3, 1e3), st.integers(0, 2**31))
def test_invariant_to_rotation_scaling_and_translation_of_the_map(cloud, scale, seed):
    X_high, X_low, k = cloud
    assume(_well_separated(X_low, rel_gap=1e-6))
    rng = np.random.default_rng(seed)
    p = X_low.shape[1]
    Q, _ = np.linalg.qr(rng.standard_normal((p, p)))
    moved = scale * X_low @ Q + rng.standard_normal(p)
    assert neighbour_preservation(X_high, moved, k) == neighbour_preservation(X_high, X_low, k)


@given(point_clouds(), st.integers(0, 2**31))
def test_invariant_to_reordering_the_points(cloud, seed):
    X_high, X_low, k = cloud
    assume(_well_separated(X_high) and _well_separated(X_low))
    perm = np.random.default_rng(seed).permutation(len(X_high))
    assert neighbour_preservation(X_high[perm], X_low[perm], k) == pytest.approx(
        neighbour_preservation(X_high, X_low, k), abs=1e-15)


@given(point_clouds())
def test_cosine_equals_euclidean_on_unit_rows(cloud):
    X_high, X_low, k = cloud
    unit = X_high / np.linalg.norm(X_high, axis=1, keepdims=True)
    assume(_well_separated(unit))
    assert neighbour_preservation(X_high, X_low, k, metric="cosine") == neighbour_preservation(unit, X_low, k)


@given(point_clouds())
def test_all_other_points_are_neighbours_when_k_is_n_minus_1(cloud):
    X_high, X_low, _ = cloud
    assert neighbour_preservation(X_high, X_low, len(X_high) - 1) == 1.0


def test_random_map_keeps_about_k_over_n_minus_1():
    rng = np.random.default_rng(4)
    n, k = 2000, 10
    P = neighbour_preservation(rng.standard_normal((n, 5)), rng.standard_normal((n, 2)), k)
    assert P == pytest.approx(k / (n - 1), rel=0.15)


def test_float32_input_is_accepted():
    X = np.random.default_rng(5).standard_normal((40, 4)).astype(np.float32)
    assert neighbour_preservation(X, X[:, :2], 5) == neighbour_preservation(X.astype(np.float64), X[:, :2], 5)
    assert nearest_neighbours(X, 3).shape == (40, 3)


# -- bad inputs -----------------------------------------------------------------

X6 = np.arange(12.0).reshape(6, 2)
X6_ZERO = np.vstack([np.zeros((1, 2)), X6[1:]])        # its first row is the zero vector


@pytest.mark.parametrize("kwargs,error,match", [
    (dict(X_high=np.arange(6.0), X_low=X6), ValueError, "X_high must be 2-D"),
    (dict(X_high=X6, X_low=np.arange(6.0)), ValueError, "X_low must be 2-D"),
    (dict(X_high=X6, X_low=X6[:5]), ValueError, "X_low must have one row per row of X_high"),
    (dict(X_high=X6, X_low=X6, k=0), ValueError, "k must be a positive integer"),
    (dict(X_high=X6, X_low=X6, k=6), ValueError, "k must be at most n - 1 = 5"),
    (dict(X_high=X6, X_low=X6, k=2.5), TypeError, "k must be a positive integer"),
    (dict(X_high=X6, X_low=X6, k=True), TypeError, "k must be a positive integer"),
    (dict(X_high=X6, X_low=X6, metric="manhattan"), ValueError, "metric must be one of"),
    (dict(X_high=X6, X_low=X6, metric_low=2), ValueError, "metric_low must be one of"),
    (dict(X_high=np.where(X6 == 3.0, np.nan, X6), X_low=X6), ValueError, "X_high must contain only finite"),
    (dict(X_high=X6, X_low=np.where(X6 == 3.0, np.inf, X6)), ValueError, "X_low must contain only finite"),
    (dict(X_high=X6_ZERO, X_low=X6, metric="cosine"), ValueError, "X_high contains a zero vector"),
    (dict(X_high=X6, X_low=X6_ZERO, metric_low="cosine"), ValueError, "X_low contains a zero vector"),
    (dict(X_high=[["a", "b"]] * 6, X_low=X6), TypeError, "X_high must be an array of real numbers"),
    (dict(X_high=np.empty((0, 2)), X_low=np.empty((0, 2))), ValueError, "X_high must not be empty"),
    (dict(X_high=X6[:1], X_low=X6[:1], k=1), ValueError, "k must be at most n - 1 = 0"),
])
def test_bad_inputs_raise_clear_errors(kwargs, error, match):
    kwargs.setdefault("k", 2)
    with pytest.raises(error, match=match):
        neighbour_preservation(**kwargs)


@pytest.mark.parametrize("args,error,match", [
    ((np.arange(5.0),), ValueError, "X must be 2-D"),
    ((X6, 0), ValueError, "k must be a positive integer"),
    ((X6, 6), ValueError, "k must be at most n - 1"),
    ((X6, 2, "cityblock"), ValueError, "metric must be one of"),
    ((np.zeros((3, 2)), 1, "cosine"), ValueError, "X contains a zero vector"),
])
def test_nearest_neighbours_bad_inputs(args, error, match):
    with pytest.raises(error, match=match):
        nearest_neighbours(*args)


@given(st.integers(1, 6), st.integers(2, 15), st.integers(0, 3), st.integers(0, 2**31))
def test_partial_selection_equals_a_stable_sort_even_with_ties(rows, cols, levels, seed):
    # The fast selection behind nearest_neighbours must pick exactly what a full stable
    # sort picks, in the same order, including when many distances are equal.
    from llmmath.embeddings import top_k_indices

    rng = np.random.default_rng(seed)
    D = rng.integers(0, levels + 1, size=(rows, cols)).astype(float)
    D[:, rng.integers(cols)] = np.inf                 # the diagonal of a distance block
    for k in range(1, cols):
        np.testing.assert_array_equal(top_k_indices(D, k, largest=False),
                                      np.argsort(D, axis=1, kind="stable")[:, :k])
        # The largest, by the same rule: ties to the lower index.
        np.testing.assert_array_equal(top_k_indices(D, k), np.argsort(-D, axis=1, kind="stable")[:, :k])
