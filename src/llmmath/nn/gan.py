r"""A generative adversarial network on the real line, in numpy (Goodfellow et al., 2014).

A generator :math:`G` maps noise :math:`z \sim \mathcal N(0, 1)` to samples; a
discriminator :math:`D(x) \in (0, 1)` says how likely :math:`x` is to be real.
They play the minimax game

.. math::

    \min_G \max_D\; V(D, G) =
    \mathbb E_{x \sim p_{\text{data}}}\left[\log D(x)\right] +
    \mathbb E_{z}\left[\log\left(1 - D(G(z))\right)\right].

For a fixed generator with density :math:`p_g`, the best discriminator is
:math:`D^*(x) = p_{\text{data}}(x) / (p_{\text{data}}(x) + p_g(x))`, and at
:math:`D^*` the game's value is :math:`2\,\mathrm{JS}(p_{\text{data}}\Vert p_g) - \log 4`.

Both players here are one-hidden-layer tanh networks from the reals to the
reals (:class:`TinyMLP`), with gradients written out by hand and plain
stochastic gradient steps (ascent for :math:`D`, descent for :math:`G`).
The generator minimises the "non-saturating" :math:`-\log D(G(z))`, as
Goodfellow et al. recommend: same fixed points, stronger gradients early on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._validation import as_float_array, check_positive

__all__ = ["TinyMLP", "GaussianMixture", "GANResult", "train_gan", "train_discriminator", "optimal_discriminator"]


def _sigmoid(t: np.ndarray) -> np.ndarray:
    # exp of a non-positive number only: no overflow for any logit
    e = np.exp(-np.abs(t))
    return np.where(t >= 0, 1 / (1 + e), e / (1 + e))


class TinyMLP:
    r"""The network :math:`f(x) = \mathbf{a}^\top \tanh(\mathbf{w} x + \mathbf{c}) + b`, scalar in and out.

    Parameters
    ----------
    hidden : int
        Width of the hidden layer.
    rng : numpy.random.Generator
        For the initial weights (Gaussian, scale :math:`1/\sqrt{\text{hidden}}` on the output).

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath import TinyMLP
    >>> f = TinyMLP(4, np.random.default_rng(0))
    >>> y = f(np.array([0.0, 1.0]))
    >>> y.shape
    (2,)
    """

    def __init__(self, hidden: int, rng: np.random.Generator, scale: float = 1.0):
        hidden = check_positive(hidden, "hidden", integer=True)
        self.params = {
            "w": scale * rng.standard_normal(hidden),
            "c": scale * rng.standard_normal(hidden),
            "a": rng.standard_normal(hidden) / np.sqrt(hidden),
            "b": np.zeros(()),
        }

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return self.forward(x)[0]

    def forward(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Outputs (N,) and the hidden activations (N, hidden) the gradients need."""
        p = self.params
        h = np.tanh(np.multiply.outer(x, p["w"]) + p["c"])
        return h @ p["a"] + p["b"], h

    def backward(self, x: np.ndarray, h: np.ndarray, dy: np.ndarray) -> tuple[dict, np.ndarray]:
        r"""Gradients of :math:`\sum_n dy_n f(x_n)` by the parameters, and by each :math:`x_n`."""
        p = self.params
        dpre = np.multiply.outer(dy, p["a"]) * (1 - h * h)  # (N, hidden)
        grads = {"a": h.T @ dy, "b": dy.sum(), "w": x @ dpre, "c": dpre.sum(axis=0)}
        return grads, dpre @ p["w"]

    def step(self, grads: dict, lr: float) -> None:
        """Move the parameters by ``lr`` times ``grads`` (pass a negated gradient to descend)."""
        for key, g in grads.items():
            self.params[key] = self.params[key] + lr * g


@dataclass(frozen=True)
class GaussianMixture:
    r"""The density :math:`p(x) = \sum_k \pi_k\, \mathcal N(x; \mu_k, \sigma_k^2)` and a sampler.

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath import GaussianMixture
    >>> p = GaussianMixture(means=(0.0,), stds=(1.0,))
    >>> round(float(p.pdf(np.array([0.0]))[0]), 6)
    0.398942
    """

    means: tuple
    stds: tuple
    weights: tuple | None = None

    def __post_init__(self):
        means = as_float_array(self.means, "means", ndim=1)
        stds = as_float_array(self.stds, "stds", ndim=1)
        if means.shape != stds.shape or np.any(stds <= 0):
            raise ValueError("means and stds must have the same length and stds must be positive")
        w = np.full(len(means), 1 / len(means)) if self.weights is None else as_float_array(self.weights, "weights")
        if w.shape != means.shape or np.any(w < 0) or not np.isclose(w.sum(), 1.0):
            raise ValueError("weights must be non-negative, one per component, summing to 1")
        object.__setattr__(self, "_arrays", (means, stds, w))

    def pdf(self, x) -> np.ndarray:
        m, s, w = self._arrays
        x = as_float_array(x, "x", allow_empty=True)
        z = (x[..., None] - m) / s
        return (w * np.exp(-0.5 * z * z) / (s * np.sqrt(2 * np.pi))).sum(axis=-1)

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        m, s, w = self._arrays
        comp = rng.choice(len(m), size=n, p=w)
        return m[comp] + s[comp] * rng.standard_normal(n)


@dataclass
class GANResult:
    """A trained pair and its history (every ``record_every`` steps)."""

    generator: TinyMLP
    discriminator: TinyMLP
    steps: list = field(default_factory=list)
    value: list = field(default_factory=list)  # the minibatch estimate of V(D, G)
    samples: list = field(default_factory=list)  # generator samples of a fixed noise batch

    def discriminate(self, x) -> np.ndarray:
        """:math:`D(x)`."""
        return _sigmoid(self.discriminator(np.asarray(x, dtype=np.float64)))

    def generate(self, z) -> np.ndarray:
        """:math:`G(z)`."""
        return self.generator(np.asarray(z, dtype=np.float64))


def _d_step(d: TinyMLP, real: np.ndarray, fake: np.ndarray, lr: float) -> float:
    """One ascent step on V for D; returns the minibatch V before the step."""
    lr_, hr = d.forward(real)
    lf, hf = d.forward(fake)
    dr, df = _sigmoid(lr_), _sigmoid(lf)
    # log sigma(l) = -softplus(-l) and log(1 - sigma(l)) = -softplus(l), finite for any logit
    value = float(-np.mean(np.logaddexp(0, -lr_)) - np.mean(np.logaddexp(0, lf)))
    # d/dl log sigma(l) = 1 - sigma(l);  d/dl log(1 - sigma(l)) = -sigma(l)
    g_real, _ = d.backward(real, hr, (1 - dr) / len(real))
    g_fake, _ = d.backward(fake, hf, -df / len(fake))
    d.step({key: g_real[key] + g_fake[key] for key in g_real}, lr)
    return value


def train_gan(data: GaussianMixture, n_steps: int = 3000, batch: int = 256, lr_d: float = 0.05,
              lr_g: float = 0.02, hidden: int = 16, d_steps: int = 1, record_every: int = 100,
              seed: int = 0, train_generator: bool = True, generator: TinyMLP | None = None) -> GANResult:
    r"""Train a GAN by alternating stochastic gradient steps.

    Each step: ``d_steps`` ascent steps of :math:`D` on :math:`V`, then one
    descent step of :math:`G` on :math:`-\frac1N\sum\log D(G(z_n))`.

    Parameters
    ----------
    data : GaussianMixture
        :math:`p_{\text{data}}`.
    n_steps, batch, lr_d, lr_g, hidden, d_steps, record_every, seed
        Training settings; everything is drawn from ``numpy.random.default_rng(seed)``.
    train_generator : bool, default True
        False keeps :math:`G` fixed and trains :math:`D` alone (to check
        :math:`D \to D^*`).
    generator : TinyMLP, optional
        Start from this generator (it is trained in place) instead of a new one.

    Returns
    -------
    GANResult

    Examples
    --------
    >>> from llmmath import GaussianMixture, train_gan
    >>> res = train_gan(GaussianMixture((2.0,), (0.5,)), n_steps=20, record_every=10)
    >>> res.steps
    [0, 10, 20]
    """
    n_steps = check_positive(n_steps, "n_steps", integer=True)
    batch = check_positive(batch, "batch", integer=True)
    lr_d, lr_g = check_positive(lr_d, "lr_d"), check_positive(lr_g, "lr_g")
    rng = np.random.default_rng(seed)
    g = generator if generator is not None else TinyMLP(hidden, rng)
    d = TinyMLP(hidden, rng)
    res = GANResult(g, d)
    z_fixed = rng.standard_normal(2000)
    for step in range(n_steps + 1):
        if step % record_every == 0 or step == n_steps:
            res.steps.append(step)
            res.samples.append(g(z_fixed))
        if step == n_steps:
            break
        for _ in range(d_steps):
            value = _d_step(d, data.sample(rng, batch), g(rng.standard_normal(batch)), lr_d)
        if step % record_every == 0:
            res.value.append(value)
        if train_generator:
            z = rng.standard_normal(batch)
            x, hg = g.forward(z)
            lx, hd = d.forward(x)
            # loss -mean log D(G(z)): d/dx = -(1 - D(x)) dl/dx
            _, dl_dx = d.backward(x, hd, np.ones_like(x))
            dx = -(1 - _sigmoid(lx)) * dl_dx / batch
            grads, _ = g.backward(z, hg, dx)
            g.step({key: -val for key, val in grads.items()}, lr_g)
    return res


def train_discriminator(p_data: GaussianMixture, p_g: GaussianMixture, n_steps: int = 3000, batch: int = 512,
                        lr: float = 0.2, hidden: int = 16, seed: int = 0) -> GANResult:
    r"""Train :math:`D` alone between two known densities, to compare it with :math:`D^*`.

    The generator's side of the game is replaced by samples of ``p_g``, so
    the best response :func:`optimal_discriminator` is known exactly.

    Returns
    -------
    GANResult
        With ``generator=None``; ``discriminate`` is the trained :math:`D`.

    Examples
    --------
    >>> from llmmath import GaussianMixture, train_discriminator
    >>> res = train_discriminator(GaussianMixture((1.0,), (1.0,)), GaussianMixture((-1.0,), (1.0,)), n_steps=200)
    >>> bool(res.discriminate([2.0])[0] > 0.5 > res.discriminate([-2.0])[0])
    True
    """
    n_steps = check_positive(n_steps, "n_steps", integer=True)
    batch = check_positive(batch, "batch", integer=True)
    lr = check_positive(lr, "lr")
    rng = np.random.default_rng(seed)
    d = TinyMLP(hidden, rng)
    res = GANResult(None, d)
    for step in range(n_steps):
        value = _d_step(d, p_data.sample(rng, batch), p_g.sample(rng, batch), lr)
        if step % 100 == 0:
            res.steps.append(step)
            res.value.append(value)
    return res


def optimal_discriminator(p_data, p_g) -> np.ndarray:
    r"""The best response :math:`D^*(x) = p_{\text{data}}(x) / (p_{\text{data}}(x) + p_g(x))`.

    It maximises, pointwise in :math:`x`, the integrand
    :math:`p_{\text{data}} \log D + p_g \log (1 - D)` of :math:`V`, whose
    derivative :math:`p_{\text{data}}/D - p_g/(1-D)` vanishes there.

    Parameters
    ----------
    p_data, p_g : array_like
        The two densities at the same points (not both zero).

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath import optimal_discriminator
    >>> optimal_discriminator(np.array([1.0, 3.0]), np.array([1.0, 1.0]))
    array([0.5 , 0.75])
    """
    a = as_float_array(p_data, "p_data")
    b = as_float_array(p_g, "p_g")
    if np.any(a < 0) or np.any(b < 0) or np.any(a + b == 0):
        raise ValueError("p_data and p_g must be non-negative densities, not both zero at any point")
    return a / (a + b)
