r"""A multilayer perceptron with its backward pass written out layer by layer.

The network maps a batch :math:`\mathbf{X}` of shape ``(N, d_0)`` to logits
of shape ``(N, d_L)`` through ``L`` linear layers, with :math:`\tanh`
between them and none after the last:

.. math::

    \mathbf{H}_0 = \mathbf{X}, \qquad
    \mathbf{Z}_\ell = \mathbf{H}_{\ell-1}\mathbf{W}_\ell^\top + \mathbf{b}_\ell, \qquad
    \mathbf{H}_\ell = \tanh(\mathbf{Z}_\ell) \quad (\ell < L), \qquad
    \text{logits} = \mathbf{Z}_L .

Weights follow PyTorch's ``nn.Linear``: :math:`\mathbf{W}_\ell` has shape
``(d_l, d_{l-1})`` (out, in). The backward pass is the chain rule applied to
these three lines in reverse order; :meth:`MLP.loss_and_grads` spells it out.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np

from .._validation import as_float_array
from ..prob import log_softmax

__all__ = ["MLP"]


def _check_sizes(sizes) -> tuple[int, ...]:
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence):
        raise TypeError(f"sizes must be a sequence of layer widths such as [64, 32, 10], got {sizes!r}")
    if len(sizes) < 2:
        raise ValueError(f"sizes must list at least an input and an output width, got {list(sizes)!r}")
    for i, s in enumerate(sizes):
        if isinstance(s, bool) or not isinstance(s, numbers.Integral) or s < 1:
            raise ValueError(f"sizes[{i}] must be a positive integer, got {s!r}")
    return tuple(int(s) for s in sizes)


class MLP:
    r"""A tanh multilayer perceptron for classification, with hand-written gradients.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths :math:`(d_0, d_1, \dots, d_L)`: input, hidden layers,
        number of classes. ``[4, 3]`` is a linear (softmax-regression) model.
    seed : int, default 0
        Seed of the weight initialisation.
    dtype : numpy dtype, default float64
        Precision of the parameters (float32 or float64).

    Attributes
    ----------
    params : list of (W, b)
        ``W`` of shape ``(d_l, d_{l-1})`` and ``b`` of shape ``(d_l,)`` for
        each layer. Initialised as :math:`W_{ij} \sim \mathcal{N}(0, 1/d_{l-1})`
        (so pre-activations start with variance near that of the input) and
        :math:`\mathbf{b} = \mathbf{0}`.

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath import MLP
    >>> net = MLP([4, 8, 3], seed=0)
    >>> [W.shape for W, b in net.params]
    [(8, 4), (3, 8)]
    >>> X, y = np.ones((5, 4)), np.array([0, 1, 2, 1, 0])
    >>> loss, grads = net.loss_and_grads(X, y)
    >>> net.forward(X).shape, grads[0][0].shape
    ((5, 3), (8, 4))
    """

    def __init__(self, sizes: Sequence[int], seed: int = 0, dtype=np.float64) -> None:
        self.sizes = _check_sizes(sizes)
        dtype = np.dtype(dtype)
        if dtype not in (np.float32, np.float64):
            raise ValueError(f"dtype must be float32 or float64, got {dtype}")
        self.dtype = dtype
        rng = np.random.default_rng(seed)
        self.params: list[tuple[np.ndarray, np.ndarray]] = [
            ((rng.standard_normal((d_out, d_in)) / np.sqrt(d_in)).astype(dtype), np.zeros(d_out, dtype))
            for d_in, d_out in zip(self.sizes[:-1], self.sizes[1:])
        ]

    def __repr__(self) -> str:
        return f"MLP(sizes={list(self.sizes)}, n_params={self.n_params})"

    @property
    def n_params(self) -> int:
        """Total number of weights and biases."""
        return sum(W.size + b.size for W, b in self.params)

    # ------------------------------------------------------------------
    # Parameters as one flat vector (for optimisers and gradient checks)
    # ------------------------------------------------------------------

    def get_flat(self) -> np.ndarray:
        """All parameters as one vector: ``W_1, b_1, W_2, b_2, ...``, each row-major."""
        return np.concatenate([a.ravel() for W, b in self.params for a in (W, b)])

    def set_flat(self, theta) -> None:
        """Replace the parameters by the entries of ``theta`` (the layout of :meth:`get_flat`)."""
        theta = as_float_array(theta, "theta", ndim=1)
        if theta.size != self.n_params:
            raise ValueError(f"theta must have {self.n_params} entries (n_params), got {theta.size}")
        params, start = [], 0
        for W, b in self.params:
            pieces = []
            for a in (W, b):
                pieces.append(theta[start:start + a.size].reshape(a.shape).astype(self.dtype))
                start += a.size
            params.append(tuple(pieces))
        self.params = params

    def flat_loss_and_grad(self, theta, X, y) -> tuple[float, np.ndarray]:
        """:meth:`loss_and_grads` at parameters ``theta``, with the gradient flattened like it."""
        self.set_flat(theta)
        loss, grads = self.loss_and_grads(X, y)
        return loss, np.concatenate([a.ravel() for gW, gb in grads for a in (gW, gb)])

    # ------------------------------------------------------------------
    # Forward and backward
    # ------------------------------------------------------------------

    def _check_X(self, X) -> np.ndarray:
        X = as_float_array(X, "X", ndim=2)
        if X.shape[1] != self.sizes[0]:
            raise ValueError(
                f"X must have {self.sizes[0]} columns (sizes[0]), got shape {X.shape}; "
                "pass one example per row"
            )
        return X.astype(self.dtype, copy=False)

    def _forward(self, X: np.ndarray) -> list[np.ndarray]:
        """Activations ``[H_0, H_1, ..., H_{L-1}, logits]``."""
        acts = [X]
        for ell, (W, b) in enumerate(self.params):
            Z = acts[-1] @ W.T + b
            acts.append(Z if ell == len(self.params) - 1 else np.tanh(Z))
        return acts

    def forward(self, X) -> np.ndarray:
        r"""Logits for a batch.

        Parameters
        ----------
        X : array_like, shape (N, d_0)
            One example per row.

        Returns
        -------
        numpy.ndarray, shape (N, d_L)
            :math:`\mathbf{Z}_L`; apply :func:`llmmath.prob.softmax` for probabilities.
        """
        return self._forward(self._check_X(X))[-1]

    def _check_y(self, y, n: int) -> np.ndarray:
        y = np.asarray(y)
        if not np.issubdtype(y.dtype, np.integer):
            raise TypeError(f"y must hold integer class labels, got dtype {y.dtype}")
        if y.shape != (n,):
            raise ValueError(f"y must have shape ({n},), one label per row of X, got {y.shape}")
        if y.min() < 0 or y.max() >= self.sizes[-1]:
            raise ValueError(f"y must lie in [0, {self.sizes[-1]}), got values in [{y.min()}, {y.max()}]")
        return y

    def loss(self, X, y) -> float:
        """The mean cross-entropy alone (no backward pass)."""
        X = self._check_X(X)
        y = self._check_y(y, X.shape[0])
        logp = log_softmax(self._forward(X)[-1], axis=-1)
        return float(-logp[np.arange(len(y)), y].mean(dtype=np.float64))

    def loss_and_grads(self, X, y) -> tuple[float, list[tuple[np.ndarray, np.ndarray]]]:
        r"""Mean softmax cross-entropy and its gradient with respect to every parameter.

        With :math:`\mathbf{P} = \operatorname{softmax}(\mathbf{Z}_L)` row by
        row and :math:`\mathbf{Y}` the one-hot labels, the loss and the
        backward pass are

        .. math::

            \mathcal{L} &= -\frac1N \sum_{n} \log P_{n, y_n}, \qquad
            \frac{\partial\mathcal{L}}{\partial \mathbf{Z}_L} = \frac{\mathbf{P} - \mathbf{Y}}{N},\\
            \frac{\partial\mathcal{L}}{\partial \mathbf{W}_\ell} &=
                \Bigl(\frac{\partial\mathcal{L}}{\partial \mathbf{Z}_\ell}\Bigr)^{\!\top} \mathbf{H}_{\ell-1},
            \qquad
            \frac{\partial\mathcal{L}}{\partial \mathbf{b}_\ell} =
                \mathbf{1}^\top \frac{\partial\mathcal{L}}{\partial \mathbf{Z}_\ell},\\
            \frac{\partial\mathcal{L}}{\partial \mathbf{Z}_{\ell-1}} &=
                \Bigl(\frac{\partial\mathcal{L}}{\partial \mathbf{Z}_\ell}\mathbf{W}_\ell\Bigr)
                \odot \bigl(1 - \mathbf{H}_{\ell-1}^{2}\bigr),

        using :math:`\tanh' = 1 - \tanh^2`.

        Parameters
        ----------
        X : array_like, shape (N, d_0)
        y : array_like of int, shape (N,)
            Class labels in ``[0, d_L)``.

        Returns
        -------
        loss : float
        grads : list of (dW, db)
            Same structure and shapes as :attr:`params`.
        """
        X = self._check_X(X)
        y = self._check_y(y, X.shape[0])
        acts = self._forward(X)
        n = X.shape[0]
        logp = log_softmax(acts[-1], axis=-1)               # (N, d_L), the one softmax of the library
        loss = float(-logp[np.arange(n), y].mean(dtype=np.float64))
        dZ = np.exp(logp)                                   # P
        dZ[np.arange(n), y] -= 1                            # P - Y
        dZ /= n                                             # dL/dZ_L
        grads = []
        for ell in range(len(self.params) - 1, -1, -1):
            W, _ = self.params[ell]
            H_prev = acts[ell]                              # input of layer ell (0-based)
            grads.append((dZ.T @ H_prev, dZ.sum(axis=0)))
            if ell > 0:
                dZ = (dZ @ W) * (1 - H_prev**2)             # through the tanh of the layer below
        return loss, grads[::-1]
