"""gradient_check against sympy-derived gradients and known-wrong ones."""

from __future__ import annotations

import numpy as np
import pytest
import sympy
from _helpers import PROPERTY
from hypothesis import given
from hypothesis import strategies as st

from llmmath import GradientCheck, gradient_check

x1, x2, x3 = sympy.symbols("x1 x2 x3")
EXPRESSIONS = [
    sympy.sin(x1) * sympy.exp(x2) + x3**3,
    sympy.log(1 + x1**2 + x2**2) * sympy.cos(x3),
    sympy.tanh(x1 * x2 - x3) ** 2,
    (x1 - 1) ** 2 + 100 * (x2 - x1**2) ** 2 + x3,          # Rosenbrock plus a linear term
]


def lambdified(expr):
    xs = (x1, x2, x3)
    f = sympy.lambdify([xs], expr, "numpy")
    g = sympy.lambdify([xs], [sympy.diff(expr, v) for v in xs], "numpy")
    return (lambda x: float(f(x))), (lambda x: np.array(g(x), dtype=float))


@pytest.mark.parametrize("k", range(len(EXPRESSIONS)))
def test_sympy_gradients_pass(k):
    f, g = lambdified(EXPRESSIONS[k])
    x = np.array([0.3, -0.7, 0.45])
    result = gradient_check(f, g, x)
    assert isinstance(result, GradientCheck) and result.passed
    # eps = 1e-6: truncation ~ eps^2 |f'''| ~ 1e-10, rounding ~ u |f| / eps ~ 1e-10
    assert result.relative_error < 1e-7
    np.testing.assert_allclose(result.analytic, g(x))


@pytest.mark.parametrize("k", range(len(EXPRESSIONS)))
def test_wrong_gradients_fail(k):
    f, g = lambdified(EXPRESSIONS[k])
    x = np.array([0.3, -0.7, 0.45])
    wrong = lambda x: g(x) + 0.1 * np.linalg.norm(g(x)) * np.eye(3)[2]   # noqa: E731
    result = gradient_check(f, wrong, x)
    assert not result.passed and result.relative_error > 1e-3


@PROPERTY
@given(a=st.floats(-3, 3), b=st.floats(-3, 3), scale=st.sampled_from([1e-150, 1.0, 1e150]))
def test_scale_invariant(a, b, scale):
    """Relative error does not depend on the units of f (and norms never overflow)."""
    x = np.array([a, b])
    r = gradient_check(lambda x: scale * np.sum(x**2 + 3 * x), lambda x: scale * (2 * x + 3), x, eps=1e-3)
    # f is quadratic: central differences are exact up to rounding
    assert r.relative_error < 1e-9


def test_zero_gradient_is_zero_error():
    r = gradient_check(lambda x: 1.0, lambda x: np.zeros_like(x), np.ones(3))
    assert r.relative_error == 0.0 and r.passed


BAD = [
    (dict(grad=lambda x: np.ones(2)), ValueError, r"shape \(3,\)"),
    (dict(grad=lambda x: np.full(3, np.nan)), ValueError, "non-finite"),
    (dict(x=np.array([1.0, np.inf, 0.0])), ValueError, "finite"),
    (dict(tol=0.0), ValueError, "tol must be a positive"),
    (dict(eps=-1.0), ValueError, "eps must be a positive"),
    (dict(x=np.array(["a", "b"])), TypeError, "real numbers"),
]


@pytest.mark.parametrize("override, error, message", BAD)
def test_bad_input(override, error, message):
    kwargs = dict(f=lambda x: float(np.sum(x**2)), grad=lambda x: 2 * x, x=np.ones(3)) | override
    with pytest.raises(error, match=message):
        gradient_check(**kwargs)
