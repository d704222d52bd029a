r"""Counted n-gram language models with add-k, Kneser-Ney and interpolated smoothing.

An n-gram model makes the Markov assumption: the next token depends only on
the :math:`n-1` tokens before it,

.. math::

    P(w_1, \dots, w_T) = \prod_{t=1}^{T} P(w_t \mid w_{t-n+1}, \dots, w_{t-1}),

and estimates each factor from counts :math:`c(\cdot)` in training text.
Each sentence is padded with :math:`n-1` start tokens ``<s>`` and one end
token ``</s>``; ``</s>`` is predicted like a word, ``<s>`` never is. The
vocabulary :math:`V` is every training token plus ``</s>`` and ``<unk>``;
any other word, in a context or predicted, is read as ``<unk>``.

Smoothing methods (``h`` is the context, ``h'`` the context without its
oldest token, :math:`|V|` the vocabulary size):

``"add-k"``
    :math:`P(w \mid h) = \dfrac{c(h w) + k}{c(h) + k|V|}` (Laplace for
    :math:`k = 1`). An unseen context gives the uniform distribution.
``"kneser-ney"`` (interpolated, :math:`n \ge 2`; Kneser and Ney 1995, Chen and Goodman 1999)
    :math:`P(w \mid h) = \dfrac{\max(a(h w) - D, 0)}{\sum_u a(h u)}
    + \dfrac{D\, N_{1+}(h \bullet)}{\sum_u a(h u)}\, P(w \mid h')`,
    where :math:`a` is the raw count at the highest order and the
    continuation count :math:`N_{1+}(\bullet h w)` (the number of distinct
    words seen before :math:`h w`) at lower orders, and
    :math:`N_{1+}(h \bullet)` is the number of distinct words seen after
    :math:`h`. The recursion ends in the uniform distribution
    :math:`1/|V|` below the unigram level; an unseen context passes all its
    mass down.
``"interpolated"`` (Jelinek and Mercer 1980)
    :math:`P_j(w \mid h) = \lambda_j P_{\mathrm{ML}}(w \mid h) + (1 - \lambda_j) P_{j-1}(w \mid h')`
    for a seen context (else :math:`P_{j-1}`), down to :math:`1/|V|`; one
    weight per order, fitted by expectation-maximisation on held-out text.

Every method gives, for every context seen or not, a distribution over
:math:`V` that sums to one.

Implementation: tokens are integer ids (``<s>`` is id :math:`|V|`). A
context of length :math:`j` is numbered by extending the number of its
last :math:`j-1` tokens by one older token, ``code = id(h') * (|V| + 1) +
token``, so that every context knows its shorter context; counts live in
sorted arrays of ``context_id * |V| + word`` codes and are found with
:func:`numpy.searchsorted`. Everything is vectorised over tokens.
"""

from __future__ import annotations

import itertools
import numbers
from collections.abc import Iterable, Sequence

import numpy as np

from .._validation import check_positive
from ..data.corpus import BOS, EOS, UNK, check_sentences, vocabulary

__all__ = ["NGramModel", "SMOOTHING_METHODS"]

SMOOTHING_METHODS = ("add-k", "kneser-ney", "interpolated")


def _lookup(sorted_codes: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Index of each code in ``sorted_codes``, or -1 where it is absent (or code < 0)."""
    pos = np.searchsorted(sorted_codes, codes)
    pos = np.minimum(pos, len(sorted_codes) - 1)
    found = (codes >= 0) & (sorted_codes[pos] == codes)
    return np.where(found, pos, -1)


class NGramModel:
    r"""An n-gram language model over a closed vocabulary (see the module docstring).

    Parameters
    ----------
    n : int
        The order, :math:`n \ge 1` (1: unigram, 2: bigram, ...).
    smoothing : {"add-k", "kneser-ney", "interpolated"}, default "add-k"
    k : float, default 1.0
        The pseudo-count of add-k, :math:`k > 0`. It is used only when
        probabilities are computed, so it may be changed after :meth:`fit`
        (as when it is tuned on validation text).
    discount : float or sequence of n floats, optional
        Kneser-Ney discounts :math:`0 \le D < 1`, one per context length
        :math:`0, \dots, n-1` (a single float: the same for all). By default
        each is estimated from the training counts as
        :math:`D = n_1 / (n_1 + 2 n_2)` (Ney et al., 1994), where :math:`n_r`
        is the number of n-grams of that order whose count (continuation
        count below the top order) is :math:`r`.
    lambdas : sequence of n floats, optional
        Interpolation weights in :math:`[0, 1]` for the context lengths
        :math:`0, \dots, n-1`. If omitted, :meth:`fit` needs ``validation``
        and fits them there by EM.

    Attributes
    ----------
    vocab : tuple of str
        The tokens the model predicts, in the order of :meth:`next_distribution`.

    Examples
    --------
    >>> from llmmath import NGramModel
    >>> lm = NGramModel(2, smoothing="kneser-ney").fit([["a", "b"], ["a", "c"], ["b"]])
    >>> lm.vocab
    ('</s>', 'a', 'b', 'c', '<unk>')
    >>> round(float(lm.next_distribution(["a"]).sum()), 12)
    1.0
    >>> round(lm.prob("b", ["a"]), 4), round(lm.prob("zebra", ["a"]), 4)
    (0.4111, 0.0222)
    """

    def __init__(self, n: int, smoothing: str = "add-k", k: float = 1.0, discount=None, lambdas=None):
        self.n = check_positive(n, "n", integer=True)
        if smoothing not in SMOOTHING_METHODS:
            raise ValueError(f"smoothing must be one of {SMOOTHING_METHODS}, got {smoothing!r}")
        if smoothing == "kneser-ney" and self.n < 2:
            raise ValueError("Kneser-Ney needs n >= 2 (it smooths with lower orders); use add-k for n = 1")
        self.smoothing = smoothing
        self.k = check_positive(k, "k")
        self._discount_arg = None if discount is None else self._per_order(discount, "discount", 0.0, 1.0)
        self._lambdas_arg = None if lambdas is None else self._per_order(lambdas, "lambdas", 0.0, 1.0 + 1e-12)
        self.lambdas = self._lambdas_arg
        self.vocab: tuple[str, ...] | None = None

    def _per_order(self, value, name: str, lo: float, hi: float) -> np.ndarray:
        if isinstance(value, numbers.Real) and not isinstance(value, bool):
            arr = np.full(self.n, float(value))
        else:
            arr = np.asarray(value, dtype=np.float64)
            if arr.shape != (self.n,):
                raise ValueError(f"{name} must be a number or a sequence of n = {self.n} numbers, got {value!r}")
        if not np.all((arr >= lo) & (arr < hi)):
            raise ValueError(f"{name} must lie in [{lo:g}, {min(hi, 1.0):g}{')' if hi <= 1 else ']'}, got {value!r}")
        return np.minimum(arr, 1.0)

    # ------------------------------------------------------------------ encoding
    def _encode(self, sentences) -> tuple[np.ndarray, np.ndarray]:
        """Padded id stream and the positions of the predicted tokens."""
        sentences = check_sentences(sentences)
        unk, bos, pad = self._index[UNK], len(self.vocab), self.n - 1
        lengths = np.fromiter(map(len, sentences), dtype=np.int64, count=len(sentences))
        flat = itertools.chain.from_iterable(sentences)
        ids = np.fromiter(map(self._index.get, flat, itertools.repeat(unk)), dtype=np.int64,
                          count=int(lengths.sum()))
        # Sentence i fills pad + L_i + 1 slots: pad <s>, its tokens, one </s>.
        ends = np.cumsum(lengths + pad + 1)                  # one past each </s>
        seq = np.full(int(ends[-1]) if len(ends) else 0, bos, dtype=np.int64)
        seq[ends - 1] = self._index[EOS]
        first = ends - lengths - 1                           # where each sentence's tokens start
        seq[np.repeat(first - np.cumsum(lengths) + lengths, lengths) + np.arange(len(ids))] = ids
        predicted = np.flatnonzero(seq != bos) if pad else np.arange(len(seq))
        return seq, predicted

    def _contexts(self, seq: np.ndarray, pos: np.ndarray) -> list[np.ndarray]:
        """Context ids for lengths 0..n-1 at positions ``pos`` (-1: unseen in training)."""
        ids = [np.zeros(len(pos), dtype=np.int64)]
        for j in range(1, self.n):
            code = np.where(ids[-1] >= 0, ids[-1] * (len(self.vocab) + 1) + seq[pos - j], -1)
            ids.append(_lookup(self._ctx_codes[j], code))
        return ids

    # ------------------------------------------------------------------ fitting
    def fit(self, sentences: Iterable[Sequence[str]], validation=None) -> NGramModel:
        """Count the n-grams of ``sentences`` (an iterable of token lists).

        Parameters
        ----------
        sentences : iterable of sequences of str
            Training text; it fixes the vocabulary.
        validation : iterable of sequences of str, optional
            Held-out text on which ``"interpolated"`` fits its weights (EM).

        Returns
        -------
        NGramModel
            ``self``, fitted.
        """
        sentences = check_sentences(sentences)
        if not sentences:
            raise ValueError("sentences must contain at least one sentence")
        if self.smoothing == "interpolated" and self._lambdas_arg is None and validation is None:
            raise ValueError("smoothing='interpolated' fits its weights on held-out text: "
                             "pass fit(train, validation=...) or NGramModel(..., lambdas=[...])")
        self.vocab = vocabulary(sentences)
        self._index = {w: i for i, w in enumerate(self.vocab)}
        V = len(self.vocab)
        seq, pos = self._encode(sentences)
        words = seq[pos]
        ctx = [np.zeros(len(pos), dtype=np.int64)]
        self._ctx_codes = [np.zeros(1, dtype=np.int64)]
        for j in range(1, self.n):
            codes, inverse = np.unique(ctx[-1] * (V + 1) + seq[pos - j], return_inverse=True)
            self._ctx_codes.append(codes)
            ctx.append(inverse.reshape(-1))
        self._pairs, self._counts, self._total, self._types = [], [], [], []
        for j in range(self.n):
            codes, counts = np.unique(ctx[j] * V + words, return_counts=True)
            self._pairs.append(codes)
            self._counts.append(counts.astype(np.float64))
        if self.smoothing == "kneser-ney":
            # Below the top order, a word's count is its number of distinct left extensions.
            for j in range(self.n - 1):
                longer = self._pairs[j + 1]
                parent = self._ctx_codes[j + 1][longer // V] // (V + 1)
                at = _lookup(self._pairs[j], parent * V + longer % V)
                self._counts[j] = np.bincount(at, minlength=len(self._pairs[j])).astype(np.float64)
        for j in range(self.n):
            owner = self._pairs[j] // V
            self._total.append(np.bincount(owner, weights=self._counts[j], minlength=len(self._ctx_codes[j])))
            self._types.append(np.bincount(owner, weights=self._counts[j] > 0,
                                           minlength=len(self._ctx_codes[j])))
        if self.smoothing == "kneser-ney":
            self.discount = self._estimate_discounts() if self._discount_arg is None else self._discount_arg
        if self.smoothing == "interpolated":
            self.lambdas = self._lambdas_arg if self._lambdas_arg is not None else self._em_lambdas(validation)
        return self

    def _estimate_discounts(self) -> np.ndarray:
        out = np.empty(self.n)
        for j, c in enumerate(self._counts):
            n1, n2 = np.sum(c == 1), np.sum(c == 2)
            out[j] = n1 / (n1 + 2 * n2) if n1 + n2 > 0 else 0.5
        return np.clip(out, 0.05, 0.95)

    def _count_of(self, j: int, ctx: np.ndarray, w: np.ndarray) -> np.ndarray:
        V = len(self.vocab)
        if len(w) == V and len(ctx) and ctx[0] == ctx[-1] and np.array_equal(w, np.arange(V)):
            # One context and every word (next_distribution): the context's counts are one
            # contiguous run of the sorted codes, found with two binary searches.
            out, c = np.zeros(V), int(ctx[0])
            if c >= 0:
                lo, hi = np.searchsorted(self._pairs[j], [c * V, (c + 1) * V])
                out[self._pairs[j][lo:hi] - c * V] = self._counts[j][lo:hi]
            return out
        at = _lookup(self._pairs[j], np.where(ctx >= 0, ctx * V + w, -1))
        return np.where(at >= 0, self._counts[j][np.maximum(at, 0)], 0.0)

    def _ml_levels(self, ctx: list[np.ndarray], w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Maximum-likelihood estimates and 'context seen' flags, shape (n, Q)."""
        ml = np.zeros((self.n, len(w)))
        seen = np.zeros((self.n, len(w)), dtype=bool)
        for j in range(self.n):
            total = np.where(ctx[j] >= 0, self._total[j][np.maximum(ctx[j], 0)], 0.0)
            seen[j] = total > 0
            ml[j] = np.where(seen[j], self._count_of(j, ctx[j], w) / np.where(seen[j], total, 1.0), 0.0)
        return ml, seen

    def _em_lambdas(self, validation, n_iter: int = 200, tol: float = 1e-9) -> np.ndarray:
        seq, pos = self._encode(validation)
        ml, seen = self._ml_levels(self._contexts(seq, pos), seq[pos])
        lam = np.full(self.n, 0.5)
        uniform = 1.0 / len(self.vocab)
        for _ in range(n_iter):
            p = [np.full(ml.shape[1], uniform)]
            for j in range(self.n):
                p.append(np.where(seen[j], lam[j] * ml[j] + (1 - lam[j]) * p[-1], p[-1]))
            top = p[-1]
            through = np.ones(ml.shape[1])  # product of (1 - lambda_i) over seen levels above j
            emit, reach = np.zeros(self.n), np.zeros(self.n)
            for j in range(self.n - 1, -1, -1):
                reach[j] = np.sum(np.where(seen[j], through * p[j + 1] / top, 0.0))
                emit[j] = np.sum(np.where(seen[j], through * lam[j] * ml[j] / top, 0.0))
                through = np.where(seen[j], through * (1 - lam[j]), through)
            new = np.where(reach > 0, emit / np.where(reach > 0, reach, 1.0), lam)
            if np.max(np.abs(new - lam)) < tol:
                lam = new
                break
            lam = new
        return np.clip(lam, 0.0, 1.0)

    # ------------------------------------------------------------------ probabilities
    def _check_fitted(self) -> None:
        if self.vocab is None:
            raise RuntimeError("the model is not fitted: call fit(sentences) first")

    def _probs(self, ctx: list[np.ndarray], w: np.ndarray) -> np.ndarray:
        V = len(self.vocab)
        top = self.n - 1
        if self.smoothing == "add-k":
            total = np.where(ctx[top] >= 0, self._total[top][np.maximum(ctx[top], 0)], 0.0)
            return (self._count_of(top, ctx[top], w) + self.k) / (total + self.k * V)
        if self.smoothing == "interpolated":
            ml, seen = self._ml_levels(ctx, w)
            p = np.full(len(w), 1.0 / V)
            for j in range(self.n):
                p = np.where(seen[j], self.lambdas[j] * ml[j] + (1 - self.lambdas[j]) * p, p)
            return p
        p = np.full(len(w), 1.0 / V)
        for j in range(self.n):
            c = np.maximum(ctx[j], 0)
            total = np.where(ctx[j] >= 0, self._total[j][c], 0.0)
            types = np.where(ctx[j] >= 0, self._types[j][c], 0.0)
            seen = total > 0
            safe = np.where(seen, total, 1.0)
            d = self.discount[j]
            kn = np.maximum(self._count_of(j, ctx[j], w) - d, 0.0) / safe + d * types / safe * p
            p = np.where(seen, kn, p)
        return p

    def _context_ids(self, context: Sequence[str]) -> list[np.ndarray]:
        if isinstance(context, str):
            raise TypeError("context must be a sequence of tokens, e.g. ['to', 'be'], not a str")
        context = list(context)[-(self.n - 1):] if self.n > 1 else []
        context = [BOS] * (self.n - 1 - len(context)) + context
        bos, unk = len(self.vocab), self._index[UNK]
        ids = np.array([bos if t == BOS else self._index.get(t, unk) for t in context] + [0], dtype=np.int64)
        return self._contexts(ids, np.array([len(ids) - 1]))

    def prob(self, word: str, context: Sequence[str] = ()) -> float:
        """:math:`P(\\text{word} \\mid \\text{context})`.

        Only the last :math:`n-1` tokens of ``context`` matter; a shorter
        context is the start of a sentence (padded with ``<s>``). Unknown
        words read as ``<unk>``.
        """
        self._check_fitted()
        if not isinstance(word, str) or word == BOS:
            raise ValueError(f"word must be a token of the vocabulary (never {BOS!r}), got {word!r}")
        w = np.array([self._index.get(word, self._index[UNK])])
        return float(self._probs(self._context_ids(context), w)[0])

    def next_distribution(self, context: Sequence[str] = ()) -> np.ndarray:
        """The distribution of the next token after ``context``, aligned with :attr:`vocab`.

        Returns
        -------
        numpy.ndarray, shape (len(vocab),)
            Sums to one.
        """
        self._check_fitted()
        V = len(self.vocab)
        ctx = [np.repeat(c, V) for c in self._context_ids(context)]
        return self._probs(ctx, np.arange(V))

    def log_probs(self, sentences: Iterable[Sequence[str]]) -> np.ndarray:
        """Natural log-probability of every predicted token (``</s>`` included), in order."""
        self._check_fitted()
        seq, pos = self._encode(sentences)
        with np.errstate(divide="ignore"):
            return np.log(self._probs(self._contexts(seq, pos), seq[pos]))

    def token_counts(self, sentences: Iterable[Sequence[str]]) -> np.ndarray:
        """Training count :math:`c(h w)` of each predicted token's n-gram.

        A zero means that the maximum-likelihood (unsmoothed) model gives the
        token probability zero and the text infinite perplexity. (For
        Kneser-Ney the counts are raw counts at the top order.)
        """
        self._check_fitted()
        seq, pos = self._encode(sentences)
        top = self.n - 1
        return self._count_of(top, self._contexts(seq, pos)[top], seq[pos])

    def perplexity(self, sentences: Iterable[Sequence[str]]) -> float:
        r"""Perplexity :math:`\exp\big(-\frac{1}{N}\sum_t \log P(w_t \mid h_t)\big)`.

        The mean runs over the :math:`N` predicted tokens, one ``</s>`` per
        sentence included. It is ``inf`` if a token has probability zero.
        """
        lp = self.log_probs(sentences)
        if len(lp) == 0:
            raise ValueError("sentences must contain at least one sentence")
        return float(np.exp(-lp.mean()))

    def sample(self, rng: np.random.Generator, max_len: int = 30) -> list[str]:
        """Generate one sentence token by token, until ``</s>`` or ``max_len`` tokens.

        Returns the tokens without ``</s>``.
        """
        self._check_fitted()
        if not isinstance(rng, np.random.Generator):
            raise TypeError(f"rng must be a numpy.random.Generator, got {rng!r}")
        max_len = check_positive(max_len, "max_len", integer=True)
        out: list[str] = []
        while len(out) < max_len:
            p = self.next_distribution(out)
            i = int(np.searchsorted(np.cumsum(p), rng.random() * p.sum(), side="right"))
            word = self.vocab[min(i, len(p) - 1)]
            if word == EOS:
                break
            out.append(word)
        return out

    def __repr__(self) -> str:
        size = "unfitted" if self.vocab is None else f"|V| = {len(self.vocab)}"
        extra = f", k={self.k:g}" if self.smoothing == "add-k" else ""
        return f"NGramModel(n={self.n}, smoothing={self.smoothing!r}{extra}; {size})"
