"""Input checks without holes (issue 9): what user callables return, seeds, boolean flags,
non-numeric dtypes, numbers too large for a float, errors that name the right argument,
and aliasing (the library neither keeps nor reuses an array the caller can edit).

Every case here passed silently, or failed with numpy's or Python's own message, in the
library before version 2."""

from __future__ import annotations

import numpy as np
import pytest

from llmmath import (
    WordVectors,
    adam,
    bisection,
    bisection_iterations,
    conditioned_matrix,
    cosine_similarity,
    cross_entropy,
    gradient_descent,
    gram_schmidt,
    grid_lines,
    load_glove,
    logsumexp,
    numerical_gradient,
    pca,
    power_iteration,
    softmax,
    unit_rows,
)

TD = np.array([1, 2, 3], dtype="timedelta64[s]")
HUGE = 10**400          # a Python int no float can hold


def _quadratic_grad(x):
    return 2 * x


BAD = [
    # What a user's function returns.
    pytest.param(gradient_descent, (lambda x: None, [1.0], 0.1, 3), TypeError, r"grad must return real numbers, returned None at step 0", id="gd-grad-None"),
    pytest.param(gradient_descent, (lambda x: x + 1j, [1.0], 0.1, 3), TypeError, r"grad must return real numbers, returned dtype complex", id="gd-grad-complex"),
    pytest.param(gradient_descent, (lambda x: "1.0", [1.0], 0.1, 3), TypeError, r"grad must return real numbers, returned '1.0'", id="gd-grad-str"),
    pytest.param(gradient_descent, (lambda x: [object()], [1.0], 0.1, 3), TypeError, r"grad must return real numbers", id="gd-grad-object"),
    pytest.param(adam, (lambda x: None, [1.0], 0.1, 3), TypeError, r"grad must return real numbers, returned None", id="adam-grad-None"),
    pytest.param(adam, (lambda x: x * 1j, [1.0], 0.1, 3), TypeError, r"grad must return real numbers", id="adam-grad-complex"),
    pytest.param(adam, (lambda x: 1e200 * np.ones_like(x), [1.0], 0.1, 3), ValueError, r"grad's square overflows at step 0", id="adam-grad-square-overflow"),
    pytest.param(numerical_gradient, (lambda x: None, [1.0]), TypeError, r"f must return real numbers, returned None", id="numgrad-f-None"),
    pytest.param(numerical_gradient, (lambda x: 1j, [1.0]), TypeError, r"f must return real numbers", id="numgrad-f-complex"),
    pytest.param(numerical_gradient, (lambda x: "3", [1.0]), TypeError, r"f must return real numbers, returned '3'", id="numgrad-f-str"),
    pytest.param(bisection, (lambda x: None, 0.0, 1.0), TypeError, r"f must return real numbers, returned None at x=0.0", id="bisect-f-None"),
    pytest.param(bisection, (lambda x: complex(x, 1), 0.0, 1.0), TypeError, r"f must return real numbers", id="bisect-f-complex"),
    pytest.param(bisection, (lambda x: "-1", 0.0, 1.0), TypeError, r"f must return real numbers, returned '-1'", id="bisect-f-str"),
    # Callables that are not.
    pytest.param(gradient_descent, (None, [1.0], 0.1, 3), TypeError, r"grad must be callable", id="gd-grad-not-callable"),
    pytest.param(adam, (np.ones(1), [1.0], 0.1, 3), TypeError, r"grad must be callable", id="adam-grad-not-callable"),
    pytest.param(numerical_gradient, (3.0, [1.0]), TypeError, r"f must be callable", id="numgrad-f-not-callable"),
    pytest.param(bisection, ("x**2", 0.0, 1.0), TypeError, r"f must be callable", id="bisect-f-not-callable"),
    # Seeds.
    pytest.param(power_iteration, (np.eye(2),), TypeError, r"seed must be a non-negative integer", id="power-seed-str", marks=[]),
    # Boolean flags must be real booleans: "False" is a true string.
    pytest.param(logsumexp, (np.ones(3),), TypeError, r"keepdims must be True or False", id="logsumexp-keepdims-str"),
    pytest.param(gram_schmidt, (np.eye(2),), TypeError, r"modified must be True or False", id="gs-modified-int"),
    # Dtypes that are not real numbers.
    pytest.param(softmax, (TD,), TypeError, r"x must be an array of real numbers, got dtype timedelta64", id="softmax-timedelta"),
    pytest.param(cosine_similarity, (TD, TD), TypeError, r"a must be an array of real numbers, got dtype timedelta64", id="cosine-timedelta"),
    pytest.param(unit_rows, (np.array(["2020-01-01"], dtype="datetime64[D]"),), TypeError, r"x must be an array of real numbers", id="unit-datetime"),
    pytest.param(softmax, ("123",), TypeError, r"x must be array-like of real numbers, got the string", id="softmax-str"),
    pytest.param(cross_entropy, (np.zeros((3, 2)), TD - TD), TypeError, r"targets must be integer class indices", id="ce-timedelta-targets"),
    pytest.param(pca, ([[1, 2], [3, None]], 1), TypeError, r"X must be an array of real numbers, got an element None", id="pca-None-element"),
    # Numbers too large for a float, named (not numpy's "ufunc 'isfinite' not supported").
    pytest.param(grid_lines, (HUGE,), ValueError, r"extent must be a positive number within the float range", id="grid-extent-huge-int"),
    pytest.param(conditioned_matrix, (4, HUGE), ValueError, r"kappa must be a positive number within the float range", id="kappa-huge-int"),
    pytest.param(bisection, (lambda x: x, -HUGE, 1.0), ValueError, r"a must be finite \(within the float range\)", id="bisect-a-huge-int"),
    pytest.param(bisection_iterations, (0.0, HUGE, 1e-3), ValueError, r"b must be finite \(within the float range\)", id="bisect-iter-b-huge-int"),
    pytest.param(softmax, ([1, HUGE],), ValueError, r"x holds an integer too large for a float", id="softmax-huge-int-element"),
    pytest.param(gradient_descent, (_quadratic_grad, [1.0], 0.1, 3), ValueError, r"momentum must be a finite number within the float range, got 100000000000\.\.\.0000 \(401 characters\)", id="gd-momentum-huge-int"),
]
KWARGS = {
    "power-seed-str": {"seed": "a"},
    "logsumexp-keepdims-str": {"keepdims": "False"},
    "gs-modified-int": {"modified": 1},
    "gd-momentum-huge-int": {"momentum": 10**400},
}


@pytest.mark.parametrize("func, args, error, match", BAD)
def test_bad_input_is_refused_by_name(request, func, args, error, match):
    kwargs = KWARGS.get(request.node.callspec.id, {})
    with pytest.raises(error, match=match):
        func(*args, **kwargs)


@pytest.mark.parametrize("seed", [-1, 1.5, True, "0", None])
def test_power_iteration_checks_its_seed(seed):
    with pytest.raises(TypeError, match=r"seed must be a non-negative integer or a numpy Generator"):
        power_iteration(np.eye(2), seed=seed)


def test_seed_may_be_a_generator():
    a = power_iteration(np.diag([2.0, 1.0]), seed=np.random.default_rng(5))[1]
    b = power_iteration(np.diag([2.0, 1.0]), seed=5)[1]
    np.testing.assert_array_equal(a, b)


def test_python_ints_beyond_int64_that_fit_a_float_are_numbers():
    np.testing.assert_allclose(softmax([2**70, 2**70]), [0.5, 0.5])


def test_power_iteration_reports_the_null_space_only_when_it_is_one():
    with pytest.raises(ValueError, match=r"maps the iterate to zero at step 1"):
        power_iteration(np.array([[0.0, 1.0], [0.0, 0.0]]))          # nilpotent: A^2 = 0


def test_bisection_on_the_widest_bracket():
    # b - a = 2e308 overflows: the old code raised a bare OverflowError.
    r = bisection(lambda x: x - 3.0, -1e308, 1e308, tol=1e-6, max_iter=2000)
    assert r.converged and abs(r.root - 3.0) <= 1e-6
    assert bisection_iterations(-1e308, 1e308, 1e-6) == r.iterations
    assert np.isfinite(r.brackets).all()


# -- aliasing ----------------------------------------------------------------------

def test_word_vectors_copy_the_callers_array():
    vecs = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    wv = WordVectors(["a", "b", "c"], vecs)
    before = wv.most_similar("a", k=2)
    vecs[0] = [-1.0, 0.0]                          # the caller edits its own array later
    assert wv.most_similar("a", k=2) == before
    np.testing.assert_array_equal(wv["a"], [1.0, 0.0])


def test_word_vectors_arrays_are_read_only():
    wv = WordVectors(["a", "b"], np.array([[1.0, 0.0], [0.0, 1.0]]))
    for arr in (wv.vectors, wv.unit, wv["a"]):
        with pytest.raises(ValueError, match="read-only"):
            arr[0] = 5.0


def test_cached_glove_is_read_only():
    wv = load_glove(n_words=100)
    assert load_glove(n_words=100) is wv
    with pytest.raises(ValueError, match="read-only"):
        wv.vectors[0, 0] = 1.0
    with pytest.raises(ValueError, match="read-only"):
        wv.unit[0, 0] = 1.0


@pytest.mark.parametrize("optimiser", [gradient_descent, adam], ids=["gd", "adam"])
def test_grad_gets_a_fresh_array_each_step(optimiser):
    # A gradient function that records its argument must record the true iterates.
    seen = []

    def grad(x):
        seen.append(x)
        return 2 * x

    path = optimiser(grad, np.array([1.0, -2.0]), 0.1, 5)
    np.testing.assert_array_equal(np.array(seen), path[:-1])
    assert len({id(x) for x in seen}) == len(seen)


@pytest.mark.parametrize("optimiser", [gradient_descent, adam], ids=["gd", "adam"])
def test_grad_that_edits_its_argument_cannot_steer_the_iteration(optimiser):
    def vandal(x):
        g = 2 * x
        x[:] = 1e6                                   # scribbles on its argument
        return g

    clean = optimiser(_quadratic_grad, np.array([1.0, -2.0]), 0.1, 5)
    np.testing.assert_array_equal(optimiser(vandal, np.array([1.0, -2.0]), 0.1, 5), clean)


def test_numerical_gradient_f_that_edits_its_argument():
    def vandal(x):
        value = float(np.sum(x**2))
        x[:] = 0.0
        return value

    np.testing.assert_allclose(numerical_gradient(vandal, np.array([1.0, -2.0])), [2.0, -4.0], rtol=1e-8)
