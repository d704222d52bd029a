"""The MLP's hand-written backward pass against PyTorch autograd and central differences."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from _helpers import PROPERTY
from hypothesis import given
from hypothesis import strategies as st

from llmmath import MLP, cross_entropy, gradient_check, numerical_gradient


def data(n, d, k, seed):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, d)), rng.integers(0, k, n)


def torch_loss_and_grads(net, X, y):
    """The same network in torch, on the same weights, with autograd."""
    params = [(torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=True))
              for W, b in net.params]
    h = torch.from_numpy(X)
    for i, (W, b) in enumerate(params):
        h = torch.nn.functional.linear(h, W, b)
        if i < len(params) - 1:
            h = torch.tanh(h)
    loss = torch.nn.functional.cross_entropy(h, torch.from_numpy(y))
    loss.backward()
    return float(loss.detach()), [(W.grad.numpy(), b.grad.numpy()) for W, b in params], h.detach().numpy()


@pytest.mark.parametrize("sizes", [[4, 3], [5, 7, 3], [8, 16, 6, 4], [3, 4, 4, 4, 2]])
@pytest.mark.parametrize("seed", [0, 1])
def test_matches_torch_autograd(sizes, seed):
    X, y = data(11, sizes[0], sizes[-1], seed)
    net = MLP(sizes, seed=seed)
    loss, grads = net.loss_and_grads(X, y)
    ref_loss, ref_grads, ref_logits = torch_loss_and_grads(net, X, y)
    np.testing.assert_allclose(net.forward(X), ref_logits, rtol=1e-12, atol=1e-12)
    assert abs(loss - ref_loss) <= 1e-10
    for (gW, gb), (rW, rb) in zip(grads, ref_grads):
        np.testing.assert_allclose(gW, rW, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(gb, rb, rtol=1e-10, atol=1e-12)


def test_matches_central_differences():
    X, y = data(20, 6, 4, seed=3)
    net = MLP([6, 5, 4], seed=3)
    theta = net.get_flat()
    check = gradient_check(lambda t: net.flat_loss_and_grad(t, X, y)[0],
                           lambda t: net.flat_loss_and_grad(t, X, y)[1], theta)
    # central differences with eps=1e-6: error ~ eps^2 * f''' + u / eps, about 1e-9 at most here
    assert check.relative_error < 1e-7
    net.set_flat(theta)


def test_loss_is_library_cross_entropy_and_structure():
    X, y = data(9, 4, 3, seed=5)
    net = MLP([4, 6, 3], seed=5)
    loss, grads = net.loss_and_grads(X, y)
    assert loss == pytest.approx(cross_entropy(net.forward(X), y), rel=1e-14)
    assert loss == pytest.approx(net.loss(X, y), rel=1e-14)
    assert [(gW.shape, gb.shape) for gW, gb in grads] == [(W.shape, b.shape) for W, b in net.params]
    assert net.n_params == 4 * 6 + 6 + 6 * 3 + 3


def test_flat_round_trip_and_seed():
    net = MLP([3, 5, 2], seed=7)
    theta = net.get_flat()
    net.set_flat(theta * 2)
    np.testing.assert_array_equal(net.get_flat(), theta * 2)
    np.testing.assert_array_equal(MLP([3, 5, 2], seed=7).get_flat(), theta)
    assert not np.array_equal(MLP([3, 5, 2], seed=8).get_flat(), theta)


def test_float32_stays_float32():
    X, y = data(6, 3, 2, seed=0)
    net = MLP([3, 4, 2], dtype=np.float32)
    loss, grads = net.loss_and_grads(X.astype(np.float32), y)
    assert net.forward(X).dtype == np.float32
    assert all(gW.dtype == np.float32 and gb.dtype == np.float32 for gW, gb in grads)
    ref = MLP([3, 4, 2]).loss_and_grads(X, y)[0]
    assert abs(loss - ref) < 1e-5


@PROPERTY
@given(seed=st.integers(0, 10_000), hidden=st.integers(1, 6), scale=st.floats(0.1, 10.0))
def test_bias_gradient_of_output_sums_to_zero(seed, hidden, scale):
    """Softmax is shift-invariant, so the output-bias gradient sums to zero over classes."""
    X, y = data(7, 3, 4, seed)
    _, grads = MLP([3, hidden, 4], seed=seed).loss_and_grads(scale * X, y)
    assert abs(grads[-1][1].sum()) <= 1e-14 * 4


def test_numerical_gradient_of_one_weight():
    X, y = data(5, 2, 3, seed=2)
    net = MLP([2, 3, 3], seed=2)
    _, grads = net.loss_and_grads(X, y)
    W = net.params[0][0]

    def f(w):
        net.params[0] = (w, net.params[0][1])
        return net.loss(X, y)

    np.testing.assert_allclose(numerical_gradient(f, W.copy()), grads[0][0], rtol=1e-6, atol=1e-9)


BAD = [
    (lambda: MLP([4]), ValueError, "at least an input and an output"),
    (lambda: MLP("43"), TypeError, "sequence of layer widths"),
    (lambda: MLP([4, 0, 2]), ValueError, r"sizes\[1\] must be a positive integer"),
    (lambda: MLP([4, 2.5]), ValueError, r"sizes\[1\]"),
    (lambda: MLP([4, 2], dtype=np.int64), ValueError, "float32 or float64"),
    (lambda: MLP([4, 2]).forward(np.ones(4)), ValueError, "X must be 2-D"),
    (lambda: MLP([4, 2]).forward(np.ones((3, 5))), ValueError, "4 columns"),
    (lambda: MLP([4, 2]).forward(np.full((1, 4), np.nan)), ValueError, "finite"),
    (lambda: MLP([4, 2]).loss_and_grads(np.ones((3, 4)), np.array([0, 1])), ValueError, r"shape \(3,\)"),
    (lambda: MLP([4, 2]).loss_and_grads(np.ones((2, 4)), np.array([0.0, 1.0])), TypeError, "integer"),
    (lambda: MLP([4, 2]).loss_and_grads(np.ones((2, 4)), np.array([0, 2])), ValueError, r"\[0, 2\)"),
    (lambda: MLP([4, 2]).set_flat(np.ones(3)), ValueError, "10 entries"),
]


@pytest.mark.parametrize("call, error, message", BAD)
def test_bad_input(call, error, message):
    with pytest.raises(error, match=message):
        call()
