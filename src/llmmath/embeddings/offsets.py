r"""Answering analogy questions by vector offsets, many at once.

"*a* is to *b* as *c* is to ?" is answered by the word whose unit vector has
the largest dot product with a weighted combination of the three query
vectors; 3CosAdd (Mikolov et al., 2013) is the combination
:math:`\hat{\mathbf{v}}_b - \hat{\mathbf{v}}_a + \hat{\mathbf{v}}_c`.
:func:`answer_by_offset` is the one implementation, shared by
:meth:`llmmath.embeddings.WordVectors.answer_analogies` and
:func:`llmmath.embeddings.offset_answers`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .._validation import as_float_array, check_bool, check_positive
from .ranking import top_k_indices

__all__ = ["AnalogyAnswers", "answer_by_offset"]


@dataclass(frozen=True)
class AnalogyAnswers:
    """Answers to a list of analogy questions (see :func:`answer_by_offset`).

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


def _folded_index(words: Sequence[str], restrict_vocab: int) -> dict[str, int]:
    # Case-insensitive lookup; where two words fold together the more
    # frequent (lower index) wins, as in gensim.
    folded: dict[str, int] = {}
    for i, w in enumerate(words[:restrict_vocab]):
        folded.setdefault(w.upper(), i)
    return folded


def answer_by_offset(words: Sequence[str], unit, questions, *, weights=(-1.0, 1.0, 1.0),
                     exclude_query: bool = True, restrict_vocab: int = 30000,
                     batch_size: int = 512) -> AnalogyAnswers:
    r"""Answer analogy questions ``(a, b, c, d)`` by a weighted offset of unit vectors.

    With weights :math:`(\alpha, \beta, \gamma)`,

    .. math::

        d^\star = \operatorname*{arg\,max}_{w \in V \setminus E}
        \hat{\mathbf{v}}_w \cdot \left(\alpha\,\hat{\mathbf{v}}_a + \beta\,\hat{\mathbf{v}}_b
        + \gamma\,\hat{\mathbf{v}}_c\right),

    :math:`V` the first ``restrict_vocab`` words, :math:`E = \{a, b, c\}` (and
    their case variants) if ``exclude_query`` else empty. Words are compared
    case-insensitively, the more frequent variant standing for all, as in
    gensim; a case variant of *d* counts as correct. Questions with a word
    outside :math:`V` are skipped. The work is one matrix product per batch.

    Parameters
    ----------
    words : sequence of str, length n
        The vocabulary, most frequent first.
    unit : array_like, shape (n, d)
        Unit vectors, row ``i`` for ``words[i]`` (``WordVectors.unit``).
    questions : sequence of (str, str, str, str)
        Already checked to be four words each.
    weights : tuple of three floats, default (-1, 1, 1)
        :math:`(\alpha, \beta, \gamma)`.
    exclude_query : bool, default True
    restrict_vocab : int, default 30000
    batch_size : int, default 512
        Questions per matrix product (bounds the memory used).

    Returns
    -------
    AnalogyAnswers

    Examples
    --------
    >>> import numpy as np
    >>> from llmmath.embeddings import answer_by_offset
    >>> words = ["man", "king", "woman", "queen"]
    >>> unit = np.array([[1.0, 0.0], [0.6, 0.8], [0.8, -0.6], [0.0, -1.0]])
    >>> answer_by_offset(words, unit, [("man", "king", "woman", "queen")]).predicted
    ['queen']
    """
    units_all = as_float_array(unit, "unit", ndim=2)
    if len(words) != units_all.shape[0]:
        raise ValueError(f"unit must have one row per word: {len(words)} words, shape {units_all.shape}")
    exclude_query = check_bool(exclude_query, "exclude_query")
    restrict_vocab = check_positive(restrict_vocab, "restrict_vocab", integer=True)
    batch_size = check_positive(batch_size, "batch_size", integer=True)
    qs = list(questions)
    folded = _folded_index(words, restrict_vocab)
    ids = np.array([[folded.get(w.upper(), -1) for w in q] for q in qs], dtype=np.int64).reshape(-1, 4)
    in_vocab = (ids >= 0).all(axis=1)
    pred_ids = np.full(len(qs), -1, dtype=np.int64)
    units = units_all[: min(restrict_vocab, len(words))]
    wa, wb, wc = (units.dtype.type(x) for x in weights)
    # Each candidate's case-folded identity (the index of its most frequent
    # case variant): a variant of a, b or c is excluded too, and a variant of
    # d counts as correct, as in gensim.
    canon = np.array([folded[w.upper()] for w in words[: units.shape[0]]], dtype=np.int64)
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
        pred_ids[sel] = top_k_indices(scores, 1)[:, 0]
    predicted = [words[i] if i >= 0 else None for i in pred_ids]
    pred_canon = np.where(pred_ids >= 0, canon[np.maximum(pred_ids, 0)], -1)
    correct = in_vocab & (pred_canon == np.where(in_vocab, ids[:, 3], -2))
    return AnalogyAnswers(qs, in_vocab, predicted, correct)
