r"""Optimisation under inequality constraints: KKT multipliers and a serving-cost model.

For :math:`\min f(\mathbf{x})` subject to :math:`g_i(\mathbf{x}) \le 0`, a
regular minimiser :math:`\mathbf{x}^\star` has multipliers
:math:`\mu_i \ge 0` with (Karush–Kuhn–Tucker)

.. math::

    \nabla f(\mathbf{x}^\star) + \sum_i \mu_i \nabla g_i(\mathbf{x}^\star) = \mathbf{0},
    \qquad g_i(\mathbf{x}^\star) \le 0, \qquad \mu_i\, g_i(\mathbf{x}^\star) = 0 .

:math:`\mu_i` is the rate at which the optimal value falls when constraint
:math:`i` is loosened by one unit (a **shadow price**). :class:`ServingModel`
is the book's case: the number of instances and the batch size that serve a
request rate at least cost within a latency budget.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._validation import as_float_array, check_positive

__all__ = ["kkt_multipliers", "ServingModel", "ServingPlan"]


def kkt_multipliers(grad_f, active_grads) -> tuple[np.ndarray, float]:
    r"""Multipliers of the active constraints from the stationarity condition.

    Solves :math:`\mathbf{J}^\top\boldsymbol{\mu} = -\nabla f` in the least-squares
    sense, where the rows of :math:`\mathbf{J}` are the gradients of the
    active constraints, and reports how well it holds.

    Parameters
    ----------
    grad_f : array_like, shape (d,)
        :math:`\nabla f(\mathbf{x}^\star)`.
    active_grads : array_like, shape (m, d)
        :math:`\nabla g_i(\mathbf{x}^\star)` for the ``m`` active constraints.

    Returns
    -------
    mu : numpy.ndarray, shape (m,)
        The multipliers; at a KKT point all are :math:`\ge 0`.
    residual : float
        :math:`\lVert \nabla f + \mathbf{J}^\top\boldsymbol\mu \rVert / \lVert\nabla f\rVert`;
        near rounding level at a KKT point, large if ``x`` is not one.

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath import kkt_multipliers
    >>> # min x + y  s.t.  1 - x y <= 0, at (1, 1): grad g = (-1, -1)
    >>> mu, res = kkt_multipliers([1.0, 1.0], [[-1.0, -1.0]])
    >>> mu.round(12), res < 1e-15
    (array([1.]), True)
    """
    g = as_float_array(grad_f, "grad_f", ndim=1)
    J = as_float_array(active_grads, "active_grads", ndim=2)
    if J.shape[1] != g.size:
        raise ValueError(f"active_grads must have {g.size} columns (the size of grad_f), got shape {J.shape}")
    mu, *_ = np.linalg.lstsq(J.T, -g, rcond=None)
    scale = np.linalg.norm(g)
    residual = float(np.linalg.norm(g + J.T @ mu) / scale) if scale > 0 else float(np.linalg.norm(J.T @ mu))
    return mu, residual


@dataclass(frozen=True)
class ServingPlan:
    """A choice of instances and batch size, with what it costs and delivers.

    Attributes
    ----------
    instances, batch_size : float
        Integers for an integer plan; real numbers for the relaxed optimum.
    cost_per_hour : float
        ``price * instances``.
    throughput : float
        Requests per second the plan can serve.
    latency : float
        Worst-case seconds from arrival to answer.
    multipliers : tuple of float or None
        :math:`(\\mu_{\\text{throughput}}, \\mu_{\\text{latency}})` at the relaxed
        optimum: dollars per hour per (request/s), and per second of budget.
    """

    instances: float
    batch_size: float
    cost_per_hour: float
    throughput: float
    latency: float
    multipliers: tuple[float, float] | None = None


@dataclass(frozen=True)
class ServingModel:
    r"""The cost of serving a model: instances :math:`n` and batch size :math:`b`.

    One instance runs a batch of :math:`b` requests in
    :math:`t(b) = t_0 + c\,b` seconds (a fixed overhead plus a time per
    request). The load balancer spreads :math:`R` requests per second over
    :math:`n` instances, each of which waits for :math:`b` requests before it
    runs a batch. Then

    .. math::

        \text{throughput}(n, b) = \frac{n\,b}{t(b)}, \qquad
        \text{latency}(n, b) = \underbrace{\frac{n\,b}{R}}_{\text{fill the batch}}
        + \underbrace{t(b)}_{\text{run it}}, \qquad
        \text{cost}(n) = p\,n ,

    and the problem is :math:`\min p\,n` subject to
    :math:`g_1 = R - n b / t(b) \le 0` and :math:`g_2 = n b / R + t(b) - L \le 0`.
    Both bind at the optimum, where :math:`n b / R = t(b)`, so

    .. math::

        b^\star = \frac{L - 2 t_0}{2c}, \qquad n^\star = \frac{R\, t(b^\star)}{b^\star} .

    Parameters
    ----------
    rate : float
        :math:`R`, requests per second to serve.
    latency_budget : float
        :math:`L`, seconds; must exceed :math:`2 t_0`.
    overhead : float
        :math:`t_0`, seconds per batch.
    per_item : float
        :math:`c`, seconds per request in a batch.
    price : float
        :math:`p`, dollars per instance-hour.

    Examples
    --------
    >>> from llmmath import ServingModel
    >>> m = ServingModel(rate=1000.0, latency_budget=0.05, overhead=0.005, per_item=0.001, price=0.1)
    >>> plan = m.relaxed_optimum()
    >>> round(plan.batch_size, 9), round(plan.instances, 9)
    (20.0, 1.25)
    >>> m.best_integer_plan().instances
    2
    """

    rate: float
    latency_budget: float
    overhead: float
    per_item: float
    price: float

    def __post_init__(self) -> None:
        for name in ("rate", "latency_budget", "overhead", "per_item", "price"):
            object.__setattr__(self, name, check_positive(getattr(self, name), name))
        if self.latency_budget <= 2 * self.overhead:
            raise ValueError(
                f"latency_budget must exceed 2 * overhead = {2 * self.overhead!r} (one batch to fill, "
                f"one to run), got {self.latency_budget!r}: no plan can meet it"
            )

    def batch_time(self, b):
        """:math:`t(b) = t_0 + c\\,b`, seconds."""
        return self.overhead + self.per_item * np.asarray(b, dtype=float)

    def throughput(self, n, b):
        """:math:`n b / t(b)`, requests per second."""
        return np.asarray(n, dtype=float) * b / self.batch_time(b)

    def latency(self, n, b):
        """:math:`n b / R + t(b)`, seconds."""
        return np.asarray(n, dtype=float) * b / self.rate + self.batch_time(b)

    def constraints(self, n, b) -> np.ndarray:
        """:math:`(g_1, g_2)`; a plan is feasible when both are :math:`\\le 0`."""
        return np.array([self.rate - self.throughput(n, b), self.latency(n, b) - self.latency_budget])

    def constraint_gradients(self, n, b) -> np.ndarray:
        r"""Rows :math:`\nabla g_1, \nabla g_2` with respect to :math:`(n, b)`, shape (2, 2)."""
        t = float(self.batch_time(b))
        return np.array([[-b / t, -n * self.overhead / t**2],
                         [b / self.rate, n / self.rate + self.per_item]])

    def _plan(self, n, b, multipliers=None) -> ServingPlan:
        return ServingPlan(n, b, self.price * n, float(self.throughput(n, b)), float(self.latency(n, b)),
                           multipliers)

    def relaxed_optimum(self) -> ServingPlan:
        """The optimum over real :math:`n, b > 0`, in closed form, with its KKT multipliers."""
        b = (self.latency_budget - 2 * self.overhead) / (2 * self.per_item)
        n = self.rate * float(self.batch_time(b)) / b
        mu, _ = kkt_multipliers([self.price, 0.0], self.constraint_gradients(n, b))
        return self._plan(n, b, (float(mu[0]), float(mu[1])))

    def max_batch(self) -> int:
        """Largest batch whose run time alone fits the budget: :math:`\\lfloor (L - t_0)/c \\rfloor`."""
        return max(1, math.floor((self.latency_budget - self.overhead) / self.per_item))

    def integer_table(self, max_batch: int | None = None) -> dict[str, np.ndarray]:
        """For each batch size ``1..max_batch``: the fewest instances and whether that plan is feasible.

        Latency grows with :math:`n`, so the fewest instances that meet the
        throughput, :math:`\\lceil R\\,t(b)/b \\rceil`, is the only candidate
        for each :math:`b`.
        """
        max_batch = self.max_batch() if max_batch is None else check_positive(max_batch, "max_batch",
                                                                              integer=True)
        b = np.arange(1, max_batch + 1)
        need = self.rate * self.batch_time(b) / b
        n = np.ceil(need * (1 - 4 * np.finfo(float).eps)).astype(int)   # an exact integer stays itself
        n = np.maximum(n, 1)
        feasible = (self.latency(n, b) <= self.latency_budget) & (self.throughput(n, b) >= self.rate * (1 - 1e-12))
        return {"batch_size": b, "instances": n, "feasible": feasible, "latency": self.latency(n, b)}

    def best_integer_plan(self, max_batch: int | None = None) -> ServingPlan:
        """The cheapest plan in whole instances and whole requests, by enumeration.

        Ties in cost go to the lower latency.

        Raises
        ------
        ValueError
            If no batch size up to ``max_batch`` gives a feasible plan.
        """
        table = self.integer_table(max_batch)
        ok = np.flatnonzero(table["feasible"])
        if ok.size == 0:
            raise ValueError("no integer plan meets both constraints; raise latency_budget or max_batch")
        order = np.lexsort((table["latency"][ok], table["instances"][ok]))
        i = ok[order[0]]
        return self._plan(int(table["instances"][i]), int(table["batch_size"][i]))
