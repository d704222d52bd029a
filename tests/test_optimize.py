"""Optimisers against torch.optim, and numerical gradients against sympy."""

from __future__ import annotations

import numpy as np
import pytest
import sympy
import torch
from _helpers import PROPERTY, random_orthogonal
from hypothesis import assume, given
from hypothesis import strategies as st

from llmmath import adam, gradient_descent, numerical_gradient


def quadratic(d: int, seed: int, eigenvalues=None):
    """f(x) = x^T A x / 2 - b^T x with A symmetric positive definite; returns A, b, x* = A^-1 b."""
    rng = np.random.default_rng(seed)
    lam = rng.uniform(0.5, 5.0, d) if eigenvalues is None else np.asarray(eigenvalues, dtype=float)
    q = random_orthogonal(d, rng)
    a = (q * lam) @ q.T
    a = (a + a.T) / 2
    b = rng.standard_normal(d)
    return a, b, np.linalg.solve(a, b)


def torch_path(make_optimizer, a, b, x0, n_steps):
    """Iterates of a torch.optim optimiser on the same quadratic, gradients by autograd."""
    x = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    at, bt = torch.from_numpy(a), torch.from_numpy(b)
    opt = make_optimizer([x])
    path = [x.detach().numpy().copy()]
    for _ in range(n_steps):
        opt.zero_grad()
        loss = 0.5 * x @ at @ x - bt @ x
        loss.backward()
        opt.step()
        path.append(x.detach().numpy().copy())
    return np.array(path)


# --------------------------------------------------------------------------
# Reference comparisons with PyTorch
# --------------------------------------------------------------------------

@pytest.mark.parametrize("momentum", [0.0, 0.5, 0.9])
@pytest.mark.parametrize("lr", [0.01, 0.15])
def test_gradient_descent_matches_torch_sgd(momentum, lr):
    a, b, _ = quadratic(4, seed=1)
    x0 = np.array([1.0, -2.0, 0.5, 3.0])
    ours = gradient_descent(lambda x: a @ x - b, x0, lr=lr, n_steps=60, momentum=momentum)
    ref = torch_path(lambda p: torch.optim.SGD(p, lr=lr, momentum=momentum), a, b, x0, 60)
    assert ours.shape == (61, 4)
    np.testing.assert_allclose(ours, ref, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("lr, betas, eps", [(0.1, (0.9, 0.999), 1e-8), (0.03, (0.5, 0.9), 1e-6),
                                            (0.5, (0.0, 0.99), 1e-3)])
def test_adam_matches_torch_adam(lr, betas, eps):
    a, b, _ = quadratic(3, seed=2)
    x0 = np.array([2.0, -1.0, 0.25])
    ours = adam(lambda x: a @ x - b, x0, lr=lr, n_steps=80, beta1=betas[0], beta2=betas[1], eps=eps)
    ref = torch_path(lambda p: torch.optim.Adam(p, lr=lr, betas=betas, eps=eps), a, b, x0, 80)
    np.testing.assert_allclose(ours, ref, rtol=1e-10, atol=1e-12)


def test_adam_first_step_is_lr_times_sign():
    path = adam(lambda x: np.array([3.0, -0.001, 50.0]), np.zeros(3), lr=0.1, n_steps=1, eps=1e-12)
    np.testing.assert_allclose(path[1], [-0.1, 0.1, -0.1], rtol=1e-8)


def test_plain_gradient_descent_by_hand():
    path = gradient_descent(lambda x: 2 * x, np.array([1.0]), lr=0.25, n_steps=3)
    np.testing.assert_array_equal(path.ravel(), [1.0, 0.5, 0.25, 0.125])


def test_path_shape_and_start_for_matrix_parameters():
    x0 = np.arange(6.0).reshape(2, 3)
    for opt in (gradient_descent, adam):
        path = opt(lambda x: x, x0, lr=0.1, n_steps=4)
        assert path.shape == (5, 2, 3)
        np.testing.assert_array_equal(path[0], x0)


def test_zero_steps_returns_the_start():
    for opt in (gradient_descent, adam):
        np.testing.assert_array_equal(opt(lambda x: x, [1.0, 2.0], lr=0.1, n_steps=0), [[1.0, 2.0]])


def test_x0_is_not_modified():
    x0 = np.array([1.0, 2.0])
    gradient_descent(lambda x: x, x0, lr=0.1, n_steps=3, momentum=0.5)
    adam(lambda x: x, x0, lr=0.1, n_steps=3)
    np.testing.assert_array_equal(x0, [1.0, 2.0])


def test_float32_stays_float32():
    x0 = np.array([1.0, -1.0], dtype=np.float32)
    assert gradient_descent(lambda x: 2 * x, x0, lr=0.1, n_steps=3).dtype == np.float32
    assert adam(lambda x: 2 * x, x0, lr=0.1, n_steps=3).dtype == np.float32


# --------------------------------------------------------------------------
# numerical_gradient against sympy
# --------------------------------------------------------------------------

X0, X1, X2 = sympy.symbols("x0 x1 x2")
SYMPY_FUNCTIONS = {
    "sin-exp-cube": sympy.sin(X0) * sympy.exp(X1) + X2**3,
    "log-cos": sympy.log(1 + X0**2) * sympy.cos(X0 * X1) + X2,
    "logsumexp": sympy.log(sympy.exp(X0) + sympy.exp(X1) + sympy.exp(X2)),
    "polynomial-sqrt": X0**2 * X1 - 3 * X1**3 + sympy.sqrt(X2**2 + 1),
    "rational": (X0 - X1) / (1 + X0**2 + X2**2),
}


@pytest.mark.parametrize("name", list(SYMPY_FUNCTIONS))
def test_numerical_gradient_matches_sympy(name):
    expr = SYMPY_FUNCTIONS[name]
    symbols = (X0, X1, X2)
    f = sympy.lambdify(symbols, expr, "numpy")
    grads = [sympy.lambdify(symbols, sympy.diff(expr, s), "numpy") for s in symbols]
    rng = np.random.default_rng(3)
    for _ in range(5):
        point = rng.uniform(-1.5, 1.5, 3)
        expected = np.array([float(g(*point)) for g in grads])
        got = numerical_gradient(lambda x: f(*x), point)
        np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-7)


def test_numerical_gradient_keeps_the_shape_of_x():
    c = np.array([[1.0, -2.0], [0.5, 3.0]])
    x = np.array([[0.3, 1.0], [-2.0, 0.7]])
    got = numerical_gradient(lambda z: np.sum(c * z**2), x)
    assert got.shape == (2, 2)
    np.testing.assert_allclose(got, 2 * c * x, rtol=1e-7, atol=1e-8)


def test_numerical_gradient_is_float64_and_leaves_x_alone():
    x = np.array([1.0, 2.0], dtype=np.float32)
    got = numerical_gradient(lambda z: float(z @ z), x)
    assert got.dtype == np.float64
    np.testing.assert_array_equal(x, np.array([1.0, 2.0], dtype=np.float32))


# --------------------------------------------------------------------------
# Properties: the step-size threshold 2/L on a quadratic
# --------------------------------------------------------------------------

@st.composite
def quadratic_problem(draw):
    d = draw(st.integers(1, 4))
    eigenvalues = draw(st.lists(st.floats(0.5, 4.0), min_size=d, max_size=d))
    seed = draw(st.integers(0, 2**32 - 1))
    a, b, x_star = quadratic(d, seed, eigenvalues)
    x0 = np.random.default_rng(seed + 1).uniform(-3, 3, d)
    return a, b, x_star, x0, np.linalg.eigvalsh(a)


@PROPERTY
@given(quadratic_problem(), st.floats(0.05, 0.95))
def test_converges_below_two_over_L(problem, fraction):
    a, b, x_star, x0, lam = problem
    lr = fraction * 2 / lam.max()
    rate = np.max(np.abs(1 - lr * lam))  # the contraction factor of the error, < 1
    n_steps = int(np.ceil(np.log(1e-8) / np.log(max(rate, 1e-8))))
    path = gradient_descent(lambda x: a @ x - b, x0, lr=lr, n_steps=n_steps)
    errors = np.linalg.norm(path - x_star, axis=1)
    # each step shrinks the error by at least the rate, until rounding takes over
    big = errors[:-1] > 1e-10
    assert np.all(errors[1:][big] <= rate * errors[:-1][big] * (1 + 1e-9) + 1e-13)
    assert errors[-1] <= 1e-8 * errors[0] + 1e-10


@PROPERTY
@given(quadratic_problem(), st.floats(1.1, 3.0))
def test_diverges_above_two_over_L(problem, fraction):
    a, b, x_star, x0, lam = problem
    lr = fraction * 2 / lam.max()
    top = np.linalg.eigh(a)[1][:, -1]
    e0 = x0 - x_star
    assume(abs(top @ e0) > 1e-2 * np.linalg.norm(e0))
    growth = abs(1 - lr * lam.max())  # > 1 along the top eigenvector
    n_steps = int(np.ceil(np.log(1e6 * np.linalg.norm(e0) / abs(top @ e0)) / np.log(growth)))
    try:
        path = gradient_descent(lambda x: a @ x - b, x0, lr=lr, n_steps=n_steps)
    except ValueError as exc:  # overflow is reported clearly
        assert "diverged" in str(exc)
        return
    assert np.linalg.norm(path[-1] - x_star) > 1e3 * np.linalg.norm(e0)


def _quietly_doubling(x):
    with np.errstate(over="ignore"):  # the reference gradient 2x may itself overflow
        return 2 * x


@pytest.mark.parametrize("x0, n_steps", [(1.0, 1000), (5e307, 1), (5e307, 10), (1e150, 1000)],
                         ids=["slow-blowup", "overflow-on-last-step", "overflow-in-the-step", "fast-blowup"])
def test_overflowing_run_raises_clear_error(x0, n_steps):
    # f(x) = x^2 with lr = 10 > 2/L = 1: each step multiplies x by -19.
    with pytest.raises(ValueError, match=r"diverged.*smaller lr"):
        gradient_descent(_quietly_doubling, np.array([x0]), lr=10.0, n_steps=n_steps)


# --------------------------------------------------------------------------
# The bad-input table
# --------------------------------------------------------------------------

NAN, INF = float("nan"), float("inf")


def grad_id(x):
    return x


BAD_INPUTS = [
    pytest.param(gradient_descent, (grad_id, [1.0], 0.0, 5), {}, ValueError, r"lr must be a positive", id="gd-lr-zero"),
    pytest.param(gradient_descent, (grad_id, [1.0], -0.1, 5), {}, ValueError, r"lr must be a positive",
                 id="gd-lr-negative"),
    pytest.param(gradient_descent, (grad_id, [1.0], NAN, 5), {}, ValueError, r"lr must be a positive", id="gd-lr-nan"),
    pytest.param(gradient_descent, (grad_id, [1.0], INF, 5), {}, ValueError, r"lr must be a positive", id="gd-lr-inf"),
    pytest.param(gradient_descent, (grad_id, [1.0], "0.1", 5), {}, TypeError, r"lr must be a positive",
                 id="gd-lr-str"),
    pytest.param(gradient_descent, (grad_id, [1.0], 0.1, -1), {}, ValueError, r"n_steps must be a non-negative",
                 id="gd-n_steps-negative"),
    pytest.param(gradient_descent, (grad_id, [1.0], 0.1, 2.5), {}, TypeError, r"n_steps must be a non-negative",
                 id="gd-n_steps-float"),
    pytest.param(gradient_descent, (grad_id, [1.0], 0.1, 5), {"momentum": 1.0}, ValueError, r"momentum must lie in",
                 id="gd-momentum-one"),
    pytest.param(gradient_descent, (grad_id, [1.0], 0.1, 5), {"momentum": -0.1}, ValueError, r"momentum must lie in",
                 id="gd-momentum-negative"),
    pytest.param(gradient_descent, (grad_id, [1.0, NAN], 0.1, 5), {}, ValueError, r"x0 must contain only finite",
                 id="gd-x0-nan"),
    pytest.param(gradient_descent, (grad_id, [], 0.1, 5), {}, ValueError, r"x0 must not be empty", id="gd-x0-empty"),
    pytest.param(gradient_descent, (lambda x: np.ones(3), [1.0, 2.0], 0.1, 5), {}, ValueError,
                 r"grad must return an array of shape \(2,\)", id="gd-grad-shape"),
    pytest.param(gradient_descent, (lambda x: x * NAN, [1.0], 0.1, 5), {}, ValueError,
                 r"grad returned non-finite values at step 0", id="gd-grad-nan"),
    pytest.param(adam, (grad_id, [1.0], 0.0, 5), {}, ValueError, r"lr must be a positive", id="adam-lr-zero"),
    pytest.param(adam, (grad_id, [1.0], 0.1, -2), {}, ValueError, r"n_steps", id="adam-n_steps-negative"),
    pytest.param(adam, (grad_id, [1.0], 0.1, 5), {"beta1": 1.0}, ValueError, r"beta1 must lie in", id="adam-beta1"),
    pytest.param(adam, (grad_id, [1.0], 0.1, 5), {"beta2": -0.5}, ValueError, r"beta2 must lie in", id="adam-beta2"),
    pytest.param(adam, (grad_id, [1.0], 0.1, 5), {"eps": 0.0}, ValueError, r"eps must be a positive", id="adam-eps"),
    pytest.param(adam, (grad_id, [INF], 0.1, 5), {}, ValueError, r"x0 must contain only finite", id="adam-x0-inf"),
    pytest.param(adam, (lambda x: np.ones((1, 1)), [1.0], 0.1, 5), {}, ValueError, r"grad must return",
                 id="adam-grad-shape"),
    pytest.param(numerical_gradient, (lambda x: x @ x, [1.0]), {"eps": 0.0}, ValueError, r"eps must be a positive",
                 id="numgrad-eps-zero"),
    pytest.param(numerical_gradient, (lambda x: x @ x, [1.0]), {"eps": -1e-6}, ValueError, r"eps must be a positive",
                 id="numgrad-eps-negative"),
    pytest.param(numerical_gradient, (lambda x: x @ x, [NAN]), {}, ValueError, r"x must contain only finite",
                 id="numgrad-x-nan"),
    pytest.param(numerical_gradient, (lambda x: x @ x, []), {}, ValueError, r"x must not be empty",
                 id="numgrad-x-empty"),
    pytest.param(numerical_gradient, (lambda x: x, [1.0, 2.0]), {}, ValueError, r"f must return a finite scalar",
                 id="numgrad-f-vector"),
    pytest.param(numerical_gradient, (lambda x: NAN, [1.0]), {}, ValueError, r"f must return a finite scalar",
                 id="numgrad-f-nan"),
]


@pytest.mark.parametrize("func, args, kwargs, exc, match", BAD_INPUTS)
def test_bad_input(func, args, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        func(*args, **kwargs)
