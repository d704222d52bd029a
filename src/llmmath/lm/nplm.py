r"""The neural probabilistic language model of Bengio et al. (2003), in numpy.

The model reads the :math:`c` tokens before position :math:`t`, looks each up
in one shared embedding matrix :math:`\mathbf{C}`, concatenates the
embeddings, and scores every word of the vocabulary:

.. math::

    \mathbf{x} &= [\mathbf{C}_{w_{t-c}}, \dots, \mathbf{C}_{w_{t-1}}]
        \in \mathbb{R}^{c m}, \\
    \mathbf{z} &= \tanh(\mathbf{x}\mathbf{H}^\top + \mathbf{d})
        \in \mathbb{R}^{h}, \\
    \mathbf{y} &= \mathbf{z}\mathbf{U}^\top + \mathbf{b}
        \;[+\, \mathbf{x}\mathbf{W}^\top] \in \mathbb{R}^{|V|}, \\
    P(w_t = i \mid \text{context}) &= \operatorname{softmax}(\mathbf{y})_i .

Shapes (PyTorch's convention, weight = (out, in)): :math:`\mathbf{C}`
:math:`(|V|+1, m)` (the extra last row embeds the start token ``<s>``, which
is read but never predicted), :math:`\mathbf{H}` :math:`(h, cm)`,
:math:`\mathbf{U}` :math:`(|V|, h)`, and the optional direct connections
:math:`\mathbf{W}` :math:`(|V|, cm)`.

Training minimises the mean cross-entropy of a minibatch with Adam. The
gradients are written by hand (the backward pass below, one line per
equation), in float64; the tests compare them with PyTorch's autograd and
the chapter with central differences. With
:math:`\boldsymbol{\delta} = (\mathbf{p} - \mathbf{e}_{t}) / B` per row:

.. math::

    \nabla_{\mathbf{U}} = \boldsymbol{\delta}^\top \mathbf{Z}, \quad
    \nabla_{\mathbf{b}} = \textstyle\sum_{\text{rows}} \boldsymbol{\delta}, \quad
    \boldsymbol{\delta}_z = \boldsymbol{\delta}\mathbf{U} \odot (1 - \mathbf{Z}^{2}), \quad
    \nabla_{\mathbf{H}} = \boldsymbol{\delta}_z^\top \mathbf{X}, \quad
    \nabla_{\mathbf{d}} = \textstyle\sum_{\text{rows}} \boldsymbol{\delta}_z, \quad
    \nabla_{\mathbf{X}} = \boldsymbol{\delta}_z \mathbf{H} \;[+\, \boldsymbol{\delta}\mathbf{W}],

and the rows of :math:`\nabla_{\mathbf{X}}` are added into the rows of
:math:`\mathbf{C}` that were looked up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np

from .._validation import check_positive
from ..data.corpus import BOS, EOS, UNK, check_sentences
from ..nn.layers import linear
from ..prob.softmax import log_softmax

__all__ = ["NeuralLM"]



def _one_blas_thread():
    """Run BLAS on one thread (a context manager).

    The products of one minibatch are small (256 x 50 by 50 x 1000): starting
    and synchronising a second BLAS thread costs more than it saves, and on a
    busy machine the idle thread's spinning slows the other by up to tenfold.
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
        import contextlib

        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


class NeuralLM:
    r"""Bengio et al.'s neural language model over a fixed vocabulary.

    Parameters
    ----------
    vocab : sequence of str
        The predicted tokens; must contain ``</s>`` and ``<unk>`` and not
        ``<s>`` (for instance an :class:`~llmmath.lm.NGramModel`'s ``vocab``).
    context : int, default 3
        Number of previous tokens read, :math:`c` (an :math:`(c+1)`-gram model).
    dim : int, default 30
        Embedding size :math:`m`.
    hidden : int, default 60
        Hidden units :math:`h`.
    direct : bool, default False
        Add the direct connections :math:`\mathbf{W}` from the embeddings to the output.
    seed : int, default 0
        Seeds the initial weights: :math:`\mathbf{C} \sim \mathcal{N}(0, 0.1^2)`
        (small, so that after a short training the learned structure, not the
        random start, decides which embeddings are close);
        :math:`\mathbf{H}, \mathbf{U}, \mathbf{W}` uniform in
        :math:`\pm 1/\sqrt{\text{fan-in}}`; biases zero.

    Attributes
    ----------
    params : dict of str to numpy.ndarray
        ``"C"``, ``"H"``, ``"d"``, ``"U"``, ``"b"`` (and ``"W"``), float64.

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath import NeuralLM
    >>> lm = NeuralLM(["a", "b", "</s>", "<unk>"], context=2, dim=3, hidden=4)
    >>> X, y = lm.windows([["a", "b"], ["b"]])
    >>> X.tolist(), y.tolist()
    ([[4, 4], [4, 0], [0, 1], [4, 4], [4, 1]], [0, 1, 2, 1, 2])
    >>> loss, grads = lm.loss_and_grad(X, y)
    >>> round(loss, 4), grads["C"].shape
    (1.4169, (5, 3))
    """

    def __init__(self, vocab: Sequence[str], context: int = 3, dim: int = 30, hidden: int = 60,
                 direct: bool = False, seed: int = 0):
        if isinstance(vocab, str):
            raise TypeError("vocab must be a sequence of tokens, not a str")
        vocab = tuple(vocab)
        if len(set(vocab)) != len(vocab) or EOS not in vocab or UNK not in vocab or BOS in vocab:
            raise ValueError(f"vocab must hold distinct tokens including {EOS!r} and {UNK!r}, and not {BOS!r}")
        self.vocab = vocab
        self._index = {w: i for i, w in enumerate(vocab)}
        self.context = check_positive(context, "context", integer=True)
        self.dim = check_positive(dim, "dim", integer=True)
        self.hidden = check_positive(hidden, "hidden", integer=True)
        if not isinstance(direct, bool):
            raise TypeError(f"direct must be True or False, got {direct!r}")
        self.direct = direct
        rng = np.random.default_rng(seed)
        V, cm = len(vocab), self.context * self.dim

        def uniform(shape, fan_in):
            return rng.uniform(-1, 1, size=shape) / np.sqrt(fan_in)

        self.params = {"C": 0.1 * rng.standard_normal((V + 1, self.dim)),
                       "H": uniform((self.hidden, cm), cm), "d": np.zeros(self.hidden),
                       "U": uniform((V, self.hidden), self.hidden), "b": np.zeros(V)}
        if direct:
            self.params["W"] = uniform((V, cm), cm)
        self._adam = None

    # ------------------------------------------------------------------ data
    def windows(self, sentences: Iterable[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
        """Every predicted token with its context, as ids.

        Each sentence is padded with ``context`` start tokens (id
        ``len(vocab)``) and one ``</s>``; unknown words read as ``<unk>``.

        Returns
        -------
        X : numpy.ndarray of int, shape (N, context)
            Context ids, oldest first.
        y : numpy.ndarray of int, shape (N,)
            The token that follows each context.
        """
        idx, unk, bos, c = self._index, self._index[UNK], len(self.vocab), self.context
        stream, targets = [], []
        for s in check_sentences(sentences):
            ids = [idx.get(t, unk) for t in s] + [idx[EOS]]
            stream.extend([bos] * c + ids)
            targets.append(np.arange(len(stream) - len(ids), len(stream)))
        if not targets:
            raise ValueError("sentences must contain at least one sentence")
        seq, pos = np.asarray(stream, dtype=np.int64), np.concatenate(targets)
        X = seq[pos[:, None] + np.arange(-c, 0)]
        return X, seq[pos]

    def _check_batch(self, X, y=None) -> tuple[np.ndarray, np.ndarray | None]:
        X = np.asarray(X)
        if X.ndim != 2 or X.shape[1] != self.context or not np.issubdtype(X.dtype, np.integer):
            raise ValueError(f"X must be an integer array of shape (B, context={self.context}), got "
                             f"{X.dtype} {X.shape}; make it with windows(sentences)")
        if X.size and (X.min() < 0 or X.max() > len(self.vocab)):
            raise ValueError(f"X must hold ids in [0, {len(self.vocab)}] ({len(self.vocab)} is <s>)")
        if y is not None:
            y = np.asarray(y)
            if y.shape != (X.shape[0],) or not np.issubdtype(y.dtype, np.integer):
                raise ValueError(f"y must be an integer array of shape ({X.shape[0]},), got {y.dtype} {y.shape}")
            if y.size and (y.min() < 0 or y.max() >= len(self.vocab)):
                raise ValueError(f"y must hold ids in [0, {len(self.vocab)}) (<s> is never predicted)")
        return X, y

    # ------------------------------------------------------------------ model
    def _forward(self, X: np.ndarray, params: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        x = params["C"][X].reshape(len(X), -1)               # (B, c m)
        z = np.tanh(linear(x, params["H"], params["d"]))     # (B, h)
        y = linear(z, params["U"], params["b"])              # (B, |V|)
        if "W" in params:
            y += linear(x, params["W"])
        return x, z, log_softmax(y)

    def log_probs_of(self, X, y, params: dict | None = None) -> np.ndarray:
        """:math:`\\log P(y_i \\mid X_i)` for each row, shape (B,)."""
        X, y = self._check_batch(X, y)
        params = self.params if params is None else params
        out = np.empty(len(y))
        for start in range(0, len(y), 4096):
            sl = slice(start, start + 4096)
            logp = self._forward(X[sl], params)[2]
            out[sl] = logp[np.arange(len(logp)), y[sl]]
        return out

    def loss(self, X, y, params: dict | None = None) -> float:
        """Mean cross-entropy (nats) of the rows of ``X`` predicting ``y``."""
        return float(-self.log_probs_of(X, y, params).mean())

    def loss_and_grad(self, X, y) -> tuple[float, dict]:
        """The mean cross-entropy of a batch and its gradient for every parameter (hand-written)."""
        X, y = self._check_batch(X, y)
        P = self.params
        B, rows = len(y), np.arange(len(y))
        x, z, logp = self._forward(X, P)
        loss = float(-logp[rows, y].mean())
        dy = np.exp(logp)                                    # softmax probabilities
        dy[rows, y] -= 1.0
        dy /= B                                              # d loss / d logits
        g = {"U": dy.T @ z, "b": dy.sum(axis=0)}
        dz = (dy @ P["U"]) * (1.0 - z * z)                   # back through tanh
        g["H"], g["d"] = dz.T @ x, dz.sum(axis=0)
        dx = dz @ P["H"]
        if "W" in P:
            g["W"] = dy.T @ x
            dx += dy @ P["W"]
        g["C"] = np.zeros_like(P["C"])
        np.add.at(g["C"], X.reshape(-1), dx.reshape(-1, self.dim))  # scatter into looked-up rows
        return loss, g

    # ------------------------------------------------------------------ training
    def step(self, X, y, lr: float = 3e-3, betas=(0.9, 0.999), eps: float = 1e-8) -> float:
        r"""One Adam update (Kingma and Ba, 2015) on a batch; returns the batch loss before it.

        .. math::

            \mathbf{m} \leftarrow \beta_1 \mathbf{m} + (1-\beta_1)\mathbf{g}, \quad
            \mathbf{v} \leftarrow \beta_2 \mathbf{v} + (1-\beta_2)\mathbf{g}^2, \quad
            \theta \leftarrow \theta - \frac{\eta}{1 - \beta_1^t}
            \frac{\mathbf{m}}{\sqrt{\mathbf{v}/(1-\beta_2^t)} + \epsilon},

        written as :class:`torch.optim.Adam` computes it.
        """
        lr = check_positive(lr, "lr")
        loss, grads = self.loss_and_grad(X, y)
        if self._adam is None:
            self._adam = {"t": 0, "m": {k: np.zeros_like(v) for k, v in self.params.items()},
                          "v": {k: np.zeros_like(v) for k, v in self.params.items()}}
        state = self._adam
        state["t"] += 1
        b1, b2 = betas
        c1, c2 = 1 - b1 ** state["t"], np.sqrt(1 - b2 ** state["t"])
        for name, grad in grads.items():
            m, v = state["m"][name], state["v"][name]
            m *= b1
            m += (1 - b1) * grad
            v *= b2
            v += (1 - b2) * grad * grad
            denom = np.sqrt(v)                               # in place from here on:
            denom /= c2                                      # no full-size temporaries
            denom += eps
            np.divide(m, denom, out=denom)
            denom *= lr / c1
            self.params[name] -= denom
        return loss

    def fit(self, sentences: Iterable[Sequence[str]], epochs: int = 1, batch_size: int = 256,
            lr: float = 3e-3, seed: int = 0, callback: Callable | None = None) -> list[float]:
        """Train with Adam on shuffled minibatches of all windows of ``sentences``.

        Parameters
        ----------
        sentences : iterable of sequences of str
        epochs, batch_size : int
        lr : float
            Adam's step size :math:`\\eta`.
        seed : int
            Seeds the shuffling (one permutation per epoch).
        callback : callable, optional
            Called as ``callback(epoch, batch, n_batches, mean_loss_so_far)``
            about a hundred times per epoch (a progress display).

        Returns
        -------
        list of float
            The mean training loss of each epoch.
        """
        epochs = check_positive(epochs, "epochs", integer=True)
        batch_size = check_positive(batch_size, "batch_size", integer=True)
        X, y = self.windows(sentences)
        with _one_blas_thread():
            return self._train(X, y, epochs, batch_size, lr, seed, callback)

    def _train(self, X, y, epochs, batch_size, lr, seed, callback) -> list[float]:
        rng = np.random.default_rng(seed)
        n_batches = -(-len(y) // batch_size)
        every = max(1, n_batches // 100)
        history = []
        for epoch in range(epochs):
            order = rng.permutation(len(y))
            total = 0.0
            for b in range(n_batches):
                rows = order[b * batch_size:(b + 1) * batch_size]
                total += self.step(X[rows], y[rows], lr=lr) * len(rows)
                if callback is not None and ((b + 1) % every == 0 or b + 1 == n_batches):
                    callback(epoch, b + 1, n_batches, total / min((b + 1) * batch_size, len(y)))
            history.append(total / len(y))
        return history

    # ------------------------------------------------------------------ use
    def log_probs(self, sentences: Iterable[Sequence[str]]) -> np.ndarray:
        """Natural log-probability of every predicted token (``</s>`` included), in order."""
        return self.log_probs_of(*self.windows(sentences))

    def perplexity(self, sentences: Iterable[Sequence[str]]) -> float:
        """:math:`\\exp` of the mean negative log-likelihood per predicted token."""
        return float(np.exp(-self.log_probs(sentences).mean()))

    def next_distribution(self, context: Sequence[str] = ()) -> np.ndarray:
        """The distribution of the next token after ``context`` (padded with ``<s>``), shape ``(len(vocab),)``."""
        if isinstance(context, str):
            raise TypeError("context must be a sequence of tokens, not a str")
        ids = [self._index.get(t, self._index[UNK]) if t != BOS else len(self.vocab) for t in context]
        ids = ([len(self.vocab)] * self.context + ids)[-self.context:]
        return np.exp(self._forward(np.array([ids]), self.params)[2][0])

    @property
    def embeddings(self) -> np.ndarray:
        """The learned word vectors, the rows of :math:`\\mathbf{C}` for ``vocab`` (``<s>`` left out)."""
        return self.params["C"][: len(self.vocab)]

    def __repr__(self) -> str:
        n = sum(p.size for p in self.params.values())
        return (f"NeuralLM(|V|={len(self.vocab)}, context={self.context}, dim={self.dim}, "
                f"hidden={self.hidden}, direct={self.direct}; {n} parameters)")
