"""Language models (Part II): n-gram and neural language models."""

from .ngram import NGramModel, SMOOTHING_METHODS
from .nplm import NeuralLM

__all__ = [
    "NGramModel",
    "SMOOTHING_METHODS",
    "NeuralLM",
]
