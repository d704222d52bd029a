"""The serving-cost model against sympy's KKT solution, scipy.optimize and brute force."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import scipy.optimize
import sympy
from _helpers import PROPERTY
from hypothesis import given
from hypothesis import strategies as st

from llmmath import ServingModel, ServingPlan, kkt_multipliers

CASES = [
    dict(rate=1000.0, latency_budget=0.05, overhead=0.005, per_item=0.001, price=0.1),
    dict(rate=5000.0, latency_budget=0.1, overhead=0.002, per_item=0.0004, price=0.17),
    dict(rate=200.0, latency_budget=0.02, overhead=0.004, per_item=0.002, price=1.5),
]


def sympy_kkt(case):
    """Solve the two active constraints and stationarity symbolically."""
    n, b, m1, m2 = sympy.symbols("n b mu1 mu2", positive=True)
    R, L, t0, c, p = (sympy.Rational(str(case[k])) for k in
                      ("rate", "latency_budget", "overhead", "per_item", "price"))
    t = t0 + c * b
    g1, g2 = R - n * b / t, n * b / R + t - L
    lag = p * n + m1 * g1 + m2 * g2
    sol = sympy.solve([sympy.diff(lag, n), sympy.diff(lag, b), g1, g2], [n, b, m1, m2], dict=True)
    assert len(sol) == 1
    return {k: float(v) for k, v in zip(("n", "b", "mu1", "mu2"), (sol[0][n], sol[0][b], sol[0][m1], sol[0][m2]))}


@pytest.mark.parametrize("case", CASES)
def test_relaxed_optimum_matches_sympy(case):
    plan = ServingModel(**case).relaxed_optimum()
    ref = sympy_kkt(case)
    assert isinstance(plan, ServingPlan)
    np.testing.assert_allclose([plan.instances, plan.batch_size], [ref["n"], ref["b"]], rtol=1e-12)
    np.testing.assert_allclose(plan.multipliers, [ref["mu1"], ref["mu2"]], rtol=1e-10)
    assert min(plan.multipliers) > 0
    np.testing.assert_allclose(plan.throughput, case["rate"], rtol=1e-12)
    np.testing.assert_allclose(plan.latency, case["latency_budget"], rtol=1e-12)


@pytest.mark.parametrize("case", CASES)
def test_relaxed_optimum_matches_scipy_slsqp(case):
    m = ServingModel(**case)
    plan = m.relaxed_optimum()
    res = scipy.optimize.minimize(
        lambda x: m.price * x[0], x0=[2 * plan.instances, plan.batch_size / 2], method="SLSQP",
        constraints=[{"type": "ineq", "fun": lambda x: -m.constraints(x[0], x[1])}],
        bounds=[(1e-6, None), (1e-6, None)], options={"ftol": 1e-12, "maxiter": 500})
    # status 8 ("positive directional derivative") is SLSQP stalling at the optimum it found
    assert res.success or res.status == 8
    assert np.all(m.constraints(*res.x) <= 1e-7 * np.array([case["rate"], case["latency_budget"]]))
    np.testing.assert_allclose(res.x, [plan.instances, plan.batch_size], rtol=1e-6)
    # SLSQP stops at ftol on the cost; its multipliers are first-order accurate in that stop
    np.testing.assert_allclose(res.multipliers, plan.multipliers, rtol=1e-4)


@pytest.mark.parametrize("case", CASES)
def test_multipliers_are_shadow_prices(case):
    """mu_2 = -dV/dL (envelope theorem), checked by re-solving with a looser budget."""
    m = ServingModel(**case)
    plan = m.relaxed_optimum()
    h = 1e-6 * case["latency_budget"]
    up = ServingModel(**(case | {"latency_budget": case["latency_budget"] + h})).relaxed_optimum()
    down = ServingModel(**(case | {"latency_budget": case["latency_budget"] - h})).relaxed_optimum()
    dV_dL = (up.cost_per_hour - down.cost_per_hour) / (2 * h)
    np.testing.assert_allclose(-dV_dL, plan.multipliers[1], rtol=1e-6)
    # and dV/dR = mu_1 * dg1/dR + mu_2 * dg2/dR = mu_1 - mu_2 n b / R^2
    hr = 1e-6 * case["rate"]
    upr = ServingModel(**(case | {"rate": case["rate"] + hr})).relaxed_optimum()
    downr = ServingModel(**(case | {"rate": case["rate"] - hr})).relaxed_optimum()
    mu1, mu2 = plan.multipliers
    expected = mu1 - mu2 * plan.instances * plan.batch_size / case["rate"] ** 2
    np.testing.assert_allclose((upr.cost_per_hour - downr.cost_per_hour) / (2 * hr), expected, rtol=1e-6)


@pytest.mark.parametrize("case", CASES)
def test_integer_plan_is_brute_force_optimum(case):
    m = ServingModel(**case)
    best = m.best_integer_plan()
    relaxed = m.relaxed_optimum()
    feasible = [(n, b) for n, b in itertools.product(range(1, 200), range(1, m.max_batch() + 1))
                if np.all(m.constraints(n, b) <= np.array([1e-9 * case["rate"], 0.0]))]
    n_min = min(n for n, _ in feasible)
    assert best.instances == n_min
    assert best.instances >= np.ceil(relaxed.instances - 1e-9)     # relaxation is a lower bound
    assert best.latency <= case["latency_budget"] and best.throughput >= case["rate"] * (1 - 1e-12)


@PROPERTY
@given(rate=st.floats(10, 1e5), t0=st.floats(1e-4, 1e-2), c=st.floats(1e-5, 1e-2),
       slack=st.floats(1.01, 20))
def test_relaxed_optimum_is_a_kkt_point(rate, t0, c, slack):
    m = ServingModel(rate=rate, latency_budget=2 * t0 * slack + 2 * c, overhead=t0, per_item=c, price=1.0)
    plan = m.relaxed_optimum()
    np.testing.assert_allclose(m.constraints(plan.instances, plan.batch_size), 0,
                               atol=1e-12 * max(rate, 1.0))
    _, residual = kkt_multipliers([1.0, 0.0], m.constraint_gradients(plan.instances, plan.batch_size))
    assert residual < 1e-9 and min(plan.multipliers) > 0


def test_kkt_multipliers_textbook_example():
    # min x^2 + y^2 s.t. 1 - x - y <= 0: x = y = 1/2, grad f = (1, 1), grad g = (-1, -1), mu = 1
    mu, res = kkt_multipliers([1.0, 1.0], [[-1.0, -1.0]])
    np.testing.assert_allclose(mu, [1.0]) and res < 1e-15
    mu, res = kkt_multipliers([1.0, 0.0], [[0.0, 1.0]])         # not a KKT point
    assert res == pytest.approx(1.0)


BAD = [
    (lambda: ServingModel(rate=-1.0, latency_budget=0.1, overhead=0.01, per_item=0.001, price=1.0),
     ValueError, "rate must be a positive"),
    (lambda: ServingModel(rate=10.0, latency_budget=0.01, overhead=0.01, per_item=0.001, price=1.0),
     ValueError, "latency_budget must exceed"),
    (lambda: ServingModel(rate=10.0, latency_budget=0.1, overhead=0.01, per_item=0.001, price="1"),
     TypeError, "price"),
    (lambda: ServingModel(**CASES[0]).best_integer_plan(max_batch=0), ValueError, "max_batch"),
    (lambda: kkt_multipliers([1.0, 2.0], [[1.0, 2.0, 3.0]]), ValueError, "2 columns"),
    (lambda: kkt_multipliers([1.0, 2.0], [1.0, 2.0]), ValueError, "active_grads must be 2-D"),
]


@pytest.mark.parametrize("call, error, message", BAD)
def test_bad_input(call, error, message):
    with pytest.raises(error, match=message):
        call()
