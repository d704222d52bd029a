"""The Elman RNN against torch.nn.RNN, and its Jacobian norms against autograd."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from llmmath import rnn_forward, rnn_jacobian_norms


@pytest.fixture
def rng():
    return np.random.default_rng(1990)


def _t(a):
    return torch.from_numpy(np.array(a))


@pytest.mark.parametrize("dtype, tol", [(np.float64, 1e-12), (np.float32, 1e-5)])
def test_forward_matches_torch_rnn(rng, dtype, tol):
    d_in, d_h = 5, 7
    x = rng.standard_normal((3, 11, d_in)).astype(dtype)
    w_ih, w_hh = (rng.standard_normal(s).astype(dtype) / 2 for s in ((d_h, d_in), (d_h, d_h)))
    b_ih, b_hh = (rng.standard_normal(d_h).astype(dtype) for _ in range(2))
    h0 = rng.standard_normal((3, d_h)).astype(dtype)
    rnn = torch.nn.RNN(d_in, d_h, batch_first=True, dtype=torch.float64 if dtype == np.float64 else torch.float32)
    with torch.no_grad():
        for name, val in (("weight_ih_l0", w_ih), ("weight_hh_l0", w_hh), ("bias_ih_l0", b_ih), ("bias_hh_l0", b_hh)):
            getattr(rnn, name).copy_(_t(val))
        ref, _ = rnn(_t(x), _t(h0)[None])
    h = rnn_forward(x, w_ih, w_hh, b_ih, b_hh, h0=h0)
    assert h.dtype == dtype
    np.testing.assert_allclose(h, ref.numpy(), rtol=tol, atol=tol)


def test_jacobian_norms_match_autograd(rng):
    d_h, n = 6, 9
    w_ih, w_hh = rng.standard_normal((d_h, 3)), 0.9 * rng.standard_normal((d_h, d_h)) / np.sqrt(d_h)
    x = rng.standard_normal((n, 3))
    h = rnn_forward(x, w_ih, w_hh)
    got = rnn_jacobian_norms(h, w_hh)
    pre = _t(x @ w_ih.T)
    W = _t(w_hh)
    for t in range(n):
        def run(ht, t=t):
            for s in range(t + 1, n):
                ht = torch.tanh(pre[s] + W @ ht)
            return ht
        jac = torch.autograd.functional.jacobian(run, _t(h[t])).numpy()
        np.testing.assert_allclose(got[t], np.linalg.norm(jac, 2), rtol=1e-10)
    assert got[-1] == pytest.approx(1.0)


def test_small_recurrent_weights_make_gradients_vanish_geometrically(rng):
    # |dh_T/dh_t| <= |W_hh|^(T-t) since |diag(1 - h^2)| <= 1.
    d_h, n = 8, 40
    w_hh = rng.standard_normal((d_h, d_h))
    w_hh *= 0.5 / np.linalg.norm(w_hh, 2)
    h = rnn_forward(rng.standard_normal((n, 2)), rng.standard_normal((d_h, 2)), w_hh)
    norms = rnn_jacobian_norms(h, w_hh)
    assert np.all(norms <= 0.5 ** (n - 1 - np.arange(n)) * (1 + 1e-12))


BAD = [
    pytest.param(lambda: rnn_forward(np.ones((3, 2)), np.ones((4, 3)), np.eye(4)), ValueError,
                 r"w_ih must have shape \(d_hidden, d_in\) = \(4, 2\)", id="w_ih"),
    pytest.param(lambda: rnn_forward(np.ones((3, 2)), np.ones((4, 2)), np.ones((4, 3))), ValueError,
                 r"w_hh must be square", id="w_hh"),
    pytest.param(lambda: rnn_forward(np.ones(3), np.ones((4, 1)), np.eye(4)), ValueError,
                 r"x must have at least 2", id="x-1d"),
    pytest.param(lambda: rnn_forward(np.ones((3, 2)), np.ones((4, 2)), np.eye(4), h0=np.ones(3)), ValueError,
                 r"h0 must have shape \(4,\)", id="h0"),
    pytest.param(lambda: rnn_jacobian_norms(np.ones((3, 2)), np.eye(4)), ValueError, r"h must have d_hidden = 4",
                 id="jac-h"),
]


@pytest.mark.parametrize("call, exc, match", BAD)
def test_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()
