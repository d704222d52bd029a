r"""Root finding by bisection: slow, simple and guaranteed.

If :math:`f` is continuous on :math:`[a, b]` and :math:`f(a)` and :math:`f(b)`
have opposite signs, the intermediate value theorem puts a root inside. Halving
the bracket and keeping the half with the sign change keeps a root inside and
halves the uncertainty each step.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .._validation import check_callable, check_positive, real_result

__all__ = ["bisection", "BisectionResult", "bisection_iterations"]


@dataclass(frozen=True)
class BisectionResult:
    """What :func:`bisection` found.

    Attributes
    ----------
    root : float
        The midpoint of the final bracket.
    iterations : int
        Number of halvings (one evaluation of ``f`` each).
    converged : bool
        True if the final bracket is no wider than ``tol`` (or ``f`` hit 0 exactly).
    brackets : numpy.ndarray, shape (iterations + 1, 2)
        The bracket ``[a_k, b_k]`` before the first and after every step.
    n_evaluations : int
        Calls of ``f``: two at the ends plus one per iteration.
    """

    root: float
    iterations: int
    converged: bool
    brackets: np.ndarray
    n_evaluations: int


def _check_bracket(a, b) -> tuple[float, float]:
    """``a`` and ``b`` as floats, finite and with ``a < b``."""
    ends = []
    for name, value in (("a", a), ("b", b)):
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise TypeError(f"{name} must be a real number, got {value!r}")
        try:
            value = float(value)
        except OverflowError:
            raise ValueError(f"{name} must be finite (within the float range), got an integer of "
                             f"{len(str(abs(value)))} digits") from None
        if not math.isfinite(value):
            raise ValueError(f"{name} must be finite, got {value!r}")
        ends.append(value)
    a, b = ends
    if not a < b:
        raise ValueError(f"the bracket must satisfy a < b, got a={a!r}, b={b!r}")
    return a, b


def bisection_iterations(a: float, b: float, tol: float) -> int:
    r"""Halvings needed to shrink :math:`[a, b]` to width at most ``tol``.

    .. math:: n = \max\left(0, \left\lceil \log_2 \frac{b - a}{\mathrm{tol}} \right\rceil\right)

    Examples
    --------
    >>> from llmmath import bisection_iterations
    >>> bisection_iterations(0.0, 1.0, 1e-3)  # 2**10 = 1024 >= 1000
    10
    """
    a, b = _check_bracket(a, b)
    tol = check_positive(tol, "tol")
    half = _half_width(a, b)                     # (b - a) / 2, finite even for [-1e308, 1e308]
    if half <= tol / 2:
        return 0
    n = max(1, math.ceil(math.log2(half) - math.log2(tol)) + 1)
    # log2 can round across an integer; settle it exactly with ldexp: width after n is half * 2^(1-n).
    while n > 0 and math.ldexp(half, 2 - n) <= tol:
        n -= 1
    while math.ldexp(half, 1 - n) > tol:
        n += 1
    return n


def _half_width(a: float, b: float) -> float:
    """(b - a) / 2 without overflow: b - a itself can exceed the largest float."""
    width = b - a
    return width / 2 if math.isfinite(width) else b / 2 - a / 2


def _midpoint(lo: float, hi: float) -> float:
    """The midpoint of [lo, hi], lo + (hi - lo)/2, without overflow for huge brackets."""
    width = hi - lo
    return lo + width / 2 if math.isfinite(width) else lo / 2 + hi / 2


def bisection(f: Callable[[float], float], a: float, b: float, tol: float = 1e-10,
              max_iter: int = 200) -> BisectionResult:
    r"""Find a root of ``f`` in ``[a, b]`` by repeated halving.

    After :math:`k` steps the bracket has width :math:`(b - a)/2^k`, so the
    midpoint is within :math:`(b-a)/2^{k+1}` of a root. The method stops as
    soon as the bracket is no wider than ``tol``, that is after exactly

    .. math:: n = \left\lceil \log_2 \frac{b - a}{\mathrm{tol}} \right\rceil

    steps (fewer only if :math:`f` is exactly 0 at a midpoint), using
    :math:`n + 2` evaluations of :math:`f`.

    Parameters
    ----------
    f : callable
        A real function of one real variable, continuous on ``[a, b]``.
    a, b : float
        Bracket ends, ``a < b``, with ``f(a)`` and ``f(b)`` of opposite signs
        (or one of them zero).
    tol : float, default 1e-10
        Target bracket width, ``tol > 0``.
    max_iter : int, default 200
        Give up (``converged=False``) after this many halvings.

    Returns
    -------
    BisectionResult

    Raises
    ------
    ValueError
        If ``a >= b``, an end or ``f`` there is not finite, ``tol`` is not
        positive, or ``f(a)`` and ``f(b)`` have the same sign.

    Examples
    --------
    >>> from llmmath import bisection
    >>> r = bisection(lambda x: x**2 - 2, 0.0, 2.0, tol=1e-6)
    >>> round(r.root, 6), r.iterations, r.converged
    (1.414214, 21, True)
    """
    check_callable(f, "f")
    a, b = _check_bracket(a, b)
    tol = check_positive(tol, "tol")
    max_iter = check_positive(max_iter, "max_iter", integer=True)

    def evaluate(x: float) -> float:
        y = f(x)
        try:
            return float(real_result(y, "f", f"x={x!r}"))
        except ValueError as exc:
            if "non-finite" not in str(exc):
                raise
            raise ValueError(f"f returned {y!r} at x={x!r}: bisection needs finite values on [a, b]") from None

    fa, fb = evaluate(a), evaluate(b)
    if fa != 0 and fb != 0 and (fa > 0) == (fb > 0):
        raise ValueError(
            f"f(a) and f(b) must have opposite signs (a sign change brackets a root), "
            f"got f({a!r})={fa!r} and f({b!r})={fb!r}"
        )
    brackets = [(a, b)]
    if fa == 0 or fb == 0:
        root = a if fa == 0 else b
        return BisectionResult(root, 0, True, np.array(brackets), 2)

    needed = bisection_iterations(a, b, tol)
    half0, lo, hi, evaluations, k = _half_width(a, b), a, b, 2, 0
    while k < min(needed, max_iter):
        mid = _midpoint(lo, hi)
        if not lo < mid < hi:  # the bracket is down to adjacent floats
            break
        fm = evaluate(mid)
        evaluations += 1
        k += 1
        if fm == 0:
            lo = hi = mid
            brackets.append((lo, hi))
            return BisectionResult(mid, k, True, np.array(brackets), evaluations)
        if (fm < 0) == (fa < 0):
            lo, fa = mid, fm
        else:
            hi = mid
        brackets.append((lo, hi))
    # Stop test on the exact width (b - a) 2^-k = half0 2^(1-k), which rounding cannot blur.
    converged = math.ldexp(half0, 1 - k) <= tol
    return BisectionResult(_midpoint(lo, hi), k, converged, np.array(brackets), evaluations)
