r"""Learning-rate questions that bisection answers exactly.

Bisection needs only a bracket and a sign that flips once inside it. Two
questions about a learning rate :math:`\eta` have that shape:

* **the stability edge**: "does training at :math:`\eta` stay stable?" is
  true for small :math:`\eta` and false for large ones; the sign
  :math:`s(\eta) = +1` if unstable, :math:`-1` if stable, changes once if
  stability is monotone in :math:`\eta`, and bisection finds where;
* **a target crossing**: "for which :math:`\eta` does the loss after
  :math:`k` steps equal a target?" is the root of
  :math:`\ell_k(\eta) - \ell^\star`.

Neither is "the best learning rate": that is a minimum of a loss, not a
root, and bisection on a sign cannot find it. Both searches reuse
:func:`~llmmath.optim.bisection`; on ``scale="log"`` they bisect
:math:`\log\eta`, so a bracket spanning decades costs no more than one
spanning a factor of two, and ``tol`` is relative.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .._validation import check_positive
from .roots import bisection

__all__ = ["largest_stable_lr", "lr_for_target_loss", "LRSearch"]


@dataclass(frozen=True)
class LRSearch:
    """What a learning-rate bisection found.

    Attributes
    ----------
    lr : float
        The answer: for :func:`largest_stable_lr`, the largest learning rate
        checked to be stable (the low end of the final bracket); for
        :func:`lr_for_target_loss`, the midpoint of the final bracket.
    bracket : tuple of float
        The final ``(low, high)`` bracket, in learning-rate units.
    iterations : int
        Halvings done.
    n_evaluations : int
        Calls of the user's function (each one a training run, typically).
    brackets : numpy.ndarray, shape (iterations + 1, 2)
        Every bracket, in learning-rate units.
    """

    lr: float
    bracket: tuple[float, float]
    iterations: int
    n_evaluations: int
    brackets: np.ndarray


def _transform(lo, hi, tol, scale):
    lo = check_positive(lo, "lo")
    hi = check_positive(hi, "hi")
    tol = check_positive(tol, "tol")
    if not lo < hi:
        raise ValueError(f"the bracket must satisfy lo < hi, got lo={lo!r}, hi={hi!r}")
    if scale == "log":
        return math.log(lo), math.log(hi), math.log1p(tol), math.exp
    if scale == "linear":
        return lo, hi, tol, float
    raise ValueError(f"scale must be 'log' or 'linear', got {scale!r}")


def largest_stable_lr(is_stable: Callable[[float], bool], lo: float, hi: float, tol: float = 1e-3,
                      scale: str = "log", max_iter: int = 200) -> LRSearch:
    r"""The edge of stability in learning rate, by bisection on a yes/no test.

    Requires ``is_stable(lo)`` true and ``is_stable(hi)`` false. Each step
    evaluates the test at the midpoint (geometric on ``scale="log"``) and
    keeps the half whose ends disagree. If stability is monotone in
    :math:`\eta` (stable below a threshold :math:`\eta^\star`, unstable
    above), the final bracket contains :math:`\eta^\star`; otherwise it
    contains *a* point where the answer flips, and only a scan can tell which.

    Parameters
    ----------
    is_stable : callable
        ``is_stable(lr)`` returns a bool (for example: training for ``k``
        steps at ``lr`` ends with a finite loss below the starting one).
    lo, hi : float
        Learning rates with ``0 < lo < hi``, ``lo`` stable and ``hi`` not.
    tol : float, default 1e-3
        Stop when ``hi / lo - 1 <= tol`` (``scale="log"``) or
        ``hi - lo <= tol`` (``scale="linear"``).
    scale : {"log", "linear"}
    max_iter : int, default 200

    Returns
    -------
    LRSearch
        ``lr`` is the low (stable) end of the final bracket.

    Examples
    --------
    >>> from llmmath import largest_stable_lr
    >>> L = 4.0  # gradient descent on f(x) = L x^2 / 2 is stable iff lr < 2 / L
    >>> r = largest_stable_lr(lambda lr: abs(1 - lr * L) < 1, 0.01, 10.0, tol=1e-6)
    >>> round(r.lr, 5), r.bracket[0] < 2 / L <= r.bracket[1]
    (0.5, True)
    """
    a, b, t, back = _transform(lo, hi, tol, scale)
    answers: dict[float, bool] = {}   # each call may be a training run: never repeat one

    def stable_at(u: float) -> bool:
        if u not in answers:
            answers[u] = bool(is_stable(back(u)))
        return answers[u]

    if not stable_at(a):
        raise ValueError(f"is_stable(lo) must be True (lo is the stable end), got False at lo={lo!r}")
    if stable_at(b):
        raise ValueError(f"is_stable(hi) must be False (hi is the unstable end), got True at hi={hi!r}")
    result = bisection(lambda u: -1.0 if stable_at(u) else 1.0, a, b, tol=t, max_iter=max_iter)
    brackets = np.vectorize(back)(result.brackets)
    low, high = float(brackets[-1, 0]), float(brackets[-1, 1])
    return LRSearch(low, (low, high), result.iterations, len(answers), brackets)


def lr_for_target_loss(loss_after: Callable[[float], float], target: float, lo: float, hi: float,
                       tol: float = 1e-3, scale: str = "log", max_iter: int = 200) -> LRSearch:
    r"""The learning rate at which the loss after a fixed budget crosses a target.

    Solves :math:`\ell_k(\eta) = \ell^\star` by bisection, where
    ``loss_after(lr)`` runs the fixed training budget and returns
    :math:`\ell_k(\eta)`. The loss must lie on opposite sides of ``target``
    at ``lo`` and ``hi`` (typically above it at a small ``lo``, below at a
    larger ``hi``), and :math:`\ell_k` should be continuous on the bracket
    (true for gradient descent on a smooth loss, for a fixed number of steps,
    as long as no run in the bracket diverges).

    Parameters
    ----------
    loss_after : callable
        ``loss_after(lr)`` returns a finite float.
    target : float
        :math:`\ell^\star`.
    lo, hi : float
        ``0 < lo < hi``.
    tol, scale, max_iter
        As in :func:`largest_stable_lr`.

    Returns
    -------
    LRSearch
        ``lr`` is the midpoint of the final bracket.

    Examples
    --------
    >>> from llmmath import lr_for_target_loss
    >>> # f(x) = x^2 / 2 from x0 = 1: one step at lr leaves f = (1 - lr)^2 / 2
    >>> r = lr_for_target_loss(lambda lr: (1 - lr) ** 2 / 2, 0.125, 0.01, 0.9, tol=1e-9)
    >>> round(r.lr, 6)   # (1 - lr)^2 / 2 = 1/8 at lr = 1/2
    0.5
    """
    a, b, t, back = _transform(lo, hi, tol, scale)
    if isinstance(target, bool) or not isinstance(target, (int, float, np.integer, np.floating)) \
            or not math.isfinite(target):
        raise TypeError(f"target must be a finite number, got {target!r}")

    def gap(u: float) -> float:
        return float(loss_after(back(u))) - float(target)

    result = bisection(gap, a, b, tol=t, max_iter=max_iter)
    brackets = np.vectorize(back)(result.brackets)
    low, high = float(brackets[-1, 0]), float(brackets[-1, 1])
    lr = float(back(result.root))
    return LRSearch(lr, (low, high), result.iterations, result.n_evaluations, brackets)
