r"""Training as optimisation: gradient descent, momentum and Adam.

Each optimiser takes a gradient function and a starting point and returns the
whole path of iterates, so that a chapter can plot it. :func:`numerical_gradient`
checks a hand-derived gradient against central differences.

The user's function is called with a fresh array each time, which it may
keep or modify without changing the iteration; what it returns must be real
and finite, of the right shape, or a ``TypeError``/``ValueError`` names it.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .._validation import (
    as_float_array,
    check_callable,
    check_in_range,
    check_nonnegative_int,
    check_positive,
    real_result,
)

__all__ = ["gradient_descent", "adam", "numerical_gradient"]


def _call_grad(grad: Callable, x: np.ndarray, step: int) -> np.ndarray:
    """``grad`` at a copy of ``x`` (it may keep or edit its argument), checked."""
    try:
        return real_result(grad(x.copy()), "grad", f"step {step}", shape=x.shape)
    except ValueError as exc:
        if "non-finite" not in str(exc):
            raise
        raise ValueError(
            f"grad returned non-finite values at step {step}: the iteration diverged "
            "(try a smaller lr) or grad is undefined there"
        ) from None


def _start(grad, x0, lr, n_steps) -> tuple[np.ndarray, float, int, np.ndarray]:
    check_callable(grad, "grad")
    x = as_float_array(x0, "x0").copy()
    lr = check_positive(lr, "lr")
    n_steps = check_nonnegative_int(n_steps, "n_steps")
    path = np.empty((n_steps + 1, *x.shape), dtype=x.dtype)
    path[0] = x
    return x, lr, n_steps, path


def gradient_descent(grad: Callable, x0, lr: float, n_steps: int, momentum: float = 0.0) -> np.ndarray:
    r"""Gradient descent, optionally with heavy-ball momentum.

    .. math::

        \mathbf{v}_{t+1} = \mu \mathbf{v}_t + \nabla f(\mathbf{x}_t), \qquad
        \mathbf{x}_{t+1} = \mathbf{x}_t - \eta\, \mathbf{v}_{t+1},
        \qquad \mathbf{v}_0 = \mathbf{0},

    the form PyTorch's ``SGD(momentum=mu)`` uses. With :math:`\mu = 0` it is
    plain gradient descent, :math:`\mathbf{x}_{t+1} = \mathbf{x}_t - \eta\nabla f(\mathbf{x}_t)`.
    On a quadratic whose Hessian has largest eigenvalue :math:`L`, plain
    descent converges exactly when :math:`0 < \eta < 2/L`.

    Parameters
    ----------
    grad : callable
        ``grad(x)`` returns :math:`\nabla f(\mathbf{x})`, an array shaped like ``x``.
    x0 : array_like
        Starting point (any shape).
    lr : float
        Learning rate :math:`\eta > 0`.
    n_steps : int
        Number of updates.
    momentum : float, default 0.0
        :math:`\mu \in [0, 1)`.

    Returns
    -------
    numpy.ndarray, shape (n_steps + 1, *x0.shape)
        The iterates :math:`\mathbf{x}_0, \dots, \mathbf{x}_{n}`.

    Raises
    ------
    ValueError
        On bad arguments, or if ``grad`` returns a wrong shape or non-finite
        values (an iteration that diverged to overflow).

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath import gradient_descent
    >>> path = gradient_descent(lambda x: 2 * x, np.array([1.0]), lr=0.25, n_steps=3)
    >>> path.ravel()   # f(x) = x^2: each step halves x
    array([1.   , 0.5  , 0.25 , 0.125])
    """
    x, lr, n_steps, path = _start(grad, x0, lr, n_steps)
    mu = check_in_range(momentum, "momentum", 0.0, 1.0)
    velocity = np.zeros_like(x)
    for t in range(n_steps):
        g = _call_grad(grad, x, t)
        with np.errstate(over="ignore", invalid="ignore"):
            velocity *= mu
            velocity += g
            x -= lr * velocity
        if not np.isfinite(x).all():
            raise ValueError(f"the iterate overflowed at step {t}: the iteration diverged (try a smaller lr)")
        path[t + 1] = x
    return path


def adam(grad: Callable, x0, lr: float, n_steps: int, beta1: float = 0.9, beta2: float = 0.999,
         eps: float = 1e-8) -> np.ndarray:
    r"""Adam (Kingma and Ba, 2015), with bias correction.

    .. math::

        \mathbf{m}_t &= \beta_1 \mathbf{m}_{t-1} + (1 - \beta_1)\mathbf{g}_t, &
        \mathbf{v}_t &= \beta_2 \mathbf{v}_{t-1} + (1 - \beta_2)\mathbf{g}_t^{2},\\
        \hat{\mathbf{m}}_t &= \mathbf{m}_t / (1 - \beta_1^t), &
        \hat{\mathbf{v}}_t &= \mathbf{v}_t / (1 - \beta_2^t),\\
        \mathbf{x}_t &= \mathbf{x}_{t-1} - \eta\,
        \hat{\mathbf{m}}_t / (\sqrt{\hat{\mathbf{v}}_t} + \epsilon),

    with :math:`\mathbf{g}_t = \nabla f(\mathbf{x}_{t-1})`, squares and roots
    taken element-wise, and :math:`\mathbf{m}_0 = \mathbf{v}_0 = \mathbf{0}`.

    Parameters
    ----------
    grad : callable
        ``grad(x)`` returns the gradient at ``x``.
    x0 : array_like
        Starting point.
    lr : float
        Step size :math:`\eta > 0`.
    n_steps : int
        Number of updates.
    beta1, beta2 : float
        Decay rates of the moment estimates, in [0, 1).
    eps : float, default 1e-8
        Added to the denominator; :math:`\epsilon > 0`.

    Returns
    -------
    numpy.ndarray, shape (n_steps + 1, *x0.shape)

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath import adam
    >>> adam(lambda x: 2 * x, np.array([1.0]), lr=0.1, n_steps=1).ravel()  # first step is lr * sign(g)
    array([1. , 0.9])
    """
    x, lr, n_steps, path = _start(grad, x0, lr, n_steps)
    beta1 = check_in_range(beta1, "beta1", 0.0, 1.0)
    beta2 = check_in_range(beta2, "beta2", 0.0, 1.0)
    eps = check_positive(eps, "eps")
    m = np.zeros_like(x)
    v = np.zeros_like(x)
    for t in range(1, n_steps + 1):
        g = _call_grad(grad, x, t - 1)
        m *= beta1
        m += (1 - beta1) * g
        v *= beta2
        with np.errstate(over="ignore"):     # g^2 may overflow; checked next
            v += (1 - beta2) * g * g
        if not np.isfinite(v).all():
            raise ValueError(
                f"grad's square overflows at step {t - 1} (|g| above about 1e154): Adam's second "
                "moment estimate leaves the float range; rescale the objective"
            )
        m_hat = m / (1 - beta1**t)
        v_hat = v / (1 - beta2**t)
        x -= lr * m_hat / (np.sqrt(v_hat) + eps)
        if not np.isfinite(x).all():
            raise ValueError(f"the iterate overflowed at step {t - 1}: the iteration diverged")
        path[t] = x
    return path


def numerical_gradient(f: Callable, x, eps: float = 1e-6) -> np.ndarray:
    r"""Gradient of a scalar function by central differences.

    .. math::

        \frac{\partial f}{\partial x_i}(\mathbf{x}) \approx
        \frac{f(\mathbf{x} + \epsilon\mathbf{e}_i) - f(\mathbf{x} - \epsilon\mathbf{e}_i)}{2\epsilon},

    whose error is :math:`O(\epsilon^2)` for a smooth :math:`f` (plus a
    rounding error of order :math:`u\,|f| / \epsilon`, which is why
    :math:`\epsilon` should not be tiny; :math:`10^{-6}` suits float64).

    Parameters
    ----------
    f : callable
        ``f(x)`` returns a finite real number.
    x : array_like
        The point (any shape), as float64.
    eps : float, default 1e-6
        The step :math:`\epsilon > 0`.

    Returns
    -------
    numpy.ndarray
        The gradient, shaped like ``x``.

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath import numerical_gradient
    >>> numerical_gradient(lambda x: np.sum(x**2), np.array([1.0, -2.0])).round(6)
    array([ 2., -4.])
    """
    check_callable(f, "f")
    x = as_float_array(x, "x").astype(np.float64)
    eps = check_positive(eps, "eps")
    grad = np.empty_like(x)
    point = x.copy()
    flat_point, flat_grad = point.reshape(-1), grad.reshape(-1)
    for i in range(flat_point.size):
        original = flat_point[i]
        values = []
        for sign in (1.0, -1.0):
            flat_point[i] = original + sign * eps
            value = real_result(f(point.copy()), "f", f"x {sign:+.0f}*eps*e_{i}")
            values.append(float(value))
        flat_point[i] = original
        flat_grad[i] = (values[0] - values[1]) / (2 * eps)
    return grad
