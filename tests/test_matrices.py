"""llmmath.linalg.matrices against independent references: PyTorch's linear layer, numpy's
determinant and product, scipy's convex hull; properties by hypothesis; a table of bad inputs."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from hypothesis import assume, given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.extra.numpy import arrays  # noqa: E402
from scipy.spatial import ConvexHull, QhullError  # noqa: E402

from llmmath.book import MatmulOps, matmul_op_count, naive_matmul, plot_linear_map  # noqa: E402
from llmmath.linalg import affine_to_homogeneous, grid_lines, matmul_flops, signed_area  # noqa: E402

finite = st.floats(-10, 10, allow_nan=False, allow_infinity=False, width=64)
sizes = st.integers(1, 6)


def matrix(rows, cols):
    return arrays(np.float64, (rows, cols), elements=finite)


UNIT_SQUARE = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])


# -- affine_to_homogeneous ------------------------------------------------------------

def test_homogeneous_matches_torch_linear():
    rng = np.random.default_rng(0)
    w = rng.standard_normal((5, 3)).astype(np.float32)
    b = rng.standard_normal(5).astype(np.float32)
    x = rng.standard_normal((7, 3)).astype(np.float32)
    reference = torch.nn.functional.linear(torch.from_numpy(x), torch.from_numpy(w), torch.from_numpy(b)).numpy()
    h = affine_to_homogeneous(w, b)
    assert h.dtype == np.float32 and h.shape == (6, 4)
    x1 = np.hstack([x, np.ones((7, 1), np.float32)])
    y1 = x1 @ h.T
    np.testing.assert_allclose(y1[:, :5], reference, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(y1[:, 5], 1.0)


@given(st.data(), sizes, sizes, sizes)
def test_homogeneous_composition_is_product(data, n_in, n_mid, n_out):
    w1, b1 = data.draw(matrix(n_mid, n_in)), data.draw(arrays(np.float64, n_mid, elements=finite))
    w2, b2 = data.draw(matrix(n_out, n_mid)), data.draw(arrays(np.float64, n_out, elements=finite))
    composed = affine_to_homogeneous(w2 @ w1, w2 @ b1 + b2)
    product = affine_to_homogeneous(w2, b2) @ affine_to_homogeneous(w1, b1)
    np.testing.assert_allclose(product, composed, rtol=1e-12, atol=1e-9)


def test_homogeneous_mixed_precision_is_float64():
    assert affine_to_homogeneous(np.eye(2, dtype=np.float32), np.zeros(2)).dtype == np.float64


# -- grid_lines -----------------------------------------------------------------------

@given(st.floats(0.1, 10), st.integers(2, 12), st.integers(2, 30))
def test_grid_lines_shape_and_geometry(extent, n_lines, n_points):
    lines = grid_lines(extent, n_lines, n_points)
    assert lines.shape == (2 * n_lines, n_points, 2)
    vertical, horizontal = lines[:n_lines], lines[n_lines:]
    assert np.all(np.ptp(vertical[..., 0], axis=1) == 0)     # constant x
    assert np.all(np.ptp(horizontal[..., 1], axis=1) == 0)   # constant y
    np.testing.assert_allclose(vertical[:, 0, 0], np.linspace(-extent, extent, n_lines))
    np.testing.assert_allclose([lines.min(), lines.max()], [-extent, extent])


# -- signed_area ----------------------------------------------------------------------

@given(matrix(2, 2))
def test_image_of_unit_square_has_area_det(a):
    np.testing.assert_allclose(signed_area(UNIT_SQUARE @ a.T), np.linalg.det(a), rtol=1e-9, atol=1e-9)


@given(arrays(np.float64, (8, 2), elements=finite))
def test_area_of_convex_hull_matches_scipy(points):
    try:
        hull = ConvexHull(points)
    except QhullError:   # degenerate (collinear) point sets have no 2-D hull
        hull = None
    assume(hull is not None)
    polygon = points[hull.vertices]          # counter-clockwise order in 2-D
    np.testing.assert_allclose(signed_area(polygon), hull.volume, rtol=1e-9)
    np.testing.assert_allclose(signed_area(polygon[::-1]), -hull.volume, rtol=1e-9)


def test_signed_area_batches():
    batch = np.stack([UNIT_SQUARE, 2 * UNIT_SQUARE, UNIT_SQUARE[::-1]])
    np.testing.assert_allclose(signed_area(batch), [1.0, 4.0, -1.0])


# -- plot_linear_map ------------------------------------------------------------------

def test_plot_linear_map_draws_the_image_of_the_square():
    a = np.array([[1.0, 0.5], [-0.3, 2.0]])
    ax = plot_linear_map(a, n_lines=5, title="t")
    assert ax.get_title() == "t"
    original, mapped = ax.collections             # the two grids
    np.testing.assert_allclose(np.array(original.get_segments()), grid_lines(2.0, 5))
    np.testing.assert_allclose(np.array(mapped.get_segments()), grid_lines(2.0, 5) @ a.T)
    (patch,) = ax.patches
    corners = patch.get_xy()[:4]
    np.testing.assert_allclose(corners, UNIT_SQUARE @ a.T)
    plt.close(ax.figure)


# -- flops and the naive product ------------------------------------------------------

@given(sizes, sizes, sizes, st.data())
def test_naive_matmul_matches_numpy(m, n, k, data):
    a, b = data.draw(matrix(m, n)), data.draw(matrix(n, k))
    np.testing.assert_allclose(naive_matmul(a, b), a @ b, rtol=1e-12, atol=1e-10)


@given(sizes, sizes, sizes, st.data())
def test_counted_operations_are_2mnk(m, n, k, data):
    a, b = data.draw(matrix(m, n)), data.draw(matrix(n, k))
    ops = matmul_op_count(a, b)
    assert isinstance(ops, MatmulOps)
    assert ops.multiplications == ops.additions == m * n * k
    assert ops.flops == matmul_flops(m, n, k)
    np.testing.assert_allclose(ops.product, a @ b, rtol=1e-12, atol=1e-10)


def test_float32_stays_float32():
    a = np.ones((2, 3), np.float32)
    assert naive_matmul(a, a.T).dtype == np.float32
    assert matmul_op_count(a, a.T).product.dtype == np.float32
    assert naive_matmul(a, a.T.astype(np.float64)).dtype == np.float64


def test_integer_input_becomes_float():
    out = naive_matmul([[1, 2]], [[3], [4]])
    assert out.dtype == np.float64 and out.tolist() == [[11.0]]


# -- bad inputs -----------------------------------------------------------------------

BAD = [
    (affine_to_homogeneous, (np.ones(3), np.ones(3)), ValueError, "weight must be 2-D"),
    (affine_to_homogeneous, (np.ones((2, 3)), np.ones(3)), ValueError, "bias must have length out_features"),
    (affine_to_homogeneous, (np.ones((2, 3)), np.ones((2, 1))), ValueError, "bias must be 1-D"),
    (affine_to_homogeneous, (np.full((2, 2), np.nan), np.ones(2)), ValueError, "weight must contain only finite"),
    (grid_lines, (0.0,), ValueError, "extent must be a positive"),
    (grid_lines, (1.0, 1), ValueError, "n_lines must be at least 2"),
    (grid_lines, (1.0, 3, 1), ValueError, "n_points must be at least 2"),
    (grid_lines, (1.0, 2.5), TypeError, "n_lines must be a positive integer"),
    (signed_area, (np.ones((2, 2)),), ValueError, "p >= 3"),
    (signed_area, (np.ones((4, 3)),), ValueError, r"shape \(\.\.\., p, 2\)"),
    (signed_area, (np.ones(4),), ValueError, "vertices must have at least 2"),
    (plot_linear_map, (np.eye(3),), ValueError, "a must be a 2 x 2 matrix"),
    (matmul_flops, (0, 2, 3), ValueError, "m must be a positive integer"),
    (matmul_flops, (2, 2.0, 3), TypeError, "n must be a positive integer"),
    (matmul_flops, (2, 2, -1), ValueError, "k must be a positive integer"),
    (naive_matmul, (np.ones((2, 3)), np.ones((2, 3))), ValueError, "a's columns must match b's rows"),
    (naive_matmul, (np.ones(3), np.ones((3, 1))), ValueError, "a must be 2-D"),
    (naive_matmul, (np.ones((1, 3)), np.array([["x"], ["y"], ["z"]])), TypeError, "b must be an array of real"),
    (matmul_op_count, (np.ones((2, 2)), np.full((2, 2), np.inf)), ValueError, "b must contain only finite"),
]


@pytest.mark.parametrize("func, args, error, message", BAD,
                         ids=[f"{f.__name__}-{i}" for i, (f, *_) in enumerate(BAD)])
def test_bad_inputs_raise_clear_errors(func, args, error, message):
    with pytest.raises(error, match=message):
        func(*args)
    plt.close("all")
