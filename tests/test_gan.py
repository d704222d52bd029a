"""The numpy GAN: hand-written gradients against autograd, D -> D*, convergence, mode collapse."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from llmmath import GaussianMixture, TinyMLP, optimal_discriminator, train_discriminator, train_gan


def test_tiny_mlp_gradients_match_autograd():
    rng = np.random.default_rng(0)
    f = TinyMLP(5, rng)
    x, dy = rng.standard_normal(7), rng.standard_normal(7)
    y, h = f.forward(x)
    grads, dx = f.backward(x, h, dy)
    tp = {k: torch.tensor(v, requires_grad=True) for k, v in f.params.items()}
    tx = torch.tensor(x, requires_grad=True)
    ty = torch.tanh(tx[:, None] * tp["w"] + tp["c"]) @ tp["a"] + tp["b"]
    (ty * torch.tensor(dy)).sum().backward()
    np.testing.assert_allclose(y, ty.detach().numpy(), rtol=1e-12)
    for k in grads:
        np.testing.assert_allclose(grads[k], tp[k].grad.numpy(), rtol=1e-11, atol=1e-13)
    np.testing.assert_allclose(dx, tx.grad.numpy(), rtol=1e-11, atol=1e-13)


def test_mixture_pdf_integrates_to_one_and_samples_match():
    p = GaussianMixture((-1.0, 2.0), (0.5, 1.0), (0.3, 0.7))
    grid = np.linspace(-8, 10, 20001)
    assert np.trapezoid(p.pdf(grid), grid) == pytest.approx(1.0, abs=1e-9)
    s = p.sample(np.random.default_rng(1), 200_000)
    assert s.mean() == pytest.approx(0.3 * -1 + 0.7 * 2, abs=0.02)


def test_trained_discriminator_approaches_d_star_where_there_is_mass():
    p_data, p_g = GaussianMixture((2.0,), (0.5,)), GaussianMixture((0.0, 3.0), (0.7, 0.5))
    res = train_discriminator(p_data, p_g, n_steps=3000, lr=0.2, seed=0)
    x = np.linspace(-1.5, 4.0, 200)
    mass = p_data.pdf(x) + p_g.pdf(x)
    keep = mass > 0.05 * mass.max()  # where samples exist, D is pinned down; elsewhere it extrapolates
    err = np.abs(res.discriminate(x) - optimal_discriminator(p_data.pdf(x), p_g.pdf(x)))[keep]
    assert err.max() < 0.06  # SGD noise at batch 512: a few hundredths


def test_generator_converges_to_a_gaussian_target():
    res = train_gan(GaussianMixture((4.0,), (1.25,)), n_steps=3000, seed=0)
    s = res.samples[-1]
    assert s.mean() == pytest.approx(4.0, abs=0.15) and s.std() == pytest.approx(1.25, abs=0.15)


def test_optimal_discriminator_formula_and_bad_input():
    np.testing.assert_allclose(optimal_discriminator([1.0, 0.0], [1.0, 2.0]), [0.5, 0.0])
    with pytest.raises(ValueError, match=r"not both zero"):
        optimal_discriminator([0.0], [0.0])
    with pytest.raises(ValueError, match=r"non-negative"):
        optimal_discriminator([-1.0], [1.0])


BAD = [
    pytest.param(lambda: GaussianMixture((0.0, 1.0), (1.0,)), ValueError, r"same length", id="lengths"),
    pytest.param(lambda: GaussianMixture((0.0,), (-1.0,)), ValueError, r"stds must be positive", id="std"),
    pytest.param(lambda: GaussianMixture((0.0, 1.0), (1.0, 1.0), (0.5, 0.6)), ValueError, r"summing to 1",
                 id="weights"),
    pytest.param(lambda: train_gan(GaussianMixture((0.0,), (1.0,)), n_steps=0), ValueError, r"n_steps must be",
                 id="steps"),
    pytest.param(lambda: train_gan(GaussianMixture((0.0,), (1.0,)), lr_d=-1.0), ValueError, r"lr_d must be",
                 id="lr"),
    pytest.param(lambda: TinyMLP(0, np.random.default_rng()), ValueError, r"hidden must be", id="hidden"),
]


@pytest.mark.parametrize("call, exc, match", BAD)
def test_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()
