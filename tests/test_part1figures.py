"""The plane pictures of the vectors chapter: they draw what they return, and
what they return is the math (projection, combination), checked against numpy."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from llmmath.book.part1figures import (  # noqa: E402
    overlapping_texts,
    plot_projection,
    plot_span,
)

coord = st.floats(-5, 5, allow_nan=False).filter(lambda t: abs(t) > 1e-3)


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


@settings(max_examples=30, deadline=None)
@given(coord, coord, coord, coord)
def test_projection_is_the_least_squares_multiple(a, b, c, d):
    x, y = np.array([a, b]), np.array([c, d])
    fig, ax = plt.subplots()
    try:
        p = plot_projection(ax, x, y)
    finally:
        plt.close(fig)
    t, *_ = np.linalg.lstsq(y[:, None], x, rcond=None)
    np.testing.assert_allclose(p, t[0] * y, rtol=1e-9, atol=1e-9)
    assert abs((x - p) @ y) <= 1e-9 * (np.linalg.norm(x) * np.linalg.norm(y) + 1)


def test_projection_at_a_right_angle_is_zero(ax):
    np.testing.assert_array_equal(plot_projection(ax, [-1.0, 3.0], [3.0, 1.0]), [0.0, 0.0])


@settings(max_examples=30, deadline=None)
@given(coord, coord, coord, coord, coord, coord)
def test_span_returns_the_combination(a, b, c, d, c1, c2):
    fig, ax = plt.subplots()
    try:
        y = plot_span(ax, [a, b], [c, d], (c1, c2))
    finally:
        plt.close(fig)
    np.testing.assert_allclose(y, np.array([[a, c], [b, d]]) @ [c1, c2])


def test_span_draws_a_grid_for_independent_and_a_line_for_parallel(ax):
    plot_span(ax, [2.0, 0.5], [0.5, 1.5], (1.0, 1.0))
    grid_lines = len(ax.lines)
    fig2, ax2 = plt.subplots()
    plot_span(ax2, [2.0, 0.5], [-1.0, -0.25], (1.0, 1.0))
    assert grid_lines > 10 and len(ax2.lines) < 5
    plt.close(fig2)


def test_the_chapter_figures_have_no_overlapping_text():
    fig, axes = plt.subplots(1, 3, figsize=(6.7, 2.7))
    for a, x in zip(axes, ([1.0, 2.0], [-1.0, 3.0], [-2.5, 1.0])):
        plot_projection(a, x, [3.0, 1.0], title="title")
    fig.tight_layout()
    assert overlapping_texts(fig) == []
    plt.close(fig)


@pytest.mark.parametrize("x, y, match", [
    ([0.0, 0.0], [1.0, 0.0], "x must be a non-zero vector"),
    ([1.0, 0.0], [0.0, 0.0], "y must be a non-zero vector"),
    ([1.0, 0.0, 2.0], [1.0, 0.0], r"x must be a vector of the plane, shape \(2,\); got shape \(3,\)"),
    ([1.0, np.nan], [1.0, 0.0], "x must be finite"),
])
def test_projection_bad_input(ax, x, y, match):
    with pytest.raises(ValueError, match=match):
        plot_projection(ax, x, y)


def test_span_bad_input(ax):
    with pytest.raises(ValueError, match=r"v must be a vector of the plane"):
        plot_span(ax, [1.0, 0.0], [[1.0, 0.0]], (1.0, 1.0))
