r"""Checking a hand-written gradient against central differences.

A backward pass is easy to get almost right. The check compares it with
:func:`~llmmath.optim.numerical_gradient` and reports one number, the
relative error

.. math::

    e = \frac{\lVert \mathbf{g} - \tilde{\mathbf{g}} \rVert_2}
             {\max(\lVert \mathbf{g} \rVert_2, \lVert \tilde{\mathbf{g}} \rVert_2)},

which is about :math:`\epsilon^2` (truncation) plus :math:`u/\epsilon`
(rounding) for a correct gradient in float64, so near :math:`10^{-9}` or
below with :math:`\epsilon = 10^{-6}`, and of order one for a wrong one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .._validation import as_float_array, check_positive
from .descent import numerical_gradient

__all__ = ["gradient_check", "GradientCheck"]


@dataclass(frozen=True)
class GradientCheck:
    """What :func:`gradient_check` found.

    Attributes
    ----------
    relative_error : float
        :math:`\\lVert g - \\tilde g\\rVert / \\max(\\lVert g\\rVert, \\lVert\\tilde g\\rVert)`
        (0 if both are exactly zero).
    max_abs_error : float
        Largest entry of :math:`|g - \\tilde g|`.
    passed : bool
        ``relative_error <= tol``.
    analytic, numerical : numpy.ndarray
        The two gradients, shaped like ``x``.
    """

    relative_error: float
    max_abs_error: float
    passed: bool
    analytic: np.ndarray
    numerical: np.ndarray


def gradient_check(f: Callable, grad: Callable, x, eps: float = 1e-6, tol: float = 1e-6) -> GradientCheck:
    r"""Compare ``grad(x)`` with central differences of ``f`` at ``x``.

    Parameters
    ----------
    f : callable
        ``f(x)`` returns a finite scalar.
    grad : callable
        ``grad(x)`` returns the claimed gradient, shaped like ``x``.
    x : array_like
        The point, any shape (converted to float64: differences need it).
    eps : float, default 1e-6
        Step of the central differences, passed to
        :func:`~llmmath.optim.numerical_gradient`.
    tol : float, default 1e-6
        Largest relative error that counts as a pass.

    Returns
    -------
    GradientCheck

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath import gradient_check
    >>> f = lambda x: np.sum(np.sin(x) * x)
    >>> good = gradient_check(f, lambda x: np.cos(x) * x + np.sin(x), np.array([0.3, -1.2]))
    >>> bad = gradient_check(f, lambda x: np.cos(x) * x, np.array([0.3, -1.2]))
    >>> good.passed, bad.passed, good.relative_error < 1e-8
    (True, False, True)
    """
    x = as_float_array(x, "x").astype(np.float64)
    tol = check_positive(tol, "tol")
    analytic = np.asarray(grad(x.copy()), dtype=np.float64)
    if analytic.shape != x.shape:
        raise ValueError(f"grad must return an array of shape {x.shape} (that of x), got {analytic.shape}")
    if not np.isfinite(analytic).all():
        raise ValueError("grad returned non-finite values at x")
    numerical = numerical_gradient(f, x, eps=eps)
    diff = analytic - numerical
    big = max(np.abs(analytic).max(), np.abs(numerical).max())
    if big == 0:
        rel = 0.0
    else:  # scale before squaring, so that the norms cannot overflow
        rel = float(np.linalg.norm(diff / big)
                    / max(np.linalg.norm(analytic / big), np.linalg.norm(numerical / big)))
    return GradientCheck(rel, float(np.abs(diff).max()), rel <= tol, analytic, numerical)
