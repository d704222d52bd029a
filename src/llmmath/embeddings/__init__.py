"""Word embeddings (Part I): word vectors, analogies, neighbours.

Modules: ``ranking`` (the top k of a row of scores),
``similarity`` (mean pairwise cosine),
``offsets`` (answering analogies by vector offsets),
``wordvectors`` (:class:`WordVectors`),
``analogies`` (relations, questions, baselines) and
``neighbours`` (neighbourhoods kept by a map). The GloVe
vectors themselves are loaded by :func:`llmmath.data.load_glove`.
"""

from .ranking import top_k_indices
from .similarity import mean_pairwise_cosine
from .offsets import AnalogyAnswers, answer_by_offset
from .wordvectors import WordVectors
from .analogies import RELATIONS as _RELATIONS
from .analogies import (
    analogy_questions,
    offset_answers,
    accuracy_by_relation,
    offset_consistency,
)
from .neighbours import nearest_neighbours, neighbour_preservation

#: Relation name -> pairs ``(x, y)`` with ``y`` standing to ``x`` in that relation:
#: nine relations, a few hundred pairs, all words lower case and among GloVe 6B's
#: 30 000 most frequent (see :func:`analogy_questions`). Read-only. Assigned here
#: (not only imported) so that the reference documents it under this name.
#:
#: :meta hide-value:
RELATIONS = _RELATIONS

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
