"""Optimisation and numerical analysis (Part III): derivatives, descent methods, root finding, constrained optimisation."""

from .descent import gradient_descent, adam, numerical_gradient
from .roots import bisection, BisectionResult, bisection_iterations

__all__ = [
    "gradient_descent",
    "adam",
    "numerical_gradient",
    "bisection",
    "BisectionResult",
    "bisection_iterations",
]
