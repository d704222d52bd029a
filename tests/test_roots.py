"""Bisection against scipy.optimize, and the halving it promises."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.optimize
from _helpers import PROPERTY
from hypothesis import assume, given
from hypothesis import strategies as st

from llmmath import BisectionResult, bisection, bisection_iterations

FUNCTIONS = {
    "sqrt2": (lambda x: x**2 - 2, 0.0, 2.0),
    "cos-fixed-point": (lambda x: math.cos(x) - x, 0.0, 1.0),
    "cubic": (lambda x: x**3 - x - 2, 1.0, 2.0),
    "log3": (lambda x: math.exp(x) - 3, -1.0, 2.0),
    "tanh-decreasing": (lambda x: -math.tanh(x - 0.3), -5.0, 5.0),
    "steep": (lambda x: math.atan(1e4 * (x - 1 / 3)), 0.0, 1.0),
}


# --------------------------------------------------------------------------
# Reference comparisons
# --------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(FUNCTIONS))
@pytest.mark.parametrize("tol", [1e-3, 1e-8, 1e-12])
def test_matches_scipy_bisect(name, tol):
    f, a, b = FUNCTIONS[name]
    result = bisection(f, a, b, tol=tol)
    assert isinstance(result, BisectionResult)
    assert result.converged
    reference = scipy.optimize.bisect(f, a, b, xtol=tol / 4, rtol=4 * np.finfo(float).eps)
    true_root = scipy.optimize.brentq(f, a, b, xtol=1e-15, rtol=4 * np.finfo(float).eps)
    # The midpoint of a bracket no wider than tol is within tol/2 of the root.
    assert abs(result.root - true_root) <= tol / 2 + 4 * np.spacing(abs(true_root) + 1)
    assert abs(result.root - reference) <= tol
    assert result.iterations == bisection_iterations(a, b, tol)
    lo, hi = result.brackets[-1]
    assert lo <= true_root <= hi
    assert hi - lo <= tol


def test_docstring_example_counts():
    r = bisection(lambda x: x**2 - 2, 0.0, 2.0, tol=1e-6)
    assert r.iterations == 21 == math.ceil(math.log2(2.0 / 1e-6))
    assert r.n_evaluations == 23
    assert r.brackets.shape == (22, 2)
    assert r.root == pytest.approx(math.sqrt(2), abs=5e-7)


def test_exact_zero_at_a_midpoint_stops_early():
    r = bisection(lambda x: x, -1.0, 3.0, tol=1e-9)  # midpoints 1, then 0
    assert (r.root, r.iterations, r.converged, r.n_evaluations) == (0.0, 2, True, 4)
    np.testing.assert_array_equal(r.brackets[-1], [0.0, 0.0])


@pytest.mark.parametrize("a, b, expected", [(2.0, 5.0, 2.0), (-3.0, 2.0, 2.0)], ids=["root-at-a", "root-at-b"])
def test_root_at_an_end(a, b, expected):
    r = bisection(lambda x: x - 2.0, a, b)
    assert (r.root, r.iterations, r.converged, r.n_evaluations) == (expected, 0, True, 2)


def test_max_iter_stops_without_converging():
    r = bisection(lambda x: x**2 - 2, 0.0, 2.0, tol=1e-12, max_iter=10)
    assert not r.converged
    assert r.iterations == 10 and r.n_evaluations == 12
    lo, hi = r.brackets[-1]
    assert hi - lo == 2.0 / 2**10
    assert lo <= math.sqrt(2) <= hi


def test_stops_at_adjacent_floats():
    # A tolerance below the spacing of floats near the root cannot be met.
    r = bisection(lambda x: x**2 - 2, 1.0, 2.0, tol=1e-300)
    lo, hi = r.brackets[-1]
    assert not r.converged
    assert hi == np.nextafter(lo, np.inf)
    assert abs(r.root - math.sqrt(2)) <= 2 * np.spacing(math.sqrt(2))


def test_integer_ends_and_numpy_scalars():
    r = bisection(lambda x: x - 0.5, np.int64(0), np.float32(1.0), tol=1e-6)
    assert r.root == pytest.approx(0.5, abs=1e-6)


# --------------------------------------------------------------------------
# bisection_iterations
# --------------------------------------------------------------------------

@pytest.mark.parametrize("a, b, tol, expected", [
    (0.0, 1.0, 1e-3, 10), (0.0, 1.0, 0.5, 1), (0.0, 1.0, 1.0, 0), (0.0, 1.0, 2.0, 0),
    (0.0, 8.0, 1.0, 3), (0.0, 1.0, 2.0**-20, 20), (-1.0, 1.0, 1e-10, 35), (0.0, 2.0, 1e-6, 21),
])
def test_bisection_iterations_table(a, b, tol, expected):
    assert bisection_iterations(a, b, tol) == expected


@PROPERTY
@given(st.floats(-1e6, 1e6), st.floats(1e-6, 1e6), st.floats(1e-12, 1e3))
def test_bisection_iterations_is_the_least_sufficient_count(a, width, tol):
    b = a + width
    assume(b > a)
    n = bisection_iterations(a, b, tol)
    assert math.ldexp(b - a, -n) <= tol  # enough
    assert n == 0 or math.ldexp(b - a, -(n - 1)) > tol  # and not one more than needed
    log = math.log2((b - a) / tol)
    if abs(log - round(log)) > 1e-9:  # away from exact powers of two, the closed form agrees
        assert n == max(0, math.ceil(log))


# --------------------------------------------------------------------------
# Properties of the iteration
# --------------------------------------------------------------------------

@st.composite
def bracketed_problem(draw):
    a = draw(st.floats(-100.0, 99.0))
    b = a + draw(st.floats(1e-3, 100.0))
    root = a + (b - a) * draw(st.floats(0.01, 0.99))
    assume(a < root < b)
    sign = draw(st.sampled_from([1.0, -1.0]))
    kind = draw(st.sampled_from(["linear", "cubic", "tanh"]))
    tol = (b - a) * draw(st.floats(1e-12, 0.9))
    assume(tol >= 1e-12 * (abs(a) + abs(b) + 1))
    return a, b, root, sign, kind, tol


def _make(root, sign, kind):
    calls = []

    def f(x):
        d = x - root
        y = sign * (d if kind == "linear" else d**3 + d if kind == "cubic" else math.tanh(d))
        calls.append((x, y))
        return y
    return f, calls


@PROPERTY
@given(bracketed_problem())
def test_bracket_halves_and_keeps_the_root(problem):
    a, b, root, sign, kind, tol = problem
    f, calls = _make(root, sign, kind)
    r = bisection(f, a, b, tol=tol)
    hit_zero = any(y == 0 for _, y in calls)
    assume(not hit_zero)

    brackets = r.brackets
    lo, hi = brackets[:, 0], brackets[:, 1]
    widths = hi - lo
    assert brackets[0].tolist() == [a, b]
    assert np.all(widths > 0)
    # Each step halves the bracket, up to the rounding of the midpoint.
    spacing = np.spacing(np.maximum(np.abs(lo[:-1]), np.abs(hi[:-1])))
    assert np.all(np.abs(widths[1:] - widths[:-1] / 2) <= 2 * spacing)
    np.testing.assert_allclose(widths[1:] / widths[:-1], 0.5, rtol=1e-3)
    # Nested brackets, and a sign change at every one: the root stays inside.
    assert np.all(lo[1:] >= lo[:-1]) and np.all(hi[1:] <= hi[:-1])
    values = {x: y for x, y in calls}
    assert all(np.sign(values[l]) * np.sign(values[h]) < 0 for l, h in brackets)
    assert np.all((lo < root) & (root < hi))
    # The promised count: ceil(log2((b - a) / tol)) halvings, two more evaluations.
    assert r.iterations == bisection_iterations(a, b, tol)
    log = math.log2((b - a) / tol)
    if abs(log - round(log)) > 1e-9:  # (exactly at a power of two, log2's rounding decides)
        assert r.iterations == max(0, math.ceil(log))
    assert r.n_evaluations == r.iterations + 2 == len(calls)
    assert r.converged and widths[-1] <= tol
    assert abs(r.root - (lo[-1] + hi[-1]) / 2) <= np.spacing(abs(r.root) + 1)


# --------------------------------------------------------------------------
# The bad-input table
# --------------------------------------------------------------------------

NAN, INF = float("nan"), float("inf")


def sq2(x):
    return x * x - 2


BAD_INPUTS = [
    pytest.param(bisection, (sq2, 2.0, 0.0), {}, ValueError, r"a < b, got a=2.0, b=0.0", id="a-greater-than-b"),
    pytest.param(bisection, (sq2, 1.0, 1.0), {}, ValueError, r"a < b", id="a-equals-b"),
    pytest.param(bisection, (sq2, 2.0, 3.0), {}, ValueError, r"f\(a\) and f\(b\) must have opposite signs",
                 id="no-sign-change"),
    pytest.param(bisection, (sq2, -2.0, 2.0), {}, ValueError, r"opposite signs", id="two-roots-no-sign-change"),
    pytest.param(bisection, (sq2, 0.0, 2.0), {"tol": 0.0}, ValueError, r"tol must be a positive", id="tol-zero"),
    pytest.param(bisection, (sq2, 0.0, 2.0), {"tol": -1e-6}, ValueError, r"tol must be a positive",
                 id="tol-negative"),
    pytest.param(bisection, (sq2, 0.0, 2.0), {"tol": NAN}, ValueError, r"tol must be a positive", id="tol-nan"),
    pytest.param(bisection, (sq2, 0.0, 2.0), {"max_iter": 0}, ValueError, r"max_iter must be a positive",
                 id="max_iter-zero"),
    pytest.param(bisection, (sq2, 0.0, 2.0), {"max_iter": 10.5}, TypeError, r"max_iter must be a positive integer",
                 id="max_iter-float"),
    pytest.param(bisection, (sq2, NAN, 2.0), {}, ValueError, r"\ba must be finite", id="a-nan"),
    pytest.param(bisection, (sq2, 0.0, INF), {}, ValueError, r"\bb must be finite", id="b-inf"),
    pytest.param(bisection, (sq2, "0", 2.0), {}, TypeError, r"\ba must be a real number", id="a-str"),
    pytest.param(bisection, (sq2, 0.0, True), {}, TypeError, r"\bb must be a real number", id="b-bool"),
    pytest.param(bisection, (lambda x: math.log(x) if x > 0 else NAN, 0.0, 2.0), {}, ValueError,
                 r"f returned nan at x=0.0", id="f-nan-at-a"),
    pytest.param(bisection, (lambda x: np.array([x, x]), 0.0, 2.0), {}, ValueError, r"f must return a finite scalar",
                 id="f-vector"),
    pytest.param(bisection_iterations, (0.0, 1.0, 0.0), {}, ValueError, r"tol must be a positive",
                 id="iterations-tol-zero"),
    pytest.param(bisection_iterations, (0.0, 1.0, -1e-3), {}, ValueError, r"tol must be a positive",
                 id="iterations-tol-negative"),
    pytest.param(bisection_iterations, (1.0, 0.0, 1e-3), {}, ValueError, r"a < b", id="iterations-a-greater-than-b"),
    pytest.param(bisection_iterations, (NAN, 1.0, 1e-3), {}, ValueError, r"\ba must be finite", id="iterations-a-nan"),
    pytest.param(bisection_iterations, (0.0, INF, 1e-3), {}, ValueError, r"\bb must be finite", id="iterations-b-inf"),
]


@pytest.mark.parametrize("func, args, kwargs, exc, match", BAD_INPUTS)
def test_bad_input(func, args, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        func(*args, **kwargs)
