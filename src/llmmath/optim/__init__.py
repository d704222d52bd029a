"""Optimisation and numerical analysis (Part III): derivatives, descent methods, root finding, constrained optimisation."""

from .descent import gradient_descent, adam, numerical_gradient
from .roots import bisection, BisectionResult, bisection_iterations
from .gradcheck import gradient_check, GradientCheck
from .lr_search import largest_stable_lr, lr_for_target_loss, LRSearch
from .constrained import kkt_multipliers, ServingModel, ServingPlan

__all__ = [
    "gradient_descent",
    "adam",
    "numerical_gradient",
    "bisection",
    "BisectionResult",
    "bisection_iterations",
    "gradient_check",
    "GradientCheck",
    "largest_stable_lr",
    "lr_for_target_loss",
    "LRSearch",
    "kkt_multipliers",
    "ServingModel",
    "ServingPlan",
]
