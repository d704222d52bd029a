r"""Word vectors: nearest neighbours and analogies.

A :class:`WordVectors` holds a vocabulary and one row vector per word. Its
methods answer the two questions the embedding literature made famous: which
words lie closest to this one (cosine similarity), and "*a* is to *b* as *c* is
to what?" (vector arithmetic, the 3CosAdd rule of Mikolov et al., 2013).
The real GloVe vectors come from :func:`llmmath.data.load_glove`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence

import numpy as np

from .._validation import as_float_array, check_positive
from ..linalg.vectors import unit_rows
from .offsets import AnalogyAnswers, answer_by_offset
from .ranking import top_k_indices

__all__ = ["WordVectors"]


class WordVectors:
    r"""A vocabulary with one embedding vector per word.

    Parameters
    ----------
    words : sequence of str, length n
        Distinct words; their order is kept (GloVe orders by frequency).
    vectors : array_like, shape (n, d)
        Finite non-zero vectors, row ``i`` for ``words[i]``. float32 stays
        float32. They are copied and the copy is read-only, so that editing
        the caller's array later cannot leave ``unit`` stale.

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath import WordVectors
    >>> wv = WordVectors(["up", "down", "left"], np.array([[0.0, 1.0], [0.0, -1.0], [-1.0, 0.1]]))
    >>> [(w, round(s, 4)) for w, s in wv.most_similar("left", k=2)]
    [('up', 0.0995), ('down', -0.0995)]
    """

    def __init__(self, words: Sequence[str], vectors) -> None:
        if isinstance(words, (str, bytes)) or not isinstance(words, Iterable):
            raise TypeError(f"words must be a sequence of str (a list of words), got {words!r:.60}")
        words = list(words)
        if not all(isinstance(w, str) for w in words):
            raise TypeError("words must be a sequence of str")
        vecs = np.array(as_float_array(vectors, "vectors", ndim=2))   # a copy of our own
        if len(words) != vecs.shape[0]:
            raise ValueError(
                f"vectors must have one row per word: {len(words)} words but vectors has shape {vecs.shape}"
            )
        zero = ~np.any(vecs, axis=1)
        if zero.any():
            i = int(np.argmax(zero))
            raise ValueError(
                f"vectors has a zero row (row {i}, word {words[i]!r}): a zero vector has no "
                "direction, so no cosine"
            )
        vecs.flags.writeable = False
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
        """The vectors scaled to unit length, shape (n, d), read-only."""
        unit = unit_rows(self.vectors, "vectors")
        unit.flags.writeable = False
        return unit

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

    def _best(self, scores: np.ndarray, k: int, exclude: Iterable[int]) -> list[tuple[str, float]]:
        """The k best-scoring words outside ``exclude``, ties to the more frequent word."""
        scores = scores.astype(np.float64, copy=True)
        scores[list(exclude)] = -np.inf
        k = min(k, int(np.isfinite(scores).sum()))
        if k == 0:
            return []
        return [(self.words[i], float(scores[i])) for i in top_k_indices(scores, k)]

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
        return self._best(self.unit @ q, k, exclude)

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
        >>> from llmmath.data import load_glove
        >>> load_glove().analogy("man", "king", "woman")[0][0]
        'queen'
        """
        k = check_positive(k, "k", integer=True)
        ia, ib, ic = self.id(a), self.id(b), self.id(c)
        target = unit_rows(self.unit[ib] - self.unit[ia] + self.unit[ic], "the offset b - a + c")
        return self._best(self.unit @ target, k, {ia, ib, ic})

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
        return answer_by_offset(self.words, self.unit, qs, restrict_vocab=restrict_vocab,
                                batch_size=batch_size)

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
