"""Word embeddings (Part I): word vectors, analogies, neighbours."""

from .wordvectors import WordVectors, AnalogyAnswers, load_glove
from .analogies import (
    RELATIONS,
    analogy_questions,
    offset_answers,
    accuracy_by_relation,
    offset_consistency,
)
from .neighbours import nearest_neighbours, neighbour_preservation

__all__ = [
    "WordVectors",
    "AnalogyAnswers",
    "load_glove",
    "RELATIONS",
    "analogy_questions",
    "offset_answers",
    "accuracy_by_relation",
    "offset_consistency",
    "nearest_neighbours",
    "neighbour_preservation",
]
