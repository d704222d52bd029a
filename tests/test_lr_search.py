"""Learning-rate bisection against closed forms, scipy.optimize and PyTorch."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.optimize
import torch
from _helpers import PROPERTY, random_orthogonal
from hypothesis import given
from hypothesis import strategies as st

from llmmath import LRSearch, bisection_iterations, gradient_descent, largest_stable_lr, lr_for_target_loss


def quadratic(eigenvalues, seed=0):
    rng = np.random.default_rng(seed)
    q = random_orthogonal(len(eigenvalues), rng)
    a = (q * np.asarray(eigenvalues)) @ q.T
    return (a + a.T) / 2


def gd_stable(a, x0, steps=2000):
    """Stable: the loss after ``steps`` steps is below the start (a finite-horizon test)."""
    def is_stable(lr):
        with np.errstate(over="ignore", invalid="ignore"):
            try:
                x = gradient_descent(lambda x: a @ x, x0, lr=lr, n_steps=steps)[-1]
            except ValueError:          # overflow: diverged
                return False
            return bool(x @ a @ x < x0 @ a @ x0)
    return is_stable


@pytest.mark.parametrize("eigenvalues", [[1.0, 10.0], [0.5, 2.0, 3.0], [0.01, 100.0]])
@pytest.mark.parametrize("scale", ["log", "linear"])
def test_stability_edge_is_two_over_L(eigenvalues, scale):
    a = quadratic(eigenvalues)
    L = np.linalg.eigvalsh(a).max()
    x0 = np.ones(len(eigenvalues))
    tol = 1e-4 if scale == "log" else 1e-4 * 2 / L
    r = largest_stable_lr(gd_stable(a, x0), 1e-3 / L, 10 / L, tol=tol, scale=scale)
    assert isinstance(r, LRSearch)
    lo, hi = r.bracket
    # at lr = (2/L)(1 + d) the steep mode grows by (1 + 2d)^n: an n-step test cannot see
    # the edge closer than d ~ log(share of the steep mode) / 2n, a few 1e-3 here
    assert abs(lo - 2 / L) <= 3e-3 * 2 / L and abs(hi - 2 / L) <= 3e-3 * 2 / L
    assert (hi / lo - 1 <= tol * (1 + 1e-9)) if scale == "log" else (hi - lo <= tol * (1 + 1e-9))
    assert r.lr == lo
    assert r.n_evaluations == r.iterations + 2


def test_stability_edge_matches_torch_sgd():
    """The predicate evaluated by PyTorch's SGD gives the same edge."""
    a = quadratic([0.3, 4.0], seed=4)
    at = torch.from_numpy(a)

    def torch_stable(lr):
        x = torch.ones(2, dtype=torch.float64, requires_grad=True)
        opt = torch.optim.SGD([x], lr=lr)
        for _ in range(300):
            opt.zero_grad()
            (0.5 * x @ at @ x).backward()
            opt.step()
        v = float(x.detach() @ at @ x.detach())
        return math.isfinite(v) and v < float(torch.ones(2, dtype=torch.float64) @ at @ torch.ones(2, dtype=torch.float64))

    ours = largest_stable_lr(gd_stable(a, np.ones(2), steps=300), 0.01, 5.0, tol=1e-5)
    ref = largest_stable_lr(torch_stable, 0.01, 5.0, tol=1e-5)
    np.testing.assert_allclose(ours.bracket, ref.bracket, rtol=1e-12)


@pytest.mark.parametrize("k", [1, 5, 20])
@pytest.mark.parametrize("ratio", [0.5, 1e-2, 1e-6])
def test_target_loss_closed_form_and_brentq(k, ratio):
    # f(x) = L x^2 / 2 from x0: after k steps f = f0 (1 - lr L)^(2k); for lr < 1/L the root is
    # lr = (1 - ratio^(1/(2k))) / L
    L, x0 = 3.0, 2.0
    f0 = L * x0**2 / 2

    def loss_after(lr):
        return f0 * (1 - lr * L) ** (2 * k)

    target = ratio * f0
    exact = (1 - ratio ** (1 / (2 * k))) / L
    r = lr_for_target_loss(loss_after, target, 1e-6, 1 / L, tol=1e-10)
    ref = scipy.optimize.brentq(lambda lr: loss_after(lr) - target, 1e-6, 1 / L, xtol=1e-15)
    np.testing.assert_allclose(r.lr, exact, rtol=1e-9)
    np.testing.assert_allclose(r.lr, ref, rtol=1e-9)
    lo, hi = r.bracket
    assert lo <= exact * (1 + 1e-12) and exact <= hi * (1 + 1e-12)


@PROPERTY
@given(threshold=st.floats(1e-4, 1e3), tol=st.sampled_from([1e-2, 1e-5, 1e-9]))
def test_step_predicate_bracket_holds(threshold, tol):
    """Bisection on a yes/no test needs no continuity: only one flip in the bracket."""
    r = largest_stable_lr(lambda lr: lr < threshold, threshold / 100, threshold * 100, tol=tol)
    lo, hi = r.bracket
    assert lo < threshold <= hi * (1 + 1e-12)
    assert hi / lo - 1 <= tol * (1 + 1e-9)
    span = math.log(threshold * 100) - math.log(threshold / 100)
    assert r.iterations == bisection_iterations(0.0, span, math.log1p(tol))


BAD = [
    (lambda: largest_stable_lr(lambda lr: False, 0.1, 1.0), ValueError, "is_stable\\(lo\\) must be True"),
    (lambda: largest_stable_lr(lambda lr: True, 0.1, 1.0), ValueError, "is_stable\\(hi\\) must be False"),
    (lambda: largest_stable_lr(lambda lr: lr < 0.5, 1.0, 0.1), ValueError, "lo < hi"),
    (lambda: largest_stable_lr(lambda lr: lr < 0.5, -1.0, 1.0), ValueError, "lo must be a positive"),
    (lambda: largest_stable_lr(lambda lr: lr < 0.5, 0.1, 1.0, tol=0), ValueError, "tol must be"),
    (lambda: largest_stable_lr(lambda lr: lr < 0.5, 0.1, 1.0, scale="exp"), ValueError, "scale must be"),
    (lambda: lr_for_target_loss(lambda lr: 1.0, 0.5, 0.1, 1.0), ValueError, "opposite signs"),
    (lambda: lr_for_target_loss(lambda lr: 1 - lr, float("nan"), 0.1, 1.0), TypeError, "target"),
    (lambda: lr_for_target_loss(lambda lr: np.inf, 0.5, 0.1, 1.0), ValueError, "finite"),
]


@pytest.mark.parametrize("call, error, message", BAD)
def test_bad_input(call, error, message):
    with pytest.raises(error, match=message):
        call()
