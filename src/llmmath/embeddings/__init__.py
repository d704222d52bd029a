"""Word embeddings (Part I): word vectors, analogies, neighbours.

Modules: :mod:`~llmmath.embeddings.ranking` (the top k of a row of scores),
:mod:`~llmmath.embeddings.similarity` (mean pairwise cosine),
:mod:`~llmmath.embeddings.offsets` (answering analogies by vector offsets),
:mod:`~llmmath.embeddings.wordvectors` (:class:`WordVectors`),
:mod:`~llmmath.embeddings.analogies` (relations, questions, baselines) and
:mod:`~llmmath.embeddings.neighbours` (neighbourhoods kept by a map). The GloVe
vectors themselves are loaded by :func:`llmmath.data.load_glove`.
"""

from .ranking import top_k_indices
from .similarity import mean_pairwise_cosine
from .offsets import AnalogyAnswers, answer_by_offset
from .wordvectors import WordVectors
from .analogies import (
    RELATIONS,
    analogy_questions,
    offset_answers,
    accuracy_by_relation,
    offset_consistency,
)
from .neighbours import nearest_neighbours, neighbour_preservation

__all__ = [
    "top_k_indices",
    "mean_pairwise_cosine",
    "WordVectors",
    "AnalogyAnswers",
    "answer_by_offset",
    "RELATIONS",
    "analogy_questions",
    "offset_answers",
    "accuracy_by_relation",
    "offset_consistency",
    "nearest_neighbours",
    "neighbour_preservation",
]


def __getattr__(name: str):
    # load_glove moved to llmmath.data (it reads a package; WordVectors is the idea).
    # Forwarded so that ``from llmmath.embeddings import load_glove`` keeps working.
    if name == "load_glove":
        from ..data.glove import load_glove

        return load_glove
    raise AttributeError(f"module 'llmmath.embeddings' has no attribute {name!r}")
